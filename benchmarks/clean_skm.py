"""Speed and peak memory of cleaning SKM survey exports at province scale (~1 M responses).

The files are written by the simulator's own SKM writer (``evalkit.simulate.service.
write_skm_file``: the bundled city's mix of separators, encodings, question orders, label case
and row faults), 30 units x 12 quarters, ~2,800 responses per file. Cleaning
(``evalkit.ingest.read_skm``: read, map answers, validate, redact — with 2,800 roster names,
as ``clean_all`` does —, quarantine) then runs in a fresh child process, so its peak
resident memory is its own. A second child reads the same files with ``pyarrow.csv`` alone
(each file's separator and encoding given, rows that do not parse skipped, nothing else):
the floor of parsing, to which cleaning's time is compared.

Usage (from the project root)::

    .venv/bin/python benchmarks/clean_skm.py                 # ~1.0 M responses
    .venv/bin/python benchmarks/clean_skm.py --per-file 300  # a quick check (~110 k)

Target (issue 4): at least 200,000 responses/s and at most 1.5 GB on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_files(out: Path, per_file: int, seed: int) -> int:
    """Write 30 units x 12 quarters of SKM exports; return the number of rows written."""
    import numpy as np
    import pandas as pd

    from evalkit.simulate import SimulationConfig
    from evalkit.simulate.faults import FaultCounter
    from evalkit.simulate.people import make_units
    from evalkit.simulate.service import write_skm_file

    cfg = SimulationConfig.province()
    units = make_units(cfg, np.random.default_rng(seed))
    periods = pd.period_range(cfg.first_period, periods=cfg.n_quarters, freq="Q")
    counter, pii = FaultCounter(), {"no_hp": 0, "email": 0}
    rows = 0
    for u, unit in units.iterrows():
        rng = np.random.default_rng([seed, u])
        mu = rng.normal(0.8, 0.3, 9)
        for period in periods:
            res = write_skm_file(out / f"{unit['slug']}_{period.year}Q{period.quarter}.csv",
                                 unit=unit, period=period, mu=mu, delta=np.zeros(9),
                                 treated=False, n=per_file, cfg=cfg, rng=rng, counter=counter,
                                 pii=pii)
            rows += res["n_responses"]
    dups = counter.as_dict()["skm"].get("duplicate_response", 0)
    return rows + dups


def roster_names() -> list[str]:
    """Every given name × family name of the simulator's vocabulary (2,800 full names), as
    the roster's names that ``clean_all`` redacts from the suggestions."""
    from evalkit.simulate import texts

    return [f"{first} {last}" for first in texts.MALE_NAMES + texts.FEMALE_NAMES
            for last in texts.SURNAMES_M + texts.SURNAMES_F]


def clean_child(folder: str) -> None:
    """Run in a child process: clean the folder, print a JSON line of figures."""
    from evalkit.ingest import read_skm
    from evalkit.privacy import KnownNames

    start = time.perf_counter()
    result = read_skm(folder, person_names=KnownNames(roster_names()))
    clean, quarantine = result
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rows_in": result.rows_in, "rows_clean": len(clean),
                      "rows_quarantined": len(quarantine), "seconds": seconds,
                      "peak_mib": peak_kib / 1024}))


def arrow_child(folder: str) -> None:
    """Run in a child process: read every file with pyarrow.csv alone, print a JSON line."""
    import pyarrow.csv as pcsv

    from evalkit.ingest._io import sniff_separator

    formats = []  # found before the clock starts: the floor is the parsing alone
    for path in sorted(Path(folder).glob("*.csv")):
        data = path.read_bytes()
        try:
            header = data.decode("utf-8").splitlines()[0]
            encoding = "utf8"
        except UnicodeDecodeError:
            header = data.decode("cp1252").splitlines()[0]
            encoding = "cp1252"
        formats.append((path, encoding, sniff_separator(header.lstrip("\ufeff"))))
    start = time.perf_counter()
    rows = 0
    for path, encoding, separator in formats:
        table = pcsv.read_csv(
            path, read_options=pcsv.ReadOptions(encoding=encoding),
            parse_options=pcsv.ParseOptions(delimiter=separator, newlines_in_values=True,
                                            invalid_row_handler=lambda row: "skip"))
        rows += table.num_rows
    seconds = time.perf_counter() - start
    print(json.dumps({"rows": rows, "seconds": seconds,
                      "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def _child(mode: str, folder: Path) -> dict:
    child = subprocess.run([sys.executable, __file__, mode, str(folder)],
                           capture_output=True, text=True, check=True)
    return json.loads(child.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-file", type=int, default=2800,
                        help="responses per unit-quarter file (360 files)")
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--arrow-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        clean_child(args.child)
        return
    if args.arrow_child:
        arrow_child(args.arrow_child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        written = write_files(folder, args.per_file, args.seed)
        size_mb = sum(p.stat().st_size for p in folder.glob("*.csv")) / 1e6
        print(f"wrote {written:,} rows in {len(list(folder.glob('*.csv')))} files "
              f"({size_mb:,.0f} MB) in {time.perf_counter() - start:.1f} s", flush=True)
        figures = _child("--child", folder)
        floor = _child("--arrow-child", folder)
    assert figures["rows_in"] == written, (figures, written)
    rate = figures["rows_in"] / figures["seconds"]
    print(f"cleaned {figures['rows_in']:,} responses ({figures['rows_quarantined']:,} "
          f"quarantined) in {figures['seconds']:.2f} s")
    print(f"throughput: {rate:,.0f} responses/s   (target >= 200,000)")
    print(f"peak memory of the cleaning process: {figures['peak_mib']:,.0f} MiB "
          f"(target <= 1,536 MiB)")
    print(f"pyarrow.csv alone read {floor['rows']:,} rows in {floor['seconds']:.2f} s "
          f"({floor['rows'] / floor['seconds']:,.0f} rows/s, peak {floor['peak_mib']:,.0f} MiB)")
    print(f"cleaning / parsing floor: {figures['seconds'] / floor['seconds']:.2f}x the time "
          f"({rate / (floor['rows'] / floor['seconds']):.2f} of the floor's rows/s)")


if __name__ == "__main__":
    main()
