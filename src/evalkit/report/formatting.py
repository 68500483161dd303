"""How numbers, codes and tables look in the report: language-aware numbers, HTML tables.

Every published table is shown with :func:`html_table`: headers from the label dictionary,
each column formatted by :data:`COLUMN_FORMATS` (numbers in the report's language, shares as
percentages, codes as their labels), every cell escaped.

Examples
--------
>>> format_number(1234.5, 1, "id")
'1.234,5'

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from markupsafe import Markup, escape

from evalkit.labels import Lang, column_titles, format_number, has_label, label, translate_codes

#: How each column is shown in the HTML report: ("num", decimals), ("pct", decimals),
#: ("int",), ("bool",) or ("code", label prefix). Columns not listed are shown as text.
COLUMN_FORMATS: dict[str, tuple] = {
    "ikm": ("num", 2), "ikm_ci_low": ("num", 2), "ikm_ci_high": ("num", 2),
    "n_responses": ("int",), "n": ("int",), "n_asn": ("int",), "n_alumni": ("int",),
    "n_menjawab": ("int",),
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


def interval_text(estimate: pd.Series, low: pd.Series, high: pd.Series,
                  lang: Lang = "id") -> pd.Series:
    """One cell per row: an estimate with its interval, ``"-0,13 (-0,21; -0,04)"``.

    Empty where the estimate is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> interval_text(pd.Series([-0.13, None]), pd.Series([-0.21, 0]), pd.Series([-0.04, 1]),
    ...               "en").tolist()
    ['-0.13 (-0.21; -0.04)', '']
    >>> interval_text(pd.Series([], dtype=float), pd.Series([], dtype=float),
    ...               pd.Series([], dtype=float)).tolist()
    []

    """
    def num(values: pd.Series) -> pd.Series:
        # text even when empty (mapping no values keeps the float dtype)
        return values.map(lambda v: format_number(v, 2, lang)).astype("str")

    text = num(estimate) + " (" + num(low) + "; " + num(high) + ")"
    return text.where(estimate.notna(), "").astype("str")


def _cell_text(values: pd.Series, fmt: tuple | None, lang: Lang) -> pd.Series:
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


def code_label_key(key: str, lang: Lang) -> str:
    """Return the label of a full key when it exists, else the key (catalog topics).

    Examples
    --------
    >>> code_label_key("topic_service_excellence", "en")
    'Service excellence'

    """
    return label(key, lang) if has_label(key) else key


def html_table(table: pd.DataFrame, lang: Lang = "id",
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


__all__ = ["COLUMN_FORMATS", "code_label_key", "format_number", "html_table", "interval_text"]
