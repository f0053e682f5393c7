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
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.executors import Executor
from experiments.runner import replicate_seeds
from experiments.samplers import DESIGNS, SAMPLERS
from experiments.scenarios import ScenarioError, load
from experiments.space import Space, SpaceError
from experiments.store import RunStore
from model import VerbindingModel
from model.metrics import METRIC_NAMES, summarise
from model.parameters import ParameterError, Parameters

SPEC_DIR = Path(__file__).resolve().parent / "specs"
_KEYS = {"name", "description", "scenario", "design", "samples", "replicates", "seed",
         "metrics", "keep_weekly", "parameters", "fixed", "quick"}
#: The reduced run of ``--quick``.
QUICK_REPLICATES, QUICK_WEEKS, QUICK_WARMUP, QUICK_LEVELS = 2, 104, 26, 3
#: Finished runs are written at least this often (seconds) or every this many runs.
FLUSH_SECONDS, FLUSH_RUNS = 2.0, 64


class ExperimentError(ValueError):
    """An experiment file that cannot be run; the message names the file and problem."""


@dataclass(frozen=True)
class Experiment:
    """A resolved experiment: everything needed to plan and run its runs."""

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

    def points(self) -> list[dict[str, Any]]:
        """The design points, in the design's order."""
        return SAMPLERS[self.design](self.space, self.samples, self.seed)

    def jobs(self) -> list[dict[str, Any]]:
        """One job per run: ids, seed and the full overrides."""
        base = load(self.scenario).overrides
        seeds = replicate_seeds(self.seed, self.replicates)
        return [{"run_id": p * self.replicates + k, "point": p, "replicate": k,
                 "seed": seeds[k], "values": values,
                 "overrides": {**base, **self.fixed, **values},
                 "metrics": self.metrics, "keep_weekly": self.keep_weekly}
                for p, values in enumerate(self.points()) for k in range(self.replicates)]

    def fingerprint(self) -> str:
        """A hash of everything that determines the results."""
        text = json.dumps({"source": self.source, "quick": self.quick}, sort_keys=True,
                          default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def describe(self) -> dict[str, Any]:
        """What ``experiment.json`` records."""
        return {"name": self.name, "description": self.description,
                "scenario": self.scenario, "design": self.design, "samples": self.samples,
                "replicates": self.replicates, "seed": self.seed, "quick": self.quick,
                "parameters": self.space.names, "fixed": self.fixed,
                "metrics": list(self.metrics), "keep_weekly": self.keep_weekly,
                "source": self.source}


def locate(reference: str) -> Path:
    """An experiment file by path or by the name of a shipped one.

    Raises:
        ExperimentError: If there is no such file.
    """
    for candidate in (Path(reference), SPEC_DIR / f"{reference}.toml"):
        if candidate.is_file():
            return candidate
    shipped = ", ".join(sorted(p.stem for p in SPEC_DIR.glob("*.toml")))
    raise ExperimentError(f"experiment '{reference}' not found; give a .toml path or one "
                          f"of: {shipped}")


def load_experiment(reference: str, quick: bool = False) -> Experiment:
    """Read and check an experiment file.

    Raises:
        ExperimentError: For a malformed file, an unknown key, design, parameter or
            metric, a bad range or sample size, or a design point the model refuses.
    """
    path = locate(reference)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ExperimentError(f"{path}: malformed TOML: {error}") from None
    try:
        return _resolve(data, path, quick)
    except (SpaceError, ParameterError, ScenarioError) as error:
        raise ExperimentError(f"{path.name}: {error}") from None


def load_experiment_from_source(source: dict[str, Any], quick: bool) -> Experiment:
    """Rebuild an experiment from the source recorded in ``experiment.json``."""
    return _resolve(source, Path(f"{source.get('name', 'experiment')}.toml"), quick)


def _resolve(data: dict[str, Any], path: Path, quick: bool) -> Experiment:
    unknown = set(data) - _KEYS
    if unknown:
        raise ExperimentError(f"{path.name}: unknown key '{sorted(unknown)[0]}'; allowed: "
                              f"{', '.join(sorted(_KEYS))}")
    design = data.get("design", "full_factorial")
    if design not in DESIGNS:
        close = difflib.get_close_matches(str(design), DESIGNS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ExperimentError(f"{path.name}: unknown design '{design}'{hint} (allowed: "
                              f"{', '.join(DESIGNS)})")
    metrics = tuple(data.get("metrics", METRIC_NAMES))
    for name in metrics:
        if name not in METRIC_NAMES:
            close = difflib.get_close_matches(name, METRIC_NAMES, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ExperimentError(f"{path.name}: unknown metric '{name}'{hint}")
    replicates, samples = data.get("replicates", 1), data.get("samples", 0)
    for key, value in (("replicates", replicates), ("samples", samples)):
        if not isinstance(value, int) or value < (1 if key == "replicates" else 0):
            raise ExperimentError(f"{path.name}: {key} must be a whole number of at least "
                                  f"{1 if key == 'replicates' else 0}, not {value!r}")
    space = Space.from_table(data.get("parameters", {}))
    fixed = dict(data.get("fixed", {}))
    scenario = data.get("scenario", "care")
    load(scenario)
    if quick:
        replicates, samples, space, fixed = _quick(data, replicates, samples, space, fixed,
                                                   design)
    experiment = Experiment(
        name=str(data.get("name", path.stem)), description=str(data.get("description", "")),
        scenario=scenario, design=design, samples=samples, replicates=replicates,
        seed=int(data.get("seed", 2024)), space=space, fixed=fixed, metrics=metrics,
        keep_weekly=bool(data.get("keep_weekly", False)), quick=quick, source=data)
    for point in experiment.points():   # refuse impossible combinations before running
        Parameters.from_mapping({**load(scenario).overrides, **fixed, **point})
    return experiment


def _quick(data, replicates, samples, space, fixed, design):
    """The reduced design of ``--quick``: fewer points, replicates and weeks."""
    quick = data.get("quick", {})
    weeks = min(Parameters.from_mapping({**load(data.get("scenario", "care")).overrides,
                                         **fixed}).weeks, QUICK_WEEKS)
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
    try:
        model = VerbindingModel(rng=job["seed"], **job["overrides"]).run()
        metrics = summarise(model)
        row.update({m: metrics[m] for m in job["metrics"]}, status="ok", error="")
        weekly = ({name: list(v) for name, v in model.datacollector.model_vars.items()}
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

    Args:
        experiment: The resolved experiment.
        out: Its output folder (created, or resumed if it holds this experiment).
        executor: Where runs execute.
        progress: Called with ``(done, total)`` as runs finish.

    Raises:
        OutputError: If ``out`` holds another experiment's results or other files.
    """
    store = RunStore(out, experiment.fingerprint(), experiment.describe())
    jobs = experiment.jobs()
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
                series = pd.DataFrame(result["weekly"])
                series.insert(0, "week", range(1, len(series) + 1))
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
