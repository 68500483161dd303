"""Robustness of the headline effect: other cohort thresholds and anticipation.

A unit counts as reached in the first period in which a share
:data:`~evalkit.panel.COHORT_THRESHOLD` of its staff has completed the course
(:func:`evalkit.panel.service_cohort`). The headline (Callaway–Sant'Anna ATT on IKM) is
re-estimated with the cohorts recomputed from the panel's
``share_trained`` at other thresholds, and with one period of anticipation (the base period
moved one period earlier, in case units improve while staff are being trained). Whether the
conclusion holds across them is :func:`evalkit.findings.robustness_finding`.

Examples
--------
>>> import numpy as np, pandas as pd
>>> p = pd.DataFrame({"unit": np.repeat(list("AB"), 3), "t": [1, 2, 3] * 2,
...                   "share_trained": [0, .2, .5, 0, 0, .1], "cohort": [3, 3, 3, 0, 0, 0]})
>>> with_cohort_threshold(p, 0.15).drop_duplicates("unit")["cohort"].tolist()
[2, 0]

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from evalkit.effects.coverage import did_sample
from evalkit.findings import verdict_of
from evalkit.labels import LANGS, format_number, label
from evalkit.models import staggered_did
from evalkit.panel import COHORT_THRESHOLD, service_cohort

#: Cohort thresholds of the robustness table (the default among them).
ROBUSTNESS_THRESHOLDS: tuple[float, ...] = (0.15, 0.25, 0.40)

#: Columns of :func:`headline_robustness`.
ROBUSTNESS_COLUMNS = ["cohort_threshold", "anticipation", "headline", "n_reached", "estimate",
                      "se", "ci_low", "ci_high", "verdict", "n_units", "n_obs",
                      "n_units_left_out", "left_out_reason", "specification_id",
                      "specification_en"]


def with_cohort_threshold(panel: pd.DataFrame, threshold: float, unit: str = "unit",
                          time: str = "t", cohort: str = "cohort") -> pd.DataFrame:
    """The panel with ``cohort`` recomputed from ``share_trained`` at ``threshold``.

    The same rule as the panel of notebook 03 (:func:`evalkit.panel.service_cohort`).

    Examples
    --------
    See the module docstring.

    """
    shares = panel[[unit, time, "share_trained"]].rename(columns={unit: "unit", time: "t"})
    cohorts = service_cohort(shares, threshold).rename(columns={"unit": unit,
                                                                "cohort": cohort})
    return panel.drop(columns=cohort).merge(cohorts, on=unit, how="left",
                                            validate="many_to_one")


def headline_robustness(panel: pd.DataFrame, y: str = "ikm",
                        thresholds: Sequence[float] = ROBUSTNESS_THRESHOLDS,
                        anticipation: Sequence[int] = (1,),
                        headline_threshold: float = COHORT_THRESHOLD, unit: str = "unit",
                        time: str = "t", cohort: str = "cohort",
                        did_options: Mapping | None = None) -> pd.DataFrame:
    """The headline ATT at each cohort threshold, and with anticipation at the headline's.

    Parameters
    ----------
    panel : pandas.DataFrame
        ``panel_unit_period`` (``share_trained`` and ``cohort`` included).
    y : str
        Outcome of the headline.
    thresholds : sequence of float
        Cohort thresholds (no anticipation).
    anticipation : sequence of int
        Periods of anticipation tried at ``headline_threshold``.
    headline_threshold : float
        The threshold of the headline (the notebook's ``cohort_threshold``); its row has
        ``headline`` True.
    unit, time, cohort : str
        Keys and roll-out cohort (recomputed for each threshold).
    did_options : mapping, optional
        Further arguments of :func:`~evalkit.models.staggered_did`.

    Returns
    -------
    pandas.DataFrame
        :data:`ROBUSTNESS_COLUMNS`: the specification, reached units, the simple ATT with
        its interval and verdict, the units and observations used and left out, and the
        specification in words (``specification_id``, ``specification_en``).

    Examples
    --------
    See ``tests/test_effects_findings.py``.

    """
    specs = [(float(th), 0) for th in thresholds]
    specs += [(float(headline_threshold), int(a)) for a in anticipation if a]
    units_in = panel[unit].unique()
    rows = []
    for threshold, ahead in specs:  # four re-estimations
        data = with_cohort_threshold(panel, threshold, unit, time, cohort)
        data = data[data[y].notna()]
        options = {**dict(did_options or {}), "anticipation": ahead}
        fit = staggered_did(data, y, unit, time, cohort, **options)
        simple = fit.aggregate("simple").iloc[0]
        rows.append({
            "cohort_threshold": threshold, "anticipation": ahead,
            "headline": bool(np.isclose(threshold, headline_threshold) and ahead == 0),
            "n_reached": int(data.drop_duplicates(unit)[cohort].gt(0).sum()),
            "estimate": float(simple["estimate"]), "se": float(simple["se"]),
            "ci_low": float(simple["ci_low"]), "ci_high": float(simple["ci_high"]),
            **did_sample(fit, units_in),
            **{f"specification_{lang}": label(
                "robustness_spec", lang, threshold=format_number(threshold, 0, lang,
                                                                 percent=True),
                anticipation=ahead) for lang in LANGS},
        })
    table = pd.DataFrame(rows)
    table["verdict"] = verdict_of(table["ci_low"], table["ci_high"])
    return table[ROBUSTNESS_COLUMNS]


__all__ = ["ROBUSTNESS_COLUMNS", "ROBUSTNESS_THRESHOLDS", "headline_robustness",
           "with_cohort_threshold"]
