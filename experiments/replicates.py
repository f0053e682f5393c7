"""Replicated runs of one or more scenarios: the engine of ``verbinding run``.

Replicate ``k`` of every scenario uses the same model seed (common random numbers).
Results are written to a staging folder as replicates finish and moved into place
only when all are done, so an interrupted run leaves nothing half-written.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from experiments.output import CsvTable, Staging, dump_json
from experiments.runner import (
    CLIENT_COLUMNS,
    PROFESSIONAL_COLUMNS,
    RunOutput,
    replicate_seeds,
    simulate,
)
from experiments.scenarios import Scenario
from experiments.stats import mean_ci
from model.metrics import METRIC_NAMES
from model.model import WEEKLY_FIGURES
from model.parameters import specs


def package_version() -> str:
    """The installed version of Verbinding."""
    try:
        return version("verbinding")
    except PackageNotFoundError:
        return "unknown"


@dataclass
class ScenarioResult:
    """The replicates of one scenario: its metrics per replicate."""

    scenario: Scenario
    parameters: dict[str, Any]
    seeds: list[int]
    metrics: list[dict[str, float]] = field(default_factory=list)

    def summary(self) -> dict[str, dict[str, object]]:
        """Mean and 95% interval over replicates, per metric."""
        return {name: mean_ci([m[name] for m in self.metrics]) for name in METRIC_NAMES}


def run_scenarios(scenarios: list[Scenario], replicates: int, seed: int,
                  out: Path | None = None, command: str = "",
                  progress: Callable[[str], None] | None = None) -> list[ScenarioResult]:
    """Run every scenario ``replicates`` times; optionally write the result files.

    Args:
        scenarios: Resolved scenarios (overrides already validated).
        replicates: Replicates per scenario (at least 1).
        seed: Root seed; replicate seeds derive from it.
        out: Folder to create with the result files, or None.
        command: The command line, recorded in ``run.json``.
        progress: Called with a short line after each replicate.
    """
    seeds = replicate_seeds(seed, replicates)
    results = [ScenarioResult(s, s.parameters().to_dict(), seeds) for s in scenarios]
    if out is None:
        _run_all(results, None, progress)
        return results
    with Staging(out) as staging:
        files = _open_files(staging.path)
        try:
            _run_all(results, files, progress)
        finally:
            for table in files.values():
                table.close()
        manifest = {"version": package_version(), "command": command, "root_seed": seed,
                    "replicates": replicates,
                    "scenarios": [{"name": r.scenario.name, "domain": r.scenario.domain,
                                   "file": str(r.scenario.path) if r.scenario.path else None,
                                   "parameters": r.parameters, "seeds": r.seeds}
                                  for r in results]}
        (staging.path / "run.json").write_text(dump_json(manifest) + "\n", encoding="utf-8")
    return results


def _run_all(results: list[ScenarioResult], files: dict[str, CsvTable] | None,
             progress: Callable[[str], None] | None) -> None:
    total = sum(len(r.seeds) for r in results)
    done = 0
    for result in results:
        for replicate, model_seed in enumerate(result.seeds):
            output = simulate(result.scenario.overrides, model_seed, records=files is not None)
            result.metrics.append(output.metrics)
            if files is not None:
                _write(files, result, replicate, output)
            done += 1
            if progress:
                progress(f"{done}/{total} {result.scenario.name} replicate {replicate}")


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
    weeks = len(output.weekly[WEEKLY_FIGURES[0]])
    files["weekly"].write((name, replicate, week + 1,
                           *(output.weekly[f][week] for f in WEEKLY_FIGURES))
                          for week in range(weeks))
    files["clients"].write((name, replicate, *row) for row in output.clients)
    files["professionals"].write((name, replicate, *row) for row in output.professionals)


def stderr_progress(line: str) -> None:
    """Print a progress line to standard error."""
    print(line, file=sys.stderr, flush=True)
