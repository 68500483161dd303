"""Tables of a run and the decision makers' report (``summary.html``).

Every published table is written as CSV (for scripts) and XLSX (for spreadsheet users) into
the run's ``tables/`` folder, and all of them into one workbook
``tables/evalkit_tables.xlsx``. Files are reproducible: the XLSX creation date is fixed.

:func:`build_summary` writes ``summary.html``: headline IKM and grades, what the training
did, where it did not transfer and why, the recommendations and mentoring plan, data
quality and a method appendix, in Bahasa Indonesia (``lang="id"``) or English. It is one
self-contained file (figures embedded as PNG data, inline CSS, no script or web link), built
with jinja2 rather than nbconvert, whose default template loads MathJax and require.js from
the web. Every label comes from :mod:`evalkit.labels`.

Examples
--------
>>> import pandas as pd, tempfile
>>> paths = save_table(pd.DataFrame({"unit": ["A"], "ikm": [80.5]}), "demo", tempfile.mkdtemp())
>>> sorted(p.suffix for p in paths)
['.csv', '.xlsx']

"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup, escape

from evalkit import __version__
from evalkit.config import PROJ_ROOT, load_truth, read_processed, resolve_path
from evalkit.ikm import compute_ikm, kinerja
from evalkit.labels import check_lang, code_label, column_titles, has_label, label, translate_codes
from evalkit.outputs import (
    png_data_uri,
    save_figure,
    save_table,
    save_workbook,
)
from evalkit.plots import (
    plot_effects,
    plot_element_gaps,
    plot_ikm_units,
    plot_priorities,
    plot_transfer,
    plt,
    set_style,
)
from evalkit.privacy import (
    published_total,
    suppress_mentoring_summary,
    suppress_parts,
    suppress_quality,
    suppress_small_cells,
    suppress_with_margin,
)
from evalkit.recommend import recommend_all

# --- the decision makers' report (summary.html) ------------------------------------------------
#: Processed tables the report reads, and the notebook that writes each (for the message when
#: one is missing).
REPORT_INPUTS: dict[str, str] = {
    "skm": "01-clean-raw-data", "pegawai": "01-clean-raw-data", "pelatihan": "01-clean-raw-data",
    "skp": "01-clean-raw-data", "evaluasi_pasca_pelatihan": "01-clean-raw-data",
    "quarantine": "01-clean-raw-data",
    "ikm_unit_period": "02-service-satisfaction-ikm",
    "training_asn_year": "03-training-participation",
    "panel_unit_period": "03-training-participation",
    "effects": "04-training-effects",
    "interview_themes": "05-interview-themes", "interview_quotes": "05-interview-themes",
}

#: Interview themes that explain why training does not transfer, shown with quotes.
WHY_THEMES: tuple[str, ...] = (
    "kesulitan_penerapan", "dukungan_atasan", "beban_kerja", "kebutuhan_mentoring",
    "pelatihan_lanjutan", "sarana_prasarana", "teknologi_informasi",
)


#: How each column is shown in the HTML report: ("num", decimals), ("pct", decimals),
#: ("int",), ("bool",) or ("code", label prefix). Columns not listed are shown as text.
COLUMN_FORMATS: dict[str, tuple] = {
    "ikm": ("num", 2), "ikm_ci_low": ("num", 2), "ikm_ci_high": ("num", 2),
    "n_responses": ("int",), "n": ("int",), "n_asn": ("int",), "n_alumni": ("int",),
    "n_kesulitan": ("int",), "n_mentee": ("int",), "n_mentor_layak": ("int",),
    "n_pasangan": ("int",), "n_mentor_dipakai": ("int",), "n_tanpa_mentor": ("int",),
    "n_informan": ("int",), "n_informan_tema": ("int",), "rows_in": ("int",),
    "rows_clean": ("int",), "rows_quarantined": ("int",), "n_rows": ("int",),
    "peringkat": ("int",), "n_memenuhi_20jp": ("int",),
    "nrr": ("num", 2), "nrr_kota": ("num", 2), "selisih": ("num", 2),
    "ci_low": ("num", 2), "ci_high": ("num", 2), "estimate": ("num", 2), "truth": ("num", 2),
    "se": ("num", 3), "l3_skor": ("num", 2), "kekurangan_jp": ("num", 1),
    "perkiraan_kenaikan": ("num", 2), "skor_pasangan": ("num", 2),
    "share_20jp": ("pct", 0), "share_kesulitan": ("pct", 0), "share_kesulitan_kota": ("pct", 0),
    "cakupan": ("pct", 0), "kesenjangan": ("pct", 0), "proporsi": ("pct", 0),
    "transfer_lemah": ("bool",), "di_bawah_kota": ("bool",), "sample_adequate": ("bool",),
    "unsur": ("code", "unsur"), "mutu": ("code", "mutu"), "topic": ("code", ""),
    "bentuk": ("code", "bentuk"), "outcome": ("code", "outcome"), "method": ("code", "method"),
    "tema": ("code", "tema"), "kind": ("code", "kind"), "estimand": ("code", "estimand"),
}


def format_number(value: object, decimals: int = 2, lang: str = "id", *,
                  percent: bool = False) -> str:
    """Format a number in the report's language (Indonesian: ``1.234,5``); ``–`` if missing.

    Examples
    --------
    >>> format_number(1234.5, 1, "id"), format_number(1234.5, 1, "en")
    ('1.234,5', '1,234.5')
    >>> format_number(0.256, 0, "en", percent=True), format_number(None)
    ('26%', '–')

    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    number = round(float(value) * (100 if percent else 1), decimals)
    number = 0.0 if number == 0 else number  # no "-0,00" for a tiny negative value
    text = f"{number:,.{decimals}f}"
    if lang == "id":  # swap the separators: 1,234.5 → 1.234,5
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text + ("%" if percent else "")


def _cell_text(values: pd.Series, fmt: tuple | None, lang: str) -> pd.Series:
    if fmt is None:
        return values.astype("str").where(values.notna(), "–")
    kind = fmt[0]
    if kind in ("num", "pct", "int"):
        decimals = 0 if kind == "int" else fmt[1]
        return values.map(lambda v: format_number(v, decimals, lang, percent=kind == "pct"))
    if kind == "bool":
        yes, no = label("word_yes", lang), label("word_no", lang)
        return values.map(lambda v: "–" if pd.isna(v) else (yes if bool(v) else no))
    prefix = fmt[1]
    if prefix == "":  # the values are label keys themselves (e.g. catalog topics)
        return values.map(lambda v: "–" if pd.isna(v) else code_label_key(str(v), lang))
    return translate_codes(values, prefix, lang).replace("", "–")


def code_label_key(key: str, lang: str) -> str:
    """Return the label of a full key when it exists, else the key (catalog topics).

    Examples
    --------
    >>> code_label_key("topic_service_excellence", "en")
    'Service excellence'

    """
    return label(key, lang) if has_label(key) else key


def html_table(table: pd.DataFrame, lang: str = "id",
               columns: Sequence[str] | None = None,
               formats: Mapping[str, tuple] | None = None) -> Markup:
    """Render a published table as an HTML ``<table>``: labelled headers, formatted, escaped.

    Parameters
    ----------
    table : DataFrame
        Already suppressed (missing values are shown as ``–``).
    lang : {"id", "en"}
        Language of headers, codes and numbers.
    columns : sequence of str, optional
        Columns to show, in order (default all but ``suppressed``).
    formats : mapping, optional
        Column formats that replace those of :data:`COLUMN_FORMATS` for this table.

    Examples
    --------
    >>> import pandas as pd
    >>> html = html_table(pd.DataFrame({"unit": ["A&B"], "ikm": [80.5]}), "id")
    >>> "A&amp;B" in html and "80,50" in html and "<th>IKM</th>" in html
    True

    """
    columns = [c for c in (columns or table.columns) if c in table.columns and c != "suppressed"]
    fmts = {**COLUMN_FORMATS, **(formats or {})}
    shown = pd.DataFrame({c: _cell_text(table[c], fmts.get(c), lang)
                          for c in columns}, index=table.index)
    numeric = {c for c in columns if fmts.get(c, ("",))[0] in ("num", "pct", "int")}
    head = "".join(f"<th>{escape(t)}</th>" for t in column_titles(columns, lang))
    body_rows = []
    for row in shown.itertuples(index=False):  # building markup: one string per table row
        cells = "".join(
            f'<td class="num">{escape(v)}</td>' if c in numeric else f"<td>{escape(v)}</td>"
            for c, v in zip(columns, row, strict=True))
        body_rows.append(f"<tr>{cells}</tr>")
    return Markup(f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(body_rows)}'
                  "</tbody></table>")


def load_inputs(processed_dir: str | os.PathLike[str]) -> dict[str, pd.DataFrame | None]:
    """Read the processed tables the report uses; a missing table is ``None``.

    Examples
    --------
    >>> import tempfile
    >>> load_inputs(tempfile.mkdtemp())["effects"] is None
    True

    """
    return {name: read_processed(name, processed_dir, missing_ok=True)
            for name in REPORT_INPUTS}


def input_overview(inputs: Mapping[str, pd.DataFrame | None]) -> pd.DataFrame:
    """Which report inputs were found: table, the notebook that writes it, and its rows.

    ``rows`` is missing (``<NA>``) for a table not found, whose report section becomes a note.

    Examples
    --------
    >>> import pandas as pd
    >>> table = input_overview({"effects": pd.DataFrame({"x": [1, 2]})})
    >>> table.set_index("table").loc[["effects", "skm"], "rows"].tolist()
    [2, <NA>]

    """
    return pd.DataFrame({
        "table": list(REPORT_INPUTS),
        "written_by": list(REPORT_INPUTS.values()),
        "rows": pd.array([None if inputs.get(n) is None else len(inputs[n])
                          for n in REPORT_INPUTS], dtype="Int64"),
    })


def read_manifest(processed_dir: str | os.PathLike[str]) -> dict | None:
    """``manifest.json`` of the processed folder, or ``None`` when absent.

    Examples
    --------
    >>> import tempfile
    >>> read_manifest(tempfile.mkdtemp()) is None
    True

    """
    path = resolve_path(processed_dir) / "manifest.json"
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc}); rerun notebook 01 to rewrite it.") \
            from exc


#: File in the processed folder with the mentor–mentee pairs (restricted, not published).
MENTORING_PLAN = "mentoring_plan.parquet"


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


def _heterogeneity_findings(effects: pd.DataFrame, effect: Mapping[str, Any],
                            lang: str) -> list[str]:
    """Sentences comparing subgroup effects (difficulty, mentoring) when notebook 04 has them."""
    rows = effects[effects["outcome"].eq(effect["outcome"])
                   & effects["method"].eq(effect["method"])].set_index("estimand")
    out = []
    for key, (a, b) in {"finding_difficulty": ("ATT difficulty_high", "ATT difficulty_low"),
                        "finding_mentoring": ("ATT mentoring_with", "ATT mentoring_without")
                        }.items():
        if a in rows.index and b in rows.index:
            out.append(label(key, lang, **{
                f"{side}{part}": format_number(rows.loc[name, col], 2, lang)
                for side, name in (("a", a), ("b", b))
                for part, col in (("", "estimate"), ("_low", "ci_low"), ("_high", "ci_high"))}))
    return out


def _evidence(needs: pd.DataFrame, lang: str) -> pd.Series:
    """One sentence per need line with the numbers behind it (suppressed values shown –)."""
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


def report_tables(inputs: Mapping[str, pd.DataFrame | None], recs: Mapping[str, Any], *,
                  manifest: dict | None = None, min_cell_size: int = 5,
                  lang: str = "id") -> dict[str, pd.DataFrame]:
    """Every table the report publishes, small cells suppressed.

    Parameters
    ----------
    inputs : mapping
        From :func:`load_inputs`.
    recs : mapping
        From :func:`evalkit.recommend.recommend_all`.
    manifest : dict, optional
        From :func:`read_manifest`.
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
    >>> report_tables({}, {"missing": {}})
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
    if recs.get("element_gaps") is not None:
        out["kesenjangan_unsur"] = suppress_small_cells(
            recs["element_gaps"], "n", min_n=m,
            value_cols=["n", "nrr", "selisih", "se", "ci_low", "ci_high"])
    if recs.get("jp") is not None:
        out["jp20_unit"] = suppress_small_cells(recs["jp"], "n_asn", min_n=m,
                                                value_cols=["n_asn", "n_memenuhi_20jp",
                                                            "share_20jp", "kekurangan_jp"])
    if recs.get("transfer") is not None:
        out["transfer_l3_unit"] = suppress_small_cells(
            recs["transfer"], "n_alumni", min_n=m,
            value_cols=["n_alumni", "l3_skor", "n_kesulitan", "share_kesulitan", "ci_low",
                        "ci_high"])
    if recs.get("needs") is not None:
        needs = recs["needs"]
        if recs.get("jp") is not None:
            needs = needs.merge(recs["jp"][["unit", "n_asn"]], on="unit", how="left")
        needs = suppress_parts(needs, {
            "n": ["n", "nrr", "selisih", "ci_low", "ci_high"],
            "n_asn": ["n_asn", "share_20jp", "kekurangan_jp"],
            "n_alumni": ["n_alumni", "share_kesulitan"]}, min_n=m)
        needs["bukti"] = _evidence(needs, lang)
        out["kebutuhan_pelatihan"] = needs
    if recs.get("mentoring_summary") is not None:
        # Counts only: the pair list (pid_mentor, pid_mentee) is pseudonymised personal data
        # and stays in data/processed/mentoring_plan.parquet (restricted, for BKPSDM).
        out["mentoring_ringkasan"] = suppress_mentoring_summary(recs["mentoring_summary"], m)
    if recs.get("priorities") is not None:
        out["prioritas_unit"] = suppress_small_cells(
            recs["priorities"], "n_asn", min_n=m,
            value_cols=["n_asn", "ikm", "cakupan", "kesenjangan", "perkiraan_kenaikan",
                        "ci_low", "ci_high"])
    effects = inputs.get("effects")
    if effects is not None and len(effects):
        cols = [c for c in ["outcome", "method", "estimand", "estimate", "se", "ci_low",
                            "ci_high", "truth"] if c in effects.columns]
        # Overall and subgroup effects; the event-time rows ("ATT e=2") belong to notebook 04.
        keep = ~effects["estimand"].astype("str").str.contains(r"\be=", regex=True) \
            if "estimand" in effects.columns else pd.Series(True, index=effects.index)
        out["efek_pelatihan"] = effects.loc[keep, cols].reset_index(drop=True)
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


def _figure(fig, name: str, output_dir: str | os.PathLike[str]) -> str:
    png, _ = save_figure(fig, name, output_dir)
    plt.close(fig)
    return png_data_uri(png)


def _display_path(path: str | os.PathLike[str]) -> str:
    """Return a path as shown in the report: relative to the project root when inside it."""
    resolved = resolve_path(path)
    try:
        return str(resolved.relative_to(PROJ_ROOT))
    except ValueError:
        return resolved.name


def build_summary(processed_dir: str | os.PathLike[str] = "data/processed",
                  output_dir: str | os.PathLike[str] = "reports/interactive",
                  lang: str = "id", *, min_cell_size: int = 5, mentor_capacity: int = 3,
                  mentor_min_tenure: int = 5, n_periods: int = 4,
                  cohort_threshold: float = 0.25, needs_per_unit: int = 3) -> Path:
    """Build ``summary.html``, the decision makers' report, and the run's workbook.

    Reads the processed tables (whatever exists: a missing input turns its section into a
    note saying which notebook to run), computes the recommendations
    (:func:`evalkit.recommend.recommend_all`), publishes every table with small cells
    suppressed (CSV + XLSX in ``tables/``, and all of them in ``tables/evalkit_tables.xlsx``),
    draws the figures (``figures/``) and writes one self-contained HTML file: figures are
    embedded as PNG data, styles are inline, there is no script, font or link to the web, so
    it opens offline. The simulated-data notice appears whenever the processed folder holds the
    simulator's ``truth.json`` (copied there by the cleaning step; see
    :func:`evalkit.config.load_truth`): the report reads ``processed_dir`` only.

    Parameters
    ----------
    processed_dir, output_dir : path
        Relative paths are taken from the project root.
    lang : {"id", "en"}, default "id"
        Language of the report.
    min_cell_size : int, default 5
        Published cells resting on fewer people are suppressed.
    mentor_capacity : int, default 3
        Maximum mentees per mentor.
    mentor_min_tenure : int, default 5
        Minimum years of service of a mentor.
    n_periods : int, default 4
        Quarters used for the element gaps (the latest ones).
    cohort_threshold : float, default 0.25
        Share of staff trained at which a unit counts as reached (for the priorities).
    needs_per_unit : int, default 3
        Needs per unit shown in the HTML (the workbook has all).

    Returns
    -------
    pathlib.Path
        ``<output_dir>/summary.html``.

    Examples
    --------
    >>> import tempfile
    >>> out = tempfile.mkdtemp()
    >>> build_summary(out, out, "en").name  # empty folders: every section says why
    'summary.html'

    """
    check_lang(lang)
    out_dir = resolve_path(output_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    inputs = load_inputs(processed_dir)
    manifest = read_manifest(processed_dir)
    simulated = load_truth(processed_dir) is not None
    recs = recommend_all(inputs, n_periods=n_periods, mentor_capacity=mentor_capacity,
                         mentor_min_tenure=mentor_min_tenure, cohort_threshold=cohort_threshold)
    tables = report_tables(inputs, recs, manifest=manifest, min_cell_size=min_cell_size,
                           lang=lang)
    if recs.get("pairs") is not None:
        # The pair list (pseudonyms) is personal data: restricted, in the processed folder
        # for BKPSDM (who holds the key), never in the run's tables/ or the report.
        plan = resolve_path(processed_dir)
        if plan.is_dir():
            recs["pairs"].to_parquet(plan / MENTORING_PLAN, index=False)
    # An earlier version published the pair list here; a stale copy in the run folder would
    # otherwise be swept into the workbook with the other notebooks' tables.
    for stale in ("mentoring_pasangan.csv", "mentoring_pasangan.xlsx"):
        (out_dir / "tables" / stale).unlink(missing_ok=True)
    for name, table in tables.items():
        save_table(table, name, out_dir)
    save_workbook(tables, out_dir, lang=lang)
    context = summary_context(inputs, recs, tables, manifest=manifest, simulated=simulated,
                              lang=lang, min_cell_size=min_cell_size,
                              mentor_capacity=mentor_capacity,
                              mentor_min_tenure=mentor_min_tenure,
                              processed_dir=processed_dir, output_dir=out_dir,
                              needs_per_unit=needs_per_unit,
                              cohort_threshold=cohort_threshold)
    path = out_dir / "summary.html"
    path.write_text(render_summary(context), encoding="utf-8")
    return path


def summary_context(inputs: Mapping[str, pd.DataFrame | None], recs: Mapping[str, Any],
                    tables: Mapping[str, pd.DataFrame], *,
                    processed_dir: str | os.PathLike[str], output_dir: str | os.PathLike[str],
                    manifest: dict | None = None, simulated: bool = False, lang: str = "id",
                    min_cell_size: int = 5, mentor_capacity: int = 3,
                    mentor_min_tenure: int = 5, needs_per_unit: int = 3,
                    l3_threshold: float = 3.0, cohort_threshold: float = 0.25) -> dict[str, Any]:
    """Everything the template shows: texts, HTML tables and embedded figures.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> ctx = summary_context({}, {"missing": {}}, {}, processed_dir=d, output_dir=d,
    ...                       simulated=True, lang="en")
    >>> ctx["simulated"], ctx["lang"]
    (True, 'en')

    """
    set_style()
    t = partial(label, lang=lang)
    folder = _display_path(processed_dir)

    def missing(table: str) -> str:
        return t("missing_input", table=table, folder=folder,
                 notebook=REPORT_INPUTS.get(table, "01-clean-raw-data"))

    def num(v: object, d: int = 2, pct: bool = False) -> str:
        return format_number(v, d, lang, percent=pct)

    ctx: dict[str, Any] = {"lang": lang, "t": t, "simulated": simulated, "findings": [],
                           "dash_note": t("dash_note", min_n=min_cell_size)}
    # headline IKM
    city = tables.get("ikm_kota")
    units = tables.get("ikm_unit_terkini")
    if city is not None and len(city) and pd.notna(city["ikm"].iloc[0]):
        row = city.iloc[0]
        ctx["findings"].append(t("finding_ikm", period=row["period"], ikm=num(row["ikm"]),
                                 mutu=row["mutu"], kinerja=kinerja(row["mutu"], lang=lang),
                                 low=num(row["ikm_ci_low"]), high=num(row["ikm_ci_high"]),
                                 n=num(row["n_responses"], 0)))
    if units is not None:
        period = units["period"].iloc[0] if len(units) else ""
        grades = units["mutu"].dropna().value_counts().sort_index()
        ctx["findings"].append(t("finding_grades", period=period, grades=", ".join(
            f"{code_label('mutu', g, lang)}: {n}" for g, n in grades.items())))
        ctx["ikm_table"] = html_table(units, lang, ["unit", "n_responses", "ikm", "ikm_ci_low",
                                                    "ikm_ci_high", "mutu", "sample_adequate"])
        ctx["ikm_figure"] = _figure(plot_ikm_units(units, lang), "summary_ikm_units",
                                    output_dir)
    else:
        ctx["ikm_missing"] = missing("ikm_unit_period")
    # effects
    effects = tables.get("efek_pelatihan")
    if effects is not None:
        show_truth = simulated and "truth" in effects.columns
        cols = ["outcome", "method", "estimand", "estimate", "ci_low", "ci_high"]
        effect = recs.get("effect")
        # Every IKM estimate (methods side by side, subgroups); for the other outcomes only
        # the method used for IKM, overall effect. The workbook has them all.
        shown = effects
        if effect is not None:
            main = (effects["method"].eq(effect["method"])
                    & effects["estimand"].astype("str").eq(str(effect.get("estimand", ""))))
            shown = effects[effects["outcome"].eq(effect["outcome"]) | main]
            shown = shown.assign(_first=shown["outcome"].ne(effect["outcome"])).sort_values(
                ["_first", "outcome"], kind="mergesort")
        ctx["effects_table"] = html_table(shown, lang, cols + (["truth"] if show_truth else []))
        # One axis, one scale: the figure shows the IKM estimates when there are any (the
        # table lists every outcome).
        on_ikm = effects[effects["outcome"].astype("str") == "ikm"]
        ctx["effects_figure"] = _figure(plot_effects(on_ikm if len(on_ikm) else effects, lang,
                                                     show_truth),
                                        "summary_effects", output_dir)
        ctx["show_truth"] = show_truth
        effect = recs.get("effect")
        if effect is not None:
            ctx["findings"].append(t("finding_effect", method=code_label(
                "method", effect["method"], lang), estimate=num(effect["estimate"]),
                low=num(effect["ci_low"]), high=num(effect["ci_high"])))
            if effect["ci_low"] <= 0 <= effect["ci_high"]:
                ctx["findings"].append(t("finding_effect_zero"))
            ctx["findings"].extend(_heterogeneity_findings(effects, effect, lang))
    else:
        ctx["effects_missing"] = missing("effects")
    # transfer
    transfer = tables.get("transfer_l3_unit")
    if transfer is not None:
        raw = recs["transfer"]
        share_city = raw["n_kesulitan"].sum() / raw["n_alumni"].sum()
        weak = transfer[transfer["transfer_lemah"].astype(bool)]
        ctx["findings"].append(t("finding_transfer", share=num(share_city, 0, True),
                                 n_units=len(weak)))
        ctx["transfer_table"] = html_table(
            weak.sort_values("share_kesulitan", ascending=False), lang,
            ["unit", "n_alumni", "l3_skor", "share_kesulitan", "ci_low", "ci_high"],
            formats={"ci_low": ("pct", 0), "ci_high": ("pct", 0)})
        ctx["transfer_figure"] = _figure(plot_transfer(transfer, lang), "summary_transfer",
                                         output_dir)
    else:
        ctx["transfer_missing"] = missing("evaluasi_pasca_pelatihan")
    if "tema_wawancara" in tables:
        ctx["themes_table"] = html_table(tables["tema_wawancara"], lang,
                                         ["tema", "n_informan_tema", "proporsi"])
    if "kutipan_wawancara" in tables:
        ctx["quotes"] = [(code_label("tema", r.tema, lang), r.kutipan)
                         for r in tables["kutipan_wawancara"].itertuples()]
    if "tema_wawancara" not in tables and "kutipan_wawancara" not in tables:
        ctx["interviews_missing"] = t("no_interviews")
    # recommendations
    ctx["priorities_intro"] = t("priorities_intro", target=num(cohort_threshold, 0, True))
    prio = tables.get("prioritas_unit")
    if prio is not None:
        ctx["priorities_table"] = html_table(prio.head(10), lang, [
            "peringkat", "unit", "ikm", "cakupan", "kesenjangan", "perkiraan_kenaikan",
            "ci_low", "ci_high"])
        ctx["priorities_figure"] = _figure(plot_priorities(prio, lang), "summary_priorities",
                                           output_dir)
    else:
        reason = "; ".join(recs["missing"].get("priorities", [])) or "effects"
        ctx["priorities_missing"] = t("priorities_unavailable", reason=missing(reason)
                                      if reason in REPORT_INPUTS else reason)
    needs = tables.get("kebutuhan_pelatihan")
    if needs is not None:
        order = (prio.set_index("unit")["peringkat"] if prio is not None else
                 pd.Series(dtype="float64"))
        shown = (needs[needs["peringkat"] <= needs_per_unit]
                 .assign(_o=lambda d: d["unit"].map(order))
                 .sort_values(["_o", "unit", "peringkat"], na_position="last"))
        # Compact view: the element gap with its interval in one cell; the unit's JP and
        # transfer evidence as shares (the full sentences are in the workbook's "bukti").
        shown["selisih_ik"] = [
            "" if pd.isna(d) else f"{num(d)} ({num(lo)}; {num(hi)})"
            for d, lo, hi in zip(shown["selisih"], shown["ci_low"], shown["ci_high"],
                                 strict=True)]
        ctx["needs_table"] = html_table(shown, lang, ["unit", "peringkat", "unsur", "topic",
                                                      "bentuk", "selisih_ik", "share_20jp",
                                                      "share_kesulitan"])
        ctx["needs_note"] = t("needs_top_note", k=needs_per_unit)
        ctx["gaps_figure"] = _figure(plot_element_gaps(tables["kesenjangan_unsur"], lang),
                                     "summary_element_gaps", output_dir)
    else:
        ctx["needs_missing"] = missing("skm")
    summary = tables.get("mentoring_ringkasan")
    if summary is not None:
        ctx["mentoring_table"] = html_table(summary, lang, [
            "unit", "n_mentee", "n_mentor_layak", "n_pasangan", "n_tanpa_mentor"])
        # City totals are published only when they do not reveal the hidden unit rows.
        full = recs["mentoring_summary"]
        hidden = summary["suppressed"]
        n_mentees = published_total(full["n_mentee"], hidden, min_cell_size)
        n_pairs = published_total(full["n_pasangan"], hidden, min_cell_size)
        ctx["findings"].append(t(
            "finding_needs", n_lines=len(needs) if needs is not None else 0,
            n_units=needs["unit"].nunique() if needs is not None else 0,
            n_mentees="–" if n_mentees is None else num(n_mentees, 0),
            n_pairs="–" if n_pairs is None else num(n_pairs, 0)))
    else:
        ctx["mentoring_missing"] = missing(
            (recs["missing"].get("mentoring") or ["evaluasi_pasca_pelatihan"])[0])
    ctx["mentoring_rule"] = t("mentoring_intro", l3=num(l3_threshold, 1), tenure=mentor_min_tenure,
                              k=mentor_capacity)
    # data quality
    if "kualitas_data" in tables:
        ctx["quality_table"] = html_table(tables["kualitas_data"], lang)
    else:
        ctx["quality_missing"] = t("no_manifest", folder=folder)
    if "karantina_jenis" in tables:
        ctx["quarantine_table"] = html_table(tables["karantina_jenis"], lang)
    # method appendix
    effect = recs.get("effect")
    effect_text = ("–" if effect is None else
                   f"{effect['outcome']} · {effect['method']} · {effect.get('estimand', '')}")
    ctx["methods"] = [t("method_ikm"), t("method_gaps"), t("method_jp"), t("method_transfer"),
                      t("method_interviews"), t("method_mentoring"),
                      t("method_priorities", effect=effect_text,
                        target=num(cohort_threshold, 0, True)),
                      t("method_suppression", min_n=min_cell_size), t("method_workbook")]
    if recs.get("periods"):
        ctx["methods"].insert(2, t("method_period", n=len(recs["periods"]),
                                   periods=", ".join(recs["periods"])))
    ctx["generated"] = t("report_generated", version=__version__, folder=folder)
    if manifest and manifest.get("inputs"):
        ctx["generated"] += " " + t("report_inputs", n=num(len(manifest["inputs"]), 0))
    return ctx


def render_summary(context: Mapping[str, Any]) -> str:
    """Render the report template (jinja2, autoescaped).

    The context comes from :func:`summary_context`.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()  # empty folders: every section says which notebook to run
    >>> html = render_summary(summary_context({}, {"missing": {}}, {}, processed_dir=d,
    ...                                       output_dir=d))
    >>> '<h2 id="sec-ikm">' in html
    True

    """
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    return env.from_string(SUMMARY_TEMPLATE).render(**{
        k: context.get(k) for k in _TEMPLATE_KEYS} | dict(context))


#: Context keys the template may use; absent ones render as empty sections.
_TEMPLATE_KEYS = (
    "ikm_table", "ikm_figure", "ikm_missing", "effects_table", "effects_figure",
    "effects_missing", "show_truth", "transfer_table", "transfer_figure", "transfer_missing",
    "themes_table", "quotes", "interviews_missing", "priorities_table", "priorities_figure",
    "priorities_missing", "priorities_intro", "needs_table", "needs_note", "gaps_figure",
    "needs_missing",
    "mentoring_table", "mentoring_missing", "quality_table", "quality_missing",
    "quarantine_table",
)

#: The report page. Inline CSS only: no script, no external font, image or link, so the one
#: file opens offline and shows the same everywhere.
SUMMARY_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t('report_title') }}</title>
<style>
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #1d1d1d;
       max-width: 60rem; margin: 0 auto; padding: 1.5rem; line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; color: #1f4e79; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 2px solid #1f4e79;
     padding-bottom: 0.2rem; color: #1f4e79; }
h3 { font-size: 1.1rem; margin-top: 1.5rem; }
.subtitle { color: #555; margin-top: 0; }
.notice { background: #fff4ce; border-left: 6px solid #e0a800; padding: 0.7rem 1rem;
          margin: 1rem 0; }
.missing { background: #f3f3f3; border-left: 6px solid #999; padding: 0.5rem 1rem; }
.findings li { margin-bottom: 0.35rem; }
nav ol { columns: 2; font-size: 0.92rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.82rem; margin: 0.6rem 0 1rem; }
th, td { border: 1px solid #d0d7de; padding: 0.25rem 0.45rem; vertical-align: top; }
th { background: #eaf1f8; text-align: left; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: #f8fafc; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
blockquote { margin: 0.5rem 0 0.8rem 1rem; padding-left: 0.8rem; border-left: 3px solid #91cf60;
             color: #333; font-style: italic; }
.theme { font-weight: bold; font-style: normal; display: block; font-size: 0.85rem; }
.note { font-size: 0.85rem; color: #555; }
footer { margin-top: 3rem; font-size: 0.8rem; color: #666; border-top: 1px solid #ddd;
         padding-top: 0.5rem; }
</style>
</head>
<body>
{#- a section's note on a missing input, then its figure (embedded PNG) -#}
{% macro evidence(missing, figure, alt) %}
{% if missing %}<p class="missing">{{ missing }}</p>
{% endif %}
{% if figure %}<figure><img src="{{ figure }}" alt="{{ alt }}"></figure>
{% endif %}
{% endmacro %}
<header>
<h1>{{ t('report_title') }}</h1>
<p class="subtitle">{{ t('report_subtitle') }}</p>
{% if simulated %}
<div class="notice" role="note"><strong>{{ t('simulated_notice_title') }}.</strong>
{{ t('simulated_notice') }}</div>
{% endif %}
</header>
<nav><strong>{{ t('contents') }}</strong><ol>
<li><a href="#sec-findings">{{ t('sec_key_findings') }}</a></li>
<li><a href="#sec-ikm">{{ t('sec_ikm') }}</a></li>
<li><a href="#sec-effects">{{ t('sec_effects') }}</a></li>
<li><a href="#sec-transfer">{{ t('sec_transfer') }}</a></li>
<li><a href="#sec-recommendations">{{ t('sec_recommendations') }}</a></li>
<li><a href="#sec-data-quality">{{ t('sec_data_quality') }}</a></li>
<li><a href="#sec-method">{{ t('sec_method') }}</a></li>
</ol></nav>
<main>
<h2 id="sec-findings">{{ t('sec_key_findings') }}</h2>
<ul class="findings">
{% for f in findings %}<li>{{ f }}</li>
{% endfor %}
</ul>

<h2 id="sec-ikm">{{ t('sec_ikm') }}</h2>
<p>{{ t('ikm_intro') }}</p>
{{ evidence(ikm_missing, ikm_figure, t('fig_ikm_units', period='')) }}
{% if ikm_table %}{{ ikm_table }}<p class="note">{{ dash_note }}</p>{% endif %}

<h2 id="sec-effects">{{ t('sec_effects') }}</h2>
<p>{{ t('effects_intro') }}</p>
{{ evidence(effects_missing, effects_figure, t('fig_effects')) }}
{% if effects_table %}{{ effects_table }}{% endif %}
{% if show_truth %}<p class="note">{{ t('effects_truth_note') }}</p>{% endif %}
<p class="notice">{{ t('effects_caveats') }}</p>

<h2 id="sec-transfer">{{ t('sec_transfer') }}</h2>
<p>{{ t('transfer_intro') }}</p>
{{ evidence(transfer_missing, transfer_figure, t('fig_transfer')) }}
{% if transfer_table %}{{ transfer_table }}{% endif %}
<p>{{ t('interview_intro') }}</p>
{% if interviews_missing %}<p class="missing">{{ interviews_missing }}</p>{% endif %}
{% if themes_table %}{{ themes_table }}{% endif %}
{% if quotes %}<h3>{{ t('quotes_heading') }}</h3>
{% for theme, text in quotes %}
<blockquote><span class="theme">{{ theme }}</span>“{{ text }}”</blockquote>
{% endfor %}{% endif %}

<h2 id="sec-recommendations">{{ t('sec_recommendations') }}</h2>
<h3 id="sec-priorities">{{ t('sec_priorities') }}</h3>
<p>{{ priorities_intro }}</p>
{{ evidence(priorities_missing, priorities_figure, t('fig_priorities')) }}
{% if priorities_table %}{{ priorities_table }}{% endif %}
<h3 id="sec-needs">{{ t('sec_needs') }}</h3>
<p>{{ t('needs_intro') }}</p>
{{ evidence(needs_missing, gaps_figure, t('fig_element_gaps')) }}
{% if needs_table %}<p class="note">{{ needs_note }}</p>{{ needs_table }}{% endif %}
<h3 id="sec-mentoring">{{ t('sec_mentoring') }}</h3>
<p>{{ mentoring_rule }}</p>
{% if mentoring_missing %}<p class="missing">{{ mentoring_missing }}</p>{% endif %}
{% if mentoring_table %}{{ mentoring_table }}
<p class="note">{{ t('mentoring_pseudonyms') }}</p>{% endif %}

<h2 id="sec-data-quality">{{ t('sec_data_quality') }}</h2>
<p>{{ t('data_quality_intro') }}</p>
{% if quality_missing %}<p class="missing">{{ quality_missing }}</p>{% endif %}
{% if quality_table %}{{ quality_table }}{% endif %}
{% if quarantine_table %}{{ quarantine_table }}{% endif %}
<p class="note">{{ dash_note }}</p>

<h2 id="sec-method">{{ t('sec_method') }}</h2>
<ul>
{% for m in methods %}<li>{{ m }}</li>
{% endfor %}
</ul>
</main>
<footer>{{ generated }}</footer>
</body>
</html>
"""


__all__ = [
    "COLUMN_FORMATS", "MENTORING_PLAN", "REPORT_INPUTS", "SUMMARY_TEMPLATE", "WHY_THEMES",
    "build_summary", "format_number", "html_table", "input_overview", "load_inputs",
    "read_manifest", "render_summary", "report_tables", "summary_context",
]
