"""Recommendations at province/country scale: element gaps and the mentor assignment.

Two steps of ``evalkit.recommend`` grow with the data:

* ``element_gaps(responses)``: per unit × element NRR against the rest of the city, from
  sums, sums of squares and counts (one groupby over the response table). Timed on
  ``--rows`` simulated responses (nullable Int8 answers, ~3% blank) over ``--units`` units.
* ``solve_assignment(score, allowed, capacity)``: the exact assignment of one unit
  (``linear_sum_assignment`` on mentees × mentors·capacity). Its cost is cubic in the size
  of a unit, not of the city (units are solved one by one), so it is timed for single units
  of growing size.

It prints wall times (best of ``--repeat``) and the peak resident memory each step adds
(sampled every 2 ms). Run from the project root::

    .venv/bin/python benchmarks/recommend_scale.py
    .venv/bin/python benchmarks/recommend_scale.py --rows 10000000 --units 2000
"""

from __future__ import annotations

import argparse
import gc
import threading
import time

import numpy as np
import pandas as pd
import psutil

from evalkit.ikm import ELEMENTS
from evalkit.recommend import element_gaps, solve_assignment


class PeakMemory:
    """Peak RSS above the level at entry, sampled in a thread (MB)."""

    def __enter__(self):
        self.proc = psutil.Process()
        self.base = self.peak = self.proc.memory_info().rss
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.002)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.mb = (self.peak - self.base) / 1e6


def simulate(rows: int, units: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    unit_names = np.array([f"Unit {i:05d}" for i in range(units)], dtype=object)
    frame = pd.DataFrame({"unit": pd.Series(unit_names[rng.integers(0, units, rows)],
                                            dtype="str")})
    for element in ELEMENTS:
        answers = rng.integers(1, 5, rows).astype("float64")
        answers[rng.uniform(size=rows) < 0.03] = np.nan
        frame[element] = pd.array(answers, dtype="Int8")
    return frame


def time_best(fn, repeat: int) -> tuple[float, float]:
    best, peak = np.inf, 0.0
    for _ in range(repeat):
        gc.collect()
        with PeakMemory() as mem:
            start = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - start)
        peak = max(peak, mem.mb)
    return best, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 600, 1000],
                        help="mentees per unit for the assignment (mentors = 60%% of that)")
    parser.add_argument("--capacity", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261127)
    args = parser.parse_args()

    print("element_gaps")
    print(f"{'rows':>12} {'units':>6} {'seconds':>8} {'peak MB':>8}")
    for rows in args.rows:
        responses = simulate(rows, args.units, args.seed)
        seconds, peak = time_best(lambda r=responses: element_gaps(r), args.repeat)
        print(f"{rows:>12,} {args.units:>6} {seconds:>8.2f} {peak:>8.0f}")
        del responses

    print("\nsolve_assignment (one unit)")
    print(f"{'mentees':>8} {'mentors':>8} {'columns':>8} {'seconds':>8} {'peak MB':>8}")
    rng = np.random.default_rng(args.seed)
    for size in args.sizes:
        mentors = int(size * 0.6)
        score = rng.uniform(0, 4, size=(size, mentors))
        allowed = rng.uniform(size=(size, mentors)) < 0.7
        seconds, peak = time_best(
            lambda s=score, a=allowed: solve_assignment(s, a, args.capacity), args.repeat)
        print(f"{size:>8} {mentors:>8} {mentors * args.capacity:>8} {seconds:>8.3f} "
              f"{peak:>8.0f}")


if __name__ == "__main__":
    main()
