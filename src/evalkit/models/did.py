"""Staggered difference-in-differences (Callaway & Sant'Anna 2021).

Group-time average effects ATT(g, t) from 2×2 comparisons of each cohort g with never- or
not-yet-treated units, following R's ``did`` package defaults: varying base period for
pre-treatment periods, the doubly robust 2×2 estimator (which without covariates is the
plain difference of mean changes), analytical standard errors from the unit-level influence
function (so clustered by unit), and the aggregations of ``aggte`` (simple, dynamic, group)
including the estimation effect of the cohort-size weights.

Written here rather than called from ``moderndid`` because that package is a test
dependency only (and uses polars); the tests check this code against it and against the
published R output on ``mpdta``.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> units = pd.DataFrame({"u": range(300), "g": rng.choice([0, 3, 5], 300)})
>>> p = units.merge(pd.DataFrame({"t": range(1, 7)}), how="cross")
>>> p["y"] = rng.normal(size=len(p)) + np.where((p.g > 0) & (p.t >= p.g), 1.0, 0.0)
>>> res = staggered_did(p, "y", "u", "t", "g")
>>> abs(float(res.aggregate("simple")["estimate"].iloc[0]) - 1.0) < 0.2
True

"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from evalkit.errors import EvalkitWarning
from evalkit.models.propensity import TRIM_LEVEL, dr_att_if

ControlGroup = Literal["notyettreated", "nevertreated"]
AggregateKind = Literal["simple", "dynamic", "group"]


class DidDataWarning(EvalkitWarning):
    """Units or cohorts left out of the staggered DiD (unbalanced, treated from the start)."""


@dataclass(frozen=True)
class StaggeredDidResult:
    """ATT(g, t) with their influence functions, and their aggregations.

    Attributes
    ----------
    att_gt : pandas.DataFrame
        ``group``, ``time``, ``event_time``, ``att``, ``se``, ``ci_low``, ``ci_high``,
        ``n_treated``, ``n_control``.
    influence : numpy.ndarray (n_units, n_att)
        Influence function of each ATT(g, t), scaled to the full sample of units.
    group_share : dict
        Share of all units in each cohort (the aggregation weights).
    unit_group : numpy.ndarray
        Cohort of each unit (0 never treated), aligned with ``influence`` rows.
    control_group : str
    alpha : float
    multipliers : numpy.ndarray or None
        (biters, n_units) Mammen multiplier draws when the bootstrap was requested; standard
        errors then come from the bootstrap, as R did's default ``bstrap=TRUE``.

    """

    att_gt: pd.DataFrame
    influence: np.ndarray = field(repr=False)
    group_share: dict = field(repr=False)
    unit_group: np.ndarray = field(repr=False)
    control_group: str = "notyettreated"
    alpha: float = 0.05
    multipliers: np.ndarray | None = field(default=None, repr=False)

    @property
    def n_units(self) -> int:
        """Units in the balanced panel used."""
        return int(self.influence.shape[0])

    def _se(self, inf: np.ndarray) -> float:
        if self.multipliers is not None:
            return float(_bootstrap_se(inf[:, None], self.multipliers)[0])
        # R did: V = IF'IF / n, se = sqrt(V / n).
        return float(np.sqrt(np.mean(inf**2) / self.n_units))

    def _weight_if(self, rows: np.ndarray, groups: np.ndarray) -> np.ndarray:
        """Influence of estimating the cohort-share weights (R did's ``wif``)."""
        pg = np.array([self.group_share[g] for g in groups[rows]])
        indicator = (self.unit_group[:, None] == groups[rows][None, :]).astype(float)
        total = pg.sum()
        if1 = (indicator - pg) / total
        if2 = np.outer((indicator - pg).sum(axis=1), pg / total**2)
        return if1 - if2

    def _combine(self, rows: np.ndarray, groups: np.ndarray, with_wif: bool) -> tuple:
        att = self.att_gt["att"].to_numpy()
        pg = np.array([self.group_share[g] for g in groups[rows]])
        weights = pg / pg.sum()
        estimate = float(weights @ att[rows])
        inf = self.influence[:, rows] @ weights
        if with_wif:
            inf = inf + self._weight_if(rows, groups) @ att[rows]
        return estimate, inf

    def aggregate(self, kind: AggregateKind = "simple") -> pd.DataFrame:
        """Aggregate ATT(g, t) as R's ``aggte(type=kind)``.

        Parameters
        ----------
        kind : {"simple", "dynamic", "group"}
            ``simple``: post-treatment ATT(g, t) weighted by cohort size (one row).
            ``dynamic``: by event time e = t − g, cohort-size weighted (rows with
            ``event_time``; pre-treatment e < 0 are placebo comparisons).
            ``group``: mean post-treatment effect of each cohort (rows with ``group``).

        Returns
        -------
        pandas.DataFrame
            ``estimate``, ``se``, ``ci_low``, ``ci_high`` (pointwise normal intervals), plus
            ``event_time`` or ``group``.

        Examples
        --------
        See the module docstring.

        """
        groups = self.att_gt["group"].to_numpy()
        times = self.att_gt["time"].to_numpy()
        z = stats.norm.ppf(1 - self.alpha / 2)
        rows_out = []
        if kind == "simple":
            rows = np.flatnonzero(groups <= times)
            est, inf = self._combine(rows, groups, with_wif=True)
            rows_out.append({"estimate": est, "se": self._se(inf)})
            label = None
        elif kind == "dynamic":
            event = times - groups
            for e in np.unique(event):
                est, inf = self._combine(np.flatnonzero(event == e), groups, with_wif=True)
                rows_out.append({"event_time": int(e), "estimate": est, "se": self._se(inf)})
            label = "event_time"
        elif kind == "group":
            att = self.att_gt["att"].to_numpy()
            for g in np.unique(groups):
                rows = np.flatnonzero((groups == g) & (times >= g))
                if len(rows) == 0:
                    continue
                inf = self.influence[:, rows].mean(axis=1)
                rows_out.append({"group": int(g), "estimate": float(att[rows].mean()),
                                 "se": self._se(inf)})
            label = "group"
        else:
            raise ValueError(f"kind={kind!r}: use 'simple', 'dynamic' or 'group'.")
        table = pd.DataFrame(rows_out)
        table["ci_low"] = table["estimate"] - z * table["se"]
        table["ci_high"] = table["estimate"] + z * table["se"]
        cols = ([label] if label else []) + ["estimate", "se", "ci_low", "ci_high"]
        return table[cols]

    def overall(self, kind: Literal["dynamic", "group"]) -> pd.DataFrame:
        """R's overall summary of a dynamic (mean over e ≥ 0) or group aggregation (one row)."""
        groups = self.att_gt["group"].to_numpy()
        times = self.att_gt["time"].to_numpy()
        att = self.att_gt["att"].to_numpy()
        if kind == "dynamic":
            event = times - groups
            parts = [self._combine(np.flatnonzero(event == e), groups, True)
                     for e in np.unique(event[event >= 0])]
            est = float(np.mean([p[0] for p in parts]))
            inf = np.mean([p[1] for p in parts], axis=0)
        elif kind == "group":
            glist = np.unique(groups[groups <= times])
            est_g, inf_g = [], []
            for g in glist:
                rows = np.flatnonzero((groups == g) & (times >= g))
                est_g.append(att[rows].mean())
                inf_g.append(self.influence[:, rows].mean(axis=1))
            pg = np.array([self.group_share[g] for g in glist])
            weights = pg / pg.sum()
            est = float(weights @ np.array(est_g))
            indicator = (self.unit_group[:, None] == glist[None, :]).astype(float)
            wif = (indicator - pg) / pg.sum() - np.outer((indicator - pg).sum(axis=1),
                                                         pg / pg.sum() ** 2)
            inf = np.column_stack(inf_g) @ weights + wif @ np.array(est_g)
        else:
            raise ValueError(f"kind={kind!r}: use 'dynamic' or 'group'.")
        se = self._se(inf)
        z = stats.norm.ppf(1 - self.alpha / 2)
        return pd.DataFrame([{"estimate": est, "se": se, "ci_low": est - z * se,
                              "ci_high": est + z * se}])


def mammen_multipliers(n_units: int, biters: int, seed: int | None) -> np.ndarray:
    """Mammen's two-point multipliers (mean 0, variance 1), one row per bootstrap draw."""
    rng = np.random.default_rng(seed)
    root5 = np.sqrt(5.0)
    low, high = (1 - root5) / 2, (1 + root5) / 2
    p_low = (root5 + 1) / (2 * root5)
    return np.where(rng.uniform(size=(biters, n_units)) < p_low, low, high)


def _bootstrap_se(influence: np.ndarray, multipliers: np.ndarray) -> np.ndarray:
    """Multiplier-bootstrap standard errors of R did's ``mboot``.

    The interquartile range of sqrt(n)·mean(v·IF) over draws, scaled to a normal SD,
    divided by sqrt(n).
    """
    n = influence.shape[0]
    draws = np.sqrt(n) * (multipliers @ influence) / n
    q75, q25 = np.quantile(draws, [0.75, 0.25], axis=0)
    return (q75 - q25) / (stats.norm.ppf(0.75) - stats.norm.ppf(0.25)) / np.sqrt(n)


def _wide(data: pd.DataFrame, unit: str, time: str, column: str) -> pd.DataFrame:
    return data.pivot(index=unit, columns=time, values=column).sort_index(axis=1)


def staggered_did(data: pd.DataFrame, y: str, unit: str, time: str, first_treated: str,
                  control_group: ControlGroup = "notyettreated",
                  covariates: Sequence[str] | None = None, anticipation: int = 0,
                  alpha: float = 0.05, boot: bool = False, biters: int = 1000,
                  seed: int | None = None) -> StaggeredDidResult:
    """Callaway & Sant'Anna (2021) group-time ATTs on a balanced panel.

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel, one row per unit and time.
    y : str
        Outcome column.
    unit : str
        Unit identifier.
    time : str
        Integer time (e.g. the quarter index ``t``).
    first_treated : str
        Time of first treatment, constant within unit, ``0`` for never treated. Cohorts
        treated after the last period count as never treated; cohorts treated in the first
        period are dropped (no pre-period), with a :class:`DidDataWarning`.
    control_group : {"notyettreated", "nevertreated"}
        Comparison units: never treated plus those not yet treated by the later of t and
        the base period (the default here; R's default is ``"nevertreated"``), or never
        treated only.
    covariates : sequence of str, optional
        Conditioning covariates (taken at the base period); uses the doubly robust 2×2
        estimator of Sant'Anna & Zhao (2020) as R's ``est_method="dr"``.
    anticipation : int
        Periods of anticipation (shifts the base period back).
    alpha : float
        1 − confidence level of the pointwise intervals.
    boot : bool, default False
        Standard errors from R did's multiplier bootstrap (Mammen weights over units,
        ``biters`` draws, reproducible with ``seed``) instead of the analytical ones.
    biters, seed
        Bootstrap draws and seed.

    Returns
    -------
    StaggeredDidResult

    Examples
    --------
    See the module docstring.

    """
    if control_group not in ("notyettreated", "nevertreated"):
        raise ValueError(f"control_group={control_group!r}: use 'notyettreated' or "
                         "'nevertreated'.")
    covariates = list(covariates or [])
    needed = [y, unit, time, first_treated, *covariates]
    absent = [c for c in needed if c not in data.columns]
    if absent:
        raise KeyError(f"staggered_did: column(s) {', '.join(absent)} not in the data.")
    frame = data[needed]
    if frame.duplicated([unit, time]).any():
        raise ValueError(f"Several rows share the same ({unit}, {time}); the panel needs one "
                         "row per unit and period.")
    per_unit = frame.groupby(unit)[first_treated].nunique(dropna=False)
    if (per_unit > 1).any():
        bad = per_unit[per_unit > 1].index[:5].tolist()
        raise ValueError(f"{first_treated!r} varies within unit(s) {bad}; it must be constant.")

    outcome = _wide(frame, unit, time, y)
    tlist = outcome.columns.to_numpy()
    complete = outcome.notna().all(axis=1)
    for cov in covariates:
        complete &= _wide(frame, unit, time, cov).notna().all(axis=1)
    if not complete.all():
        warnings.warn(f"staggered_did: {int((~complete).sum())} unit(s) without a complete "
                      f"series of {y!r}{' and covariates' if covariates else ''} were left out "
                      "(balanced panel, as R did's default).", DidDataWarning, stacklevel=2)
    outcome = outcome[complete]
    g_unit = frame.groupby(unit)[first_treated].first().reindex(outcome.index).to_numpy()
    g_unit = np.where(g_unit > tlist.max(), 0, g_unit)
    early = (g_unit > 0) & (g_unit <= tlist.min() + anticipation)
    if early.any():
        warnings.warn(f"staggered_did: {int(early.sum())} unit(s) treated in the first period "
                      "have no pre-period and were left out.", DidDataWarning, stacklevel=2)
        outcome = outcome[~early]
        g_unit = g_unit[~early]
    if control_group == "nevertreated" and not (g_unit == 0).any():
        raise ValueError("control_group='nevertreated' but no unit has first_treated 0.")
    Y = outcome.to_numpy(dtype=float)
    covs = {c: _wide(frame, unit, time, c).loc[outcome.index].to_numpy(dtype=float)
            for c in covariates}
    n = len(g_unit)
    glist = np.unique(g_unit[g_unit > 0])
    group_share = {g: float(np.mean(g_unit == g)) for g in glist}

    records, influences = [], []
    for g in glist:
        base_universal = np.flatnonzero(tlist + anticipation < g)
        for ti in range(1, len(tlist)):
            t_now = tlist[ti]
            pre = ti - 1 if t_now < g else base_universal[-1]
            treated = g_unit == g
            if control_group == "nevertreated":
                control = g_unit == 0
            else:
                horizon = tlist[max(ti, pre)] + anticipation
                control = (g_unit == 0) | ((g_unit > horizon) & (g_unit != g))
            if not control.any():
                continue
            sub = treated | control
            dy = Y[sub, ti] - Y[sub, pre]
            d = treated[sub].astype(float)
            n_sub = int(sub.sum())
            if covariates:
                X = np.column_stack([np.ones(n_sub)] + [covs[c][sub, pre] for c in covariates])
                att, inf_sub, _ = dr_att_if(dy, d, X, trim_level=TRIM_LEVEL)
            else:
                # Without covariates the DR estimator is the difference of mean changes.
                p1, p0 = d.mean(), 1 - d.mean()
                mu1, mu0 = dy[d == 1].mean(), dy[d == 0].mean()
                att = mu1 - mu0
                inf_sub = d * (dy - mu1) / p1 - (1 - d) * (dy - mu0) / p0
            inf = np.zeros(n)
            inf[sub] = inf_sub * n / n_sub
            influences.append(inf)
            records.append({"group": int(g), "time": int(t_now), "event_time": int(t_now - g),
                            "att": float(att), "n_treated": int(treated.sum()),
                            "n_control": int(control.sum())})
    if not records:
        raise ValueError("staggered_did: no cohort has both a pre-period and comparison units.")
    att_gt = pd.DataFrame(records)
    influence = np.column_stack(influences)
    multipliers = mammen_multipliers(n, biters, seed) if boot else None
    if multipliers is not None:
        att_gt["se"] = _bootstrap_se(influence, multipliers)
    else:
        att_gt["se"] = np.sqrt(np.mean(influence**2, axis=0) / n)
    z = stats.norm.ppf(1 - alpha / 2)
    att_gt["ci_low"] = att_gt["att"] - z * att_gt["se"]
    att_gt["ci_high"] = att_gt["att"] + z * att_gt["se"]
    att_gt = att_gt[["group", "time", "event_time", "att", "se", "ci_low", "ci_high",
                     "n_treated", "n_control"]]
    return StaggeredDidResult(att_gt=att_gt, influence=influence, group_share=group_share,
                              unit_group=g_unit, control_group=control_group, alpha=alpha,
                              multipliers=multipliers)


__all__ = ["DidDataWarning", "StaggeredDidResult", "staggered_did"]
