"""The result of :func:`evalkit.models.staggered_did`.

ATT(g, t), their aggregations as R's ``aggte`` (simple, dynamic with ``balance_e``,
``min_e``, ``max_e``, group, calendar) with pointwise intervals and simultaneous bands, the
parallel-trends pre-test, and the account of the units and observations used and left out.

Examples
--------
See :mod:`evalkit.models.did`.

"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from evalkit.errors import EvalkitWarning
from evalkit.models.did_inference import bootstrap_se, sup_t_critical_value, wald_pretest

AggregateKind = Literal["simple", "dynamic", "group", "calendar"]

#: Columns of :attr:`StaggeredDidResult.left_out`.
LEFT_OUT_COLUMNS = ["unit", "reason"]


class DidDataWarning(EvalkitWarning):
    """Units, observations, cohorts or cells left out of the staggered DiD."""


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


@dataclass(frozen=True)
class StaggeredDidResult:
    """ATT(g, t) with their influence functions, and their aggregations.

    Attributes
    ----------
    att_gt : pandas.DataFrame
        ``group``, ``time``, ``event_time``, ``att``, ``se``, ``ci_low``, ``ci_high``,
        ``n_treated``, ``n_control``, ``cband_low``, ``cband_high``, ``crit_value``.
    influence : numpy.ndarray (n_units, n_att)
        Influence function of each ATT(g, t), one row per unit used.
    group_share : dict
        Share of all units used in each cohort (the aggregation weights).
    unit_group : numpy.ndarray
        Cohort of each unit (0 never treated), aligned with ``influence`` rows.
    control_group, alpha
    multipliers : numpy.ndarray or None
        (biters, n_units) Rademacher multiplier draws of the simultaneous bands (and of the
        standard errors when ``boot``), as R did.
    boot : bool
        Standard errors from the multiplier bootstrap instead of the influence function.
    cband : bool
        Bands are simultaneous (sup-t bootstrap critical value); if False they equal the
        pointwise intervals.
    periods : tuple
        All periods of the data (R's ``tlist``).
    units : pandas.Index
        The units used, aligned with ``influence`` rows.
    n_obs : int
        Unit-period observations used.
    left_out : pandas.DataFrame
        ``unit``, ``reason``: every unit of the input that was not used.
    cohorts : pandas.DataFrame
        ``group``, ``n_units``, ``status``: how each cohort of the input was used.
    skipped_cells : pandas.DataFrame
        ``group``, ``time``, ``event_time``, ``reason``: ATT(g, t) that could not be
        estimated (no comparison units; for unbalanced panels no treated or comparison
        observation in t or the base period).
    est_method, base_period, anticipation, panel
        Settings used; ``panel`` is ``"balanced"`` or ``"unbalanced"``.

    """

    att_gt: pd.DataFrame
    influence: np.ndarray = field(repr=False)
    group_share: dict = field(repr=False)
    unit_group: np.ndarray = field(repr=False)
    control_group: str = "notyettreated"
    alpha: float = 0.05
    multipliers: np.ndarray | None = field(default=None, repr=False)
    boot: bool = False
    cband: bool = True
    periods: tuple = field(default=(), repr=False)
    units: pd.Index | None = field(default=None, repr=False)
    n_obs: int = 0
    left_out: pd.DataFrame = field(default_factory=lambda: _empty(LEFT_OUT_COLUMNS), repr=False)
    cohorts: pd.DataFrame = field(default_factory=lambda: _empty(["group", "n_units", "status"]),
                                  repr=False)
    skipped_cells: pd.DataFrame = field(
        default_factory=lambda: _empty(["group", "time", "event_time", "reason"]), repr=False)
    est_method: str = "dr"
    base_period: str = "varying"
    anticipation: int = 0
    panel: str = "balanced"

    @property
    def n_units(self) -> int:
        """Units used (rows of the influence function)."""
        return int(self.influence.shape[0])

    @property
    def left_out_counts(self) -> pd.DataFrame:
        """``reason``, ``n_units``: the units left out, counted by reason."""
        counts = self.left_out.groupby("reason", sort=True).size()
        return counts.rename("n_units").reset_index()

    # -- inference helpers -------------------------------------------------------------
    def _se(self, inf: np.ndarray) -> np.ndarray:
        """Return the standard errors of the columns of ``inf``.

        NaN for an influence function that is identically zero (the reference cell of a
        universal base period), as R's NA; a numerically tiny one (a noiseless design) keeps
        its value.
        """
        inf = inf.reshape(self.n_units, -1)
        if self.boot and self.multipliers is not None:
            se = bootstrap_se(inf, self.multipliers)
        else:
            # R did: V = IF'IF / n, se = sqrt(V / n).
            se = np.sqrt(np.mean(inf**2, axis=0) / self.n_units)
        return np.where((inf == 0).all(axis=0), np.nan, se)

    def _crit(self, inf: np.ndarray) -> float:
        """Simultaneous critical value over the columns of ``inf`` (R's fall-backs)."""
        z = float(stats.norm.ppf(1 - self.alpha / 2))
        inf = inf.reshape(self.n_units, -1)
        if not self.cband or self.multipliers is None or inf.shape[1] < 2:
            return z
        crit = sup_t_critical_value(inf, self.multipliers, self.alpha)
        if not math.isfinite(crit) or crit < z:
            warnings.warn(f"staggered_did: simultaneous critical value {crit:.3g} unusable; "
                          "pointwise intervals used for the band (as R did).", EvalkitWarning,
                          stacklevel=3)
            return z
        return crit

    def _intervals(self, estimates: np.ndarray, inf: np.ndarray) -> dict[str, object]:
        """``se``, pointwise ``ci_low``/``ci_high`` and the simultaneous band of estimates."""
        z = stats.norm.ppf(1 - self.alpha / 2)
        se = self._se(inf) if inf.shape[1] else np.array([])
        crit = self._crit(inf)
        return {"se": se, "ci_low": estimates - z * se, "ci_high": estimates + z * se,
                "cband_low": estimates - crit * se, "cband_high": estimates + crit * se,
                "crit_value": crit}

    def _table(self, labels: dict, estimates: list, infs: list) -> pd.DataFrame:
        inf = np.column_stack(infs) if infs else np.zeros((self.n_units, 0))
        estimates = np.asarray(estimates, dtype=float)
        return pd.DataFrame({**labels, "estimate": estimates, **self._intervals(estimates, inf)})

    # -- aggregation -------------------------------------------------------------------
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

    def _event_times(self, balance_e, min_e, max_e) -> tuple[np.ndarray, np.ndarray]:
        """Event times of the dynamic aggregation and the cells it may use (R ``aggte``)."""
        groups = self.att_gt["group"].to_numpy()
        times = self.att_gt["time"].to_numpy()
        event = times - groups
        include = np.ones(len(groups), dtype=bool)
        eseq = np.unique(event)
        if balance_e is not None:
            if balance_e < 0 or int(balance_e) != balance_e:
                raise ValueError(f"balance_e={balance_e!r}: use a non-negative whole number.")
            t_max = times.max()
            t_first = min(self.periods) if self.periods else times.min()
            include = t_max - groups >= balance_e
            eseq = np.unique(event[include])
            eseq = eseq[(eseq <= balance_e) & (eseq >= balance_e - t_max + t_first)]
        eseq = eseq[(eseq >= min_e) & (eseq <= max_e)]
        if len(eseq) == 0:
            raise ValueError("aggregate('dynamic'): no event time within balance_e/min_e/max_e.")
        return eseq, include

    def _parts(self, kind: str, balance_e=None, min_e=-np.inf, max_e=np.inf):
        """(label column, labels, estimates, influence functions) of one aggregation."""
        groups = self.att_gt["group"].to_numpy()
        times = self.att_gt["time"].to_numpy()
        att = self.att_gt["att"].to_numpy()
        if kind == "dynamic":
            eseq, include = self._event_times(balance_e, min_e, max_e)
            parts = [self._combine(np.flatnonzero((times - groups == e) & include), groups, True)
                     for e in eseq]
            return "event_time", eseq.astype(int), [p[0] for p in parts], [p[1] for p in parts]
        if kind == "group":
            glist = np.array([g for g in np.unique(groups) if ((groups == g) & (times >= g)).any()])
            rows = [np.flatnonzero((groups == g) & (times >= g)) for g in glist]
            return ("group", glist.astype(int), [float(att[r].mean()) for r in rows],
                    [self.influence[:, r].mean(axis=1) for r in rows])
        if kind == "calendar":
            post = groups <= times
            tlist = np.unique(times[post & (times >= groups.min())])
            parts = [self._combine(np.flatnonzero((times == t) & post), groups, True)
                     for t in tlist]
            return "time", tlist.astype(int), [p[0] for p in parts], [p[1] for p in parts]
        raise ValueError(f"kind={kind!r}: use 'simple', 'dynamic', 'group' or 'calendar'.")

    def aggregate(self, kind: AggregateKind = "simple", balance_e: int | None = None,
                  min_e: float = -np.inf, max_e: float = np.inf) -> pd.DataFrame:
        """Aggregate ATT(g, t) as R's ``aggte(type=kind)``.

        Parameters
        ----------
        kind : {"simple", "dynamic", "group", "calendar"}
            ``simple``: post-treatment ATT(g, t) weighted by cohort size (one row).
            ``dynamic``: by event time e = t − g, cohort-size weighted (rows with
            ``event_time``; pre-treatment e < 0 are placebo comparisons).
            ``group``: mean post-treatment effect of each cohort (rows with ``group``).
            ``calendar``: cohort-size weighted effect of the treated cohorts in each period
            (rows with ``time``).
        balance_e : int, optional
            Dynamic only: keep the cohorts observed for at least ``balance_e`` periods after
            treatment and the event times −… to ``balance_e`` (R's ``balance_e``).
        min_e, max_e : float
            Dynamic only: the event-time window.

        Returns
        -------
        pandas.DataFrame
            ``event_time``/``group``/``time`` (not for simple), ``estimate``, ``se``,
            ``ci_low``, ``ci_high`` (pointwise normal intervals), ``cband_low``,
            ``cband_high`` (simultaneous band over the rows: estimate ± crit_value·se) and
            ``crit_value`` (the bootstrap sup-t critical value; the normal quantile for
            ``simple`` or when ``cband=False``).

        Examples
        --------
        See the module docstring of :mod:`evalkit.models.did`.

        """
        if kind != "dynamic" and (balance_e is not None or np.isfinite(min_e)
                                  or np.isfinite(max_e)):
            raise ValueError("balance_e, min_e and max_e apply to kind='dynamic' only.")
        if kind == "simple":
            groups = self.att_gt["group"].to_numpy()
            rows = np.flatnonzero(groups <= self.att_gt["time"].to_numpy())
            est, inf = self._combine(rows, groups, with_wif=True)
            return self._table({}, [est], [inf])
        label, values, estimates, infs = self._parts(kind, balance_e, min_e, max_e)
        return self._table({label: values}, estimates, infs)

    def overall(self, kind: Literal["dynamic", "group", "calendar"],
                balance_e: int | None = None, min_e: float = -np.inf,
                max_e: float = np.inf) -> pd.DataFrame:
        """R's overall summary line of a dynamic, group or calendar aggregation (one row).

        Dynamic: mean of the event-time effects for e ≥ 0; group: cohort-size weighted mean
        of the group effects (with the weights' estimation effect); calendar: mean of the
        period effects. Columns as :meth:`aggregate` (the band equals the interval).
        """
        label, values, estimates, infs = self._parts(kind, balance_e, min_e, max_e)
        estimates = np.asarray(estimates)
        if kind == "group":
            pg = np.array([self.group_share[g] for g in values])
            weights = pg / pg.sum()
            est = float(weights @ estimates)
            wif = self._weight_if(np.arange(len(values)), np.asarray(values))
            inf = np.column_stack(infs) @ weights + wif @ estimates
        else:
            keep = values >= 0 if kind == "dynamic" else np.ones(len(values), dtype=bool)
            est = float(estimates[keep].mean())
            inf = np.column_stack(infs)[:, keep].mean(axis=1)
        return self._table({}, [est], [inf])

    def pretest(self) -> pd.DataFrame:
        """Wald pre-test of parallel trends printed by R's ``summary(att_gt)``.

        Joint test that all ATT(g, t) with t < g are zero, with the analytical covariance of
        their influence functions (cells of zero variance, e.g. the reference period of a
        universal base period, are left out as in R).

        Returns
        -------
        pandas.DataFrame
            One row: ``statistic``, ``df``, ``p_value`` (R's; NaN when there is no
            pre-period cell or the covariance is singular), ``n_units`` and Hotelling's
            small-sample version ``f_statistic``, ``df_denominator``, ``p_value_f``
            (:func:`~evalkit.models.did_inference.wald_pretest`).

        """
        pre = (self.att_gt["group"] > self.att_gt["time"]).to_numpy()
        return wald_pretest(self.att_gt["att"].to_numpy()[pre], self.influence[:, pre])


__all__ = ["AggregateKind", "DidDataWarning", "StaggeredDidResult"]
