"""Replicated runs of one or more scenarios: the engine of ``verbinding run``.

Replicate ``k`` of every scenario uses the same model seed (common random numbers).
Results are written to a staging folder as replicates finish and moved into place
only when all are done, so an interrupted run leaves nothing half-written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from experiments.executors import Executor, SerialExecutor
from experiments.output import CsvTable, Staging, dump_json
from experiments.provenance import provenance
from experiments.regime import with_arrivals_factor
from experiments.runner import (
    CLIENT_COLUMNS,
    PROFESSIONAL_COLUMNS,
    RunOutput,
    replicate_seeds,
    simulate_job,
    week_numbers,
)
from experiments.scenarios import Scenario
from experiments.stats import mean_ci
from model.metrics import METRIC_NAMES
from model.model import WEEKLY_FIGURES
from model.parameters import specs


@dataclass
class ScenarioResult:
    """The replicates of one scenario: metrics and weekly figures per replicate."""

    scenario: Scenario
    parameters: dict[str, Any]
    seeds: list[int]
    metrics: list[dict[str, float]] = field(default_factory=list)
    weekly: list[dict[str, list]] = field(default_factory=list)

    def summary(self) -> dict[str, dict[str, object]]:
        """Mean and 95% interval over replicates, per metric."""
        return {name: mean_ci([m[name] for m in self.metrics]) for name in METRIC_NAMES}


def run_scenarios(scenarios: list[Scenario], replicates: int, seed: int,
                  out: Path | None = None, command: str = "",
                  progress: Callable[[int, int], None] | None = None,
                  executor: Executor | None = None,
                  extra_files: Callable[[Path, list[ScenarioResult]], None] | None = None,
                  draws: list[dict[str, float]] | None = None,
                  ) -> list[ScenarioResult]:
    """Run every scenario ``replicates`` times; optionally write the result files.

    Args:
        scenarios: Resolved scenarios (overrides already validated).
        replicates: Replicates per scenario (at least 1).
        seed: Root seed; replicate seeds derive from it.
        out: Folder to create with the result files, or None.
        command: The command line, recorded in ``run.json``.
        progress: Called with ``(done, total)`` as replicates finish.
        executor: Where replicates run (default: in this process).
        extra_files: Called with the staging folder and the results before the folder
            is moved into place, to add files (comparisons, figures).
        draws: Per replicate, a posterior draw to run it with in every scenario
            (:func:`experiments.uncertainty.draws`, applied by :func:`with_draw`).
    """
    seeds = replicate_seeds(seed, replicates)
    results = [ScenarioResult(s, s.parameters().to_dict(), seeds) for s in scenarios]
    if out is None:
        _run_all(results, None, progress, executor, draws)
        return results
    with Staging(out) as staging:
        files = _open_files(staging.path)
        try:
            _run_all(results, files, progress, executor, draws)
        finally:
            for table in files.values():
                table.close()
        manifest = {**provenance(), "command": command, "root_seed": seed,
                    "replicates": replicates,
                    "scenarios": [{"name": r.scenario.name, "domain": r.scenario.domain,
                                   "file": str(r.scenario.path) if r.scenario.path else None,
                                   "parameters": r.parameters,
                                   "events": [dict(e) for e in r.scenario.events],
                                   "seeds": r.seeds}
                                  for r in results],
                    **({"parameter_draws": draws} if draws else {})}
        (staging.path / "run.json").write_text(dump_json(manifest) + "\n", encoding="utf-8")
        if extra_files is not None:
            extra_files(staging.path, results)
    return results


def with_draw(scenario: Scenario, draw: dict[str, dict]) -> dict[str, Any]:
    """A scenario's run overrides under a posterior draw.

    The draw's calibrated parameters, where the scenario does not set them itself, and
    the scenario's arrivals (and those of its events) times the draw's factor for its
    domain: the load that held the domain's preset at its stated utilisation with these
    parameters in the calibration, so a variant keeps its load relative to the preset.
    """
    factor = draw["arrivals_factor"].get(scenario.domain, 1.0)
    return {**draw["parameters"], **with_arrivals_factor(scenario.run_overrides(), factor)}


def _run_all(results: list[ScenarioResult], files: dict[str, CsvTable] | None,
             progress: Callable[[int, int], None] | None,
             executor: Executor | None, draws: list[dict[str, float]] | None) -> None:
    """Run all replicates; record (and write) them in scenario and replicate order."""
    order = [(result, replicate) for result in results for replicate in range(len(result.seeds))]
    jobs = [(with_draw(result.scenario, draws[k]) if draws else result.scenario.run_overrides(),
             result.seeds[k], files is not None) for result, k in order]
    finished: dict[int, RunOutput] = {}
    next_index = 0
    for index, output in (executor or SerialExecutor()).run(simulate_job, jobs):
        finished[index] = output
        while next_index in finished:   # keep files in order whatever finishes first
            result, replicate = order[next_index]
            done = finished.pop(next_index)
            result.metrics.append(done.metrics)
            result.weekly.append(done.weekly)
            if files is not None:
                _write(files, result, replicate, done)
            next_index += 1
            if progress:
                progress(next_index, len(jobs))


def _open_files(folder: Path) -> dict[str, CsvTable]:
    names = list(specs())
    return {
        "summary": CsvTable(folder / "summary.csv",
                            ["scenario", "replicate", "seed", *names, *METRIC_NAMES]),
        "weekly": CsvTable(folder / "weekly.csv",
                           ["scenario", "replicate", "week", *WEEKLY_FIGURES]),
        "clients": CsvTable(folder / "clients.csv",
                            ["scenario", "replicate", "client_id", *CLIENT_COLUMNS]),
        "professionals": CsvTable(folder / "professionals.csv",
                                  ["scenario", "replicate", "professional_id",
                                   *PROFESSIONAL_COLUMNS]),
    }


def _write(files: dict[str, CsvTable], result: ScenarioResult, replicate: int,
           output: RunOutput) -> None:
    name = result.scenario.name
    files["summary"].write([(name, replicate, output.seed, *output.parameters.values(),
                             *output.metrics.values())])
    files["weekly"].write((name, replicate, week,
                           *(output.weekly[f][i] for f in WEEKLY_FIGURES))
                          for i, week in enumerate(week_numbers(output.parameters)))
    files["clients"].write((name, replicate, *row) for row in output.clients)
    files["professionals"].write((name, replicate, *row) for row in output.professionals)
