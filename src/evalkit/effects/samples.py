"""The person samples of notebook 04: SKP person-years and level-3 evaluations.

Each sample keeps the rows that can be used and says, by reason, how many it left out
(``attrs["dropped_by_reason"]``; :func:`dropped_table`). Person covariates are the
pre-treatment characteristics of the propensity models.

Examples
--------
>>> import pandas as pd
>>> varying_columns(pd.DataFrame({"a": [1, 2], "b": [0, 0]}), ["a", "b"])
['a']

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from evalkit.schemas import PREDIKAT
from evalkit.training import SERVICE_COURSE, l3_score

#: Education levels accepted by ``read_pegawai`` (evalkit.ingest.readers), lowest first,
#: as an ordinal index.
PENDIDIKAN_ORDER = {"SD": 1, "SMP": 2, "SMA": 3, "D1": 4, "D2": 5, "D3": 6, "D4/S1": 7,
                    "S2": 8, "S3": 9}

#: Person covariates used by the individual-level propensity models (pre-treatment). Staff
#: whose education is not recorded keep their row: ``pendidikan_level`` 0 and the indicator
#: ``pendidikan_tidak_diketahui`` 1 (the indicator's coefficient absorbs the placeholder).
PERSON_COVARIATES = ["umur", "masa_kerja", "pendidikan_level", "pendidikan_tidak_diketahui",
                     "perempuan", "pppk", "fungsional", "struktural"]

#: Ratings of the level-3 outcome of the person sample: supervisor and colleague. The
#: alumnus' self-report is deliberately left out (self-ratings run high).
L3_OUTCOME_RATERS: tuple[str, ...] = ("skor_atasan", "skor_rekan")

#: Why rows of the SKP sample are left out, in the order they are checked (first one wins).
SKP_DROP_REASONS = ("first SKP year in the data (no earlier rating)",
                    "no SKP the year before", "predikat missing", "not in the roster",
                    "birth or appointment year missing")
#: Why rows of the level-3 sample are left out, in the order they are checked.
L3_DROP_REASONS = ("no supervisor or colleague score", "not in the roster",
                   "birth or appointment year missing")


def person_covariates(pegawai: pd.DataFrame, year: pd.Series | int) -> pd.DataFrame:
    """Numeric covariates of each ASN (``pid`` kept) for the propensity models.

    ``umur`` and ``masa_kerja`` are counted at ``year`` (a column aligned with ``pegawai``
    or one year for all). ``pendidikan`` is mapped by :data:`PENDIDIKAN_ORDER`; a missing
    or unknown value gives level 0 and ``pendidikan_tidak_diketahui`` 1 instead of a
    missing covariate, so the person is not dropped.

    Examples
    --------
    >>> p = pd.DataFrame({"pid": ["a", "b"], "tahun_lahir": [1980, 1990],
    ...                   "tahun_pengangkatan": [2005, 2015], "pendidikan": ["SMP", None],
    ...                   "jenis_kelamin": "P", "jenis_asn": "PNS", "jenis_jabatan": "Pelaksana"})
    >>> covs = person_covariates(p, 2024)
    >>> covs[["pendidikan_level", "pendidikan_tidak_diketahui"]].values.tolist()
    [[2.0, 0.0], [0.0, 1.0]]

    """
    out = pd.DataFrame({"pid": pegawai["pid"]})
    out["umur"] = (year - pegawai["tahun_lahir"]).astype("Float64").astype(float)
    out["masa_kerja"] = (year - pegawai["tahun_pengangkatan"]).astype("Float64").astype(float)
    level = pegawai["pendidikan"].map(PENDIDIKAN_ORDER).astype(float)
    out["pendidikan_level"] = level.fillna(0.0)
    out["pendidikan_tidak_diketahui"] = level.isna().astype(float)
    out["perempuan"] = (pegawai["jenis_kelamin"] == "P").astype(float)
    out["pppk"] = (pegawai["jenis_asn"] == "PPPK").astype(float)
    out["fungsional"] = (pegawai["jenis_jabatan"] == "Fungsional").astype(float)
    out["struktural"] = (pegawai["jenis_jabatan"] == "Struktural").astype(float)
    return out


def _first_completion(pelatihan: pd.DataFrame, course: str) -> pd.Series:
    done = pelatihan[pelatihan["nama_pelatihan"] == course]
    return done.groupby("pid")["tanggal_selesai"].min()


def _drop_reason(conditions: Sequence[pd.Series], reasons: Sequence[str]) -> pd.Series:
    """Return the first reason whose condition holds for each row (missing where none)."""
    reason = np.select([np.asarray(c, dtype=bool) for c in conditions], list(reasons),
                       default="")
    return pd.Series(reason, index=conditions[0].index).replace("", np.nan)


def _attach_drops(out: pd.DataFrame, reason: pd.Series, reasons: Sequence[str]) -> None:
    counts = reason.value_counts()
    out.attrs["dropped_by_reason"] = {r: int(counts.get(r, 0)) for r in reasons}
    out.attrs["dropped"] = int(reason.notna().sum())


def _with_roster(frame: pd.DataFrame, pegawai: pd.DataFrame) -> pd.DataFrame:
    """Person covariates at the row's ``tahun`` and ``__in_roster`` (merge indicator)."""
    roster = pegawai.drop_duplicates("pid")
    covs = person_covariates(roster, 0).drop(columns=["umur", "masa_kerja"])
    covs = covs.merge(roster[["pid", "tahun_lahir", "tahun_pengangkatan"]], on="pid")
    frame = frame.merge(covs.assign(__in_roster=True), on="pid", how="left")
    frame["__in_roster"] = frame["__in_roster"].fillna(False).astype(bool)
    frame["umur"] = (frame["tahun"] - frame["tahun_lahir"]).astype("Float64").astype(float)
    frame["masa_kerja"] = (frame["tahun"] - frame["tahun_pengangkatan"]).astype(
        "Float64").astype(float)
    return frame


def skp_training_sample(skp: pd.DataFrame, pelatihan: pd.DataFrame, pegawai: pd.DataFrame,
                        course: str = SERVICE_COURSE) -> pd.DataFrame:
    """Person-years at risk of completing ``course``, with last year's SKP as a covariate.

    One row per ASN and year (from the second SKP year on) for staff who had not completed
    the course before that year: ``treat`` = 1 if they completed it during the year. The
    outcome ``predikat`` (ordered) and ``predikat_skor`` (1–5) are this year's, with
    ``baik_atau_lebih`` (1 if Baik or Sangat Baik); the previous year's score
    ``predikat_lalu`` proxies for motivation and ability, which also drive who volunteers
    for training. ``unit_tahun`` keys the unit-year within which grades are curve-ranked.

    Rows that cannot be used are left out with a reason (:data:`SKP_DROP_REASONS`):
    ``attrs["dropped"]`` is their number and ``attrs["dropped_by_reason"]`` the count by
    reason (see :func:`dropped_table`). Staff already trained before the year are not at
    risk and are not counted as dropped.

    Examples
    --------
    >>> roster = pd.DataFrame({"pid": ["a"], "unit": "U", "jenis_jabatan": "Pelaksana",
    ...     "pendidikan": "SMA", "jenis_kelamin": "L", "jenis_asn": "PNS",
    ...     "tahun_lahir": 1980, "tahun_pengangkatan": 2005})
    >>> skp = pd.DataFrame({"pid": "a", "unit": "U", "tahun": [2023, 2024],
    ...                     "predikat": ["Baik", "Sangat Baik"]})
    >>> done = pd.DataFrame({"pid": ["a"], "nama_pelatihan": SERVICE_COURSE,
    ...                      "tanggal_selesai": pd.to_datetime(["2024-05-01"])})
    >>> skp_training_sample(skp, done, roster)[["tahun", "treat", "predikat_lalu"]].values.tolist()
    [[2024.0, 1.0, 4.0]]

    """
    first = _first_completion(pelatihan, course)
    frame = skp[["pid", "unit", "tahun", "predikat"]].copy()
    frame["tahun"] = frame["tahun"].astype(int)
    frame["predikat"] = pd.Categorical(frame["predikat"].astype(str),
                                       categories=list(PREDIKAT), ordered=True)
    codes = frame["predikat"].cat.codes.astype(float)
    frame["predikat_skor"] = codes.where(codes >= 0) + 1  # code -1 = missing, not grade 0
    frame["baik_atau_lebih"] = (frame["predikat_skor"] >= 4).astype(float).where(
        frame["predikat_skor"].notna())
    previous = frame[["pid", "tahun", "predikat_skor"]].rename(
        columns={"predikat_skor": "predikat_lalu"}).assign(tahun=lambda d: d["tahun"] + 1)
    frame = frame.merge(previous, on=["pid", "tahun"], how="left")
    done = frame["pid"].map(first)
    start = pd.to_datetime(frame["tahun"].astype(str) + "-01-01")
    end = pd.to_datetime(frame["tahun"].astype(str) + "-12-31")
    at_risk = done.isna() | (done >= start)
    frame["treat"] = (done.notna() & (done >= start) & (done <= end)).astype(float)
    frame = _with_roster(frame[at_risk], pegawai)
    frame["unit_tahun"] = frame["unit"].astype(str) + " " + frame["tahun"].astype(str)
    reason = _drop_reason([
        frame["tahun"] == frame["tahun"].min(),
        frame["predikat_lalu"].isna(),
        frame["predikat_skor"].isna(),
        ~frame["__in_roster"],
        frame[["umur", "masa_kerja"]].isna().any(axis=1),
    ], SKP_DROP_REASONS)
    keep = reason.isna()
    out = frame.loc[keep, ["pid", "unit", "tahun", "unit_tahun", "treat", "predikat",
                           "predikat_skor", "baik_atau_lebih", "predikat_lalu",
                           *PERSON_COVARIATES]].reset_index(drop=True)
    _attach_drops(out, reason, SKP_DROP_REASONS)
    return out


def l3_training_sample(evaluasi: pd.DataFrame, pegawai: pd.DataFrame,
                       course: str = SERVICE_COURSE) -> pd.DataFrame:
    """Level-3 evaluations: alumni of ``course`` (``treat`` 1) against alumni of other courses.

    The outcome ``l3_score`` is :func:`evalkit.training.l3_score` over the supervisor's and
    the colleague's application scores (:data:`L3_OUTCOME_RATERS`): this study deliberately
    leaves out the alumnus' self-report, because self-ratings run high and the alumni who
    rate themselves are the ones being compared. Covariates are the alumnus'
    characteristics in the evaluation year. Rows that cannot be used are left out with a
    reason (:data:`L3_DROP_REASONS`; ``attrs["dropped"]`` and ``attrs["dropped_by_reason"]``,
    see :func:`dropped_table`).

    Examples
    --------
    >>> roster = pd.DataFrame({"pid": ["a", "b"], "unit": "U", "jenis_jabatan": "Pelaksana",
    ...     "pendidikan": "SMA", "jenis_kelamin": "L", "jenis_asn": "PNS",
    ...     "tahun_lahir": 1980, "tahun_pengangkatan": 2005})
    >>> ev = pd.DataFrame({"pid": ["a", "b"], "unit": "U",
    ...     "nama_pelatihan": [SERVICE_COURSE, "Coaching Kinerja Pegawai"],
    ...     "tanggal_evaluasi": pd.to_datetime(["2024-06-01", "2024-07-01"]),
    ...     "skor_alumni": 5.0, "skor_atasan": [4.0, 3.0], "skor_rekan": [3.0, None],
    ...     "kesulitan_penerapan": False})
    >>> l3_training_sample(ev, roster)[["treat", "l3_score"]].values.tolist()
    [[1.0, 3.5], [0.0, 3.0]]

    """
    frame = evaluasi[["pid", "unit", "nama_pelatihan", "tanggal_evaluasi", "skor_atasan",
                      "skor_rekan", "kesulitan_penerapan"]].copy()
    frame["treat"] = (frame["nama_pelatihan"] == course).astype(float)
    frame["l3_score"] = l3_score(frame, raters=L3_OUTCOME_RATERS)
    frame["tahun"] = frame["tanggal_evaluasi"].dt.year
    frame = _with_roster(frame, pegawai)
    frame["kesulitan_penerapan"] = frame["kesulitan_penerapan"].astype("boolean")
    reason = _drop_reason([
        frame["l3_score"].isna(),
        ~frame["__in_roster"],
        frame[["umur", "masa_kerja"]].isna().any(axis=1),
    ], L3_DROP_REASONS)
    keep = reason.isna()
    out = frame.loc[keep, ["pid", "unit", "tahun", "nama_pelatihan", "treat", "l3_score",
                           "kesulitan_penerapan", *PERSON_COVARIATES]]
    out = out.reset_index(drop=True)
    _attach_drops(out, reason, L3_DROP_REASONS)
    return out


def dropped_table(samples: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows left out of each sample, by reason (from ``attrs["dropped_by_reason"]``).

    Parameters
    ----------
    samples : mapping of label → sample
        Frames from :func:`skp_training_sample` / :func:`l3_training_sample`.

    Returns
    -------
    pandas.DataFrame
        ``sample``, ``reason``, ``rows`` (every reason listed, zeros included), then one
        ``total left out`` row and one ``kept`` row per sample.

    Examples
    --------
    >>> s = pd.DataFrame({"x": [1, 2]})
    >>> s.attrs["dropped_by_reason"] = {"no score": 3, "not in the roster": 0}
    >>> dropped_table({"L3": s})["rows"].tolist()
    [3, 0, 3, 2]

    """
    rows = []
    for label, sample in samples.items():  # one entry per sample (two)
        by_reason = sample.attrs.get("dropped_by_reason", {})
        rows += [{"sample": label, "reason": r, "rows": int(n)} for r, n in by_reason.items()]
        rows.append({"sample": label, "reason": "total left out",
                     "rows": int(sum(by_reason.values()))})
        rows.append({"sample": label, "reason": "kept", "rows": len(sample)})
    return pd.DataFrame(rows, columns=["sample", "reason", "rows"])


def varying_columns(data: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    """Return the ``columns`` that take more than one value in ``data`` (order kept).

    A constant covariate (e.g. the missing-education indicator when every education is
    recorded) would make the logit and ordered-logit designs singular.

    Examples
    --------
    >>> varying_columns(pd.DataFrame({"a": [1, 2], "b": [0, 0]}), ["a", "b"])
    ['a']

    """
    return [c for c in columns if data[c].nunique(dropna=True) > 1]


def cells_with_both_groups(sample: pd.DataFrame, cell: str = "unit_tahun",
                           treat: str = "treat") -> pd.DataFrame:
    """Rows of the cells (e.g. unit-years) that hold both treated and untrained rows.

    With cell dummies in a propensity model, a cell without any treated row has a score of
    0 (perfect separation) and adds nothing to an effect on the treated; a cell without
    controls has no comparison. Comparing within cells is exact matching on the cell.
    ``attrs["cells_left_out"]`` and ``attrs["rows_left_out"]`` count what was removed.

    Examples
    --------
    >>> s = pd.DataFrame({"unit_tahun": ["A", "A", "B"], "treat": [1.0, 0, 0]})
    >>> cells_with_both_groups(s)["unit_tahun"].tolist()
    ['A', 'A']

    """
    share = sample.groupby(cell)[treat].transform("mean")
    keep = (share > 0) & (share < 1)
    out = sample[keep].copy()
    out.attrs["cells_left_out"] = int(sample.loc[~keep, cell].nunique())
    out.attrs["rows_left_out"] = int((~keep).sum())
    return out


__all__ = ["L3_DROP_REASONS", "L3_OUTCOME_RATERS", "PENDIDIKAN_ORDER", "PERSON_COVARIATES",
           "SKP_DROP_REASONS", "cells_with_both_groups", "dropped_table",
           "l3_training_sample", "person_covariates", "skp_training_sample",
           "varying_columns"]
