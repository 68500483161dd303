"""Speed and memory of evalkit.models.twfe against pyfixest.feols on 1M and 5M rows.

Both fit ``y ~ x + z | unit + time`` clustered by unit on the same simulated panel, once
balanced and once unbalanced (30% of rows dropped at random). pyfixest is warmed up first
(numba compilation excluded). Prints seconds (best of ``--repeats``), the time ratio, the
largest coefficient difference, and the peak memory each fit adds: every (panel, package)
pair is fitted once more in a fresh child process, which builds the panel, warms the
package up on a small one, resets the kernel's high-water mark of its resident memory
(``/proc/self/clear_refs``) and reports the peak during the fit minus the resident memory
before it.

Usage: .venv/bin/python benchmarks/twfe_vs_pyfixest.py [--sizes 1000000 5000000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import warnings
from pathlib import Path

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


def _status_kib(field: str) -> int:
    """A ``VmRSS``/``VmHWM`` line of /proc/self/status, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status (this measure needs Linux)")


def fit_once(package: str, panel: pd.DataFrame):
    if package == "evalkit":
        return twfe(panel, "y", "x", "unit", "time", controls=["z"])
    return pf.feols("y ~ x + z | unit + time", data=panel, vcov={"CRV1": "unit"})


def memory_child(package: str, n_rows: int, keep: float) -> None:
    """In a child process: the peak resident memory (MiB) one fit adds, as a JSON line."""
    warnings.simplefilter("ignore")
    fit_once(package, make_panel(10_000)).coef()  # imports and numba compilation excluded
    panel = make_panel(n_rows, keep=keep)
    Path("/proc/self/clear_refs").write_text("5")  # peak RSS := current RSS
    before = _status_kib("VmRSS")
    fit_once(package, panel).coef()
    print(json.dumps({"added_mib": (_status_kib("VmHWM") - before) / 1024,
                      "panel_mib": panel.memory_usage(deep=True).sum() / 2**20}))


def peak_added(package: str, n_rows: int, keep: float) -> dict:
    child = subprocess.run([sys.executable, __file__, "--child", package, str(n_rows),
                            str(keep)], capture_output=True, text=True, check=True)
    return json.loads(child.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        memory_child(args.child[0], int(args.child[1]), float(args.child[2]))
        return
    warnings.simplefilter("ignore")
    warm = make_panel(10_000)
    pf.feols("y ~ x + z | unit + time", data=warm, vcov={"CRV1": "unit"}).coef()
    twfe(warm, "y", "x", "unit", "time", controls=["z"])

    print(f"{'rows':>10} {'panel':>10} {'evalkit s':>10} {'pyfixest s':>11} {'ratio':>6} "
          f"{'max |Δcoef|':>12} {'max SE ratio-1':>15} {'data MiB':>9} {'evalkit +MiB':>13} "
          f"{'pyfixest +MiB':>14}")
    for n_rows in args.sizes:
        for label, keep in (("balanced", 1.0), ("unbalanced", 0.7)):
            panel = make_panel(n_rows, keep=keep)
            n_kept = len(panel)
            t_ours, ours = best_of(
                lambda p=panel: twfe(p, "y", "x", "unit", "time", controls=["z"]), args.repeats)
            t_pf, ref = best_of(
                lambda p=panel: pf.feols("y ~ x + z | unit + time", data=p,
                                         vcov={"CRV1": "unit"}), args.repeats)
            dcoef = np.abs(ours.coef().to_numpy() - ref.coef().to_numpy()).max()
            dse = np.abs(ours.se().to_numpy() / ref.se().to_numpy() - 1).max()
            del panel, ours, ref
            mem_ours = peak_added("evalkit", n_rows, keep)
            mem_pf = peak_added("pyfixest", n_rows, keep)
            print(f"{n_kept:>10,} {label:>10} {t_ours:>10.2f} {t_pf:>11.2f} "
                  f"{t_ours / t_pf:>6.2f} {dcoef:>12.1e} {dse:>15.1e} "
                  f"{mem_ours['panel_mib']:>9,.0f} {mem_ours['added_mib']:>13,.0f} "
                  f"{mem_pf['added_mib']:>14,.0f}", flush=True)


if __name__ == "__main__":
    main()
