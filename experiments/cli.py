"""The ``verbinding`` command line.

Every mistake in the input (unknown or out-of-range parameter, malformed scenario
file, bad flag, unusable output folder) ends with a one-line message on standard
error and exit code 2, before anything is written.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import os
import shlex
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from experiments import analysis, compare, docs, handout, uncertainty, validation
from experiments.executors import ExecutorError, make_executor
from experiments.output import (
    OutputError,
    Staging,
    check_new_file,
    check_target,
    dump_json,
    shown,
    write_new_file,
)
from experiments.progress import Progress
from experiments.provenance import package_version
from experiments.regime import OVERLOADED, RegimeError
from experiments.replicates import run_scenarios
from experiments.scenarios import ScenarioError, available, load
from experiments.space import SpaceError
from experiments.store import check_folder
from experiments.sweep import ExperimentError, load_experiment, run_sweep
from model.metrics import METRICS
from model.parameters import ParameterError, parse_value, specs

if TYPE_CHECKING:
    import pandas as pd

EXIT_USAGE = 2
#: Longest refusal printed (characters): one line, whatever the input held.
MESSAGE_LIMIT = 2000
#: Most replicates, weeks or workers a flag may ask for: far above any sensible run
#: (a run of 10,000 replicates of the standard scenario takes over an hour on 2 cores).
MAX_COUNT = 10_000
#: Most processes ``--workers`` may start: a large cluster node's cores, and then some.
MAX_WORKERS = 512


class UsageError(Exception):
    """Bad input from the user; the message is shown as is."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage dump
        raise UsageError(message)


def _positive(flag: str, most: int = MAX_COUNT):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{flag} must be a whole number, not {shown(repr(text), 40)}") from None
        if not 1 <= value <= most:
            raise argparse.ArgumentTypeError(f"{flag} must be from 1 to {most:,}, not "
                                             f"{shown(str(value), 20)}")
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


def _overloaded(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--overloaded must be a number, not {text!r}"
                                         ) from None
    if not 0.5 <= value <= 1.2:
        raise argparse.ArgumentTypeError(f"--overloaded must be from 0.5 to 1.2, not {value:g}")
    return value


def _assignment(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"--set takes NAME=VALUE, not {text!r}")
    return name.strip(), value


def _scenario_options(command: argparse.ArgumentParser, scenarios_help: str,
                      replicates: int, out_help: str, replicates_help: str = "") -> None:
    """The options shared by ``run`` and ``compare``."""
    command.add_argument("scenarios", nargs="+", metavar="SCENARIO", help=scenarios_help)
    command.add_argument("--replicates", type=_positive("--replicates"), default=None,
                         help=f"replicates per scenario, paired (default {replicates}"
                              f"{replicates_help})")
    command.set_defaults(default_replicates=replicates)
    command.add_argument("--seed", type=_seed, default=None,
                         help="root seed (default: a fresh one, printed with the results)")
    command.add_argument("--weeks", type=_positive("--weeks"), default=None,
                         help="reported weeks, after the scenario's warm-up (overrides "
                              "the scenarios)")
    command.add_argument("--set", type=_assignment, action="append", default=[],
                         metavar="NAME=VALUE", help="override a parameter in every scenario")
    command.add_argument("--event", action="append", default=[],
                         metavar="week=W[,until=U],NAME=VALUE[,...]",
                         help="change parameters from reported week W (until U) in every "
                              "scenario, after the scenario's own events; repeatable")
    command.add_argument("--out", type=Path, default=None, help=out_help)
    command.add_argument("--json", action="store_true", help="print JSON instead of a table")
    command.add_argument("--workers", type=_positive("--workers", MAX_WORKERS), default=None,
                         help="processes (default: all cores)")


def _executor_options(command: argparse.ArgumentParser) -> None:
    """``--workers`` and ``--scheduler``: where the runs of a sweep or calibration go."""
    command.add_argument("--workers", type=_positive("--workers", MAX_WORKERS), default=None,
                         help="processes (default: all cores)")
    command.add_argument("--scheduler", default=None, metavar="ADDRESS",
                         help="run on a Dask cluster: tcp://host:8786, or 'local'")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of all subcommands."""
    parser = _Parser(prog="verbinding", description="Workload versus connection: an "
                     "agent-based model of professionals and their clients.")
    parser.add_argument("--version", action="version", version=package_version())
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run scenarios with replicates and summarise")
    _scenario_options(run, "scenario name (see 'verbinding scenarios') or .toml file", 10,
                      "new folder for summary.csv, weekly.csv, clients.csv, "
                      "professionals.csv and run.json")
    cmp = commands.add_parser("compare", help="paired comparison of scenarios with a base")
    _scenario_options(cmp, "the base scenario first, then one or more to compare with it",
                      20, "new folder for the files of 'run' plus comparison.csv and figures",
                      f"; {uncertainty.POSTERIOR_REPLICATES} with --posterior, so that its "
                      "intervals come from the draws' own effects")
    cmp.add_argument("--posterior", type=Path, nargs="?", const=uncertainty.SHIPPED,
                     default=None, metavar="FILE",
                     help="run each replicate with a draw of the calibrated parameters (the "
                          "same in every scenario) from FILE (default: the shipped "
                          "posterior), twice with other seeds: each difference gets its "
                          "interval from all uncertainty and from chance alone (twice the "
                          "runs)")
    _every_draw_option(cmp)
    cmp.add_argument("--report", type=Path, default=None, metavar="FILE.html",
                     help="also write the comparison as one self-contained HTML page to "
                          "hand out (scenarios and what each changes, figures, differences "
                          "in words, the command that makes it again); a new file")

    swp = commands.add_parser("sweep", help="run an experiment file (resumable)")
    swp.add_argument("experiment", metavar="EXPERIMENT",
                     help="experiment file, or the name of one in experiments/specs/")
    swp.add_argument("--out", type=Path, default=None,
                     help="results folder (default results/NAME, or results/NAME-quick); "
                          "the same command again resumes it")
    _executor_options(swp)
    swp.add_argument("--quick", action="store_true",
                     help="a reduced version of the design (fewer points, replicates, "
                          "weeks) to try it first")

    ana = commands.add_parser("analyse", help="sensitivity indices or response surfaces "
                              "of a sweep")
    ana.add_argument("folder", type=Path, metavar="DIR", help="a sweep's results folder")

    val = commands.add_parser("validate", help="reproduce the empirical patterns of the "
                              "model and report (exit 1 if one fails)")
    val.add_argument("--replicates", type=_positive("--replicates"), default=20,
                     help="paired replicates per arm (default 20)")
    val.add_argument("--seed", type=_seed, default=2024, help="root seed (default 2024)")
    val.add_argument("--scale", type=_scale, default=validation.DEFAULT_SCALE,
                     help="size of the organisations relative to the presets "
                          f"(default {validation.DEFAULT_SCALE})")
    val.add_argument("--workers", type=_positive("--workers", MAX_WORKERS), default=None,
                     help="processes (default: all cores)")
    val.add_argument("--out", type=Path, default=None,
                     help="new folder for report.md, report.json and the figures")
    val.add_argument("--odd", action="store_true",
                     help="also write the report (and screen) into docs/ODD.md")
    val.add_argument("--screen", action="store_true",
                     help="also run a Morris screen of each pattern's sensitivity "
                          "(about two and a half minutes on 2 cores)")
    val.add_argument("--overloaded", type=_overloaded, default=OVERLOADED, metavar="U",
                     help="planned utilisation the overloaded arms (pattern 7, levers L1, "
                          f"L2, L5) are held at, 0.5 to 1.2 (default {OVERLOADED:g}: an "
                          "assumption, docs/ODD.md section 8)")
    val.add_argument("--posterior", type=Path, nargs="?", const=uncertainty.SHIPPED,
                     default=None, metavar="FILE",
                     help="also judge every check on --draws draws from the "
                          "posterior FILE (default: the shipped one), one replicate a "
                          "draw, and report the share of draws in which each holds")
    val.add_argument("--draws", type=_positive("--draws"), default=None,
                     help="with --posterior: how many draws to judge each check on "
                          "(default: --replicates; 10 leave a share unsure by about 30 "
                          "points, 40 by about 15)")
    _every_draw_option(val)

    cal = commands.add_parser("calibrate", help="fit the uncertain parameters to the "
                              "empirical patterns (ABC-SMC; resumable)")
    cal.add_argument("--quick", action="store_true",
                     help="a small design to try the pipeline (under two minutes on 2 "
                          "cores); its posterior is not for use")
    cal.add_argument("--out", type=Path, default=None,
                     help="results folder (default results/calibration, or "
                          "results/calibration-quick); the same command again resumes it")
    cal.add_argument("--seed", type=_seed, default=2024, help="root seed (default 2024)")
    cal.add_argument("--synthetic", action="store_true",
                     help="a known answer: fit to the model's own statistics at its "
                          "current defaults instead of the sources', and report whether "
                          "each default lies within its posterior interval")
    cal.add_argument("--adopt", action="store_true",
                     help="when done, make the adopted point (a posterior draw that "
                          "fits, report.md) the calibrated "
                          "parameters' defaults (model/calibrated.toml)")
    _executor_options(cal)

    bench = commands.add_parser(
        "bench", help="measure speed and memory against Mesa",
        description="Time the standard scenario (with and without agents) against Mesa's "
                    "BoltzmannWealth in turns, its cost per client-week at ten times the "
                    "size and its peak memory; the options add sweeps, small runs, or "
                    "(alone) where Mesa's and the model's time goes. Figures and their "
                    "meaning: README, 'Performance'.")
    bench.add_argument("--json", action="store_true", help="print JSON")
    bench.add_argument("--sweep", action="store_true",
                       help="also measure sweep throughput on 1 and 2 workers and Dask")
    bench.add_argument("--small", action="store_true",
                       help="also measure small runs (20 professionals): ms per run with "
                            "and without agents, runs per hour on 2 workers")
    bench.add_argument("--mesa", action="store_true",
                       help="only measure where Mesa's agent creation and removal spend "
                            "their time, and the parts of a standard run with agents")

    commands.add_parser("scenarios", help="list the shipped scenarios")

    docs_cmd = commands.add_parser("docs", help="regenerate the tables in docs/ODD.md")
    docs_cmd.add_argument("--check", action="store_true",
                          help="only check that docs/ODD.md is up to date (exit 1 if not)")
    return parser


class Terminated(BaseException):  # a signal, like KeyboardInterrupt
    """SIGTERM (``kill``, ``timeout``): unwound like Ctrl-C, so nothing is half-written."""


#: Set once SIGTERM arrived: raising from the handler can be lost when it runs inside a
#: callback Python ignores exceptions from (a weakref's, as Mesa's agent sets use), so
#: the loops over runs check this after each run as well.
_terminating = threading.Event()


def _terminate(signum, frame) -> None:
    _terminating.set()
    raise Terminated


def _watching(progress):
    """A progress callback that also ends the command once SIGTERM has arrived."""
    def report(*state) -> None:
        if _terminating.is_set():
            raise Terminated
        if progress is not None:
            progress(*state)
    return report


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``verbinding`` console script."""
    argv = sys.argv[1:] if argv is None else argv
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    try:
        args = build_parser().parse_args(argv)
        if getattr(args, "default_replicates", None) and args.replicates is None:
            args.replicates = (uncertainty.POSTERIOR_REPLICATES
                               if getattr(args, "posterior", None) is not None
                               else args.default_replicates)
        return _COMMANDS[args.command](args, argv)
    except (UsageError, ParameterError, ScenarioError, OutputError, ExperimentError,
            SpaceError, ExecutorError, analysis.AnalysisError, RegimeError) as error:
        print(f"verbinding: error: {shown(str(error), MESSAGE_LIMIT)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("verbinding: interrupted; nothing was written", file=sys.stderr)
        return 130
    except Terminated:
        print("verbinding: terminated; nothing was written", file=sys.stderr)
        return 143
    except BrokenPipeError:  # the reader stopped early (`verbinding scenarios | head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
        return 0
    except OSError as error:  # the system refused a path (too long, a loop, ...)
        where = f": {error.filename}" if error.filename else ""
        print(f"verbinding: error: {shown(f'{error.strerror or error}{where}', MESSAGE_LIMIT)}",
              file=sys.stderr)
        return EXIT_USAGE
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _event(text: str) -> dict:
    """An ``--event`` as plain data: ``week=104,until=130,arrivals_per_week=140``.

    Raises:
        UsageError: For text that is not of that form.
        ParameterError: For an unknown parameter or a value of the wrong type.
    """
    flag = f"--event {shown(repr(text), 60)}"
    form = "week=W[,until=U],NAME=VALUE[,...]"
    timing, parameters = {}, {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"{flag}: give {form}, e.g. week=104,arrivals_per_week=140")
        if name in timing or name in parameters:
            raise UsageError(f"{flag}: {shown(name, 40)} given twice")
        if name in ("week", "until"):
            try:
                timing[name] = int(value.strip())
            except ValueError:
                raise UsageError(f"{flag}: {name} must be a whole number (a reported "
                                 f"week), not {shown(repr(value.strip()), 40)}") from None
        else:
            try:
                parameters[name] = parse_value(name, value)
            except ParameterError as error:
                raise ParameterError(f"{flag}: {error}") from None
    if "week" not in timing:
        raise UsageError(f"{flag}: week=W is missing (the first reported week of the "
                         f"change); give {form}")
    if not parameters:
        raise UsageError(f"{flag}: no parameter to change; give {form}")
    return {**timing, "parameters": parameters}


def _scenarios_from(args: argparse.Namespace) -> list:
    extra = {name: parse_value(name, text) for name, text in args.set}
    if args.weeks is not None:
        extra["weeks"] = args.weeks
    events = [_event(text) for text in args.event]
    scenarios = [load(ref).with_overrides(**extra).with_events(*events)
                 for ref in args.scenarios]
    names = [s.name for s in scenarios]
    twice = {n for n in names if names.count(n) > 1}
    if twice:
        raise UsageError(f"scenario '{sorted(twice)[0]}' given twice; names must differ")
    if args.out is not None:
        check_target(args.out)
    return scenarios


def _every_draw_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--every-draw", action="store_true",
                        help="with --posterior, draw also from the parameter sets with "
                             "which a preset sits at its tipping point (left out by "
                             "default: the presets are busy teams below it); a sensitivity")


def _posterior(args: argparse.Namespace) -> pd.DataFrame | None:
    """The posterior a command asked for (None without ``--posterior``).

    Conditioned on the presets' premise unless ``--every-draw``
    (:func:`experiments.uncertainty.below_tipping`).
    """
    if args.posterior is None:
        if args.every_draw:
            raise UsageError("--every-draw needs --posterior")
        return None
    return uncertainty.load(args.posterior, every_draw=args.every_draw)


def _replicated(args: argparse.Namespace, argv: list[str], scenarios: list,
                extra_files=None, posterior=None):
    """Run the scenarios' replicates; with a ``posterior``, each with a draw, twice.

    Returns:
        The root seed, the results (with a posterior: replicate ``k`` with draw ``k``)
        and, with a posterior, the same draws run again with other seeds (else None).
    """
    seed = args.seed if args.seed is not None else int(
        np.random.SeedSequence().entropy % 2**32)
    runs = len(scenarios) * args.replicates * (2 if posterior is not None else 1)
    workers = None if args.workers is None else min(args.workers, runs)  # none idle
    command, again = shlex.join(["verbinding", *argv]), None
    drawn = None if posterior is None else uncertainty.draws(posterior, args.replicates, seed)
    with make_executor(1 if runs == 1 else workers) as executor:
        if posterior is not None:
            again = run_scenarios(scenarios, args.replicates, uncertainty.second_seed(seed),
                                  None, command, progress=_watching(_bar()),
                                  executor=executor, draws=drawn)
            extra_files = functools.partial(extra_files, again=again) if extra_files else None
        results = run_scenarios(scenarios, args.replicates, seed, args.out, command,
                                progress=_watching(_bar()), executor=executor,
                                extra_files=extra_files, draws=drawn)
    return seed, results, again


def _run(args: argparse.Namespace, argv: list[str]) -> int:
    seed, results, _ = _replicated(args, argv, _scenarios_from(args))
    if args.json:
        print(dump_json({"root_seed": seed, "scenarios": [
            {"name": r.scenario.name, "replicates": len(r.metrics), "metrics": r.summary()}
            for r in results]}))
    else:
        print(_table(results, seed))
        if args.out is not None:
            print(f"\nResults written to {args.out}/")
    return 0


def _again(argv: list[str], seed: int, add_seed: bool, replicates: int) -> str:
    """The command that makes a comparison again.

    Its own, without the files it wrote (``--out``, ``--report``), with the seed and
    the number of replicates it used (a default may change).
    """
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--out", "--report"):
            skip = True
        elif not arg.startswith(("--out=", "--report=")):
            kept.append(arg)
    given = any(arg == "--replicates" or arg.startswith("--replicates=") for arg in kept)
    return shlex.join(["verbinding", *kept, *(["--seed", str(seed)] if add_seed else []),
                       *([] if given else ["--replicates", str(replicates)])])


def _compare(args: argparse.Namespace, argv: list[str]) -> int:
    taken = args.posterior
    if taken is not None and not taken.exists() and (
            str(taken) in available() or taken.suffix == ".toml"):
        raise UsageError(f"--posterior took the scenario '{shown(str(taken), 80)}' for its "
                         "file: give the scenarios first, then --posterior (alone for the "
                         "shipped posterior, or with its file)")
    if len(args.scenarios) < 2:
        raise UsageError("compare needs a base scenario and at least one other")
    if args.posterior is not None and args.replicates < 2:
        raise UsageError("--posterior needs --replicates of at least 2")
    if args.report is not None:
        check_new_file(args.report, "--report", ".html")
    posterior = _posterior(args)
    if posterior is not None and len(posterior) < uncertainty.FEW_DRAWS:
        print(f"verbinding: warning: the posterior has only {len(posterior)} draws (a --quick "
              "calibration?); its intervals are rough", file=sys.stderr)
    seed, results, again = _replicated(args, argv, _scenarios_from(args),
                                       compare.write_files, posterior)
    data = compare.report(results, again)
    if args.report is not None:
        command = _again(argv, seed, args.seed is None, args.replicates)
        write_new_file(args.report, handout.handout(results, again, seed, command))
    if args.json:
        kept = {} if posterior is None else {
            "posterior_weight_kept": uncertainty.kept_share(posterior)}
        print(dump_json({"root_seed": seed, **data, **kept}))
        return 0
    print(_table(compare.draw_means(results, again), seed))
    if posterior is not None:
        print(f"\nEach replicate ran with one plausible set of the model's "
              f"{len(uncertainty.priors())} uncertain parameters (a draw from its "
              "calibration; a parameter set with --set or by a scenario keeps that value), "
              "the same set in every scenario, and ran again with other random numbers. "
              "The differences below hold both what the evidence leaves open and chance, "
              "and say how much of the spread between parameter sets comes from the "
              "former: more replicates would not narrow that part. "
              + uncertainty.draws_in_words(posterior) + " "
              + (f"Each interval is read off the {args.replicates} sets' own effects."
                 if args.replicates >= uncertainty.FREE_DRAWS else
                 f"With fewer than {uncertainty.FREE_DRAWS} sets the intervals assume the "
                 "sets' effects spread evenly about their mean, so a skewed effect's may "
                 "reach values no set gives; --replicates "
                 f"{uncertainty.POSTERIOR_REPLICATES} (the default) reads them off the "
                 "sets' own effects."))
    base = data["scenarios"][0]["metrics"]
    for entry in data["scenarios"][1:]:
        print(f"\n{entry['name']} compared with {data['base']} (paired, 95% interval):")
        for metric in METRICS:
            words = compare.in_words(metric.name, base[metric.name]["mean"],
                                     entry["diff"][metric.name])
            print(f"  {metric.en:36} {words}")
        print(f"  {compare.WORDS['money']}: {compare.money_in_words(entry['diff'])}")
    if args.out is not None:
        print(f"\nResults, comparison.csv and figures written to {args.out}/")
    if args.report is not None:
        print(f"Report written to {args.report}")
    return 0


def _sweep(args: argparse.Namespace, argv: list[str]) -> int:
    experiment = load_experiment(args.experiment, quick=args.quick)
    out = args.out or Path("results") / (experiment.name + ("-quick" if args.quick else ""))
    check_folder(out, experiment.fingerprint())  # before a cluster is started for nothing
    with make_executor(args.workers, args.scheduler) as executor:
        try:
            summary = run_sweep(experiment, out, executor, progress=_watching(Progress()))
        except (KeyboardInterrupt, Terminated):
            print(f"\nverbinding: interrupted; finished runs are saved in {out}/ and the "
                  "same command resumes", file=sys.stderr)
            return 130
    print(f"{experiment.name}: {summary.succeeded} runs succeeded, {summary.failed} failed, "
          f"{summary.skipped} already done ({summary.total} in all) in "
          f"{summary.seconds:.1f} s; results in {out}/runs/")
    if summary.failed:
        print(f"  failed runs keep their error message in the 'error' column; see "
              f"pandas.read_parquet('{out}/runs').query('status == \"failed\"')")
    return 0


def _calibrate(args: argparse.Namespace, argv: list[str]) -> int:
    from experiments import calibration

    if args.adopt and (args.quick or args.synthetic):
        raise UsageError("--adopt takes a full calibration's posterior against the sources, "
                         f"not {'--quick' if args.quick else '--synthetic'}'s")
    settings = calibration.Settings(
        calibration.QUICK if args.quick else calibration.FULL, args.seed,
        calibration.QUICK_SCALE if args.quick else validation.DEFAULT_SCALE,
        point=None if args.synthetic else (
            calibration.QUICK_POINT if args.quick else calibration.FULL_POINT))
    out = args.out or Path("results") / (
        "calibration" + "-synthetic" * args.synthetic + "-quick" * args.quick)
    with make_executor(args.workers, args.scheduler) as executor:
        if args.synthetic:
            truth = {name: specs()[name][0] for name in calibration.priors()}
            settings = dataclasses.replace(settings, truth=truth, targets=calibration.synthetic(
                truth, settings.scale, executor, settings.regime_arrivals))
        check_folder(out, settings.fingerprint(), "code_fingerprint")  # before any candidate
        try:
            result = calibration.run(out, settings, executor,
                                     progress=_watching(calibration.stderr_progress))
        except (KeyboardInterrupt, Terminated):
            print(f"\nverbinding: interrupted; evaluated candidates are saved in {out}/ "
                  "and the same command resumes", file=sys.stderr)
            return 130
    written = calibration.write_outputs(result, out)
    print(calibration.summary(result))
    print(f"posterior and report in {out}/: "
          + ", ".join(str(p.relative_to(out)) for p in written))
    if args.adopt:
        written = calibration.adopt(out)
        print("the adopted point is now the defaults, the presets held at their "
              f"utilisation: {', '.join(map(str, written))}")
    return 0


def _analyse(args: argparse.Namespace, argv: list[str]) -> int:
    written = analysis.analyse(args.folder)
    for name, path in written.items():
        print(f"{name:32} {path}")
    return 0


def _bar():
    return Progress() if sys.stderr.isatty() else None


def _progress_printer():
    if not sys.stderr.isatty():
        return None

    def show(line: str) -> None:
        print(f"\r{line:<60}", end="", file=sys.stderr, flush=True)
    return show


def _school_years_note(result) -> str:
    """Which reported weeks the metrics of a scenario in school years count."""
    year, weeks = result.parameters["school_year_weeks"], result.parameters["weeks"]
    note = (f"{result.scenario.name} runs in school years of {year} weeks: its metrics "
            f"count the {weeks // year} whole school year(s) in weeks 1-{weeks}")
    return note + (f" (run at least {year} weeks)" if weeks < year else "")


def _table(results, seed: int) -> str:
    first = results[0].parameters
    warmups = {r.parameters["warmup_weeks"] for r in results}
    warmup = (f"{first['warmup_weeks']} warm-up weeks" if len(warmups) == 1 else
              "warm-ups of " + ", ".join(f"{r.parameters['warmup_weeks']} weeks "
                                         f"({r.scenario.name})" for r in results))
    lines = [f"Verbinding {package_version()}: {len(results[0].metrics)} replicates per "
             f"scenario, root seed {seed}; measured over reported weeks 1-{first['weeks']}"
             f" (after {warmup}); mean [95% interval]"]
    summaries = [r.summary() for r in results]
    cells = {m.name: [_estimate(s[m.name]) for s in summaries] for m in METRICS}
    width = max(26, *(len(r.scenario.name) + 2 for r in results),
                *(len(c) + 2 for row in cells.values() for c in row))
    lines += [_school_years_note(r) for r in results if r.parameters["school_year_weeks"]]
    lines.append(f"{'metric':34}" + "".join(f"{r.scenario.name:<{width}}" for r in results))
    for name, row in cells.items():
        lines.append(f"{name:34}" + "".join(f"{c:<{width}}" for c in row))
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
    if args.posterior is not None and args.scale != validation.DEFAULT_SCALE:
        raise UsageError(f"--posterior judges at the calibration's scale "
                         f"({validation.DEFAULT_SCALE:g}); leave out --scale")
    if args.draws is not None and args.posterior is None:
        raise UsageError("--draws needs --posterior")
    draws = args.draws or args.replicates
    posterior = _posterior(args)
    verdicts = validation.validate(args.replicates, args.seed, args.scale, args.workers,
                                   overloaded=args.overloaded)[0]
    print(validation.report(verdicts))
    shares = None
    if posterior is not None:
        shares = {which: validation.posterior_shares(frame, draws, args.seed,
                                                     args.scale, args.workers)
                  for which, frame in (("defaults", validation.defaults_as_posterior()),
                                       ("posterior", posterior))}
        print(f"\nSingle runs passing, at the defaults and over {draws} draws "
              "of the posterior (one run a draw; 95% interval). "
              + uncertainty.draws_in_words(posterior))
        for key in shares["posterior"]:
            print(f"  {key}. {validation.shares_text(shares, key)}")
        print("Over the posterior, each check "
              + validation.shares_tally(shares["posterior"]) + ".")
    table = validation.markdown_table(
        verdicts, args.replicates, args.seed, args.scale, shares, args.overloaded,
        every_draw=args.every_draw,
        conditioned=posterior is not None and uncertainty.kept_share(posterior) is not None,
        draws=draws)
    screen = None
    if args.screen:
        screened = validation.screen(replicates=max(2, args.replicates // 10),
                                     seed=args.seed, scale=args.scale, workers=args.workers)
        screen = validation.screen_table(screened)
        print("\n" + screen)
    if args.out is not None:
        with Staging(args.out) as staging:
            validation.write_outputs(
                verdicts, staging.path, table, shares,
                None if posterior is None else uncertainty.kept_share(posterior),
                {"replicates": args.replicates, "seed": args.seed, "scale": args.scale,
                 "overloaded": args.overloaded,
                 "posterior": None if args.posterior is None else str(args.posterior),
                 "draws": None if posterior is None else draws,
                 "every_draw": args.every_draw})
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

    if args.mesa:
        bench.warm_up()
        costs, step = bench.measure_mesa_agents(), bench.measure_mesa_step()
        split = bench.measure_split()
        churn = {scale: bench.measure_churn(scale) for scale in (1, bench.SCALE)}
        print(dump_json({**costs, "step_us": step, "standard_run_ms": split,
                         "churn_us": churn}) if args.json
              else "\n".join([bench.mesa_report(costs), bench.mesa_step_report(step),
                               bench.split_report(split),
                               bench.churn_report(churn[1], churn[bench.SCALE])]))
        return 0
    figures = bench.measure(progress=_progress_printer(), sweep=args.sweep, small=args.small)
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


_COMMANDS = {"run": _run, "compare": _compare, "sweep": _sweep, "analyse": _analyse,
             "validate": _validate, "calibrate": _calibrate, "bench": _bench,
             "scenarios": _scenarios, "docs": _docs}

if __name__ == "__main__":
    sys.exit(main())
