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

Measured on the project machine (2 cores shared with other jobs, load 1.7–6), 4 Dec 2026,
19,975,153 responses in 20 files (~1M rows each), 10,280 units, 41,120 unit-quarters:

* end-to-end 12.8–14.7 s at load ~2 (27.8 s and 40.8 s under load 6–7; the 40.8 s run
  was before ``split_out=1``, when Dask chose a P2P shuffle for the groupby);
* stages: map 0.63–0.74 s a partition of 1M rows on one worker (read + moments),
  tree reduction 1.3–1.8 s, finishing 0.2 s, the rest (~5 s) graph building and scheduling;
* peak resident memory 522–569 MB per worker (one partition and its moments);
* on 2,996,909 responses (3 files) the Dask table equals the pandas one to 1.4e-14 in every
  numeric column, NaN in the same cells, the same grades (pandas in-process: 0.5 s — on one
  machine whose memory holds the data, the in-process path is the faster one);
* model for 100M responses on 16 workers: 101 partitions → map ≈ 5 s + reduction and
  finishing ≈ 2 s + fixed ≈ 5 s ≈ 13 s; the driver holds ~300 MB of reduced moments.
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
    from distributed import Client, LocalCluster, wait

    from evalkit.ikm import compute_ikm
    from evalkit.ikm.distributed import _ordered, partition_moments, se_from_moments
    from evalkit.ikm.tally import element_weights

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

        # the stages on the cluster: map (read + moments per partition), tree reduction,
        # finishing on the driver
        elements = [f"u{k}" for k in range(1, 10)]
        keys = ["unit", "period"]
        columns = frame[[*keys, *elements]]
        meta = partition_moments(columns._meta, keys, elements, True)
        start = time.perf_counter()
        moments = columns.map_partitions(partition_moments, keys, elements, True,
                                         meta=meta).persist()
        wait(moments)
        map_seconds = time.perf_counter() - start
        moment_rows = int(moments.map_partitions(len).compute().sum())
        start = time.perf_counter()
        reduced = (moments.groupby(keys, observed=True, sort=False)
                   .sum(split_every=8, split_out=1).compute().reset_index())
        reduce_seconds = time.perf_counter() - start
        del moments
        start = time.perf_counter()
        ordered, _ = _ordered(reduced, keys)
        se_from_moments(ordered, element_weights("exact", elements))
        finish_seconds = time.perf_counter() - start
        n_parts = frame.npartitions
        rows_per_partition = info["n_responses"] / n_parts
        part_seconds = map_seconds * args.workers / n_parts   # one partition on one worker
        per_moment_row = reduce_seconds * args.workers / moment_rows
        per_group = finish_seconds / len(reduced)
        print(f"\nstages: map {map_seconds:.1f} s ({part_seconds:.2f} s a partition of "
              f"{rows_per_partition:,.0f} rows on one worker = "
              f"{part_seconds / rows_per_partition * 1e6:.2f} µs a row), tree reduction "
              f"{reduce_seconds:.1f} s ({moment_rows:,} partition-group rows of "
              f"{reduced.shape[1]} columns), finishing {finish_seconds:.2f} s "
              f"({len(reduced):,} groups)")

        # scaling model: partitions of the same size, units (and so groups) grow with rows
        model_rows, model_workers = args.model_rows, args.model_workers
        scale = model_rows / info["n_responses"]
        model_parts = int(np.ceil(n_parts * scale))
        model_map = np.ceil(model_parts / model_workers) * part_seconds
        model_reduce = moment_rows * scale * per_moment_row / model_workers \
            + len(reduced) * scale * per_group  # last combine + finishing: driver-bound
        # what the stages do not account for: graph building, scheduling, meta, transfer
        overhead = max(seconds - map_seconds - reduce_seconds - finish_seconds, 0.0)
        print(f"\nscaling model: T ≈ {overhead:.1f} s fixed (graph, scheduling; measured "
              f"end-to-end minus stages) + ⌈partitions / workers⌉ × {part_seconds:.2f} s + "
              f"partition-group rows × {per_moment_row * 1e6:.1f} µs / workers + "
              f"groups × {per_group * 1e6:.1f} µs")
        print(f"  {model_rows:,.0f} responses = {model_parts} partitions of "
              f"{rows_per_partition:,.0f} rows, {len(reduced) * scale:,.0f} unit-quarters, on "
              f"{model_workers} workers: map ≈ {model_map:.0f} s + reduction and finishing ≈ "
              f"{model_reduce:.0f} s + fixed {overhead:.0f} s = "
              f"{model_map + model_reduce + overhead:.0f} s; per worker memory "
              f"stays at one partition (here {max(peaks.values()) - min(baseline.values()):,.0f}"
              f" MB above start), the driver holds the reduced moments "
              f"(~{len(reduced) * scale * reduced.shape[1] * 8 / 2**20:,.0f} MB)")
    finally:
        client.close()
        cluster.close()


if __name__ == "__main__":
    main()
