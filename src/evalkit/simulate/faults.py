"""Injection of the faults real exports carry (data-contract.md, "Injected faults").

Every function changes only the rows it is given and returns the new values, so the caller
can count exactly what it injected. At most one fault is injected per raw row.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

#: Impossible day/month pairs for ``date_invalid`` (day-first, as the exports print dates).
_INVALID_DAY_MONTH = ((31, 2), (30, 2), (31, 4), (31, 6), (31, 9), (31, 11), (32, 1), (0, 5))

#: Date base format of every raw file (day-first).
DATE_FORMAT = "%d/%m/%Y"

EXCEL_EPOCH = np.datetime64("1899-12-30", "D")


class FaultCounter:
    """Counts injected faults as ``{table: {kind: n}}``, zeros kept for declared kinds."""

    def __init__(self) -> None:
        self.counts: dict[str, dict[str, int]] = defaultdict(dict)

    def declare(self, table: str, kinds: list[str]) -> None:
        """Make ``kinds`` appear for ``table`` even when none is injected (count 0)."""
        for kind in kinds:
            self.counts[table].setdefault(kind, 0)

    def add(self, table: str, kind: str, n: int) -> None:
        """Add ``n`` injected faults of ``kind`` in ``table``."""
        self.counts[table][kind] = self.counts[table].get(kind, 0) + int(n)

    def as_dict(self) -> dict[str, dict[str, int]]:
        """Counts with tables and kinds sorted (as written to truth.json)."""
        return {t: dict(sorted(k.items())) for t, k in sorted(self.counts.items())}


def draw_kinds(n: int, rates: dict[str, float], rng: np.random.Generator) -> np.ndarray:
    """One categorical draw per row: the fault kind, or ``""`` for a clean row."""
    kinds = list(rates)
    probs = np.array([rates[k] for k in kinds], dtype=float)
    if probs.sum() >= 1:
        raise ValueError(f"fault rates sum to {probs.sum():.3f}; they must stay below 1")
    labels = np.array([""] + kinds, dtype=object)
    return labels[rng.choice(len(labels), size=n, p=np.r_[1 - probs.sum(), probs])]


def format_dates(days: np.ndarray, fmt: str = DATE_FORMAT) -> np.ndarray:
    """Day numbers (datetime64[D]) to strings; NaT becomes ``""``."""
    out = pd.DatetimeIndex(days.astype("datetime64[s]")).strftime(fmt)
    return np.asarray(out.fillna(""), dtype=object)


def nip_spaced(nips: np.ndarray) -> np.ndarray:
    """``197807172010012012`` -> ``19780717 201001 2 012`` (the printed form)."""
    s = pd.Series(nips, dtype=str)
    return (s.str[:8] + " " + s.str[8:14] + " " + s.str[14] + " " + s.str[15:]).to_numpy(object)


def nip_float_text(nips: np.ndarray) -> np.ndarray:
    """The text a spreadsheet shows for a NIP stored as a number: ``1.97807172010012E+17``."""
    return np.array([f"{float(v):.14E}" for v in nips], dtype=object)


def nip_float_value(nips: np.ndarray) -> np.ndarray:
    """The float a spreadsheet keeps (15 significant digits): the last digits are lost."""
    return np.array([float(f"{float(v):.15g}") for v in nips], dtype=object)


def nip_invalid(nips: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Break a NIP in one of four documented ways (length, birth month, sex digit, serial)."""
    s = pd.Series(nips, dtype=str).to_numpy(object)
    how = rng.integers(0, 4, size=len(s))
    out = s.copy()
    for i, (v, h) in enumerate(zip(s, how)):  # a handful of rows: a loop is clearer here
        if h == 0:
            out[i] = v[:-1]                           # 17 digits
        elif h == 1:
            out[i] = v[:4] + "13" + v[6:]             # birth month 13
        elif h == 2:
            out[i] = v[:14] + "3" + v[15:]            # sex digit 3
        else:
            out[i] = v[:15] + "000"                   # serial 000
    return out


def date_invalid(days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An impossible day-first date in the same year, e.g. ``31/02/2024``."""
    years = pd.DatetimeIndex(days.astype("datetime64[s]")).year.to_numpy()
    pick = rng.integers(0, len(_INVALID_DAY_MONTH), size=len(years))
    return np.array([f"{_INVALID_DAY_MONTH[p][0]:02d}/{_INVALID_DAY_MONTH[p][1]:02d}/{y}"
                     for p, y in zip(pick, years)], dtype=object)


def date_mixed(days: np.ndarray, rng: np.random.Generator, *, serial_as_number: bool
               ) -> np.ndarray:
    """The same date in another format: ``27-11-2026``, ``2026-11-27`` or an Excel serial."""
    how = rng.integers(0, 3, size=len(days))
    dash = format_dates(days, "%d-%m-%Y")
    iso = format_dates(days, "%Y-%m-%d")
    serial = (days.astype("datetime64[D]") - EXCEL_EPOCH).astype(int)
    out = np.empty(len(days), dtype=object)
    out[how == 0] = dash[how == 0]
    out[how == 1] = iso[how == 1]
    out[how == 2] = [int(v) if serial_as_number else str(int(v)) for v in serial[how == 2]]
    return out


def _fault_in_one_column(out: pd.DataFrame, rows: np.ndarray, columns: list[str],
                         rng: np.random.Generator, make_values) -> None:
    """Give each faulty row its fault in one of ``columns``, picked at random.

    ``make_values(column, rows)`` returns the faulty values for those rows of that column.
    """
    col_pick = rng.integers(0, len(columns), size=len(rows))
    for c, col in enumerate(columns):
        r = rows[col_pick == c]
        if len(r):
            out.iloc[r, out.columns.get_loc(col)] = make_values(col, r)


def inject_record_faults(frame: pd.DataFrame, table: str, *, nip_cols: list[str],
                         date_cols: list[str], date_days: dict[str, np.ndarray],
                         rates: dict[str, float], rng: np.random.Generator,
                         counter: FaultCounter, xlsx: bool = False) -> pd.DataFrame:
    """Inject NIP, date and training faults into a personnel-type table.

    ``frame`` holds clean NIP strings and dates already formatted day-first; ``date_days``
    the same dates as datetime64[D] (to build other formats). Returns a new frame whose
    NIP and date columns are of object dtype.
    """
    out = frame.copy()
    for col in nip_cols + date_cols:
        out[col] = out[col].astype(object)
    kinds = draw_kinds(len(out), rates, rng)
    counter.declare(table, list(rates))
    for kind in rates:
        rows = np.flatnonzero(kinds == kind)
        counter.add(table, kind, len(rows))
        if len(rows) == 0:
            continue
        if kind.startswith("nip_"):
            def faulty_nip(col: str, r: np.ndarray, kind: str = kind) -> np.ndarray:
                clean = out[col].to_numpy(object)[r]
                if kind == "nip_spaces":
                    return nip_spaced(clean)
                if kind == "nip_invalid":
                    return nip_invalid(clean, rng)
                return nip_float_value(clean) if xlsx else nip_float_text(clean)
            _fault_in_one_column(out, rows, nip_cols, rng, faulty_nip)
        elif kind.startswith("date_"):
            def faulty_date(col: str, r: np.ndarray, kind: str = kind) -> np.ndarray:
                d = date_days[col][r]
                return (date_invalid(d, rng) if kind == "date_invalid"
                        else date_mixed(d, rng, serial_as_number=xlsx))
            _fault_in_one_column(out, rows, date_cols, rng, faulty_date)
        elif kind == "training_end_before_start":
            start = date_days["Tanggal Mulai"][rows]
            end = start - rng.integers(1, 31, size=len(rows)).astype("timedelta64[D]")
            out.iloc[rows, out.columns.get_loc("Tanggal Selesai")] = format_dates(end)
        elif kind == "jp_out_of_range":
            bad = rng.choice(np.array([240, 300, 450, 999, -8, -16]), size=len(rows))
            out.iloc[rows, out.columns.get_loc("JP")] = bad
        else:  # pragma: no cover - guarded by the caller's rates
            raise ValueError(f"unknown fault kind {kind!r} for {table}")
    return out
