"""The long SKM layout: one row per answer, as e-SKM web apps store it.

Columns (documented names; map others in sources.yaml): ``Responden``, ``Pertanyaan``,
``Jawaban``, ``Timestamp``, optionally ``ID Respons``, ``Unit Layanan`` and the profile
columns. Answers are grouped into responses by ``ID Respons`` when given, else by respondent
(and unit) and calendar day; within a group, taken in time order, a second answer to an
element starts a new response (a double submission: 18 answers in one day make two). A
response's k-th answer to an element belongs to its k-th response or a later one, which
splits every common case exactly; an answer that would still repeat an element of its
response is dropped and counted (``answers_repeated`` in the manifest).

Question ids ``U1``…``U9`` and ``1``…``9`` follow the regulation's order (8 = pengaduan,
9 = sarana) unless ``questions:`` says otherwise; question texts map through
``config/skm_questions.yaml``; a question named like a profile column (``Jenis Kelamin``,
``Umur``: profiles stored as answers) fills that column; other questions (``u10``…) are
ignored and listed. The result is the wide table the SKM reader checks and scores, one row
per response, its ``_row`` the data row of the response's first answer.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa

from ._io import ROW, RawFileError, norm_header
from ._parse import parse_dates_dayfirst, per_unique
from ._sheets import read_table_text
from .skm import (
    PERIOD_COLUMN,
    PROFILE_COLUMNS,
    UNSUR,
    SkmQuestions,
    _few_distinct_values,
    element_of_column,
)

_ANSWER = "Jawaban"


def _slots(questions_asked: pd.Series, questions: SkmQuestions, spec
           ) -> tuple[pd.Series, list[str]]:
    """Each answer row's slot: an element u1…u9, a profile column, or missing (ignored)."""
    profile = {norm_header(c): c for c in PROFILE_COLUMNS}
    ignored: list[str] = []

    def slot(texts: pd.Series) -> pd.Series:
        out = []
        for text in texts:  # distinct question ids of a file: a handful
            element, _ = element_of_column(str(text), questions, spec.questions)
            column = profile.get(norm_header(text))
            if element is None and column is None:
                ignored.append(str(text))
            out.append(element or column)
        return pd.Series(out, index=texts.index, dtype="str")

    return per_unique(questions_asked, slot), ignored


def read_long(path: Path, questions: SkmQuestions, spec) -> tuple[pa.Table, list[int], dict]:
    """One long export → the wide Arrow table of :func:`~evalkit.ingest.skm._read_one`.

    Returns the table, the malformed answer rows (each counted as one record and
    quarantined) and ``{"records", "blank_skipped", "answers_in", "columns_absent",
    "columns_ignored", "questions_ignored"}``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from evalkit.ingest.skm import load_questions
    >>> from evalkit.ingest.sources import SourceSpec
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "jawaban.csv"
    >>> rows = [f"r1,U{i},{'abcd'[i % 4]},05/02/2024 09:00:{i:02d}" for i in range(1, 10)]
    >>> _ = p.write_text("Responden,Pertanyaan,Jawaban,Timestamp\\n" + "\\n".join(
    ...     rows + [r.replace("09:00", "14:00") for r in rows]) + "\\n")
    >>> spec = SourceSpec("skm", "*.csv", layout="long", unit="MPP")
    >>> table, bad, info = read_long(p, load_questions(), spec)
    >>> table.num_rows, table.column("u1").to_pylist(), info["answers_in"]
    (2, ['b', 'b'], 18)

    """
    constant_unit = spec.unit
    required = ["Pertanyaan", _ANSWER, "Timestamp"] + ([] if constant_unit else
                                                       ["Unit Layanan"])
    frame, bad, info = read_table_text(path, required, what="SKM survey export (long layout)",
                                       sheet=spec.sheet, rename=spec.column_map())
    has_id = "ID Respons" in frame.columns
    if not has_id and "Responden" not in frame.columns:
        raise RawFileError(path, "a long SKM export needs a Responden (respondent) or an ID "
                                 "Respons (submission) column to group answers into responses",
                           "map the export's respondent or submission id column under skm: "
                           "columns: in sources.yaml")
    if constant_unit:
        frame["Unit Layanan"] = constant_unit
    slot, ignored = _slots(frame["Pertanyaan"], questions, spec)
    asked = set(slot.dropna().unique())
    missing = [u for u in UNSUR if u not in asked]
    if missing:
        raise RawFileError(path, "no answers to " + ", ".join(
            f"{u} ({questions.names[u]})" for u in missing)
            + (f"; questions not recognised: {', '.join(map(repr, ignored))}" if ignored
               else ""),
            f"map the question ids under skm: questions: in sources.yaml, or add the texts "
            f"to {questions.source}")
    stamp = parse_dates_dayfirst(frame["Timestamp"])
    # the group of answers one visit gave: a submission id, else respondent (+ unit) and day
    day = stamp.dt.strftime("%Y-%m-%d").fillna(frame["Timestamp"].astype("str"))
    parts = [frame["Unit Layanan"].astype("str").fillna("")]
    by_person = frame["Responden"].astype("str") + "|" + day if "Responden" in frame \
        else pd.Series(pd.NA, index=frame.index, dtype="str")
    if has_id:
        by_person = frame["ID Respons"].astype("str").fillna("#" + by_person)
    parts.append(by_person.fillna("row" + frame[ROW].astype("str")))
    group = pd.factorize(parts[0] + "||" + parts[1])[0]
    order = pd.DataFrame({"group": group, "stamp": stamp, "row": frame[ROW],
                          "slot": slot.fillna("_ignored")}).sort_values(
        ["group", "stamp", "row"], kind="stable", na_position="last")
    nth = order.groupby(["group", "slot"], sort=False).cumcount()
    order["response"] = nth.groupby(order["group"], sort=False).cummax()
    key = pd.factorize(order["group"].astype("str") + "-" + order["response"].astype("str"))[0]
    order["key"] = key
    sorted_frame = frame.loc[order.index]
    first_row = order.groupby("key")["row"].min()
    first = sorted_frame.assign(_key=key).groupby("_key", sort=True)
    wide = pd.DataFrame({ROW: first_row.to_numpy()}, index=first_row.index)
    wide["Timestamp"] = first["Timestamp"].first()
    present_profile = [c for c in PROFILE_COLUMNS if c in frame.columns and c != "Timestamp"]
    for column in present_profile:
        wide[column] = first[column].first()
    answers = pd.DataFrame({"key": key, "slot": order["slot"].to_numpy(),
                            "value": sorted_frame[_ANSWER].to_numpy()})
    answers = answers[answers["slot"] != "_ignored"]
    repeated = answers.duplicated(["key", "slot"], keep="first")
    spread = answers[~repeated].pivot(index="key", columns="slot", values="value")
    wide = wide.join(spread.drop(columns=[c for c in spread.columns if c in wide.columns]))
    wide = wide.sort_values(ROW, kind="stable")
    absent = [c for c in PROFILE_COLUMNS if c not in wide.columns]
    columns = {}
    # the long layout dates every answer (Timestamp is required): no period column
    for name in [*PROFILE_COLUMNS, PERIOD_COLUMN, *UNSUR]:
        values = (wide[name] if name in wide.columns and name != PERIOD_COLUMN
                  else pd.Series(None, index=wide.index, dtype="str"))
        array = pa.array(values.astype("str").to_numpy(dtype=object, na_value=None),
                         pa.large_string())
        columns[name] = array.dictionary_encode() if _few_distinct_values(name) else array
    columns[ROW] = pa.array(wide[ROW].to_numpy(dtype="int64"), pa.int64())
    used = {"ID Respons", "Responden", "Pertanyaan", _ANSWER, *PROFILE_COLUMNS, ROW}
    blank = int(info.get("rows_blank", 0))
    return pa.table(columns), bad, {
        "records": len(wide) + len(bad) + blank, "blank_skipped": blank,
        "answers_in": len(frame) + len(bad), "answers_repeated": int(repeated.sum()),
        "columns_absent": [c for c in absent if c not in ("Timestamp",)],
        "columns_ignored": [c for c in frame.columns if c not in used],
        "questions_ignored": sorted(set(ignored)),
    }


__all__ = ["read_long"]
