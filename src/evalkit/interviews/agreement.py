"""Agreement of codings: Cohen's kappa (statsmodels), Krippendorff's alpha, per theme.

Examples
--------
>>> round(cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0]), 3)
0.5

"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from evalkit.errors import EvalkitWarning

#: Kappa below which automatic coding of a theme is flagged as unreliable. 0.6 is the lower
#: bound of "substantial" agreement (Landis & Koch 1977), a common bar for content analysis;
#: overridable by the notebook parameter ``kappa_threshold``.
KAPPA_THRESHOLD = 0.6


class InterviewDataWarning(EvalkitWarning):
    """Interview or coding data that do not fit together (reported, never dropped silently)."""



def cohen_kappa(rater_a: Sequence[int] | pd.Series, rater_b: Sequence[int] | pd.Series) -> float:
    """Cohen's kappa of two 0/1 codings (statsmodels' ``cohens_kappa``).

    Returns NaN when kappa is undefined: no pairs, or both raters always give the same single
    code (chance agreement is then 1).

    Examples
    --------
    >>> round(cohen_kappa([1, 1, 0, 0, 1, 0], [1, 0, 0, 0, 1, 1]), 4)
    0.3333

    """
    from statsmodels.stats.inter_rater import cohens_kappa

    a = np.asarray(rater_a, dtype=np.int64)
    b = np.asarray(rater_b, dtype=np.int64)
    if len(a) != len(b):
        raise ValueError(f"cohen_kappa: codings differ in length ({len(a)} vs {len(b)}).")
    if len(a) == 0:
        return float("nan")
    if not np.isin(a, [0, 1]).all() or not np.isin(b, [0, 1]).all():
        raise ValueError("cohen_kappa: codes must be 0 (absent) or 1 (present).")
    table = np.bincount(2 * a + b, minlength=4).reshape(2, 2)
    n = table.sum()
    chance = (table.sum(1) @ table.sum(0)) / n**2
    if np.isclose(chance, 1.0):
        return float("nan")
    with warnings.catch_warnings():
        # statsmodels also computes a z test, which divides by zero when one coder never
        # varies; the kappa itself is well defined then (0), the warning is noise.
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(cohens_kappa(table, return_results=True).kappa)


def krippendorff_alpha(*codings: Sequence[int] | pd.Series) -> float:
    """Krippendorff's alpha (nominal) of two or more codings of the same units.

    NaN when every code is the same (no variation to agree on).

    Examples
    --------
    >>> round(krippendorff_alpha([1, 0, 1, 1], [1, 0, 0, 1]), 4)
    0.5333

    """
    import krippendorff

    data = np.vstack([np.asarray(c, dtype=float) for c in codings])
    if data.shape[1] == 0 or np.unique(data[~np.isnan(data)]).size < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def agreement(coded: pd.DataFrame, manual: pd.DataFrame,
              threshold: float = KAPPA_THRESHOLD,
              labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Agreement per theme: the two human coders, and automatic coding against each of them.

    ``konsensus`` is the code both humans gave; segments where they disagree are left out of
    the automatic-vs-consensus kappa (``n_konsensus`` says how many remain). A theme's
    automatic coding is *tidak andal* (unreliable) when that kappa is below ``threshold`` and
    *tidak dapat dinilai* when it is undefined (a theme nobody coded).

    Parameters
    ----------
    coded : pandas.DataFrame
        Output of :func:`code_segments`.
    manual : pandas.DataFrame
        The processed table ``wawancara_koding_manual`` (``kode_informan``, ``segmen``,
        ``tema``, ``koder_1``, ``koder_2``).
    threshold : float, default 0.6
        See :data:`KAPPA_THRESHOLD`.
    labels : dict, optional
        Theme key → label, added as column ``label``.

    Returns
    -------
    pandas.DataFrame
        One row per theme of the manual coding: ``tema``, ``n_segmen``,
        ``prevalensi_koder_1``, ``prevalensi_koder_2``, ``prevalensi_otomatis``,
        ``persen_setuju_koder``, ``kappa_koder``, ``kappa_otomatis_koder_1``,
        ``kappa_otomatis_koder_2``, ``n_konsensus``, ``kappa_otomatis_konsensus``,
        ``alpha_koder``, ``alpha_koder_otomatis``, ``status_otomatis``,
        ``otomatis_tidak_andal``, ``ambang_kappa``.

    Warns
    -----
    InterviewDataWarning
        For manual rows without a segment in ``coded`` or with a theme not in the codebook
        (kept, with the automatic statistics missing).

    Examples
    --------
    >>> auto = pd.DataFrame({"kode_informan": ["a"] * 4, "segmen": [1, 2, 3, 4],
    ...     "tema": ["x"] * 4, "otomatis": [1, 0, 1, 0]})
    >>> man = auto.drop(columns="otomatis").assign(koder_1=[1, 0, 1, 0], koder_2=[1, 0, 1, 1])
    >>> agreement(auto, man)[["kappa_koder", "kappa_otomatis_konsensus"]].to_numpy().tolist()
    [[0.5, 1.0]]

    """
    needed = {"kode_informan", "segmen", "tema", "koder_1", "koder_2"}
    missing = sorted(needed - set(manual.columns))
    if missing:
        raise KeyError(f"wawancara_koding_manual: column(s) {missing} missing; expected "
                       "kode_informan, segmen, tema, koder_1, koder_2.")
    man = manual[["kode_informan", "segmen", "tema", "koder_1", "koder_2"]].copy()
    man["segmen"] = man["segmen"].astype("int64")
    man["tema"] = man["tema"].astype("str")
    auto = coded[["kode_informan", "segmen", "tema", "otomatis"]].copy()
    auto["segmen"] = auto["segmen"].astype("int64")
    auto["tema"] = auto["tema"].astype("str")
    repeated = man.duplicated(["kode_informan", "segmen", "tema"], keep=False)
    if repeated.any():
        first = man.loc[repeated.to_numpy()].head(3).to_numpy().tolist()
        raise ValueError(f"wawancara_koding_manual: {int(repeated.sum())} rows code the same "
                         f"segment and theme more than once (e.g. {first}). Keep one row per "
                         "Kode Informan × Segmen × Tema in wawancara_koding_manual.csv.")
    merged = man.merge(auto, on=["kode_informan", "segmen", "tema"], how="left",
                       validate="one_to_one")
    unknown_themes = sorted(set(man["tema"]) - set(auto["tema"]))
    if unknown_themes:
        warnings.warn(f"wawancara_koding_manual: theme(s) {unknown_themes} are not coded "
                      "automatically (not in the codebook, or not in scope 'wawancara'); "
                      "their automatic agreement is left empty. Add them to "
                      "config/codebook.yaml or correct the 'Tema' codes.",
                      InterviewDataWarning, stacklevel=2)
    known_segments = auto[["kode_informan", "segmen"]].drop_duplicates()
    lost = man.merge(known_segments, how="left", indicator=True)["_merge"].eq("left_only")
    if lost.any():
        examples = man.loc[lost.to_numpy(), ["kode_informan", "segmen"]].drop_duplicates()
        warnings.warn(f"wawancara_koding_manual: {int(lost.sum())} row(s) refer to segments not "
                      f"in wawancara_segmen (e.g. {examples.head(3).to_numpy().tolist()}); they "
                      "count for the human agreement only. Check 'Kode Informan' and 'Segmen'.",
                      InterviewDataWarning, stacklevel=2)

    def per_theme(group: pd.DataFrame) -> pd.Series:
        k1 = group["koder_1"].to_numpy(np.int64)
        k2 = group["koder_2"].to_numpy(np.int64)
        has_auto = group["otomatis"].notna().to_numpy()
        auto_codes = group["otomatis"].to_numpy(dtype=float)
        a = auto_codes[has_auto].astype(np.int64)
        agree = has_auto & (k1 == k2)
        kappa_consensus = cohen_kappa(a[(k1 == k2)[has_auto]], k1[agree])
        return pd.Series({
            "n_segmen": len(group),
            "n_segmen_otomatis": int(has_auto.sum()),
            "prevalensi_koder_1": k1.mean(),
            "prevalensi_koder_2": k2.mean(),
            "prevalensi_otomatis": a.mean() if len(a) else np.nan,
            "persen_setuju_koder": (k1 == k2).mean(),
            "kappa_koder": cohen_kappa(k1, k2),
            "kappa_otomatis_koder_1": cohen_kappa(a, k1[has_auto]),
            "kappa_otomatis_koder_2": cohen_kappa(a, k2[has_auto]),
            "n_konsensus": int(agree.sum()),
            "kappa_otomatis_konsensus": kappa_consensus,
            "alpha_koder": krippendorff_alpha(k1, k2),
            "alpha_koder_otomatis": (krippendorff_alpha(k1[has_auto], k2[has_auto], a)
                                     if len(a) else np.nan),
        })

    # One group per theme (about ten): the statistics are not vectorisable across themes.
    out = (merged.groupby("tema", sort=False)[["koder_1", "koder_2", "otomatis"]]
           .apply(per_theme).reset_index())
    kappa = out["kappa_otomatis_konsensus"]
    out["status_otomatis"] = np.where(kappa.isna(), "tidak dapat dinilai",
                                      np.where(kappa < threshold, "tidak andal", "andal"))
    out["otomatis_tidak_andal"] = out["status_otomatis"].ne("andal")
    out["ambang_kappa"] = threshold
    for col in ("n_segmen", "n_segmen_otomatis", "n_konsensus"):
        out[col] = out[col].astype("int64")
    if labels is not None:
        out.insert(1, "label", out["tema"].map(labels))
    order = {k: n for n, k in enumerate(labels or {})}
    return out.sort_values("tema", key=lambda s: s.map(order).fillna(len(order)).astype(float)
                           if order else s).reset_index(drop=True)


__all__ = ["KAPPA_THRESHOLD", "InterviewDataWarning", "cohen_kappa", "krippendorff_alpha",
           "agreement"]
