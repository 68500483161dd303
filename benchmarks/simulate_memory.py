"""Time and peak memory of the simulated city at province size (about a million responses).

The SKM exports are generated and written one unit-quarter at a time, so peak memory should
stay bounded by the roster and training records, not grow with the number of responses.
The script runs the chosen preset in a child process per preset (so each peak is its own)
and prints wall time, peak resident memory and the number of responses written.

Usage (from the project root)::

    .venv/bin/python benchmarks/simulate_memory.py                  # province (~1.1 M responses)
    .venv/bin/python benchmarks/simulate_memory.py --preset city small province
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time


def run_one(preset: str, seed: int) -> dict:
    """Generate one preset into a temporary folder; return time, peak memory and sizes."""
    from evalkit.simulate import SimulationConfig, simulate_city

    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        truth = simulate_city(out, getattr(SimulationConfig, preset)(), seed=seed)
        seconds = time.perf_counter() - start
        files = sum(1 for _ in __import__("pathlib").Path(out, "skm").glob("*.csv"))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes
    return {"preset": preset, "seconds": round(seconds, 1), "peak_rss_mb": round(peak_mb),
            "skm_responses": truth["counts"]["skm_rows"], "skm_files": files,
            "asn": truth["config"]["n_asn"], "training_records": truth["counts"]["pelatihan"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", nargs="+", default=["province"],
                        choices=["small", "city", "province"])
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.preset[0], args.seed)))
        return
    print(f"{'preset':<9} {'responses':>10} {'files':>6} {'ASN':>7} {'trainings':>9} "
          f"{'seconds':>8} {'peak RSS MB':>11}")
    for preset in args.preset:
        done = subprocess.run([sys.executable, __file__, "--child", "--preset", preset,
                               "--seed", str(args.seed)], check=True, capture_output=True,
                              text=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{r['preset']:<9} {r['skm_responses']:>10,} {r['skm_files']:>6} {r['asn']:>7,} "
              f"{r['training_records']:>9,} {r['seconds']:>8} {r['peak_rss_mb']:>11,}")


if __name__ == "__main__":
    main()
