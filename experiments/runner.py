"""Running the model: one replicate as a pure function, and the seeds of replicates.

:func:`simulate` takes plain parameter values and a seed and returns plain data, so
it can run in this process, a process pool or a cluster worker alike.

Week numbers in the output are *reported* weeks: the ``weeks`` a user asked for are
1 to ``weeks``, and the ``warmup_weeks`` before them are numbered ``1 - warmup_weeks``
to 0 (the starting staff are hired in week ``-warmup_weeks``, before the first step).
The model itself numbers weeks by step; :func:`reported_week` converts.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from model import VerbindingModel
from model.metrics import summarise
from model.simulation import Simulation
from model.state import CLIENT_STATUS

#: Columns of the per-professional records, after ``professional_id``.
PROFESSIONAL_COLUMNS = ("hired_week", "left_week", "admin_hours", "contact_hours",
                        "network_hours", "overtime_hours", "open_hours", "scripted_hours",
                        "group_hours", "teaching_hours", "slack_hours", "burnout_episodes",
                        "status", "stress")
#: Columns of the per-client records, after ``client_id``.
CLIENT_COLUMNS = ("arrival_week", "start_week", "exit_week", "exit_reason", "handovers",
                  "initial_motivation", "early_bond", "final_bond", "final_progress",
                  "weeks_waiting", "own_route")


@dataclass(frozen=True)
class RunOutput:
    """What one replicate yields, as plain data.

    Attributes:
        seed: The model seed.
        parameters: Every parameter value of the run.
        metrics: ``{metric: value}`` (see :mod:`model.metrics`).
        weekly: ``{figure: [value per week]}``, one value per model step, the warm-up
            first: index ``i`` is reported week ``i + 1 - warmup_weeks`` (see
            :func:`week_numbers`).
        clients: One tuple per client, in :data:`CLIENT_COLUMNS` order after the id;
            weeks are reported weeks.
        professionals: One tuple per professional ever hired, in
            :data:`PROFESSIONAL_COLUMNS` order after the id; weeks are reported weeks.
    """

    seed: int
    parameters: dict[str, Any]
    metrics: dict[str, float]
    weekly: dict[str, list]
    clients: list[tuple]
    professionals: list[tuple]


def reported_week(step: int, warmup_weeks: int) -> int:
    """The reported week of a model step: 1 is the first week after the warm-up."""
    return step - warmup_weeks


def week_numbers(parameters: dict[str, Any]) -> range:
    """Reported week of each entry of a run's weekly series: warm-up weeks are <= 0."""
    warmup = parameters["warmup_weeks"]
    return range(1 - warmup, parameters["weeks"] + 1)


def replicate_seeds(root: int, n: int) -> list[int]:
    """Model seeds of replicates ``0..n-1``, all derived from one root seed.

    Replicate ``k`` gets the same seed whatever else is run, so scenarios run with the
    same root share arrivals and client traits (common random numbers).
    """
    children = np.random.SeedSequence(root).spawn(n)
    return [int(child.generate_state(1, np.uint64)[0] >> np.uint64(1)) for child in children]


def simulate(overrides: dict[str, Any], seed: int, records: bool = True) -> RunOutput:
    """Run one replicate to its last week.

    The Mesa model runs when records are asked for (professionals are agents); without
    them the same weeks run on arrays alone (:class:`~model.simulation.Simulation`),
    with the same weekly figures and metrics, much faster for small organisations.

    Args:
        overrides: Parameter values that differ from the defaults, and under the key
            ``events`` the run's events as plain data, if any (see
            :meth:`experiments.scenarios.Scenario.run_overrides`).
        seed: The model seed.
        records: Whether to return per-client and per-professional records.
    """
    if records:
        model = run_held(VerbindingModel(rng=seed, **overrides))
    else:
        model = run_held(Simulation.create(rng=seed, **overrides))
    return RunOutput(
        seed=seed,
        parameters=model.scenario_parameters.to_dict(),  # the run's own, not an event's
        metrics=summarise(model),
        weekly={name: list(values) for name, values in model.weekly.items()},
        clients=_client_rows(model) if records else [],
        professionals=_professional_rows(model) if records else [],
    )


#: Signals held back while a model runs (:func:`signals_held`).
HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back for a while; they take effect when it ends.

    The model's compiled weeks call back into Python (numba building their results). A
    signal handler that raises there (Python's Ctrl-C, the command line's SIGTERM)
    leaves numba with an exception it does not expect: the run ends in a SystemError,
    now and then a crash, not the clean unwinding the commands promise. Meanwhile the
    signals are only noted; at the end the handlers in force before get them (a
    standard run takes a tenth of a second). Python runs signal handlers in the main
    thread only; elsewhere nothing is held.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived = []
    before = {number: signal.signal(number, lambda n, frame: arrived.append(n))
              for number in HELD_SIGNALS}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        for number in dict.fromkeys(arrived):
            signal.raise_signal(number)


def run_held(model):
    """``model.run()`` with Ctrl-C and SIGTERM held until it returns (:func:`signals_held`)."""
    with signals_held():
        return model.run()


#: Week columns where the model marks "not yet" with -1 (never started, still here).
_UNSET_WEEK = -1


def _client_rows(model: VerbindingModel) -> list[tuple]:
    """One tuple per client; a value that does not exist (yet) is None, an empty cell."""
    record = model.clients.final_records()
    warmup = model.p.warmup_weeks
    columns = [[CLIENT_STATUS[r] for r in record[name]] if name == "exit_reason"
               else _missing_as_none(name, record[name].tolist(), warmup)
               for name in CLIENT_COLUMNS]
    return list(zip(range(model.clients.count), *columns, strict=True))


def _missing_as_none(name: str, values: list, warmup: int) -> list:
    """Replace the model's markers of a missing value (-1 weeks, NaN) by None.

    Weeks become reported weeks (the model's step minus the warm-up).
    """
    if name.endswith("_week"):
        return [None if v == _UNSET_WEEK else reported_week(v, warmup) for v in values]
    return [None if v != v else v for v in values]  # NaN is the only value unequal to itself


def _professional_rows(model: VerbindingModel) -> list[tuple]:
    rows = []
    warmup = model.p.warmup_weeks
    for pro in model.professionals_ever:
        hours = pro.hours
        left = None if pro.left_week is None else reported_week(pro.left_week, warmup)
        rows.append((pro.unique_id, reported_week(pro.hired_week, warmup), left,
                     hours["admin"],
                     hours["contact"], hours["network"], hours["overtime"], hours["open"],
                     hours["scripted"], hours["group"], hours["teaching"], hours["slack"],
                     pro.burnout_episodes, pro.status,
                     None if pro.left_week is not None else pro.stress))
    return rows


def simulate_job(job: tuple[dict[str, Any], int, bool]) -> RunOutput:
    """:func:`simulate` on one ``(overrides, seed, records)`` tuple (for executors)."""
    return simulate(*job)


def run_many(jobs: Sequence[tuple[dict[str, Any], int, bool]],
             workers: int | None = None) -> list[RunOutput]:
    """Run many replicates, in this process or a local process pool, in ``jobs`` order.

    Each run depends only on its own job, so the results are the same whatever the
    number of workers.

    Args:
        jobs: ``(overrides, seed, records)`` per run.
        workers: Processes to use; None for all cores, 1 to run here.
    """
    from experiments.executors import make_executor

    results: list[RunOutput | None] = [None] * len(jobs)
    with make_executor(1 if len(jobs) <= 1 else workers) as executor:
        for index, output in executor.run(simulate_job, jobs):
            results[index] = output
    return results
