"""The ``evalkit`` command.

``evalkit run`` executes every numbered notebook into a run folder, ``evalkit reference``
refreshes the committed notebooks' outputs, ``evalkit simulate`` writes a simulated city.

Examples
--------
Run the whole pipeline on the bundled data, report in English::

    evalkit run --lang en

Run on your own exports, only the cleaning and IKM notebooks::

    evalkit run --raw-dir ~/exports/2026 --only 01,02
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from evalkit import __version__


def _split_numbers(text: str) -> list[str]:
    numbers = [part.strip() for part in text.split(",") if part.strip()]
    bad = [n for n in numbers if not n.isdigit()]
    if bad:
        raise argparse.ArgumentTypeError(f"--only takes notebook numbers like 01,02; got {text!r}")
    return [n.zfill(2) for n in numbers]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``evalkit`` command."""
    parser = argparse.ArgumentParser(
        prog="evalkit",
        description="Evaluate civil-servant development programmes with reproducible notebooks.",
    )
    parser.add_argument("--version", action="version", version=f"evalkit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="execute every numbered notebook into reports/<run>")
    run.add_argument("--params", metavar="FILE", help="YAML file overriding config/pipeline.yaml")
    run.add_argument("--raw-dir", metavar="DIR", help="folder of raw exports (default: bundled)")
    run.add_argument("--output", metavar="DIR", help="run folder (default: reports/run-<time>)")
    run.add_argument("--only", type=_split_numbers, metavar="NN,NN",
                     help="run only these notebooks, e.g. 01,02")
    run.add_argument("--lang", choices=("id", "en"), help="report language")
    run.add_argument("--notebooks", metavar="DIR", default=None,
                     help="folder of numbered notebooks (default: notebooks/)")
    run.add_argument("--quiet", action="store_true", help="no progress display")

    reference = commands.add_parser(
        "reference", help="re-execute the committed notebooks in place (new nbval baseline)")
    reference.add_argument("--only", type=_split_numbers, metavar="NN,NN")
    reference.add_argument("--quiet", action="store_true")

    simulate = commands.add_parser("simulate", help="write a simulated city's raw exports")
    simulate.add_argument("--seed", type=int, default=20261127)
    simulate.add_argument("--out", metavar="DIR", required=True, help="folder to write")
    simulate.add_argument("--preset", choices=("small", "city", "province"), default="city",
                          help="size of the city (default: city, the bundled data)")
    return parser


def _run(args: argparse.Namespace) -> int:
    from evalkit.config import NOTEBOOKS_DIR, load_params
    from evalkit.pipeline import run_pipeline

    flags = {"raw_dir": args.raw_dir, "lang": args.lang}
    params = load_params(args.params, {k: v for k, v in flags.items() if v is not None})
    result = run_pipeline(params, run_dir=args.output, only=args.only,
                          notebooks_dir=args.notebooks or NOTEBOOKS_DIR,
                          progress=not args.quiet)
    for outcome in result.notebooks:
        if outcome.status == "failed":
            print(f"FAILED {outcome.error}", file=sys.stderr)
            print(f"The executed notebook is kept for inspection: "
                  f"{result.run_dir / 'notebooks' / outcome.notebook}", file=sys.stderr)
            return 1
    print(f"Run finished: {result.run_dir}")
    summary = result.run_dir / "summary.html"
    if summary.exists():
        print(f"Report: {summary}")
    return 0


def _reference(args: argparse.Namespace) -> int:
    from evalkit.pipeline import discover_notebooks, execute_in_place

    notebooks = discover_notebooks(only=args.only)
    for index, path in enumerate(notebooks, start=1):
        print(f"[{index}/{len(notebooks)}] {path.name}", flush=True)
        execute_in_place(path, progress=not args.quiet)
    return 0


def _simulate(args: argparse.Namespace) -> int:
    from evalkit import simulate

    config = getattr(simulate.SimulationConfig, args.preset)()
    simulate.simulate_city(Path(args.out), config, seed=args.seed, progress=True)
    print(f"Simulated city ({args.preset}, seed {args.seed}) written to {args.out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``evalkit`` command; returns the exit code.

    Errors a user can fix (bad parameters, missing files, a failing notebook) print one
    line and exit non-zero, without a traceback.

    Examples
    --------
    A notebook number that does not exist: the message goes to standard error, the exit code
    is 2.

    >>> main(["run", "--only", "99"])
    2
    """
    from evalkit.pipeline import PipelineError

    args = build_parser().parse_args(argv)
    handlers = {"run": _run, "reference": _reference, "simulate": _simulate}
    try:
        return handlers[args.command](args)
    except (PipelineError, ValueError, FileNotFoundError) as exc:
        print(f"evalkit {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
