"""The ``evalkit`` command.

``evalkit check`` inspects a raw folder in seconds and says which notebooks will run,
``evalkit run`` executes the notebooks whose inputs exist into a run folder, ``evalkit
reference`` refreshes the committed notebooks' outputs, ``evalkit simulate`` writes a
simulated city, ``evalkit units`` makes one page per unit of a run.

Examples
--------
Run the whole pipeline on the bundled data, report in English::

    evalkit run --lang en

Two notebooks at a time, the IKM notebooks' heavy steps on a local dask cluster of
4 workers (or ``--scheduler tcp://host:8786`` for a running one)::

    evalkit run --jobs 2 --workers 4

Run on your own exports, described by a ``sources.yaml``, only the cleaning and IKM
notebooks::

    evalkit check --raw-dir ~/exports/2026 --sources ~/exports/sources.yaml
    evalkit run --raw-dir ~/exports/2026 --sources ~/exports/sources.yaml --only 01,02
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


def _reference_selection(text: str) -> list[str]:
    """``--only`` of ``evalkit reference``: notebook numbers and/or ``unit``."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    numbers = [p for p in parts if p != "unit"]
    return _split_numbers(",".join(numbers)) + (["unit"] if "unit" in parts else [])


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1; got {text!r}")
    return int(text)


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
    run.add_argument("--sources", metavar="FILE",
                     help="sources.yaml describing your exports (default: raw folder's own)")
    run.add_argument("--output", metavar="DIR", help="run folder (default: reports/run-<time>)")
    run.add_argument("--only", type=_split_numbers, metavar="NN,NN",
                     help="run only these notebooks, e.g. 01,02")
    run.add_argument("--lang", choices=("id", "en"), help="report language")
    run.add_argument("--notebooks", metavar="DIR", default=None,
                     help="folder of numbered notebooks (default: notebooks/)")
    run.add_argument("--quiet", action="store_true", help="no progress display")
    run.add_argument("--jobs", type=_positive, metavar="N",
                     help="notebooks executing at once (default: the number of cores)")
    dask = run.add_mutually_exclusive_group()
    dask.add_argument("--scheduler", metavar="ADDRESS",
                      help="use this dask.distributed scheduler, e.g. tcp://10.0.0.5:8786, in "
                           "the notebooks that take one (default: everything in-process)")
    dask.add_argument("--workers", type=_positive, metavar="N",
                      help="start a local dask cluster of N workers for the run, closed at "
                           "the end")

    check = commands.add_parser(
        "check", help="inspect a raw folder and say which notebooks will run (no notebook runs)")
    check.add_argument("--raw-dir", metavar="DIR", help="folder of raw exports (default: bundled)")
    check.add_argument("--sources", metavar="FILE",
                       help="sources.yaml describing your exports (default: raw folder's own)")

    reference = commands.add_parser(
        "reference", help="re-execute the committed notebooks in place (new nbval baseline)")
    reference.add_argument("--only", type=_reference_selection, metavar="NN,NN",
                           help="only these notebooks, e.g. 04,06; 'unit' for the unit-report "
                                "notebook (default: all, the unit report last)")
    reference.add_argument("--quiet", action="store_true")

    units = commands.add_parser(
        "units", help="one offline page per unit (papermill, side by side) into <run>/units")
    units.add_argument("--run", metavar="DIR", help="run folder (default: the latest in reports/)")
    units.add_argument("--units", metavar="A,B",
                       help="only these units (names or page slugs, comma-separated)")
    units.add_argument("--lang", choices=("id", "en"), help="page language (default: the run's)")
    units.add_argument("--jobs", type=_positive, metavar="N",
                       help="kernels at once (default: number of CPUs, at most 4)")
    units.add_argument("--quiet", action="store_true", help="no progress lines")

    simulate = commands.add_parser("simulate", help="write a simulated city's raw exports")
    simulate.add_argument("--seed", type=int, default=20261127)
    simulate.add_argument("--out", metavar="DIR", required=True, help="folder to write")
    simulate.add_argument("--preset", choices=("small", "city", "province", "nation"),
                          default="city",
                          help="size of the city (default: city, the bundled data); nation: "
                               "the SKM survey alone of every kabupaten/kota, as a Parquet "
                               "dataset (about 20 million rows)")
    simulate.add_argument("--rows", type=float, metavar="N",
                          help="nation only: scale the survey to about N responses")
    return parser


def _run(args: argparse.Namespace) -> int:
    from evalkit.config import NOTEBOOKS_DIR, load_params
    from evalkit.pipeline import run_pipeline

    flags = {"raw_dir": args.raw_dir, "lang": args.lang,
             "sources_file": _sources_path(args.sources)}
    params = load_params(args.params, {k: v for k, v in flags.items() if v is not None})
    client = None
    if args.scheduler is not None or args.workers is not None:
        from evalkit.distributed import connect, describe_client

        try:  # connect imports distributed: without these options dask is not needed at all
            client = connect(scheduler=args.scheduler, workers=args.workers)
        except ImportError as exc:
            from evalkit.errors import PipelineError

            raise PipelineError(f"--scheduler/--workers need dask.distributed ({exc}). "
                                "Install it (pip install 'dask[distributed]') or run "
                                "without these options.") from None
    try:
        result = run_pipeline(
            params, run_dir=args.output, only=args.only,
            notebooks_dir=args.notebooks or NOTEBOOKS_DIR, progress=not args.quiet,
            jobs=args.jobs,
            dask_scheduler=None if client is None else client.scheduler.address,
            dask_description=None if client is None else describe_client(client))
    finally:
        if client is not None:
            close_client(client, local=args.workers is not None)
    for outcome in result.notebooks:
        if outcome.status == "skipped":
            print(f"SKIPPED {outcome.notebook}: {outcome.reason}")
    failed = [o for o in result.notebooks if o.status == "failed"]
    for outcome in failed:
        print(f"FAILED {outcome.error}", file=sys.stderr)
        print(f"The executed notebook is kept for inspection: "
              f"{result.run_dir / 'notebooks' / outcome.notebook}", file=sys.stderr)
    if failed:
        return 1
    print(f"Run finished: {result.run_dir}")
    summary = result.run_dir / "summary.html"
    if summary.exists():
        print(f"Report: {summary}")
    return 0


def close_client(client: object, *, local: bool) -> None:
    """Close a dask client kept alive for the run, and the local cluster it was started with.

    A cluster given with ``--scheduler`` belongs to someone else and stays up.
    """
    cluster = getattr(client, "cluster", None)
    client.close()
    if local and cluster is not None:
        cluster.close()


def _sources_path(path: str | None) -> str | None:
    """Return ``--sources`` as an absolute path, taken from the working directory."""
    if path is None:
        return None
    resolved = Path(path).expanduser().resolve()
    if not resolved.is_file():
        raise FileNotFoundError(f"sources file {resolved} does not exist. Check the path given "
                                "to --sources.")
    return str(resolved)


def _check(args: argparse.Namespace) -> int:
    from evalkit.config import load_params, resolve_path
    from evalkit.pipeline import discover_notebooks
    from evalkit.run_plan import plan_run

    params = load_params({"raw_dir": args.raw_dir} if args.raw_dir else None)
    raw_dir = (Path(args.raw_dir).expanduser().resolve() if args.raw_dir
               else resolve_path(params["raw_dir"]))
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder {raw_dir} does not exist. Point --raw-dir at the "
                                "folder holding your exports (see data/raw/README.md).")
    sources = _sources_path(args.sources) or (resolve_path(params["sources_file"])
                                              if params.get("sources_file") else None)
    from evalkit.ingest import check_folder  # imported late: a missing folder needs no ingest

    folder = check_folder(raw_dir, sources_file=sources)
    print(folder.to_text())
    print()
    cleaned = folder.tables_expected if folder.can_clean else []
    for planned in plan_run(discover_notebooks(), cleaned):
        print(f"{'will run' if planned.runs else 'skipped '}  {planned.notebook}"
              + ("" if planned.runs else f": {planned.reason}"))
    if not folder.can_clean:
        print("evalkit check: the cleaning step cannot run on this folder. Fix the problems "
              "listed above (or describe the exports in sources.yaml) and check again.",
              file=sys.stderr)
        return 1
    print(f"Ready: evalkit run --raw-dir {raw_dir}" + (f" --sources {sources}" if sources else ""))
    return 0


def _reference(args: argparse.Namespace) -> int:
    from evalkit.pipeline import discover_notebooks, execute_in_place
    from evalkit.units import UNIT_NOTEBOOK

    selected = args.only or []
    numbers = [n for n in selected if n != "unit"]
    # no --only: every numbered notebook, then the unit report (it reads what they write)
    notebooks = discover_notebooks(only=numbers or None) if numbers or not selected else []
    if not selected or "unit" in selected:
        notebooks.append(UNIT_NOTEBOOK)
    for index, path in enumerate(notebooks, start=1):
        print(f"[{index}/{len(notebooks)}] {path.name}", flush=True)
        execute_in_place(path, progress=not args.quiet)
    return 0


def _simulate(args: argparse.Namespace) -> int:
    from evalkit import simulate

    if args.preset == "nation":
        config = simulate.NationConfig.nation()
        if args.rows:
            config = config.scaled(args.rows)
        info = simulate.simulate_nation_skm(Path(args.out), config, seed=args.seed)
        print(f"Simulated national SKM survey (seed {args.seed}): {info['n_responses']:,} "
              f"responses of {info['n_units']:,} units in {info['n_files']} Parquet files, "
              f"written to {args.out}")
        return 0
    if args.rows:
        print("--rows applies to --preset nation only", file=sys.stderr)
        return 2
    config = getattr(simulate.SimulationConfig, args.preset)()
    simulate.simulate_city(Path(args.out), config, seed=args.seed, progress=True)
    print(f"Simulated city ({args.preset}, seed {args.seed}) written to {args.out}")
    return 0


def _units(args: argparse.Namespace) -> int:
    from evalkit.units import units_command  # imported late: `evalkit --help` stays quick

    return units_command(args)


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
    handlers = {"run": _run, "check": _check, "reference": _reference, "simulate": _simulate,
                "units": _units}
    try:
        return handlers[args.command](args)
    except (PipelineError, ValueError, FileNotFoundError) as exc:
        print(f"evalkit {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
