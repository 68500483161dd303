"""Where did training not transfer to the job? Kirkpatrick level 3 per unit.

:func:`transfer_by_unit` gives each unit its mean level-3 score
(:func:`evalkit.training.l3_score`, the one definition) and the share of alumni who report
difficulty applying what they learned, among those who answered the question (a missing
answer is not read as "no difficulty"), with a Wilson interval; a unit whose interval lies
above the city's share is flagged (``transfer_lemah``). :func:`transfer_vs_truth` compares
the flag with the simulator's known truth.

Examples
--------
>>> import pandas as pd
>>> e = pd.DataFrame({"pid": list("abc"), "unit": "A", "nama_pelatihan": "X",
...     "skor_alumni": 3, "skor_atasan": 3, "skor_rekan": 3,
...     "kesulitan_penerapan": pd.array([True, False, None], dtype="boolean")})
>>> transfer_by_unit(e, min_n=1)[["n_alumni", "n_menjawab", "share_kesulitan"]].to_dict("records")
[{'n_alumni': 3, 'n_menjawab': 2, 'share_kesulitan': 0.5}]

"""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from evalkit.training import l3_score


def transfer_by_unit(evaluasi: pd.DataFrame, *, alpha: float = 0.05,
                     reference: float | None = None, min_n: int = 5) -> pd.DataFrame:
    """How well training transferred to the job, per unit (Kirkpatrick level 3).

    The share reporting difficulty is taken over the alumni who answered the question
    (``kesulitan_penerapan`` not missing), as :func:`evalkit.training.application_summary`
    takes it: a blank answer is unknown, not "no difficulty". ``n_alumni`` still counts every
    evaluated alumnus (the level-3 score rests on them).

    Parameters
    ----------
    evaluasi : DataFrame
        Table ``evaluasi_pasca_pelatihan``: ``pid``, ``unit``, ``nama_pelatihan``, the three
        scores, ``kesulitan_penerapan`` (bool, missing allowed).
    alpha : float, default 0.05
        For the Wilson interval of the share reporting difficulty.
    reference : float, optional
        Share of difficulty above which transfer counts as weak; default the city's share
        (over every alumnus who answered).
    min_n : int, default 5
        Units where fewer alumni answered are not judged (too few to tell).

    Returns
    -------
    DataFrame
        ``unit``, ``n_alumni`` (evaluations), ``l3_skor`` (mean level-3 score, 1–5),
        ``n_menjawab`` (alumni who answered the difficulty question), ``n_kesulitan``,
        ``share_kesulitan`` (``n_kesulitan / n_menjawab``), ``ci_low``, ``ci_high`` (Wilson;
        missing where nobody answered), ``share_kesulitan_kota``, ``transfer_lemah`` (True
        when the interval's lower bound is above the reference).

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"pid": list("abcdefgh"), "unit": ["A"] * 4 + ["B"] * 4,
    ...     "nama_pelatihan": "X", "skor_alumni": 3, "skor_atasan": 3, "skor_rekan": 3,
    ...     "kesulitan_penerapan": [True, True, True, False, False, False, False, False]})
    >>> transfer_by_unit(e, min_n=1)["share_kesulitan"].tolist()
    [0.75, 0.0]

    """
    answer = evaluasi["kesulitan_penerapan"].astype("boolean")
    ev = evaluasi[["pid", "unit"]].assign(l3_skor=l3_score(evaluasi).to_numpy(),
                                          _answered=answer.notna().astype(int),
                                          _difficult=answer.fillna(False).astype(int))
    out = ev.groupby("unit", sort=True).agg(
        n_alumni=("pid", "size"), l3_skor=("l3_skor", "mean"),
        n_menjawab=("_answered", "sum"), n_kesulitan=("_difficult", "sum"))
    answered = out["n_menjawab"].gt(0)
    out["share_kesulitan"] = (out["n_kesulitan"] / out["n_menjawab"]).where(answered)
    # Wilson bounds only where someone answered (statsmodels divides by the count).
    low, high = proportion_confint(out["n_kesulitan"], out["n_menjawab"].clip(lower=1),
                                   alpha=alpha, method="wilson")
    out["ci_low"] = np.where(answered, np.asarray(low), np.nan)
    out["ci_high"] = np.where(answered, np.asarray(high), np.nan)
    # The city counts every alumnus who answered, those without a unit included.
    n_answered = ev["_answered"].sum()
    city = ev["_difficult"].sum() / n_answered if n_answered else np.nan
    out["share_kesulitan_kota"] = city if reference is None else reference
    out["transfer_lemah"] = (out["ci_low"].gt(out["share_kesulitan_kota"])
                             & out["n_menjawab"].ge(min_n))
    return out.reset_index()[["unit", "n_alumni", "l3_skor", "n_menjawab", "n_kesulitan",
                              "share_kesulitan", "ci_low", "ci_high", "share_kesulitan_kota",
                              "transfer_lemah"]]


__all__ = ["transfer_by_unit"]
