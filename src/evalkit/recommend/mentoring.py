"""Who should mentor whom? Mentees, eligible mentors and the assignment of pairs.

Where training did not transfer (the alumnus reports difficulty applying it or scores low at
level 3), :func:`select_mentees` lists the people to support and :func:`eligible_mentors`
the experienced colleagues who can; :func:`assign_mentors` solves the assignment problem
(:func:`solve_assignment`) on the suitability of each pair (:func:`pair_scores`), unit by
unit. :func:`mentoring_summary` counts the plan per unit, :func:`eligibility_overview` says
why staff cannot mentor, and :func:`check_mentoring_plan` checks the plan against every rule.

Examples
--------
>>> import numpy as np
>>> rows, cols = solve_assignment(np.array([[2.0, 1.0]]), np.array([[True, True]]), 1)
>>> rows.tolist(), cols.tolist()
([0], [0])

"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from evalkit.training import l3_score

#: SKP predikat good enough for a mentor (PermenPAN-RB 6/2022: Baik or better).
MENTOR_PREDIKAT: tuple[str, ...] = ("Baik", "Sangat Baik")


def solve_assignment(score: np.ndarray, allowed: np.ndarray,
                     capacity: int | Sequence[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Match mentees (rows) to mentors (columns), each mentor taking at most its capacity.

    Objective, lexicographic: first the largest number of matched mentees, then the largest
    total ``score`` of the pairs. Each mentee gets at most one mentor, only ``allowed`` pairs
    are formed. Solved exactly with :func:`scipy.optimize.linear_sum_assignment` on a matrix
    in which each mentor's column is repeated ``capacity`` times (one column per free place);
    a forbidden pair costs more than any possible gain, so the solver uses one only when
    nothing allowed is left, and such pairs are dropped from the result.

    Parameters
    ----------
    score : ndarray, shape (n_mentees, n_mentors)
        Suitability of each pair (higher is better).
    allowed : ndarray of bool, same shape
        Which pairs the rule permits.
    capacity : int or array of int (one per mentor)
        Maximum number of mentees per mentor.

    Returns
    -------
    (mentee_index, mentor_index) : tuple of int arrays
        The pairs formed, sorted by mentee.

    Examples
    --------
    >>> import numpy as np
    >>> s = np.array([[3.0, 1.0], [2.0, 1.0], [1.0, 1.0]])
    >>> ok = np.array([[True, True], [True, False], [True, True]])
    >>> rows, cols = solve_assignment(s, ok, capacity=1)
    >>> rows.tolist(), cols.tolist()  # 3 + 1 beats 2 + 1: mentee 1 (only mentor 0) waits
    ([0, 2], [0, 1])

    """
    score = np.asarray(score, dtype="float64")
    allowed = np.asarray(allowed, dtype=bool)
    if score.shape != allowed.shape or score.ndim != 2:
        raise ValueError(f"solve_assignment: score {score.shape} and allowed {allowed.shape} "
                         "must be matrices of the same shape (mentees × mentors).")
    n_rows, n_cols = score.shape
    caps = np.broadcast_to(np.asarray(capacity, dtype=int), (n_cols,))
    if (caps < 0).any():
        raise ValueError("solve_assignment: capacity must be 0 or more for every mentor.")
    empty = (np.array([], dtype=int), np.array([], dtype=int))
    if n_rows == 0 or caps.sum() == 0 or not allowed.any():
        return empty
    column_owner = np.repeat(np.arange(n_cols), caps)
    if not np.isfinite(score[allowed]).all():
        raise ValueError("solve_assignment: scores of allowed pairs must be finite.")
    # Costs: -score for allowed pairs; a penalty larger than any achievable difference in
    # total score for forbidden ones, so fewer forbidden (= more real) pairs always win.
    n_pairs = min(n_rows, column_owner.size)
    penalty = 1.0 + 2.0 * n_pairs * float(np.abs(score[allowed]).max())
    cost = np.where(allowed, -score, penalty)[:, column_owner]
    rows, cols = linear_sum_assignment(cost)
    mentors = column_owner[cols]
    keep = allowed[rows, mentors]
    return rows[keep], mentors[keep]


def select_mentees(evaluasi: pd.DataFrame, *, l3_threshold: float = 3.0,
                   active_pids: Sequence[str] | pd.Series | None = None) -> pd.DataFrame:
    """People for whom training did not transfer: candidates for a mentor.

    An alumnus is a mentee when they report difficulty applying the course
    (``kesulitan_penerapan``) or their level-3 score is below ``l3_threshold``. A person with
    several such evaluations appears once, with the course of their lowest score (ties: the
    course name in alphabetical order).

    Parameters
    ----------
    evaluasi : DataFrame
        Table ``evaluasi_pasca_pelatihan``.
    l3_threshold : float, default 3.0
        On the 1–5 scale; 3 is "applies it sometimes".
    active_pids : sequence, optional
        Keep only these people (e.g. the active staff); default everyone.

    Returns
    -------
    DataFrame
        ``pid``, ``unit``, ``nama_pelatihan``, ``l3_skor``, ``kesulitan_penerapan``,
        ``kebutuhan`` (need, 0–1: ``(5 − l3_skor) / 4``). Sorted by unit and pid.

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"pid": ["a", "b"], "unit": "A", "nama_pelatihan": "X",
    ...     "skor_alumni": [2, 4], "skor_atasan": [2, 4], "skor_rekan": [2, 4],
    ...     "kesulitan_penerapan": [False, False]})
    >>> select_mentees(e)["pid"].tolist()
    ['a']

    """
    ev = evaluasi.assign(l3_skor=l3_score(evaluasi),
                         kesulitan_penerapan=evaluasi["kesulitan_penerapan"].astype("boolean")
                         .fillna(False).astype(bool))
    low = ev["kesulitan_penerapan"] | ev["l3_skor"].lt(l3_threshold)
    ev = ev[low]
    if active_pids is not None:
        ev = ev[ev["pid"].isin(pd.Series(active_pids))]
    ev = (ev.sort_values(["pid", "l3_skor", "nama_pelatihan"], kind="mergesort")
          .drop_duplicates("pid", keep="first"))
    ev["kebutuhan"] = ((5 - ev["l3_skor"]) / 4).clip(0, 1)
    cols = ["pid", "unit", "nama_pelatihan", "l3_skor", "kesulitan_penerapan", "kebutuhan"]
    return ev[cols].sort_values(["unit", "pid"]).reset_index(drop=True)


def eligible_mentors(pegawai: pd.DataFrame, skp: pd.DataFrame, pelatihan: pd.DataFrame,
                     evaluasi: pd.DataFrame | None = None, *, year: int | None = None,
                     min_tenure: int = 5,
                     exclude_pids: Sequence[str] | pd.Series | None = None) -> pd.DataFrame:
    """Who can mentor: experienced, performing well, and trained (and applying) the course.

    A person is an eligible mentor when all hold, checked in this order (the first rule
    not met is the ``alasan``): status Aktif; not themselves a mentee (``exclude_pids``);
    tenure (``year − tahun_pengangkatan``) of at least ``min_tenure`` years; their latest
    SKP predikat is Baik or Sangat Baik; they completed at least one course. For each course
    a mentor completed, they may
    mentor in it unless their own level-3 evaluation of that course shows difficulty.

    Parameters
    ----------
    pegawai, skp, pelatihan : DataFrame
        Processed tables ``pegawai``, ``skp``, ``pelatihan``.
    evaluasi : DataFrame, optional
        Processed ``evaluasi_pasca_pelatihan``, to exclude courses the person struggled with.
    year : int, optional
        Reference year for tenure; default the latest SKP year.
    min_tenure : int, default 5
        Minimum years of service.
    exclude_pids : sequence, optional
        People who cannot mentor (the mentees).

    Returns
    -------
    (mentors, courses) : tuple of DataFrames
        ``mentors``: one row per person of the roster with ``pid``, ``unit``,
        ``jenis_jabatan``, ``masa_kerja``, ``predikat``, ``eligible`` (bool) and ``alasan``
        (the first rule not met, empty when eligible). ``courses``: ``pid``,
        ``nama_pelatihan`` — the courses each eligible mentor may mentor in.

    Examples
    --------
    >>> import pandas as pd
    >>> peg = pd.DataFrame({"pid": ["m", "n"], "unit": "A", "jenis_jabatan": "Pelaksana",
    ...                     "tahun_pengangkatan": [2005, 2022], "status": "Aktif"})
    >>> skp = pd.DataFrame({"pid": ["m", "n"], "tahun": 2024, "predikat": "Baik"})
    >>> pel = pd.DataFrame({"pid": ["m", "n"], "nama_pelatihan": "X"})
    >>> m, c = eligible_mentors(peg, skp, pel)
    >>> m["eligible"].tolist(), c["pid"].tolist()
    ([True, False], ['m'])

    """
    year = int(skp["tahun"].max()) if year is None else int(year)
    latest = (skp[skp["tahun"] <= year].sort_values(["pid", "tahun"], kind="mergesort")
              .drop_duplicates("pid", keep="last")[["pid", "predikat"]])
    latest["predikat"] = latest["predikat"].astype("str")
    people = pegawai[["pid", "unit", "jenis_jabatan", "tahun_pengangkatan", "status"]].merge(
        latest, on="pid", how="left")
    people["masa_kerja"] = year - people["tahun_pengangkatan"].astype("float64")
    courses = pelatihan[["pid", "nama_pelatihan"]].drop_duplicates()
    if evaluasi is not None and not evaluasi.empty:
        struggled = evaluasi.loc[evaluasi["kesulitan_penerapan"].astype("boolean")
                                 .fillna(False).astype(bool), ["pid", "nama_pelatihan"]]
        courses = courses.merge(struggled.drop_duplicates(), how="left", indicator=True)
        courses = courses[courses["_merge"] == "left_only"].drop(columns="_merge")
    excluded = (pd.Series(exclude_pids, dtype="str") if exclude_pids is not None
                else pd.Series([], dtype="str"))
    # The first rule a person fails is their reason; checked in this order.
    rules = [
        ("tidak_aktif", people["status"].astype("str").ne("Aktif")),
        ("mentee", people["pid"].isin(excluded)),
        ("masa_kerja_kurang", people["masa_kerja"].lt(min_tenure) | people["masa_kerja"].isna()),
        ("predikat_skp", ~people["predikat"].isin(MENTOR_PREDIKAT)),
        ("belum_dilatih", ~people["pid"].isin(courses["pid"])),
    ]
    reason = pd.Series("", index=people.index, dtype="str")
    for name, failed in reversed(rules):  # reversed so the first failed rule wins
        reason = reason.mask(failed.fillna(True).astype(bool), name)
    people["alasan"] = reason
    people["eligible"] = reason.eq("")
    mentors = people[["pid", "unit", "jenis_jabatan", "masa_kerja", "predikat", "eligible",
                      "alasan"]].sort_values(["unit", "pid"]).reset_index(drop=True)
    courses = (courses[courses["pid"].isin(mentors.loc[mentors["eligible"], "pid"])]
               .sort_values(["pid", "nama_pelatihan"]).reset_index(drop=True))
    return mentors, courses


def pair_scores(mentees: pd.DataFrame, mentors: pd.DataFrame) -> np.ndarray:
    """Suitability of every mentee × mentor pair (higher is better), 0–4.

    ``kebutuhan`` of the mentee (0–1: lower level-3 score, more need) + mentor's experience
    (``min(masa_kerja, 20) / 20``) + mentor's predikat (1 for Sangat Baik, 0.5 for Baik) +
    1 when both hold the same type of position (``jenis_jabatan``: the mentor does the same
    kind of work). The need term makes the neediest mentees matched first when places run
    short; the other terms give each mentee the most experienced suitable mentor.

    Examples
    --------
    >>> import pandas as pd
    >>> me = pd.DataFrame({"kebutuhan": [0.5], "jenis_jabatan": ["Pelaksana"]})
    >>> mo = pd.DataFrame({"masa_kerja": [10], "predikat": ["Baik"],
    ...                    "jenis_jabatan": ["Pelaksana"]})
    >>> pair_scores(me, mo).tolist()
    [[2.5]]

    """
    need = mentees["kebutuhan"].to_numpy(dtype="float64")[:, None]
    experience = (mentors["masa_kerja"].astype("float64").clip(0, 20) / 20).to_numpy()[None, :]
    predikat = np.where(mentors["predikat"].astype("str").eq("Sangat Baik"), 1.0, 0.5)[None, :]
    same_job = (mentees["jenis_jabatan"].astype("str").to_numpy()[:, None]
                == mentors["jenis_jabatan"].astype("str").to_numpy()[None, :]).astype(float)
    return need + experience + predikat + same_job


def assign_mentors(mentees: pd.DataFrame, mentors: pd.DataFrame, courses: pd.DataFrame, *,
                   capacity: int = 3) -> pd.DataFrame:
    """Form mentor–mentee pairs within each unit (an assignment problem).

    Rule, in plain words: a mentor works in the same unit as the mentee, is eligible (see
    :func:`eligible_mentors`), completed the course the mentee struggles with, and is not the
    mentee; each mentee gets at most one mentor and each mentor at most ``capacity`` mentees.
    Among all plans that follow the rule, the one chosen first matches as many mentees as
    possible and then maximises the total :func:`pair_scores` (neediest mentees first, the
    most experienced and best-rated mentors, same type of position).

    Units are independent problems, so each is solved on its own (a loop over units, not
    over people: the cubic cost of the solver then grows with the largest unit, not with
    the city).

    Parameters
    ----------
    mentees : DataFrame
        From :func:`select_mentees`, with ``jenis_jabatan`` merged from ``pegawai``.
    mentors : DataFrame
        From :func:`eligible_mentors` (only rows with ``eligible`` are used).
    courses : DataFrame
        ``pid``, ``nama_pelatihan`` of eligible mentors (second output of
        :func:`eligible_mentors`).
    capacity : int, default 3
        Maximum number of mentees per mentor.

    Returns
    -------
    DataFrame
        ``unit``, ``pid_mentor``, ``pid_mentee``, ``nama_pelatihan``, ``skor_pasangan``;
        sorted by unit, mentor and mentee. Pseudonyms only.

    Examples
    --------
    >>> import pandas as pd
    >>> me = pd.DataFrame({"pid": ["a", "b"], "unit": "A", "nama_pelatihan": "X",
    ...                    "kebutuhan": [1.0, 0.5], "jenis_jabatan": "Pelaksana"})
    >>> mo = pd.DataFrame({"pid": ["m"], "unit": "A", "jenis_jabatan": "Pelaksana",
    ...                    "masa_kerja": [10], "predikat": ["Baik"], "eligible": [True]})
    >>> assign_mentors(me, mo, pd.DataFrame({"pid": ["m"], "nama_pelatihan": ["X"]}),
    ...                capacity=1)["pid_mentee"].tolist()
    ['a']

    """
    if capacity < 1:
        raise ValueError(f"assign_mentors: capacity is {capacity}; a mentor takes at least "
                         "1 mentee (set mentor_capacity in config/pipeline.yaml).")
    cols = ["unit", "pid_mentor", "pid_mentee", "nama_pelatihan", "skor_pasangan"]
    pool = mentors[mentors["eligible"].astype(bool)]
    trained = courses.assign(_ok=True)
    pairs = []
    for unit, unit_mentees in mentees.groupby("unit", sort=True):
        unit_mentors = pool[pool["unit"] == unit].reset_index(drop=True)
        unit_mentees = unit_mentees.reset_index(drop=True)
        if unit_mentors.empty:
            continue
        # allowed[i, j]: mentor j completed mentee i's course and is not mentee i
        grid = (trained.pivot_table(index="pid", columns="nama_pelatihan", values="_ok",
                                    aggfunc="any", fill_value=False)
                .reindex(index=unit_mentors["pid"],
                         columns=unit_mentees["nama_pelatihan"].unique(), fill_value=False))
        course_pos = grid.columns.get_indexer(unit_mentees["nama_pelatihan"])
        allowed = grid.to_numpy(dtype=bool).T[course_pos, :]
        allowed &= (unit_mentees["pid"].to_numpy()[:, None]
                    != unit_mentors["pid"].to_numpy()[None, :])
        score = pair_scores(unit_mentees, unit_mentors)
        rows, cols_ = solve_assignment(score, allowed, capacity)
        pairs.append(pd.DataFrame({
            "unit": unit,
            "pid_mentor": unit_mentors["pid"].to_numpy()[cols_],
            "pid_mentee": unit_mentees["pid"].to_numpy()[rows],
            "nama_pelatihan": unit_mentees["nama_pelatihan"].to_numpy()[rows],
            "skor_pasangan": score[rows, cols_],
        }))
    if not pairs:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "skor_pasangan" else "str")
                             for c in cols})
    return (pd.concat(pairs, ignore_index=True).sort_values(["unit", "pid_mentor", "pid_mentee"])
            .reset_index(drop=True)[cols])


def mentoring_summary(mentees: pd.DataFrame, mentors: pd.DataFrame,
                      pairs: pd.DataFrame) -> pd.DataFrame:
    """Per unit: mentees, eligible mentors, pairs formed and mentees left without a mentor.

    Examples
    --------
    >>> import pandas as pd
    >>> s = mentoring_summary(pd.DataFrame({"pid": ["a"], "unit": ["A"]}),
    ...     pd.DataFrame({"pid": ["m"], "unit": ["A"], "eligible": [True]}),
    ...     pd.DataFrame({"unit": ["A"], "pid_mentor": ["m"], "pid_mentee": ["a"]}))
    >>> s[["n_mentee", "n_mentor_layak", "n_pasangan", "n_tanpa_mentor"]].values.tolist()
    [[1, 1, 1, 0]]

    """
    n_mentee = mentees.groupby("unit").size().rename("n_mentee")
    n_mentor = mentors[mentors["eligible"].astype(bool)].groupby("unit").size().rename(
        "n_mentor_layak")
    n_pairs = pairs.groupby("unit").size().rename("n_pasangan")
    n_used = pairs.groupby("unit")["pid_mentor"].nunique().rename("n_mentor_dipakai")
    out = pd.concat([n_mentee, n_mentor, n_pairs, n_used], axis=1).fillna(0).astype("int64")
    out = out[out["n_mentee"] > 0]
    out["n_tanpa_mentor"] = out["n_mentee"] - out["n_pasangan"]
    out.index.name = "unit"
    return out.sort_index().reset_index()


def check_mentoring_plan(pairs: pd.DataFrame, *, mentees: pd.DataFrame,
                         mentors: pd.DataFrame, mentor_courses: pd.DataFrame,
                         pegawai: pd.DataFrame, capacity: int) -> dict[str, bool]:
    """Check a mentoring plan against every rule, on the result rather than by assumption.

    Parameters
    ----------
    pairs : DataFrame
        From :func:`assign_mentors` (``pid_mentor``, ``pid_mentee``, ``nama_pelatihan``).
    mentees, mentors, mentor_courses
        From :func:`select_mentees` and :func:`eligible_mentors`.
    pegawai : DataFrame
        The roster (``pid``, ``unit``): mentor and mentee must work in the same unit.
    capacity : int
        Maximum mentees per mentor.

    Returns
    -------
    dict
        Rule → whether the plan obeys it.

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"pid_mentor": ["m", "m"], "pid_mentee": ["a", "b"],
    ...                       "nama_pelatihan": "X"})
    >>> checks = check_mentoring_plan(
    ...     pairs, mentees=pd.DataFrame({"pid": ["a", "b"]}),
    ...     mentors=pd.DataFrame({"pid": ["m"], "eligible": [True]}),
    ...     mentor_courses=pd.DataFrame({"pid": ["m"], "nama_pelatihan": ["X"]}),
    ...     pegawai=pd.DataFrame({"pid": ["m", "a", "b"], "unit": "A"}), capacity=1)
    >>> [rule for rule, ok in checks.items() if not ok]
    ['capacity respected']

    """
    eligible = mentors.loc[mentors["eligible"].astype(bool), "pid"]
    unit_of = pegawai.drop_duplicates("pid").set_index("pid")["unit"]
    trained = pairs.merge(mentor_courses[["pid", "nama_pelatihan"]].drop_duplicates(),
                          left_on=["pid_mentor", "nama_pelatihan"],
                          right_on=["pid", "nama_pelatihan"], how="left", indicator=True)
    mentor_unit = pairs["pid_mentor"].map(unit_of)
    return {
        "each mentee at most one mentor": bool(pairs["pid_mentee"].is_unique),
        "capacity respected": bool(pairs["pid_mentor"].value_counts().le(capacity).all()),
        "no self-pairing": bool(pairs["pid_mentor"].ne(pairs["pid_mentee"]).all()),
        "only eligible mentors": bool(pairs["pid_mentor"].isin(eligible).all()),
        "no mentee mentors": bool(not pairs["pid_mentor"].isin(mentees["pid"]).any()),
        "same unit": bool((mentor_unit.notna()
                           & mentor_unit.eq(pairs["pid_mentee"].map(unit_of))).all()),
        "mentor trained in the course": bool(trained["_merge"].eq("both").all()),
    }


def eligibility_overview(mentors: pd.DataFrame) -> pd.DataFrame:
    """How many staff are eligible mentors, and why the others are not (their first rule).

    Parameters
    ----------
    mentors : DataFrame
        From :func:`eligible_mentors` (``alasan`` empty when eligible).

    Returns
    -------
    DataFrame
        ``reason`` (``eligible`` or the reason code), ``staff``; sorted by reason.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"alasan": ["", "mentee", "", "tidak_aktif"]})
    >>> eligibility_overview(m).values.tolist()
    [['eligible', 2], ['mentee', 1], ['tidak_aktif', 1]]

    """
    return (mentors["alasan"].replace("", "eligible").value_counts().rename("staff")
            .rename_axis("reason").reset_index().sort_values("reason")
            .reset_index(drop=True))


__all__ = ["MENTOR_PREDIKAT", "assign_mentors", "check_mentoring_plan", "eligibility_overview",
           "eligible_mentors", "mentoring_summary", "pair_scores", "select_mentees",
           "solve_assignment"]
