"""Sweeps: an experiment file, its design, and runs that resume where they stopped.

An experiment file (TOML, shipped ones in ``experiments/specs/``)::

    name = "care-team-standardisation"
    description = "..."
    scenario = "care"                 # the base scenario
    design = "full_factorial"         # full_factorial | latin_hypercube | sobol | morris
    samples = 64                      # points (LHS), base samples (Sobol), trajectories (Morris)
    replicates = 5
    seed = 2024
    metrics = ["goal_share", "mean_bond"]   # optional; default every metric
    keep_weekly = false

    [parameters]                      # the space: levels or ranges
    professionals = [70, 85, 100, 115]
    standardisation = {low = 0.0, high = 0.8, levels = 5}

    [fixed]                           # optional: overrides held fixed
    caseload_cap = 45

    hold_utilisation = 0.75           # optional (before the tables): every point's
                                      # arrivals follow its parameters (no lever) so
                                      # that the base plans this share of its posts'
                                      # hours, the team kept whole (pilot runs,
                                      # experiments.regime); columns arrivals_factor
                                      # and held_utilisation (what the pilots reached)

    [contrast]                        # optional: a lever's effect instead of levels:
    caseload_cap = 15                 # every run is paired with one with these on top
    professionals = 200               # (same seed); the metrics are lever minus base,
                                      # the base's own in columns base.<metric>

    [quick]                           # optional: the --quick version
    samples = 8

Run ``k`` of design point ``p`` has ``run_id = p * replicates + k`` and the seed of
replicate ``k`` (common random numbers across points), all from one root seed.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import re
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.executors import Executor
from experiments.output import on_system_filesystem, shown
from experiments.regime import (
    REGIME_MEASURE,
    SWEEP_FACTORS,
    pilot_seeds,
    regime_factor,
    with_arrivals_factor,
)
from experiments.runner import replicate_seeds, run_held
from experiments.samplers import DESIGNS, SAMPLERS, design_size
from experiments.scenarios import ScenarioError, load
from experiments.space import Space, SpaceError
from experiments.store import RunStore
from model.events import check_events
from model.metrics import METRIC_NAMES, summarise
from model.parameters import ParameterError, Parameters, check_name, specs
from model.simulation import Simulation

SPEC_DIR = Path(__file__).resolve().parent / "specs"
_KEYS = {"name", "description", "scenario", "design", "samples", "replicates", "seed",
         "metrics", "keep_weekly", "parameters", "fixed", "quick", "hold_utilisation",
         "contrast"}
#: Utilisations a sweep may hold its base at: from a near-idle team to plain overload.
HOLD_RANGE = (0.1, 1.5)
_QUICK_KEYS = {"samples", "replicates", "weeks", "warmup_weeks"}
#: The reduced run of ``--quick``.
QUICK_REPLICATES, QUICK_WEEKS, QUICK_WARMUP, QUICK_LEVELS = 2, 104, 26, 3
#: Finished runs are written at least this often (seconds) or every this many runs.
FLUSH_SECONDS, FLUSH_RUNS = 2.0, 64
#: Largest experiment file read (bytes). A real one is about a kilobyte; the cap stops
#: a wrong file (a log, a data file) from being read whole before it is refused.
MAX_FILE_BYTES = 256 * 1024
#: Most runs (design points x replicates) an experiment may plan. Every run's job is
#: held in memory and every point checked against the model's limits before the first
#: run starts (measured: about 0.6 kB a run, 0.1 ms a point), so 100,000 runs cost about
#: 60 MB and seconds of checks; they also take some 13 CPU-hours at half a second a
#: run. Larger designs are refused before their points are generated.
MAX_RUNS = 100_000
#: What a name may be: it becomes the folder ``results/NAME``, so no path separators,
#: no leading dot (hidden, or ``..``), no spaces or control characters.
NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}")
#: Largest whole number a file may hold: what a Parquet (int64) column can store.
MAX_INT = 2**63 - 1


class ExperimentError(ValueError):
    """An experiment file that cannot be run; the message names the file and problem."""


@dataclass(frozen=True)
class Experiment:
    """A resolved experiment: everything needed to plan and run its runs.

    Attributes:
        base: The overrides of the base scenario, as resolved when the file was read.
        events: The base scenario's events (plain data); every run has them.
        hold_utilisation: If set, every point's arrivals are scaled to hold its base
            at this planned utilisation (:mod:`experiments.regime`); no lever may vary
            then.
        contrast: If set, overrides of a lever: each run is paired with one with
            them on top, and its metrics are the lever's minus the base's.
    """

    name: str
    description: str
    scenario: str
    design: str
    samples: int
    replicates: int
    seed: int
    space: Space
    fixed: dict[str, Any]
    metrics: tuple[str, ...]
    keep_weekly: bool
    quick: bool = False
    source: dict[str, Any] = field(default_factory=dict, compare=False)
    base: dict[str, Any] = field(default_factory=dict)
    events: tuple[dict[str, Any], ...] = ()
    hold_utilisation: float | None = None
    contrast: dict[str, Any] = field(default_factory=dict)

    @property
    def runs(self) -> int:
        """The number of runs (design points x replicates), without generating points."""
        return design_size(self.design, self.space, self.samples) * self.replicates

    def points(self) -> list[dict[str, Any]]:
        """The design points, in the design's order."""
        return SAMPLERS[self.design](self.space, self.samples, self.seed)

    def jobs(self) -> list[dict[str, Any]]:
        """One job per run: ids, seed and the full overrides."""
        seeds = replicate_seeds(self.seed, self.replicates)
        return [{"run_id": p * self.replicates + k, "point": p, "replicate": k,
                 "seed": seeds[k], "values": values,
                 "overrides": {**self.base, **self.fixed, **values,
                               **({"events": list(self.events)} if self.events else {})},
                 "metrics": self.metrics, "keep_weekly": self.keep_weekly,
                 "hold": self.hold_utilisation, "contrast": self.contrast}
                for p, values in enumerate(self.points()) for k in range(self.replicates)]

    def fingerprint(self) -> str:
        """A hash of everything that determines the results, but the model's code.

        Covers the file as written and the base scenario's overrides (its file may
        change); the model's code is fingerprinted apart, see :mod:`provenance`.
        """
        covered = {"source": self.source, "quick": self.quick, "base": self.base}
        if self.events:  # (without events, the fingerprint of earlier versions)
            covered["events"] = self.events
        text = json.dumps(covered, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def describe(self) -> dict[str, Any]:
        """What ``experiment.json`` records."""
        return {"name": self.name, "description": self.description,
                "scenario": self.scenario, "design": self.design, "samples": self.samples,
                "replicates": self.replicates, "seed": self.seed, "quick": self.quick,
                "parameters": self.space.names, "fixed": self.fixed,
                "metrics": list(self.metrics), "keep_weekly": self.keep_weekly,
                "scenario_overrides": self.base,
                "scenario_events": [dict(e) for e in self.events],
                "hold_utilisation": self.hold_utilisation, "contrast": self.contrast,
                "source": self.source}


def locate(reference: str) -> Path:
    """An experiment file by path or by the name of a shipped one.

    Only regular files are read, never one on a system filesystem (``/proc``, ``/sys``,
    ``/dev``), whose files can block or claim a size of zero.

    Raises:
        ExperimentError: If there is no such file, or it is on a system filesystem.
    """
    for candidate in (Path(reference), SPEC_DIR / f"{reference}.toml"):
        system = on_system_filesystem(candidate)
        if system is not None:
            raise ExperimentError(f"experiment {reference!r} is on the system filesystem "
                                  f"{system}; give a .toml file or a shipped experiment's name")
        if candidate.is_file():
            return candidate
    shipped = ", ".join(sorted(p.stem for p in SPEC_DIR.glob("*.toml")))
    raise ExperimentError(f"experiment {reference!r} not found; give a .toml path or one "
                          f"of: {shipped}")


def load_experiment(reference: str, quick: bool = False) -> Experiment:
    """Read and check an experiment file: every key, every point, the size of the design.

    Raises:
        ExperimentError: For a file too large, not UTF-8 or malformed; an unknown key,
            design, parameter or metric; a value of the wrong type; a bad range or
            sample size; a design of more than :data:`MAX_RUNS` runs; or a design point
            the model refuses. The message names the file.
    """
    path = locate(reference)
    return _resolve_or_refuse(_read(path), path, quick)


def load_experiment_from_source(source: dict[str, Any], quick: bool) -> Experiment:
    """Rebuild an experiment from the source recorded in ``experiment.json``.

    Raises:
        ExperimentError: As :func:`load_experiment`.
    """
    label = source.get("name") if isinstance(source, dict) else None
    path = Path(f"{label if isinstance(label, str) else 'experiment'}.toml")
    return _resolve_or_refuse(source, path, quick)


def _read(path: Path) -> dict[str, Any]:
    """The TOML of a file of at most :data:`MAX_FILE_BYTES`, read no further."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ExperimentError(f"{path}: cannot read it ({error.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ExperimentError(f"{path}: larger than {MAX_FILE_BYTES // 1024} KiB; an "
                              "experiment file is a few hundred bytes of TOML")
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ExperimentError(f"{path}: not UTF-8 text; an experiment file is TOML") from None
    except RecursionError:
        raise ExperimentError(f"{path}: malformed TOML: arrays or tables nested too "
                              "deeply") from None
    except tomllib.TOMLDecodeError as error:
        raise ExperimentError(f"{path}: malformed TOML: {error}") from None
    except ValueError:  # an integer of thousands of digits
        raise ExperimentError(f"{path}: malformed TOML: a number too long to read") from None


def _resolve_or_refuse(data: Any, path: Path, quick: bool) -> Experiment:
    try:
        return _resolve(data, path, quick)
    except (ExperimentError, SpaceError, ParameterError, ScenarioError) as error:
        raise ExperimentError(f"{path.name}: {error}") from None
    except RecursionError:
        raise ExperimentError(f"{path.name}: values nested too deeply") from None


def _resolve(data: Any, path: Path, quick: bool) -> Experiment:
    """Check every key of an experiment file and resolve it (messages without the file)."""
    if not isinstance(data, dict):
        raise ExperimentError("an experiment is a TOML table of keys")
    unknown = set(data) - _KEYS
    if unknown:
        raise ExperimentError(f"unknown key {sorted(unknown)[0]!r}; allowed: "
                              f"{', '.join(sorted(_KEYS))}")
    _check_values(data, "")
    design, scenario = _design(data), _text(data, "scenario", "care", line=True)
    resolved, reduced = load(scenario), _quick_table(data)
    base, events = resolved.overrides, resolved.events
    space = Space.from_table(_table(data, "parameters"), resolved.parameters())
    fixed = _overrides(data, "fixed", "fixed")
    replicates, samples = _whole(data, "replicates", 1, least=1), _samples(data, design)
    if quick:
        replicates, samples, space, fixed = _quick(reduced, replicates, samples, space,
                                                   fixed, design, base)
    experiment = Experiment(
        name=_name(data, path), description=_text(data, "description", ""),
        scenario=scenario, design=design, samples=samples, replicates=replicates,
        seed=_whole(data, "seed", 2024, least=0), space=space, fixed=fixed,
        metrics=_metrics(data), keep_weekly=_flag(data, "keep_weekly", False), quick=quick,
        source=data, base=base, events=events, hold_utilisation=_hold(data),
        contrast=_overrides(data, "contrast", "the contrast's lever"))
    _check_hold(experiment)
    if experiment.contrast and experiment.keep_weekly:
        raise ExperimentError("keep_weekly with a [contrast]: a run's weekly series would "
                              "be two arms'; keep one or the other")
    if experiment.runs > MAX_RUNS:
        raise ExperimentError(f"the {design} design has {experiment.runs:,} runs (points x "
                              f"replicates), more than the {MAX_RUNS:,} allowed; use fewer "
                              "levels, samples or replicates")
    for point in experiment.points():   # refuse impossible combinations before running
        p = Parameters.from_mapping({**base, **fixed, **point})
        Parameters.from_mapping({**base, **fixed, **point, **experiment.contrast})
        if events:
            try:
                check_events(events, p)
            except ParameterError as error:
                raise ExperimentError(f"the events of scenario '{scenario}' do not fit "
                                      f"every design point: {error}") from None
    return experiment


def _check_values(value: Any, where: str) -> None:
    """Refuse numbers no run can use and keys no message can show, at any depth.

    Numbers: infinities, NaN, integers beyond int64. Keys: with control characters
    (quoted in a message, they would reach the terminal).
    """
    if isinstance(value, dict):
        for key, item in value.items():
            if not key.isprintable():
                raise ExperimentError(f"key {_shown(key)} holds control characters")
            _check_values(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_values(item, f"{where}[{index}]")
    elif isinstance(value, float) and not math.isfinite(value):
        raise ExperimentError(f"{where!r} is {value}; give a finite number")
    elif isinstance(value, int) and abs(value) > MAX_INT:
        raise ExperimentError(f"{where!r} is a whole number of {len(str(abs(value)))} "
                              f"digits; at most {MAX_INT} is allowed")


def _shown(value: Any) -> str:
    """A value as quoted in a message: its repr, printable and cut short."""
    return shown(repr(value), 40)


def _text(data: dict, key: str, default: str, line: bool = False) -> str:
    """A string; with ``line``, a non-empty one without control characters."""
    value = data.get(key, default)
    if not isinstance(value, str) or (line and not (value.strip() and value.isprintable())):
        kind = "a non-empty line of text" if line else "a string"
        raise ExperimentError(f"{key!r} must be {kind}, not {_shown(value)}")
    return value


def _whole(data: dict, key: str, default: int, least: int, table: str = "") -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        where = f"{table}.{key}" if table else key
        raise ExperimentError(f"{where!r} must be a whole number of at least {least}, not "
                              f"{_shown(value)}")
    return value


def _flag(data: dict, key: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ExperimentError(f"{key!r} must be true or false, not {_shown(value)}")
    return value


def _table(data: dict, key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ExperimentError(f"{key!r} must be a table ([{key}] with one key per line), "
                              f"not {_shown(value)}")
    return value


def _name(data: dict, path: Path) -> str:
    name = data.get("name", path.stem)
    if not isinstance(name, str) or not NAME.fullmatch(name):
        origin = "'name'" if "name" in data else "the file name (no 'name' given)"
        raise ExperimentError(f"{origin} must be 1-100 letters, digits, '-', '_' or '.', "
                              f"not starting with '.' (it names the results folder), not "
                              f"{_shown(name)}")
    return name


def _design(data: dict) -> str:
    design = data.get("design", "full_factorial")
    if design not in DESIGNS:
        close = difflib.get_close_matches(str(design), DESIGNS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ExperimentError(f"unknown design {_shown(design)}{hint} (allowed: "
                              f"{', '.join(DESIGNS)})")
    return design


def _samples(data: dict, design: str) -> int:
    """``samples``: required by every design but the full factorial, which ignores it."""
    if "samples" not in data and design != "full_factorial":
        raise ExperimentError(f"the {design} design needs 'samples' (a whole number: "
                              "points, base samples or trajectories)")
    return _whole(data, "samples", 0, least=1) if "samples" in data else 0


def _metrics(data: dict) -> tuple[str, ...]:
    metrics = data.get("metrics", list(METRIC_NAMES))
    if not isinstance(metrics, list) or not metrics:
        raise ExperimentError(f"'metrics' must be a non-empty list of metric names (a sweep "
                              f"with no outputs measures nothing), not {_shown(metrics)}")
    for name in metrics:
        if name not in METRIC_NAMES:
            close = difflib.get_close_matches(str(name), METRIC_NAMES, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ExperimentError(f"unknown metric {_shown(name)}{hint}")
    if len(set(metrics)) < len(metrics):
        raise ExperimentError("'metrics' names a metric twice")
    return tuple(metrics)


def _overrides(data: dict, table: str, role: str) -> dict[str, Any]:
    """A table of overrides (``[fixed]``, ``[contrast]``) of parameters not varied.

    ``role`` names what the table is, in the message for a parameter also varied.
    """
    overrides = _table(data, table)
    for name in overrides:
        check_name(name)
        if name in _table(data, "parameters"):
            raise ExperimentError(f"parameter {name!r} is both varied ([parameters]) and "
                                  f"{role} ([{table}]); keep one")
    return dict(overrides)


def _check_hold(experiment: Experiment) -> None:
    """Refuse a held regime over a lever or over what the regime is measured with.

    ``hold_utilisation`` keeps the base's load fixed while what the model is unsure of
    varies (the priors, the assumed constants); a lever varied with it (the levers
    group: more professionals, less admin, other arrivals) would have its effect on
    the load cancelled by the arrivals, and a parameter of the regime's own measure
    (:data:`~experiments.regime.REGIME_MEASURE`) would redefine the load it holds.
    Levers belong in ``[contrast]``.
    """
    if experiment.hold_utilisation is None:
        return
    for name in experiment.space.names:
        if specs()[name][2].group == "levers" or name in REGIME_MEASURE:
            raise ExperimentError(
                f"parameter {name!r} is a lever or part of the load's measure, and varied "
                "with hold_utilisation its effect on the load would be cancelled by the "
                "arrivals; with hold_utilisation vary what the model is unsure of (not "
                f"the levers group, nor {', '.join(REGIME_MEASURE)}) and put a lever in "
                "[contrast]")


def _hold(data: dict) -> float | None:
    """``hold_utilisation``: a utilisation within :data:`HOLD_RANGE`, or None."""
    if "hold_utilisation" not in data:
        return None
    value = data["hold_utilisation"]
    low, high = HOLD_RANGE
    if isinstance(value, bool) or not isinstance(value, int | float) or not (
            low <= value <= high):
        raise ExperimentError(f"'hold_utilisation' must be a number from {low:g} to "
                              f"{high:g} (the hours the base's clients and posts "
                              "need over its posts' contract hours), "
                              f"not {_shown(value)}")
    return float(value)


def _quick_table(data: dict) -> dict[str, int]:
    """The ``[quick]`` table, checked whether or not ``--quick`` is given."""
    quick = _table(data, "quick")
    unknown = set(quick) - _QUICK_KEYS
    if unknown:
        raise ExperimentError(f"unknown key {sorted(unknown)[0]!r} in [quick]; allowed: "
                              f"{', '.join(sorted(_QUICK_KEYS))}")
    for key in quick:
        _whole(quick, key, 0, least=0 if key == "warmup_weeks" else 1, table="quick")
    return quick


def _quick(quick, replicates, samples, space, fixed, design, base):
    """The reduced design of ``--quick``: fewer points, replicates and weeks."""
    weeks = min(Parameters.from_mapping({**base, **fixed}).weeks, QUICK_WEEKS)
    fixed = {**fixed, "weeks": quick.get("weeks", weeks),
             "warmup_weeks": quick.get("warmup_weeks", min(QUICK_WARMUP, weeks // 4))}
    default_samples = 8 if design == "sobol" else max(2, samples // 8)
    if design == "full_factorial":
        space = Space(tuple(_thin(d) for d in space.dimensions))
    return (quick.get("replicates", min(replicates, QUICK_REPLICATES)),
            quick.get("samples", default_samples), space, fixed)


def _thin(dimension):
    levels = dimension.levels
    if levels is None or len(levels) <= QUICK_LEVELS:
        return dimension
    keep = [levels[0], levels[len(levels) // 2], levels[-1]]
    return replace(dimension, levels=tuple(keep))


# ------------------------------------------------------------------ running
def execute(job: dict[str, Any]) -> dict[str, Any]:
    """Run one job (in any worker); return a small summary, never raise.

    Returns:
        ``{"row": {...}, "weekly": {...} or None}`` where the row holds ids, seed,
        parameter values, the kept metrics, ``status`` and ``error``.
    """
    row = {"run_id": job["run_id"], "point": job["point"], "replicate": job["replicate"],
           "seed": job["seed"], **job["values"]}
    if job["overrides"].get("events"):  # the base scenario's, the same in every run
        row["events"] = json.dumps(job["overrides"]["events"], sort_keys=True)
    if job.get("hold") is not None:   # every row has the same columns, failed or not
        row["arrivals_factor"] = row["held_utilisation"] = math.nan
    if job.get("contrast"):
        row.update({f"base.{m}": math.nan for m in job["metrics"]})
    try:
        overrides = job["overrides"]
        if job.get("hold") is not None:
            factor, reached = regime_factor(overrides, pilot_seeds([job["seed"]]), job["hold"],
                                            bounds=SWEEP_FACTORS)
            if not math.isfinite(factor):  # beyond a bound: run at it, which the row shows
                factor = SWEEP_FACTORS[reached < job["hold"]]
            row["arrivals_factor"], row["held_utilisation"] = factor, reached
            overrides = with_arrivals_factor(overrides, factor)
        model = run_held(Simulation.create(rng=job["seed"], **overrides))  # no agents
        metrics = summarise(model)
        row.update({m: metrics[m] for m in job["metrics"]}, status="ok", error="")
        if job.get("contrast"):
            lever = summarise(run_held(Simulation.create(rng=job["seed"], **with_arrivals_factor(
                {**job["overrides"], **job["contrast"]}, row.get("arrivals_factor", 1.0)))))
            row.update({f"base.{m}": metrics[m] for m in job["metrics"]})
            row.update({m: lever[m] - metrics[m] for m in job["metrics"]})
        weekly = ({"week": list(range(1 - model.p.warmup_weeks, model.p.weeks + 1)),
                   **model.weekly}
                  if job["keep_weekly"] else None)
    except Exception as error:  # a failing run is recorded, the sweep goes on
        row.update({m: math.nan for m in job["metrics"]}, status="failed",
                   error=f"{type(error).__name__}: {error}")
        weekly = None
    return {"row": row, "weekly": weekly}


@dataclass
class SweepSummary:
    """How a sweep ended."""

    total: int
    skipped: int
    succeeded: int
    failed: int
    seconds: float
    merged: Path | None


def run_sweep(experiment: Experiment, out: Path, executor: Executor,
              progress: Callable[[int, int], None] | None = None) -> SweepSummary:
    """Run every run of the experiment not yet in ``out``, writing as runs finish.

    The folder is created only once the experiment is planned, and locked for the
    whole sweep.

    Args:
        experiment: The resolved experiment.
        out: Its output folder (created, or resumed if it holds this experiment).
        executor: Where runs execute.
        progress: Called with ``(done, total)`` as runs finish.

    Raises:
        OutputError: If ``out`` cannot be written, holds another experiment's results,
            results of another model or other files, or is in use by another process.
    """
    jobs = experiment.jobs()
    with RunStore(out, experiment.fingerprint(), experiment.describe()) as store:
        return _run(store, jobs, executor, progress)


def _run(store: RunStore, jobs: list[dict[str, Any]], executor: Executor,
         progress: Callable[[int, int], None] | None) -> SweepSummary:
    finished = store.finished()
    todo = [job for job in jobs if job["run_id"] not in finished]
    start, done = time.monotonic(), len(finished)
    rows, weekly, last_flush = [], [], time.monotonic()

    def flush() -> None:
        nonlocal rows, weekly, last_flush
        frame = pd.concat(weekly, ignore_index=True) if weekly else None
        store.append(rows, frame)
        rows, weekly, last_flush = [], [], time.monotonic()

    try:
        for index, result in executor.run(execute, todo):
            rows.append(result["row"])
            if result["weekly"] is not None:
                series = pd.DataFrame(result["weekly"])  # "week" first: reported weeks
                series.insert(0, "run_id", todo[index]["run_id"])
                weekly.append(series)
            done += 1
            if progress:
                progress(done, len(jobs))
            if len(rows) >= FLUSH_RUNS or time.monotonic() - last_flush > FLUSH_SECONDS:
                flush()
    finally:
        flush()
    statuses = pd.read_parquet(store.runs, columns=["status"])["status"]
    merged = store.merge() if len(statuses) == len(jobs) else None
    return SweepSummary(total=len(jobs), skipped=len(finished),
                        succeeded=int((statuses == "ok").sum()),
                        failed=int((statuses == "failed").sum()),
                        seconds=time.monotonic() - start, merged=merged)
