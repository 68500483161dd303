"""IKM per unit-quarter on a national SKM survey from Parquet, on a local Dask cluster.

Generates the survey with evalkit.simulate.nation into a scratch folder when absent, then:

1. times ``compute_ikm(dd.read_parquet(...), ci=0.95)`` on ``--workers`` worker processes
   and reads each worker's peak resident memory (``ru_maxrss`` through ``client.run``);
2. checks the Dask result against the pandas path on a subset of whole files (about
   ``--subset`` rows): every column to 1e-9, the same grades;
3. measures the parts of the cost (one partition's read + moments in-process, the
   reduction and finishing) and writes a scaling model for ``--model-rows`` responses on
   ``--model-workers`` workers.

Run from the project root::

    PYTHONPATH=src .venv/bin/python benchmarks/ikm_dask.py --rows 20000000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def _start_rss_sampler(dask_worker) -> float:
    """Sample this worker's resident memory every 20 ms in a thread; return it now (MB).

    ``ru_maxrss`` would not do: a worker process may inherit its parent's peak.
    """
    import threading

    import psutil

    process = psutil.Process()
    state = {"peak": process.memory_info().rss, "stop": False}

    def sample() -> None:
        while not state["stop"]:
            state["peak"] = max(state["peak"], process.memory_info().rss)
            time.sleep(0.02)

    threading.Thread(target=sample, daemon=True).start()
    dask_worker.evalkit_rss = state
    return state["peak"] / 2**20


def _stop_rss_sampler(dask_worker) -> float:
    """Stop the sampler; return the peak resident memory it saw (MB)."""
    state = dask_worker.evalkit_rss
    state["stop"] = True
    return state["peak"] / 2**20


def _read_file(path: Path) -> pd.DataFrame:
    """One file of the dataset with its period (from the folder name ``period=P``)."""
    return pd.read_parquet(path).assign(period=path.parent.name.split("=")[1])


def _dataset(rows: int, folder: Path | None) -> tuple[Path, dict]:
    from evalkit.simulate.nation import NATION_INFO, NationConfig, simulate_nation_skm

    config = NationConfig.nation().scaled(rows)
    folder = folder or Path(tempfile.gettempdir()) / f"evalkit-nation-{config.n_governments}"
    info_file = folder / NATION_INFO
    if info_file.exists():
        info = json.loads(info_file.read_text())
        if info["config"]["n_governments"] == config.n_governments:
            print(f"data: {folder} (existing, {info['n_responses']:,} responses)")
            return folder, info
    start = time.perf_counter()
    info = simulate_nation_skm(folder, config)
    print(f"data: generated {info['n_responses']:,} responses, {info['n_units']:,} units, "
          f"{info['n_files']} files in {time.perf_counter() - start:.1f} s → {folder}")
    return folder, info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=20e6)
    parser.add_argument("--subset", type=float, default=2e6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", type=Path, default=None, help="dataset folder (scratch)")
    parser.add_argument("--model-rows", type=float, default=100e6)
    parser.add_argument("--model-workers", type=int, default=16)
    args = parser.parse_args()

    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    from evalkit.ikm import compute_ikm
    from evalkit.ikm.distributed import partition_moments

    folder, info = _dataset(int(args.rows), args.data)
    files = sorted(folder.rglob("*.parquet"))

    cluster = LocalCluster(n_workers=args.workers, processes=True, threads_per_worker=1,
                           dashboard_address=None)
    client = Client(cluster)
    try:
        frame = dd.read_parquet(folder)
        # warm-up on one file: workers import evalkit, pandas and pyarrow once
        start = time.perf_counter()
        compute_ikm(dd.from_map(_read_file, files[:1]), ci=0.95)
        print(f"warm-up on one file (workers import evalkit): "
              f"{time.perf_counter() - start:.1f} s")
        baseline = client.run(_start_rss_sampler)
        start = time.perf_counter()
        table = compute_ikm(frame, by=("unit", "period"), ci=0.95)
        seconds = time.perf_counter() - start
        peaks = client.run(_stop_rss_sampler)
        print(f"\nDask IKM on {info['n_responses']:,} responses, {frame.npartitions} "
              f"partitions, {args.workers} workers: {seconds:.1f} s, {len(table):,} "
              f"unit-quarters")
        for worker, peak in peaks.items():
            print(f"  peak RSS {worker}: {peak:,.0f} MB (at start {baseline[worker]:,.0f} MB)")

        # equality with pandas on whole files of about --subset rows
        subset, n = [], 0
        for path in files:
            if n >= args.subset:
                break
            subset.append(path)
            n += pd.read_parquet(path, columns=["u1"]).shape[0]
        pandas_frame = pd.concat([_read_file(p) for p in subset], ignore_index=True)
        start = time.perf_counter()
        expected = compute_ikm(pandas_frame, ci=0.95)
        pandas_seconds = time.perf_counter() - start
        dask_subset = dd.from_map(_read_file, subset)
        got = compute_ikm(dask_subset, ci=0.95)
        numeric = expected.select_dtypes("number").columns
        diff = float(np.nanmax(np.abs(got[numeric].to_numpy() - expected[numeric].to_numpy())))
        same_nan = bool((got[numeric].isna().to_numpy() == expected[numeric].isna()
                         .to_numpy()).all())
        same_grades = bool(got["mutu"].equals(expected["mutu"]))
        print(f"\nequality on {len(pandas_frame):,} responses ({len(subset)} files): "
              f"max |dask − pandas| = {diff:.2e} over {len(numeric)} numeric columns, "
              f"NaN in the same cells: {same_nan}, grades equal: {same_grades}; "
              f"pandas compute_ikm took {pandas_seconds:.1f} s in-process")
        del pandas_frame

        # per-partition cost, in-process (read + moments), and the reduction
        path = files[0]
        start = time.perf_counter()
        part = _read_file(path)
        read_seconds = time.perf_counter() - start
        start = time.perf_counter()
        moments = partition_moments(part, ["unit", "period"], [f"u{k}" for k in range(1, 10)],
                                    pairs=True)
        moment_seconds = time.perf_counter() - start
        rows_per_partition = len(part)
        per_row = (read_seconds + moment_seconds) / rows_per_partition
        groups = len(table)
        reduce_share = seconds - per_row * info["n_responses"] / args.workers
        print(f"\none partition in-process: {rows_per_partition:,} rows, read "
              f"{read_seconds:.2f} s, moments {moment_seconds:.2f} s "
              f"({per_row * 1e6:.2f} µs a row); moments {len(moments):,} groups × "
              f"{moments.shape[1]} columns = {moments.memory_usage().sum() / 2**20:.1f} MB")
        partitions = per_row * info["n_responses"] / args.workers
        print(f"measured total {seconds:.1f} s = partitions {partitions:.1f} s (rows × cost / "
              f"workers) + reduction, finishing and overhead {reduce_share:.1f} s for "
              f"{groups:,} groups")
        model_rows, model_workers = args.model_rows, args.model_workers
        model_groups = groups * model_rows / info["n_responses"]
        # the reduction grows with the groups (one row of ~190 int64 per group and partition
        # combined log_8(partitions) times); scale the measured remainder by groups
        model = (per_row * model_rows / model_workers
                 + max(reduce_share, 0.0) * model_groups / groups)
        print(f"\nscaling model: T ≈ rows × {per_row * 1e6:.2f} µs / workers + "
              f"{max(reduce_share, 0.0) / groups * 1e3:.3f} ms × groups")
        print(f"  {model_rows:,.0f} responses ({model_groups:,.0f} unit-quarters, units "
              f"scaled) on {model_workers} workers ≈ {model:.0f} s; memory per worker stays "
              f"at one partition's ({max(peaks.values()) - min(baseline.values()):,.0f} MB "
              f"above start here), the driver holds the reduced moments "
              f"(~{model_groups * moments.shape[1] * 8 / 2**20:,.0f} MB)")
    finally:
        client.close()
        cluster.close()


if __name__ == "__main__":
    main()
