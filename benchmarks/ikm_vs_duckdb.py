"""IKM over 10 million survey answers: evalkit.ikm.compute_ikm beside the same SQL in DuckDB.

Simulates ``--rows`` responses (default 10M) over ``--units`` units × ``--periods`` quarters
with random answers u1…u9 (1–4, ~3% blank, as nullable Int8 like the processed ``skm``
table), then times, in the same process and on the same DataFrame:

* ``compute_ikm(responses)`` (NRR per element, IKM, half-up grade, kinerja);
* the same aggregation and grading written in DuckDB SQL over the DataFrame.

The two run alternately ``--repeat`` times (so both see the same load on a shared machine);
it prints the best and median wall times, the median process CPU time, the ratio (of the best
times and the median of the paired ratios), and the peak memory each adds (resident set size
sampled every 2 ms above the level before the call; tracemalloc's peak for compute_ikm as a
cross-check). Targets (issue 5): compute_ikm ≤ 1.5 × DuckDB's time and
≤ 2 GB.

Run from the project root::

    .venv/bin/python benchmarks/ikm_vs_duckdb.py            # 10M rows
    .venv/bin/python benchmarks/ikm_vs_duckdb.py --rows 1000000 --keys str
"""

from __future__ import annotations

import argparse
import gc
import os
import threading
import time
import tracemalloc

import duckdb
import numpy as np
import pandas as pd
import psutil

from evalkit.ikm import ELEMENTS, compute_ikm


def simulate(rows: int, units: int, periods: int, blank: float, seed: int,
             keys: str) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    unit_names = np.array([f"Unit {i:04d}" for i in range(units)])
    period_names = np.array(pd.period_range("2022Q1", periods=periods, freq="Q")
                            .strftime("%YQ%q"))
    unit_code = rng.integers(0, units, rows)
    period_code = rng.integers(0, periods, rows)
    if keys == "category":  # as Parquet dictionary columns are read
        unit = pd.Categorical.from_codes(unit_code, categories=unit_names)
        period = pd.Categorical.from_codes(period_code, categories=period_names)
    else:  # pandas' default string dtype
        unit = pd.array(unit_names[unit_code], dtype="str")
        period = pd.array(period_names[period_code], dtype="str")
    data = {"unit": unit, "period": period}
    for element in ELEMENTS:
        values = rng.integers(1, 5, rows, dtype=np.int8)
        data[element] = pd.arrays.IntegerArray(values, rng.random(rows) < blank)
    return pd.DataFrame(data)


SQL = """
WITH agg AS (
    SELECT unit, period, count(*) AS n_responses,
           {avgs}
    FROM responses GROUP BY unit, period
), ikm AS (
    SELECT *, ({nrr_sum}) / 9.0 AS ikm_interval FROM agg
), graded AS (
    SELECT *, floor(round(ikm_interval * 2500, 6) + 0.5) / 100 AS ikm FROM ikm
)
SELECT *,
       CASE WHEN ikm >= 88.31 THEN 'A' WHEN ikm >= 76.61 THEN 'B'
            WHEN ikm >= 65.00 THEN 'C' ELSE 'D' END AS mutu
FROM graded ORDER BY unit, period
""".format(avgs=",\n           ".join(f"avg({e}) AS nrr_{e}" for e in ELEMENTS),
           nrr_sum=" + ".join(f"nrr_{e}" for e in ELEMENTS))


class PeakRSS:
    """Sample the process's resident set size in a thread; report the peak above the start."""

    def __init__(self, interval: float = 0.002):
        self.interval = interval
        self.process = psutil.Process(os.getpid())

    def __enter__(self):
        gc.collect()
        self.start = self.peak = self.process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(self.interval)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)
        self.added = self.peak - self.start


def timed(func) -> tuple[float, float, object, int]:
    """Wall time, CPU time of the process (all threads), result and peak RSS added."""
    with PeakRSS() as mem:
        cpu = time.process_time()
        start = time.perf_counter()
        result = func()
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu
    return wall, cpu, result, mem.added


def interleaved(ours, theirs, repeat: int):
    """Run the two alternately, so both see the same load on a shared machine."""
    runs = {"ours": [], "theirs": []}
    results = {}
    for _ in range(repeat):
        for name, func in (("ours", ours), ("theirs", theirs)):
            wall, cpu, results[name], added = timed(func)
            runs[name].append((wall, cpu, added))
    return runs, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--periods", type=int, default=12)
    parser.add_argument("--blank", type=float, default=0.03)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--keys", choices=["category", "str"], default="category",
                        help="dtype of unit/period (category = dictionary-encoded Parquet)")
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads")
    args = parser.parse_args()

    responses = simulate(args.rows, args.units, args.periods, args.blank, args.seed, args.keys)
    size_mb = responses.memory_usage(deep=True).sum() / 1e6
    print(f"rows {len(responses):,}  groups ≤ {args.units * args.periods:,}  keys {args.keys}"
          f"  data in memory {size_mb:,.0f} MB  cores {os.cpu_count()}")

    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    con.register("responses", responses)
    con.execute(SQL).df()  # warm-up (catalog, replacement scan)

    runs, results = interleaved(lambda: compute_ikm(responses),
                                lambda: con.execute(SQL).df(), args.repeat)
    ours, duck = results["ours"], results["theirs"]
    wall_ours = np.array([r[0] for r in runs["ours"]])
    wall_duck = np.array([r[0] for r in runs["theirs"]])
    cpu_ours = np.array([r[1] for r in runs["ours"]])
    cpu_duck = np.array([r[1] for r in runs["theirs"]])
    mem_ours = max(r[2] for r in runs["ours"])
    mem_duck = max(r[2] for r in runs["theirs"])
    t_ci, _, _, mem_ci = timed(lambda: compute_ikm(responses, ci=0.95))

    tracemalloc.start()
    compute_ikm(responses)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # the two must agree before their times mean anything
    keys = ["unit", "period"]
    ours = ours.astype({k: "str" for k in keys}).sort_values(keys).reset_index(drop=True)
    duck = duck.astype({k: "str" for k in keys}).sort_values(keys).reset_index(drop=True)
    assert (ours["n_responses"].to_numpy() == duck["n_responses"].to_numpy()).all()
    np.testing.assert_allclose(ours["ikm_interval"], duck["ikm_interval"], rtol=1e-12)
    assert (ours["mutu"].astype("str").to_numpy() == duck["mutu"].to_numpy()).all()

    print(f"{'':22s} {'best s':>8s} {'median s':>9s} {'CPU s':>7s} {'peak added':>11s}")
    print(f"{'compute_ikm':22s} {wall_ours.min():8.3f} {np.median(wall_ours):9.3f} "
          f"{np.median(cpu_ours):7.3f} {mem_ours / 1e6:8.0f} MB  "
          f"(tracemalloc {traced_peak / 1e6:.0f} MB)")
    print(f"{f'DuckDB SQL ({threads} thr)':22s} {wall_duck.min():8.3f} "
          f"{np.median(wall_duck):9.3f} {np.median(cpu_duck):7.3f} {mem_duck / 1e6:8.0f} MB")
    print(f"ratio compute_ikm / DuckDB: best {wall_ours.min() / wall_duck.min():.2f}, "
          f"median of paired runs {np.median(wall_ours / wall_duck):.2f}  (target <= 1.5)")
    print(f"compute_ikm with ci=0.95: {t_ci:.3f} s, peak +{mem_ci / 1e6:.0f} MB")
    print(f"process peak RSS {psutil.Process().memory_info().rss / 1e9:.2f} GB now; "
          f"target ≤ 2 GB added by compute_ikm")


if __name__ == "__main__":
    main()
