"""The tables the report publishes, every one with small cells suppressed.

:func:`report_tables` turns the processed inputs and the recommendations into the run's
published tables (``tables/`` as CSV and XLSX, and the workbook): the latest IKM per unit and
of the city, element gaps, 20-JP compliance, level-3 transfer, training needs with the
evidence behind each line, mentoring counts, priorities, training effects and the findings
stated about them (``temuan``), interview themes and quotes, data quality. Each table that
counts people went through :mod:`evalkit.privacy` suppression; the mentoring pair list is
never among them.

Examples
--------
>>> from evalkit.recommend import recommend_all
>>> report_tables({}, recommend_all({}))
{}

"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from evalkit.effects import ATT, event_time_of
from evalkit.findings import FINDINGS_COLUMNS, effect_finding, findings_table
from evalkit.ikm import compute_ikm
from evalkit.labels import Lang, label
from evalkit.privacy import (
    suppress_mentoring_summary,
    suppress_parts,
    suppress_quality,
    suppress_small_cells,
    suppress_with_margin,
)
from evalkit.recommend import Recommendations
from evalkit.report.formatting import format_number

#: Interview themes that explain why training does not transfer, shown with quotes.
WHY_THEMES: tuple[str, ...] = (
    "kesulitan_penerapan", "dukungan_atasan", "beban_kerja", "kebutuhan_mentoring",
    "pelatihan_lanjutan", "sarana_prasarana", "teknologi_informasi",
)


def _theme_counts(themes: pd.DataFrame) -> pd.DataFrame:
    """Informants per theme, from either shape notebook 05 may write."""
    if {"dimensi", "n_informan_tema"} <= set(themes.columns):
        overall = themes[themes["dimensi"].astype("str") == "semua"]
        cols = [c for c in ["tema", "n_informan", "n_informan_tema", "proporsi"]
                if c in overall.columns]
        return overall[cols].reset_index(drop=True)
    if {"tema", "kode_informan", "otomatis"} <= set(themes.columns):
        n_all = themes["kode_informan"].nunique()
        hit = themes[themes["otomatis"].eq(1)]
        out = hit.groupby("tema").agg(n_informan_tema=("kode_informan", "nunique")).reset_index()
        out.insert(1, "n_informan", n_all)
        out["proporsi"] = out["n_informan_tema"] / n_all
        return out
    raise ValueError("interview_themes: expected the columns of interviews.theme_frequencies "
                     "(dimensi, tema, n_informan, n_informan_tema) or of code_segments "
                     f"(kode_informan, tema, otomatis); found {list(themes.columns)}.")


def _evidence(needs: pd.DataFrame, lang: Lang) -> pd.Series:
    """One sentence per need line with the numbers behind it (suppressed values shown –)."""
    if needs.empty:  # DataFrame.apply on no rows returns a frame, not a Series
        return pd.Series([], index=needs.index, dtype="str")

    def fmt(col: str, d: int, pct: bool = False) -> pd.Series:
        return needs[col].map(lambda v: format_number(v, d, lang, percent=pct))

    # Label templates filled per row; str.format has no vectorised form.
    gap = pd.Series([label("evidence_gap", lang, nrr=a, city=b, diff=c, low=d, high=e, n=f)
                     for a, b, c, d, e, f in zip(fmt("nrr", 2), fmt("nrr_kota", 2),
                                                 fmt("selisih", 2), fmt("ci_low", 2),
                                                 fmt("ci_high", 2), fmt("n", 0), strict=True)],
                    index=needs.index)
    gap = gap.where(needs["unsur"].ne("jp_20") & needs["nrr"].notna(), "")
    jp = pd.Series([label("evidence_jp", lang, share=a, short=b)
                    for a, b in zip(fmt("share_20jp", 0, True), fmt("kekurangan_jp", 1),
                                    strict=True)], index=needs.index)
    jp = jp.where(needs["share_20jp"].notna(), "")
    key = np.where(needs["transfer_lemah"].astype(bool), "evidence_transfer_weak",
                   "evidence_transfer")
    tr = pd.Series([label(k, lang, share=a) for k, a in
                    zip(key, fmt("share_kesulitan", 0, True), strict=True)], index=needs.index)
    tr = tr.where(needs["share_kesulitan"].notna(), "")
    parts = pd.concat([gap, jp, tr], axis=1)
    return parts.apply(lambda r: "; ".join(x for x in r if x), axis=1).astype("str")


def findings_from_effects(effects: pd.DataFrame, effect: pd.Series | None) -> pd.DataFrame:
    """Generate the findings from the ``effects`` rows when notebook 04 wrote no findings.

    The headline ``effect`` (the row the priorities use) gives ``effect_<outcome>``; each other
    outcome's overall effect (estimand ``att``) by the same method gives its own
    ``effect_<outcome>``. No comparison of subgroups: the ``effects`` table holds each
    subgroup's interval, not the interval of their difference, and two intervals side by side
    say nothing about it (:mod:`evalkit.findings`).

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"outcome": ["ikm", "ikm"], "method": "cs_did",
    ...                   "estimand": ["att", "att_mentoring_with"], "estimate": [0.5, 3.0],
    ...                   "ci_low": [-0.4, 1.0], "ci_high": [1.4, 5.0]})
    >>> findings_from_effects(e, e.iloc[0])[["topic", "verdict"]].values.tolist()
    [['effect_ikm', 'inconclusive']]

    """
    if effect is None:
        return pd.DataFrame(columns=FINDINGS_COLUMNS)
    same = (effects["method"].astype("str").eq(str(effect["method"]))
            & effects["outcome"].astype("str").ne(str(effect["outcome"])))
    if "estimand" in effects.columns:
        same &= effects["estimand"].astype("str").eq(ATT)
    rows = pd.concat([effect.to_frame().T, effects[same]], ignore_index=True)
    return findings_table(
        effect_finding(f"effect_{outcome}", str(outcome), est, low, high, method=str(method))
        for outcome, method, est, low, high in zip(
            rows["outcome"], rows["method"], rows["estimate"].astype(float),
            rows["ci_low"].astype(float), rows["ci_high"].astype(float), strict=True))


def report_tables(inputs: Mapping[str, pd.DataFrame | None], recs: Recommendations, *,
                  manifest: dict | None = None, min_cell_size: int = 5,
                  lang: Lang = "id") -> dict[str, pd.DataFrame]:
    """Every table the report publishes, small cells suppressed.

    Parameters
    ----------
    inputs : mapping
        From :func:`evalkit.report.inputs.load_inputs`.
    recs : Recommendations
        From :func:`evalkit.recommend.recommend_all`.
    manifest : dict, optional
        From :func:`evalkit.report.inputs.read_manifest`.
    min_cell_size : int, default 5
        Groups of fewer people are suppressed.
    lang : {"id", "en"}
        Language of the evidence sentences in ``kebutuhan_pelatihan``.

    Returns
    -------
    dict name → DataFrame
        Only the tables whose inputs exist; each went through
        :func:`evalkit.privacy.suppress_small_cells` where it counts people.

    Examples
    --------
    >>> from evalkit.recommend import recommend_all
    >>> report_tables({}, recommend_all({}))
    {}

    """
    m = min_cell_size
    out: dict[str, pd.DataFrame] = {}
    ikm = inputs.get("ikm_unit_period")
    if ikm is not None and len(ikm):
        latest = sorted(ikm["period"].astype("str").unique())[-1]
        cols = [c for c in ["unit", "period", "n_responses", "ikm", "ikm_ci_low", "ikm_ci_high",
                            "mutu", "sample_min", "sample_adequate"] if c in ikm.columns]
        table = ikm.loc[ikm["period"].astype("str") == latest, cols].sort_values("unit")
        table = suppress_small_cells(table.reset_index(drop=True), "n_responses", min_n=m)
        table["mutu"] = table["mutu"].where(~table["suppressed"])
        out["ikm_unit_terkini"] = table
    skm = inputs.get("skm")
    if skm is not None and len(skm):
        latest = sorted(skm["period"].astype("str").unique())[-1]
        city = compute_ikm(skm[skm["period"].astype("str") == latest], by=["period"], ci=0.95)
        city = city[["period", "n_responses", "ikm", "ikm_ci_low", "ikm_ci_high", "mutu"]]
        out["ikm_kota"] = suppress_small_cells(city, "n_responses", min_n=m)
    if recs.element_gaps is not None:
        out["kesenjangan_unsur"] = suppress_small_cells(
            recs.element_gaps, "n", min_n=m,
            value_cols=["n", "nrr", "selisih", "se", "ci_low", "ci_high"])
    if recs.jp is not None:
        out["jp20_unit"] = suppress_small_cells(recs.jp, "n_asn", min_n=m,
                                                value_cols=["n_asn", "n_memenuhi_20jp",
                                                            "share_20jp", "kekurangan_jp"])
    if recs.transfer is not None:
        # The level-3 score rests on every evaluated alumnus, the share of difficulty on
        # those who answered the question.
        out["transfer_l3_unit"] = suppress_parts(recs.transfer, {
            "n_alumni": ["n_alumni", "l3_skor"],
            "n_menjawab": ["n_menjawab", "n_kesulitan", "share_kesulitan", "ci_low",
                           "ci_high"]}, min_n=m)
    if recs.needs is not None:
        needs = recs.needs
        if recs.jp is not None:
            needs = needs.merge(recs.jp[["unit", "n_asn"]], on="unit", how="left")
        needs = suppress_parts(needs, {
            "n": ["n", "nrr", "selisih", "ci_low", "ci_high"],
            "n_asn": ["n_asn", "share_20jp", "kekurangan_jp"],
            "n_alumni": ["n_alumni"],
            "n_menjawab": ["n_menjawab", "share_kesulitan"]}, min_n=m)
        needs["bukti"] = _evidence(needs, lang)
        out["kebutuhan_pelatihan"] = needs
    if recs.mentoring_summary is not None:
        # Counts only: the pair list (pid_mentor, pid_mentee) is pseudonymised personal data
        # and stays in data/processed/mentoring_plan.parquet (restricted, for BKPSDM).
        out["mentoring_ringkasan"] = suppress_mentoring_summary(recs.mentoring_summary, m)
    if recs.priorities is not None:
        out["prioritas_unit"] = suppress_small_cells(
            recs.priorities, "n_asn", min_n=m,
            value_cols=["n_asn", "ikm", "cakupan", "kesenjangan", "perkiraan_kenaikan",
                        "ci_low", "ci_high"])
    effects = inputs.get("effects")
    if effects is not None and len(effects):
        cols = [c for c in ["outcome", "method", "estimand", "estimate", "se", "ci_low",
                            "ci_high", "truth"] if c in effects.columns]
        # Overall and subgroup effects; the event-time rows (att_e2) belong to notebook 04.
        keep = event_time_of(effects["estimand"]).isna() \
            if "estimand" in effects.columns else pd.Series(True, index=effects.index)
        out["efek_pelatihan"] = effects.loc[keep, cols].reset_index(drop=True)
    # The findings stated about the effects: notebook 04's, else generated from its effects.
    findings = inputs.get("findings")
    if findings is not None and len(findings):
        out["temuan"] = findings[[c for c in FINDINGS_COLUMNS if c in findings.columns]] \
            .reset_index(drop=True)
    elif effects is not None and len(effects):
        out["temuan"] = findings_from_effects(effects, recs.effect)
    themes = inputs.get("interview_themes")
    if themes is not None and len(themes):
        counts = _theme_counts(themes)
        out["tema_wawancara"] = suppress_small_cells(
            counts.sort_values(["n_informan_tema", "tema"], ascending=[False, True])
            .reset_index(drop=True), "n_informan", min_n=m)
    quotes = inputs.get("interview_quotes")
    if quotes is not None and len(quotes) and {"tema", "kutipan"} <= set(quotes.columns):
        keep = quotes[quotes["tema"].astype("str").isin(WHY_THEMES)]
        order = keep["tema"].map({t: i for i, t in enumerate(WHY_THEMES)})
        out["kutipan_wawancara"] = (keep.assign(_o=order).sort_values(["_o"], kind="mergesort")
                                    .groupby("tema", sort=False).head(2)[["tema", "kutipan"]]
                                    .reset_index(drop=True))
    if manifest is not None:
        rows = pd.DataFrame.from_dict(manifest.get("tables", {}), orient="index")
        rows.index.name = "table"
        rows = rows.reset_index()
        cols = [c for c in ["table", "source", "rows_in", "rows_clean", "rows_quarantined"]
                if c in rows.columns]
        out["kualitas_data"] = suppress_quality(rows[cols].sort_values("table")
                                                .reset_index(drop=True), m)
    quarantine = inputs.get("quarantine")
    if quarantine is not None and len(quarantine):
        kinds = (quarantine.groupby(["table", "kind"]).size().rename("n_rows").reset_index()
                 .sort_values(["table", "kind"]).reset_index(drop=True))
        out["karantina_jenis"] = suppress_with_margin(kinds, "n_rows", "table", min_n=m)
    return out


__all__ = ["WHY_THEMES", "findings_from_effects", "report_tables"]
