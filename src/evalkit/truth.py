"""Everything about a simulated truth, set beside the estimates.

The truth is what the simulator wrote (``truth.json``, copied by notebook 01 into the
processed folder).

Only simulated data have a truth; with real exports :func:`evalkit.config.load_truth`
returns None and every function here leaves the estimates as they are.

Examples
--------
>>> t = {"att": {"ikm": {"overall": 2.5, "by_event_time": {"0": 1.0}}}}
>>> truth_effects(t)[["estimand", "truth"]].values.tolist()
[['att', 2.5], ['att_e0', 1.0]]

"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from evalkit.effects.codes import (
    ATT,
    EFFECTS_COLUMNS,
    event_time_estimand,
    event_time_of,
    subgroup_estimand,
)
from evalkit.effects.tables import with_labels
from evalkit.labels import Lang
from evalkit.schemas import KIND_REASONS

#: How cleaning treats a fault kind: quarantined, or repaired / read as it is.
QUARANTINED, KEPT = "quarantined", "kept (repaired or read as is)"


def truth_effects(truth: Mapping) -> pd.DataFrame:
    """Return the simulated city's true effects as ``outcome``, ``estimand``, ``truth`` rows.

    Read from ``truth.json``, under the estimand codes of
    :func:`evalkit.effects.compare_estimators`.

    Examples
    --------
    >>> t = {"att": {"ikm": {"overall": 2.5, "by_event_time": {"0": 1.0}}},
    ...      "heterogeneity": {"ikm": {"mentoring_with": 3.2}}}
    >>> truth_effects(t)["estimand"].tolist()
    ['att', 'att_e0', 'att_mentoring_with']

    """
    rows = []
    for outcome, att in truth.get("att", {}).items():  # a few outcomes, a few event times
        rows.append({"outcome": outcome, "estimand": ATT, "truth": att["overall"]})
        rows += [{"outcome": outcome, "estimand": event_time_estimand(int(e)), "truth": value}
                 for e, value in att.get("by_event_time", {}).items()]
        # Before the roll-out the true effect is zero by construction (no anticipation).
    for outcome, groups in truth.get("heterogeneity", {}).items():
        rows += [{"outcome": outcome, "estimand": subgroup_estimand(group), "truth": value}
                 for group, value in groups.items()]
    individual = truth.get("individual_effects", {})
    if "l3_application" in individual:
        rows.append({"outcome": "l3_application", "estimand": ATT,
                     "truth": individual["l3_application"]["att"]})
    return pd.DataFrame(rows, columns=["outcome", "estimand", "truth"])


def attach_truth(effects: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Fill ``truth`` of ``effects`` from :func:`truth_effects` (placebo e < 0 get 0).

    Examples
    --------
    >>> e = pd.DataFrame({"outcome": "y", "method": "cs_did", "estimand": ["att", "att_e-1"],
    ...                   "estimate": 1.0, "se": 0.1, "ci_low": 0.8, "ci_high": 1.2,
    ...                   "truth": float("nan")})
    >>> t = pd.DataFrame({"outcome": ["y"], "estimand": ["att"], "truth": [2.0]})
    >>> attach_truth(e, t)["truth"].tolist()
    [2.0, 0.0]

    """
    out = effects.drop(columns="truth").merge(truth, on=["outcome", "estimand"], how="left")
    placebo = event_time_of(out["estimand"]).lt(0).fillna(False).astype(bool)
    known = out["outcome"].isin(truth["outcome"])
    out.loc[placebo & known, "truth"] = 0.0
    # the columns of ``effects`` in their order (hand-made tables may lack the sample ones)
    return out[[c for c in EFFECTS_COLUMNS if c in out.columns]]


def with_truth(effects: pd.DataFrame, truth: Mapping | None) -> pd.DataFrame:
    """Attach the simulated truth to ``effects``; unchanged when ``truth`` is None.

    Parameters
    ----------
    effects : pandas.DataFrame
        Rows of the ``effects`` table.
    truth : dict or None
        ``truth.json`` (:func:`evalkit.config.load_truth`), None for real data.

    Examples
    --------
    >>> e = pd.DataFrame({"outcome": ["z", "y"], "method": "m", "estimand": "att",
    ...                   "estimate": 1.0, "se": 0.1, "ci_low": 0.8, "ci_high": 1.2,
    ...                   "truth": float("nan")})
    >>> with_truth(e, {"att": {"y": {"overall": 2.0}}})["truth"].tolist()
    [nan, 2.0]
    >>> with_truth(e, None) is e
    True

    """
    if truth is None:
        return effects
    return attach_truth(effects, truth_effects(truth))


def true_event_path(truth: Mapping | None, outcome: str) -> dict[int, float]:
    """Return the true effect by event time of ``outcome`` ({} without truth).

    Examples
    --------
    >>> true_event_path({"att": {"ikm": {"by_event_time": {"0": 1.0, "1": 2.0}}}}, "ikm")
    {0: 1.0, 1: 2.0}

    """
    if truth is None:
        return {}
    path = truth.get("att", {}).get(outcome, {}).get("by_event_time", {})
    return {int(e): float(v) for e, v in path.items()}


def truth_comparison(effects: pd.DataFrame, lang: Lang | None = None) -> pd.DataFrame:
    """Set every headline estimate against the truth: error and whether the CI covers it.

    Keeps the ``att`` rows and the SKP rows (whose estimands are on other scales, so their
    truth is unknown); ``covers_truth`` is missing where the truth or the interval is.

    Parameters
    ----------
    effects : pandas.DataFrame
        The ``effects`` table with the truth attached (:func:`with_truth`).
    lang : {"id", "en"}, optional
        Label the outcome, method and estimand codes (default: codes).

    Returns
    -------
    pandas.DataFrame
        ``outcome``, ``method``, ``estimand``, ``estimate``, ``ci_low``, ``ci_high``,
        ``truth``, ``error`` (estimate − truth), ``covers_truth`` (nullable boolean).

    Examples
    --------
    >>> e = pd.DataFrame({"outcome": "y", "method": ["a", "b", "c"], "estimand": "att",
    ...                   "estimate": [1.0, 3.0, 2.0], "se": [0.5, 0.5, float("nan")],
    ...                   "ci_low": [0.0, 2.5, None], "ci_high": [2.0, 3.5, None],
    ...                   "truth": 1.5})
    >>> truth_comparison(e)["covers_truth"].tolist()
    [True, False, <NA>]

    """
    rows = effects[effects["estimand"].eq(ATT) | effects["outcome"].eq("skp_predikat")]
    covers = ((rows["ci_low"] <= rows["truth"]) & (rows["truth"] <= rows["ci_high"]))
    covers = covers.astype("boolean").mask(rows["truth"].isna() | rows["se"].isna())
    rows = rows.assign(error=rows["estimate"] - rows["truth"], covers_truth=covers)
    table = rows[["outcome", "method", "estimand", "estimate", "ci_low", "ci_high", "truth",
                  "error", "covers_truth"]].reset_index(drop=True)
    return with_labels(table, lang)


# --- the cleaning step and the transfer flags against what the simulator injected ---------
def fault_comparison(quarantine: pd.DataFrame, truth: Mapping) -> pd.DataFrame:
    """Compare the faults the simulator injected with the rows cleaning quarantined, per kind.

    For the bundled (simulated) data the quarantine must hold exactly the injected faults of
    the kinds that are quarantined; the other kinds are repaired or read as they are. A kind
    quarantined but never injected (``injected`` 0) is a problem of the export itself.

    Parameters
    ----------
    quarantine : pandas.DataFrame
        The quarantine table.
    truth : mapping
        The simulator's truth (:func:`evalkit.config.load_truth`), with ``faults``:
        ``{table: {kind: count}}``.

    Returns
    -------
    pandas.DataFrame
        ``table``, ``kind``, ``injected``, ``quarantined``, ``treatment``
        (:data:`QUARANTINED` for kinds of :data:`evalkit.schemas.KIND_REASONS`, else
        :data:`KEPT`), sorted by table and kind.

    Raises
    ------
    ValueError
        When ``truth`` has no ``faults`` (it is not the simulator's truth).

    Examples
    --------
    >>> import pandas as pd
    >>> truth = {"faults": {"skm": {"answer_blank": 3, "duplicate_response": 2}}}
    >>> q = pd.DataFrame({"table": ["skm"] * 2 + ["pegawai"],
    ...                   "kind": ["duplicate_response"] * 2 + ["nip_duplicate"]})
    >>> check = fault_comparison(q, truth)
    >>> check[["table", "kind", "injected", "quarantined"]]
         table                kind  injected  quarantined
    0  pegawai       nip_duplicate         0            1
    1      skm        answer_blank         3            0
    2      skm  duplicate_response         2            2
    >>> check["treatment"].tolist() == [QUARANTINED, KEPT, QUARANTINED]
    True

    """
    faults = truth.get("faults") if isinstance(truth, Mapping) else None
    if not isinstance(faults, Mapping):
        raise ValueError("fault_comparison: truth has no 'faults' ({table: {kind: count}}); "
                         "pass the simulator's truth (evalkit.config.load_truth).")
    injected = pd.DataFrame([(table, kind, n) for table, kinds in faults.items()
                             for kind, n in kinds.items()],
                            columns=["table", "kind", "injected"])
    found = quarantine.groupby(["table", "kind"]).size().rename("quarantined").reset_index()
    check = injected.merge(found, on=["table", "kind"], how="outer")
    check[["injected", "quarantined"]] = check[["injected", "quarantined"]].fillna(0) \
        .astype(int)
    check["treatment"] = np.where(check["kind"].isin(list(KIND_REASONS)), QUARANTINED, KEPT)
    return check.sort_values(["table", "kind"], ignore_index=True)


def transfer_vs_truth(transfer: pd.DataFrame, truth: Mapping[str, Any]) -> pd.DataFrame:
    """Cross-table of the weak-transfer flag against the simulator's known difficulty.

    On simulated data (``truth`` from :func:`evalkit.config.load_truth`) each unit was built
    with or without a high difficulty of applying the training; this shows how many of them
    :func:`transfer_by_unit` flags. Units the simulator does not describe count as not
    built difficult.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"unit": ["A", "B", "C"], "transfer_lemah": [True, False, False]})
    >>> truth = {"unit_characteristics": {"A": {"high_difficulty": True},
    ...          "B": {"high_difficulty": True}, "C": {"high_difficulty": False}}}
    >>> transfer_vs_truth(t, truth).values.tolist()
    [[1, 0], [1, 1]]

    """
    built = {u: bool(c.get("high_difficulty", False))
             for u, c in truth.get("unit_characteristics", {}).items()}
    check = transfer.assign(
        truth_high_difficulty=transfer["unit"].map(built).fillna(False).astype(bool))
    return pd.crosstab(check["truth_high_difficulty"], check["transfer_lemah"].astype(bool))


__all__ = ["KEPT", "QUARANTINED", "attach_truth", "fault_comparison", "transfer_vs_truth",
           "true_event_path", "truth_comparison", "truth_effects", "with_truth"]
