"""The finding sentences of a unit page, each generated from the unit's numbers.

Results with an interval become :class:`evalkit.findings.Finding` objects whose verdict is
:func:`evalkit.findings.verdict_of` the interval (a direction only when it excludes zero), in
both languages, recorded in ``<run>/units/tables/<slug>_findings.csv``:

- ``unit_ikm_vs_city``: the unit's latest IKM minus the city's. A unit is part of the city,
  so the interval comes from the unit and *the rest of the city* (independent samples of
  respondents), as in :func:`evalkit.recommend.needs.element_gaps`: with ``w`` the unit's
  share of the period's respondents, ``se = (1 − w)·sqrt(se_unit² + se_rest²)`` (each the
  delta-method standard error of :func:`evalkit.ikm.compute_ikm`), normal 95% interval;
- ``unit_ikm_change``: the change since the previous period,
  :func:`evalkit.ikm.inference.ikm_change`;
- ``unit_element_gap``: each element marked weak by the rule of the training needs;
- ``unit_transfer_difficulty``: the unit's share of alumni reporting difficulty minus the
  city's, with the unit's Wilson interval shifted by the city's share (the flag
  ``transfer_lemah`` is the positive verdict).

Descriptive sentences (the published result, sample adequacy, 20 JP, courses) state numbers,
not comparisons. Periods or groups under ``min_cell_size`` people give no sentence.

Examples
--------
>>> unit_ikm_vs_city_numbers(80.0, 2.0, 40, 85.0, 0.5, 360, 84.5)["ci_low"].round(2)
np.float64(-8.14)

"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats

from evalkit.findings import Finding, sentence_numbers, verdict_of
from evalkit.ikm import compute_ikm, kinerja
from evalkit.ikm.inference import ikm_change
from evalkit.labels import LANGS, code_label, format_number, label

if TYPE_CHECKING:  # pragma: no cover
    from evalkit.report.sections import Page
    from evalkit.report.unit import UnitData


def unit_ikm_vs_city_numbers(ikm_unit: float, se_unit: float, n_unit: int, ikm_rest: float,
                             se_rest: float, n_rest: int, ikm_city: float,
                             level: float = 0.95) -> dict[str, float]:
    """Compute unit minus city IKM and its interval from the unit and the rest of the city.

    The estimate is the published difference ``ikm_unit − ikm_city``; its standard error is
    ``(1 − w)·sqrt(se_unit² + se_rest²)`` with ``w = n_unit / (n_unit + n_rest)`` (since
    city ≈ w·unit + (1 − w)·rest, unit − city = (1 − w)(unit − rest)).

    Examples
    --------
    >>> out = unit_ikm_vs_city_numbers(80.0, 2.0, 40, 85.0, 0.5, 360, 84.5)
    >>> round(out["estimate"], 2), round(out["se"], 4)
    (-4.5, 1.8554)

    """
    w = n_unit / (n_unit + n_rest)
    se = (1 - w) * float(np.hypot(se_unit, se_rest))
    z = stats.norm.ppf(0.5 + level / 2)
    estimate = ikm_unit - ikm_city
    return {"estimate": estimate, "se": se, "ci_low": estimate - z * se,
            "ci_high": estimate + z * se}


def _finding(topic: str, outcome: str, key: str, numbers: dict[str, float],
             **fields: Any) -> Finding:
    """Return a Finding with its sentence in both languages from ``<key>_<verdict>``."""
    verdict = verdict_of(numbers["ci_low"], numbers["ci_high"])

    def sentence(lang: str) -> str:
        filled = {k: (v(lang) if callable(v) else v) for k, v in fields.items()}
        return label(f"{key}_{verdict}", lang, **filled,
                     **sentence_numbers(numbers["estimate"], numbers["ci_low"],
                                        numbers["ci_high"], lang))

    return Finding(topic, outcome, float(numbers["estimate"]), float(numbers["ci_low"]),
                   float(numbers["ci_high"]), verdict, *(sentence(lang) for lang in LANGS))


def _ikm_findings(unit: str, data: UnitData, periods: pd.DataFrame) -> list[Finding]:
    """Latest IKM against the city, and the change since the previous period."""
    skm = data.inputs.get("skm")
    shown = periods[~periods["suppressed"]]
    if skm is None or shown.empty or shown["period"].iloc[-1] != periods["period"].iloc[-1]:
        return []
    latest = periods["period"].iloc[-1]
    out: list[Finding] = []
    answers = skm[skm["period"].astype("str") == latest]
    groups = compute_ikm(answers.assign(_own=answers["unit"].astype("str").eq(unit)),
                         by=["_own"], ci=0.95).set_index("_own")
    city = data.city_ikm.set_index("period").loc[latest]
    if {True, False} <= set(groups.index):
        own, rest = groups.loc[True], groups.loc[False]
        numbers = unit_ikm_vs_city_numbers(own["ikm"], own["ikm_se"], own["n_responses"],
                                           rest["ikm"], rest["ikm_se"], rest["n_responses"],
                                           city["ikm"])
        out.append(_finding("unit_ikm_vs_city", "ikm", "unit_finding_vs_city", numbers,
                            period=latest,
                            city=lambda lang: format_number(city["ikm"], 2, lang),
                            ikm=lambda lang: format_number(own["ikm"], 2, lang)))
    if len(shown) >= 2 and shown["period"].iloc[-2] == periods["period"].iloc[-2]:
        before = periods["period"].iloc[-2]
        own_answers = skm[skm["unit"].astype("str").eq(unit)
                          & skm["period"].astype("str").isin([before, latest])]
        table = compute_ikm(own_answers.assign(unit=unit, period=own_answers["period"]
                                               .astype("str")), ci=0.95)
        change = ikm_change(table, before, latest).iloc[0]
        out.append(_finding("unit_ikm_change", "ikm", "unit_finding_change",
                            {"estimate": change["change"], "ci_low": change["ci_low"],
                             "ci_high": change["ci_high"]},
                            before=before, after=latest,
                            change=lambda lang: label("change_rose" if change["change"] > 0
                                                      else "change_fell", lang)))
    return out


def _element_findings(elements: pd.DataFrame) -> list[Finding]:
    """One finding per element marked weak (``di_bawah_kota``), in element order."""
    weak = elements[elements["di_bawah_kota"].astype(bool) & elements["selisih"].notna()]
    # a loop over at most nine elements of one unit, one sentence each
    return [_finding("unit_element_gap", row["unsur"], "unit_finding_element",
                     {"estimate": row["selisih"], "ci_low": row["ci_low"],
                      "ci_high": row["ci_high"]},
                     element=lambda lang, u=row["unsur"]: code_label("unsur", u, lang),
                     nrr=lambda lang, v=row["nrr"]: format_number(v, 2, lang),
                     city=lambda lang, v=row["nrr_kota"]: format_number(v, 2, lang))
            for _, row in weak.iterrows()]


def _transfer_finding(transfer: pd.DataFrame) -> list[Finding]:
    row = transfer.iloc[0]
    if pd.isna(row["share_kesulitan"]) or pd.isna(row["share_kesulitan_kota"]):
        return []
    city = row["share_kesulitan_kota"]
    numbers = {"estimate": row["share_kesulitan"] - city, "ci_low": row["ci_low"] - city,
               "ci_high": row["ci_high"] - city}
    finding = _finding("unit_transfer_difficulty", "share_kesulitan", "unit_finding_transfer",
                       numbers,
                       share=lambda lang: format_number(row["share_kesulitan"], 0, lang,
                                                        percent=True),
                       city=lambda lang: format_number(city, 0, lang, percent=True),
                       pct_low=lambda lang: format_number(row["ci_low"], 0, lang, percent=True),
                       pct_high=lambda lang: format_number(row["ci_high"], 0, lang,
                                                           percent=True))
    return [finding]


def unit_findings(unit: str, data: UnitData, periods: pd.DataFrame | None,
                  elements: pd.DataFrame | None, transfer: pd.DataFrame | None,
                  jp: pd.DataFrame | None, page: Page) -> dict[str, list]:
    """Return the page's sentences in order and the findings with a verdict among them.

    Returns
    -------
    dict
        ``sentences`` (list of str in the page's language) and ``findings`` (list of
        :class:`evalkit.findings.Finding`).

    """
    t, num = page.t, page.num
    sentences: list[str] = []
    findings: list[Finding] = []

    def add(items: list[Finding]) -> None:
        findings.extend(items)
        sentences.extend(f.sentence(page.lang) for f in items)

    if periods is not None and len(periods):
        row = periods.iloc[-1]
        if not row["suppressed"]:
            sentences.append(t("unit_finding_latest", period=row["period"], ikm=num(row["ikm"]),
                               mutu=row["mutu"], kinerja=kinerja(row["mutu"], lang=page.lang),
                               low=num(row["ikm_ci_low"]), high=num(row["ikm_ci_high"]),
                               n=num(row["n_responses"], 0)))
            adequate = row.get("sample_adequate")
            key = ("unit_finding_sample_unknown" if adequate is None or pd.isna(adequate)
                   else "unit_finding_sample_ok" if bool(adequate)
                   else "unit_finding_sample_short")
            sentences.append(t(key, period=row["period"], n=num(row["n_responses"], 0),
                               sample_min=num(row.get("sample_min"), 0)))
        add(_ikm_findings(unit, data, periods))
    if elements is not None:
        weak = _element_findings(elements)
        if not weak:
            sentences.append(t("unit_finding_no_weak"))
        add(weak)
    if jp is not None and len(jp) and pd.notna(jp["share_20jp"].iloc[0]):
        sentences.append(t("unit_finding_jp", year=jp["tahun"].iloc[0],
                           share=num(jp["share_20jp"].iloc[0], 0, True),
                           n=num(jp["n_asn"].iloc[0], 0)))
    if transfer is not None and len(transfer):
        add(_transfer_finding(transfer))
    return {"sentences": sentences, "findings": findings}


__all__ = ["unit_findings", "unit_ikm_vs_city_numbers"]
