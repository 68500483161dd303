"""Multiple-testing control for families of tests (the nine SKM elements, unit × element gaps).

Examples
--------
>>> adjust_pvalues([0.01, 0.04, 0.03], method="holm")["p_adjusted"].round(2).tolist()
[0.03, 0.06, 0.06]

"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

#: Our names → statsmodels' method names.
METHODS = {"holm": "holm", "bh": "fdr_bh", "bonferroni": "bonferroni"}


def adjust_pvalues(pvalues: Sequence[float] | pd.Series, method: str = "holm",
                   alpha: float = 0.05) -> pd.DataFrame:
    """Adjust p-values for a family of tests.

    Parameters
    ----------
    pvalues : sequence or Series
        Raw p-values (a Series keeps its index, e.g. the element names).
    method : {"holm", "bh", "bonferroni"}
        Holm's step-down (family-wise error) or Benjamini–Hochberg (false discovery rate).
    alpha : float
        Level of the family.

    Returns
    -------
    pandas.DataFrame
        ``p_value``, ``p_adjusted``, ``reject``.

    Examples
    --------
    See the module docstring.

    """
    if method not in METHODS:
        raise ValueError(f"method={method!r}: use one of {', '.join(METHODS)}.")
    series = pd.Series(pvalues, dtype=float)
    if series.isna().any() or ((series < 0) | (series > 1)).any():
        raise ValueError("p-values must lie in [0, 1] with none missing.")
    reject, adjusted, _, _ = multipletests(series.to_numpy(), alpha=alpha,
                                           method=METHODS[method])
    return pd.DataFrame({"p_value": series, "p_adjusted": np.asarray(adjusted),
                         "reject": np.asarray(reject)}, index=series.index)


__all__ = ["adjust_pvalues"]
