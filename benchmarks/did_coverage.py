"""Coverage of staggered_did's 95% confidence intervals over simulated panels.

Each replication draws a city-like panel (units × quarters, staggered roll-out to three
cohorts plus never-treated units, unit effects, a common trend, AR(1) errors within unit)
with a known, dynamic effect (it grows with time since the roll-out), runs
``staggered_did`` with not-yet-treated controls and records whether the pointwise 95% CI of
the simple aggregate and of each dynamic event time e = 0..2 covers the truth. Target:
92–98% (nominal 95%).

The truth of the simple aggregate is the cohort-size weighted mean of the true ATT(g, t)
over post-treatment cells, computed from the DGP (with the realised cohort sizes).

Usage: .venv/bin/python benchmarks/did_coverage.py [--reps 200] [--units 30] [--periods 12]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from evalkit.models import staggered_did


def true_effect(event_time: np.ndarray) -> np.ndarray:
    """ATT at e periods since roll-out: 1.0 at e = 0, +0.25 per period, 0 before."""
    return np.where(event_time >= 0, 1.0 + 0.25 * event_time, 0.0)


def simulate(rng: np.random.Generator, n_units: int, n_periods: int, rho: float = 0.5):
    cohorts = np.array([0, 4, 7, 10])
    g = rng.choice(cohorts, n_units, p=[0.3, 0.25, 0.25, 0.2])
    unit = np.repeat(np.arange(n_units), n_periods)
    t = np.tile(np.arange(1, n_periods + 1), n_units)
    errors = np.empty((n_units, n_periods))
    errors[:, 0] = rng.normal(size=n_units) / np.sqrt(1 - rho**2)
    for s in range(1, n_periods):  # AR(1) within unit: loop over a dozen periods, not rows
        errors[:, s] = rho * errors[:, s - 1] + rng.normal(size=n_units)
    gu = g[unit]
    event = np.where(gu > 0, t - gu, -1)
    y = (rng.normal(size=n_units)[unit] * 2 + 0.2 * t + true_effect(event) + errors.ravel())
    return pd.DataFrame({"unit": unit, "t": t, "g": gu, "y": y})


def simple_truth(panel: pd.DataFrame) -> float:
    units = panel.drop_duplicates("unit")
    shares = units.loc[units["g"] > 0, "g"].value_counts()
    post = panel[(panel["g"] > 0) & (panel["t"] >= panel["g"])]
    cells = post.groupby(["g", "t"]).size().reset_index()[["g", "t"]]
    weights = cells["g"].map(shares).to_numpy(dtype=float)
    return float(np.sum(weights * true_effect((cells["t"] - cells["g"]).to_numpy()))
                 / weights.sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--units", type=int, default=30)
    parser.add_argument("--periods", type=int, default=12)
    parser.add_argument("--seed", type=int, default=20261127)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    start = time.perf_counter()
    hits: dict[str, list[bool]] = {"simple": [], "e=0": [], "e=1": [], "e=2": []}
    errors = []
    for _ in range(args.reps):
        panel = simulate(rng, args.units, args.periods)
        result = staggered_did(panel, "y", "unit", "t", "g", control_group="notyettreated")
        simple = result.aggregate("simple").iloc[0]
        truth = simple_truth(panel)
        hits["simple"].append(simple["ci_low"] <= truth <= simple["ci_high"])
        errors.append(simple["estimate"] - truth)
        dynamic = result.aggregate("dynamic").set_index("event_time")
        for e in (0, 1, 2):
            row = dynamic.loc[e]
            hits[f"e={e}"].append(row["ci_low"] <= true_effect(np.array(e)) <= row["ci_high"])
    seconds = time.perf_counter() - start
    print(f"staggered_did 95% CI coverage: {args.reps} panels of {args.units} units × "
          f"{args.periods} quarters, not-yet-treated controls, AR(1) errors ρ=0.5")
    for key, values in hits.items():
        share = np.mean(values)
        mc_se = np.sqrt(share * (1 - share) / len(values))
        print(f"  {key:>6}: {100 * share:5.1f}%  (Monte Carlo s.e. {100 * mc_se:.1f} pp)")
    print(f"  bias of simple aggregate: {np.mean(errors):+.4f} "
          f"(RMSE {np.sqrt(np.mean(np.square(errors))):.4f}); {seconds:.1f} s")


if __name__ == "__main__":
    main()
