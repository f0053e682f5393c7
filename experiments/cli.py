"""The ``verbinding`` command line.

Every mistake in the input (unknown or out-of-range parameter, malformed scenario
file, bad flag, unusable output folder) ends with a one-line message on standard
error and exit code 2, before anything is written.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

import numpy as np

from experiments import docs, validation
from experiments.output import OutputError, Staging, check_target, dump_json
from experiments.replicates import package_version, run_scenarios
from experiments.scenarios import ScenarioError, available, load
from model.metrics import METRICS
from model.parameters import ParameterError, parse_value

EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input from the user; the message is shown as is."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage dump
        raise UsageError(message)


def _positive(flag: str):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{flag} must be a whole number, not {text!r}") from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"{flag} must be at least 1, not {value}")
        return value
    return parse


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed must be a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"--seed must be 0 or more, not {value}")
    return value


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--scale must be a number, not {text!r}") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"--scale must be in (0, 1], not {value:g}")
    return value


def _assignment(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"--set takes NAME=VALUE, not {text!r}")
    return name.strip(), value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of all subcommands."""
    parser = _Parser(prog="verbinding", description="Workload versus connection: an "
                     "agent-based model of professionals and their clients.")
    parser.add_argument("--version", action="version", version=package_version())
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run scenarios with replicates and summarise")
    run.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                     help="scenario name (see 'verbinding scenarios') or .toml file")
    run.add_argument("--replicates", type=_positive("--replicates"), default=10,
                     help="replicates per scenario (default 10)")
    run.add_argument("--seed", type=_seed, default=None,
                     help="root seed (default: a fresh one, printed with the results)")
    run.add_argument("--weeks", type=_positive("--weeks"), default=None,
                     help="weeks to simulate (overrides the scenarios)")
    run.add_argument("--set", type=_assignment, action="append", default=[],
                     metavar="NAME=VALUE", help="override a parameter in every scenario")
    run.add_argument("--out", type=Path, default=None,
                     help="new folder for summary.csv, weekly.csv, clients.csv, "
                          "professionals.csv and run.json")
    run.add_argument("--json", action="store_true", help="print JSON instead of a table")

    val = commands.add_parser("validate", help="reproduce the empirical patterns of the "
                              "model and report (exit 1 if one fails)")
    val.add_argument("--replicates", type=_positive("--replicates"), default=20,
                     help="paired replicates per arm (default 20)")
    val.add_argument("--seed", type=_seed, default=2024, help="root seed (default 2024)")
    val.add_argument("--scale", type=_scale, default=validation.DEFAULT_SCALE,
                     help="size of the organisations relative to the presets "
                          f"(default {validation.DEFAULT_SCALE})")
    val.add_argument("--workers", type=_positive("--workers"), default=None,
                     help="processes (default: all cores)")
    val.add_argument("--out", type=Path, default=None,
                     help="new folder for report.md, report.json and the figures")
    val.add_argument("--odd", action="store_true",
                     help="also write the report (and screen) into docs/ODD.md")
    val.add_argument("--screen", action="store_true",
                     help="also screen the sensitivity of each pattern, one parameter at "
                          "a time (slower)")

    bench = commands.add_parser("bench", help="measure speed and memory against Mesa")
    bench.add_argument("--json", action="store_true", help="print JSON")

    commands.add_parser("scenarios", help="list the shipped scenarios")

    docs_cmd = commands.add_parser("docs", help="regenerate the tables in docs/ODD.md")
    docs_cmd.add_argument("--check", action="store_true",
                          help="only check that docs/ODD.md is up to date (exit 1 if not)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``verbinding`` console script."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = build_parser().parse_args(argv)
        return _COMMANDS[args.command](args, argv)
    except (UsageError, ParameterError, ScenarioError, OutputError) as error:
        print(f"verbinding: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("verbinding: interrupted; nothing was written", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace, argv: list[str]) -> int:
    extra = {name: parse_value(name, text) for name, text in args.set}
    if args.weeks is not None:
        extra["weeks"] = args.weeks
    scenarios = [load(ref).with_overrides(**extra) for ref in args.scenarios]
    names = [s.name for s in scenarios]
    twice = {n for n in names if names.count(n) > 1}
    if twice:
        raise UsageError(f"scenario '{sorted(twice)[0]}' given twice; names must differ")
    if args.out is not None:
        check_target(args.out)
    seed = args.seed if args.seed is not None else int(
        np.random.SeedSequence().entropy % 2**32)
    command = shlex.join(["verbinding", *argv])
    results = run_scenarios(scenarios, args.replicates, seed, args.out, command,
                            progress=_progress_printer())
    if args.json:
        print(dump_json({"root_seed": seed, "scenarios": [
            {"name": r.scenario.name, "replicates": len(r.metrics), "metrics": r.summary()}
            for r in results]}))
    else:
        print(_table(results, seed))
        if args.out is not None:
            print(f"\nResults written to {args.out}/")
    return 0


def _progress_printer():
    if not sys.stderr.isatty():
        return None

    def show(line: str) -> None:
        print(f"\r{line:<60}", end="", file=sys.stderr, flush=True)
    return show


def _table(results, seed: int) -> str:
    first = results[0].parameters
    lines = [f"Verbinding {package_version()}: {len(results[0].metrics)} replicates per "
             f"scenario, root seed {seed}; measured over weeks {first['warmup_weeks'] + 1}-"
             f"{first['weeks']}; mean [95% interval]"]
    width = max(26, *(len(r.scenario.name) + 2 for r in results))
    lines.append(f"{'metric':34}" + "".join(f"{r.scenario.name:<{width}}" for r in results))
    summaries = [r.summary() for r in results]
    for metric in METRICS:
        cells = [_estimate(s[metric.name]) for s in summaries]
        lines.append(f"{metric.name:34}" + "".join(f"{c:<{width}}" for c in cells))
    return "\n".join(lines)


def _estimate(summary: dict) -> str:
    if summary["mean"] is None:
        return "n/a"
    if summary["ci95"] is None:
        return _number(summary["mean"])
    low, high = summary["ci95"]
    return f"{_number(summary['mean'])} [{_number(low)}, {_number(high)}]"


def _number(x: float) -> str:
    size = abs(x)
    if size >= 1000:
        return f"{x:,.0f}"
    if size >= 100:
        return f"{x:.0f}"
    if size >= 10:
        return f"{x:.1f}"
    return f"{x:.3f}"


def _validate(args: argparse.Namespace, argv: list[str]) -> int:
    if args.out is not None:
        check_target(args.out)
    verdicts = validation.validate(args.replicates, args.seed, args.scale, args.workers)[0]
    print(validation.report(verdicts))
    table = validation.markdown_table(verdicts, args.replicates, args.seed, args.scale)
    screen = None
    if args.screen:
        rows = validation.screen(max(2, args.replicates // 4), args.seed, args.scale,
                                 args.workers)
        screen = validation.screen_table(rows)
        print("\n" + screen)
    if args.out is not None:
        with Staging(args.out) as staging:
            validation.write_outputs(verdicts, staging.path, table)
            if screen:
                (staging.path / "screen.md").write_text(screen + "\n", encoding="utf-8")
        print(f"\nReport and figures written to {args.out}/")
    if args.odd:
        docs.write_section("VALIDATION", table)
        if screen:
            docs.write_section("SENSITIVITY", screen)
        print(f"updated {docs.ODD}")
    return 0 if all(result.passed for _, result in verdicts) else 1


def _bench(args: argparse.Namespace, argv: list[str]) -> int:
    from experiments import bench

    figures = bench.measure(progress=_progress_printer())
    print(dump_json(figures) if args.json else bench.report(figures))
    return 0


def _scenarios(args: argparse.Namespace, argv: list[str]) -> int:
    for name in available():
        scenario = load(name)
        text = " ".join(scenario.description.get("en", "").split())
        print(f"{name:26} {text}")
    return 0


def _docs(args: argparse.Namespace, argv: list[str]) -> int:
    if args.check:
        stale = docs.stale()
        if stale:
            print(f"verbinding: {stale} is out of date; run 'verbinding docs'", file=sys.stderr)
            return 1
        return 0
    print(f"updated {docs.update()}")
    return 0


_COMMANDS = {"run": _run, "validate": _validate, "bench": _bench, "scenarios": _scenarios,
             "docs": _docs}

if __name__ == "__main__":
    sys.exit(main())
