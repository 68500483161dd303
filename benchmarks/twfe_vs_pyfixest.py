"""Speed of evalkit.models.twfe against pyfixest.feols on 1M and 5M rows, same run.

Both fit ``y ~ x + z | unit + time`` clustered by unit on the same simulated panel, once
balanced and once unbalanced (30% of rows dropped at random). pyfixest is warmed up first
(numba compilation excluded). Prints seconds (best of ``--repeats``), the time ratio and
the largest coefficient difference.

Usage: .venv/bin/python benchmarks/twfe_vs_pyfixest.py [--sizes 1000000 5000000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd
import pyfixest as pf

from evalkit.models import twfe


def make_panel(n_rows: int, n_periods: int = 20, seed: int = 0, keep: float = 1.0):
    rng = np.random.default_rng(seed)
    n_units = n_rows // n_periods
    unit = np.repeat(np.arange(n_units), n_periods)
    period = np.tile(np.arange(n_periods), n_units)
    alpha = rng.normal(size=n_units)[unit]
    gamma = rng.normal(size=n_periods)[period]
    x = rng.normal(size=len(unit)) + alpha + gamma
    z = rng.normal(size=len(unit))
    y = 0.5 * x - 0.2 * z + alpha + gamma + rng.normal(size=len(unit))
    panel = pd.DataFrame({"unit": unit, "time": period, "x": x, "z": z, "y": y})
    if keep < 1:
        panel = panel[rng.uniform(size=len(panel)) < keep].reset_index(drop=True)
    return panel


def best_of(fn, repeats):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    warm = make_panel(10_000)
    pf.feols("y ~ x + z | unit + time", data=warm, vcov={"CRV1": "unit"}).coef()
    twfe(warm, "y", "x", "unit", "time", controls=["z"])

    print(f"{'rows':>10} {'panel':>10} {'evalkit s':>10} {'pyfixest s':>11} {'ratio':>6} "
          f"{'max |Δcoef|':>12} {'max SE ratio-1':>15}")
    for n_rows in args.sizes:
        for label, keep in (("balanced", 1.0), ("unbalanced", 0.7)):
            panel = make_panel(n_rows, keep=keep)
            t_ours, ours = best_of(
                lambda p=panel: twfe(p, "y", "x", "unit", "time", controls=["z"]), args.repeats)
            t_pf, ref = best_of(
                lambda p=panel: pf.feols("y ~ x + z | unit + time", data=p,
                                         vcov={"CRV1": "unit"}), args.repeats)
            dcoef = np.abs(ours.coef().to_numpy() - ref.coef().to_numpy()).max()
            dse = np.abs(ours.se().to_numpy() / ref.se().to_numpy() - 1).max()
            print(f"{len(panel):>10,} {label:>10} {t_ours:>10.2f} {t_pf:>11.2f} "
                  f"{t_ours / t_pf:>6.2f} {dcoef:>12.1e} {dse:>15.1e}", flush=True)


if __name__ == "__main__":
    main()
