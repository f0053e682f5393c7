"""``verbinding bench``: speed and memory, measured against Mesa's BoltzmannWealth.

Ours and Mesa's example run in the same process.

Figures:
- ``ours_client_steps_per_s``: client-weeks simulated per second (a client-week is one
  live client, waiting or in care, in one week) in the standard municipal scenario
  (the defaults: 100 professionals, about 2,700-3,000 clients in care) over 260 model
  steps: the default 52 warm-up weeks and 208 reported weeks (:data:`STEPS`). Until
  the warm-up became extra to ``weeks``, the default 260 weeks were these 260 steps,
  so the figures measure the same simulated work as before.
- ``mesa_agent_steps_per_s``: agent-steps per second of Mesa's BoltzmannWealth with
  3,000 agents for 100 steps (its default 10 x 10 grid, data collection included).
- ``ratio``: the first over the second.
- ``arrays_client_steps_per_s`` and ``arrays_ratio``: the same runs without agents
  (:class:`~model.simulation.Simulation`, as sweeps, sensitivity analyses and
  calibration run them), and their ratio to Mesa's.
- ``cost_ratio_30k_vs_3k``: seconds per client-week at ten times the scale (1,000
  professionals, about 30,000 clients; best of two runs) over the same at the standard
  scale.
- ``peak_mib_30k``: peak resident memory of a fresh process running that 30,000-client,
  260-step scenario (interpreter and libraries included; the process's own high-water
  mark, ``VmHWM``: ``ru_maxrss`` would also count the parent's memory at the fork).
- with ``--small``: small runs (:data:`SMALL`: a fifth of the standard scenario, 20
  professionals, for the default 52 warm-up and 260 reported weeks), metrics only, as
  a sweep runs them (:func:`experiments.sweep.execute`): milliseconds per run on one
  core with and without agents (best of :data:`SMALL_REPEATS`, in turns), and runs per
  hour through the process pool of 2 workers (best of three batches of
  :data:`SMALL_BATCH`).
- with ``--sweep``: runs per second of 120 standard-scenario runs on 1 worker, a pool of
  2, and a Dask LocalCluster of 2 (taking turns, best of three rounds), the speed-up of
  2 workers, and the share of the workers' time the pool and Dask spend outside runs
  (:func:`measure_sweep`).
Ours and Mesa's runs take turns, five of each, and each figure is the best of its
five (for ours, the fastest per client-week): on a shared machine, load that comes and
goes then slows both alike, and the best run is the one least disturbed. Ours is first
run once untimed, so the compiled weekly passes are loaded (or, on a fresh install,
compiled) beforehand.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import time

from model import Simulation, VerbindingModel
from model.kernels import WEEKLY_FIGURES, warm_up
from model.parameters import Parameters

REPEATS = 5
LARGE_REPEATS = 2
MESA_AGENTS, MESA_STEPS = 3000, 100
SCALE = 10
#: Model steps of a benchmark run (warm-up and reported weeks together).
STEPS = 260
#: The run length of every benchmark run: the default warm-up, then the rest of STEPS.
RUN = {"weeks": STEPS - Parameters().warmup_weeks}


#: A small organisation: the standard scenario at a fifth of its size, default run length.
SMALL = {"professionals": 20, "arrivals_per_week": Parameters().arrivals_per_week / 5}
SMALL_REPEATS, SMALL_BATCH = 15, 400
#: Model steps of a small run: the default warm-up and reported weeks.
SMALL_STEPS = Parameters().warmup_weeks + Parameters().weeks


def scaled(scale: int) -> dict[str, float]:
    """Overrides of the standard scenario multiplied in size by ``scale``, run STEPS."""
    base = Parameters()
    return {"professionals": base.professionals * scale,
            "arrivals_per_week": base.arrivals_per_week * scale, **RUN}


def time_ours(scale: int, seed: int = 1, agents: bool = True) -> tuple[float, int]:
    """Seconds and client-weeks of one run of the standard scenario times ``scale``.

    With ``agents``, the Mesa model; without, the same run on arrays alone.
    """
    start = time.perf_counter()
    model = (VerbindingModel if agents else Simulation.create)(rng=seed, **scaled(scale)).run()
    seconds = time.perf_counter() - start
    client_weeks = int(sum(model.weekly["waiting"]) + sum(model.weekly["in_care"]))
    return seconds, client_weeks


def time_mesa() -> float:
    """Seconds of Mesa's BoltzmannWealth, 3,000 agents, 100 steps."""
    from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth
    start = time.perf_counter()
    model = BoltzmannWealth(scenario=BoltzmannScenario(n=MESA_AGENTS, rng=1))
    for _ in range(MESA_STEPS):
        model.step()
    return time.perf_counter() - start


def peak_mib_in_fresh_process(scale: int) -> float:
    """Peak resident memory (MiB) of a new process running the scenario at ``scale``."""
    code = ("from model.kernels import warm_up; from experiments.bench import time_ours, "
            f"own_peak_mib; warm_up(); time_ours({scale}); print(own_peak_mib())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return float(done.stdout.strip().splitlines()[-1])


def own_peak_mib() -> float:
    """This process's peak resident memory in MiB.

    Linux's ``VmHWM`` counts this process only; ``ru_maxrss`` (elsewhere, and in
    kilobytes on Linux but bytes on macOS) may include the parent's memory at the fork.
    """
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status
                        if line.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def measure(progress=None, sweep: bool = False, small: bool = False) -> dict[str, float]:
    """Run the benchmark and return its figures (see the module docstring).

    With ``sweep``, also the sweep throughput figures of :func:`measure_sweep`; with
    ``small``, the small-run figures of :func:`measure_small`.
    """
    say = progress or (lambda line: None)
    say("standard scenario and Mesa BoltzmannWealth, in turns ...")
    warm_up()
    ours, arrays, mesa = [], [], []
    for seed in range(REPEATS):
        ours.append(time_ours(1, seed))
        arrays.append(time_ours(1, seed, agents=False))
        mesa.append(time_mesa())
    ours = max(ours, key=lambda run: run[1] / run[0])  # the fastest per client-week
    arrays_rate = max(weeks / seconds for seconds, weeks in arrays)
    mesa_seconds = min(mesa)
    say("30,000 clients ...")
    large = max((time_ours(SCALE, seed) for seed in range(LARGE_REPEATS)),
                key=lambda run: run[1] / run[0])
    say("30,000 clients in a fresh process, for its memory ...")
    peak_mib = peak_mib_in_fresh_process(SCALE)
    ours_rate = ours[1] / ours[0]
    mesa_rate = MESA_AGENTS * MESA_STEPS / mesa_seconds
    if progress:
        print(file=sys.stderr)
    sweep_figures = measure_sweep() if sweep else {}
    small_figures = measure_small(say) if small else {}
    return {
        "ours_client_steps_per_s": round(ours_rate),
        "mesa_agent_steps_per_s": round(mesa_rate),
        "ratio": round(ours_rate / mesa_rate, 2),
        "arrays_client_steps_per_s": round(arrays_rate),
        "arrays_ratio": round(arrays_rate / mesa_rate, 2),
        "cost_ratio_30k_vs_3k": round((large[0] / large[1]) / (ours[0] / ours[1]), 2),
        "peak_mib_30k": round(peak_mib, 1),
        "clients_per_week_standard": round(ours[1] / STEPS),
        "clients_per_week_30k": round(large[1] / STEPS),
        **sweep_figures,
        **small_figures,
    }


def measure_sweep(runs: int = 120, rounds: int = 3) -> dict[str, float]:
    """Sweep throughput at the standard scenario size: 1 and 2 workers, and Dask.

    ``runs`` replicates of the standard scenario go through each executor, after eight
    untimed runs that start its workers (a batch of seconds, so a worker still loading
    the compiled code as timing starts weighs little); each rate is runs per second over
    the batch. The executors take turns for ``rounds`` rounds; each keeps its best round.

    An executor's overhead is the share of its workers' time not spent in runs (waiting
    for work, sending it, taking results back): 1 - (seconds in runs, as the workers
    time them) / (workers x wall time), over all rounds. Unlike the ratio of two rates,
    it does not take the runs' own speed, which on a shared machine changes from one
    batch to the next by more than any executor costs, for the executor's.
    """
    from experiments.executors import DaskExecutor, PoolExecutor, SerialExecutor
    from experiments.runner import replicate_seeds
    from model.metrics import METRIC_NAMES

    jobs = [{"run_id": i, "point": 0, "replicate": i, "seed": seed, "values": {},
             "overrides": dict(RUN), "metrics": METRIC_NAMES, "keep_weekly": False}
            for i, seed in enumerate(replicate_seeds(1, runs))]
    best = {"one": 0.0, "two": 0.0, "dask": 0.0}
    spent = {"two": [0.0, 0.0], "dask": [0.0, 0.0]}  # seconds in runs, worker-seconds

    def rate(key: str, executor, workers: int) -> None:
        with executor:
            for _ in executor.run(timed_run, jobs[:8]):  # start the workers, untimed
                pass
            start = time.perf_counter()
            in_runs = sum(seconds for _, seconds in executor.run(timed_run, jobs))
            wall = time.perf_counter() - start
        best[key] = max(best[key], runs / wall)
        if key in spent:
            spent[key][0] += in_runs
            spent[key][1] += workers * wall

    for _ in range(rounds):
        rate("one", SerialExecutor(), 1)
        rate("two", PoolExecutor(2), 2)
        rate("dask", DaskExecutor("local", workers=2), 2)
    one, two, dask = best["one"], best["two"], best["dask"]
    return {"sweep_runs_per_s_1_worker": round(one, 2),
            "sweep_runs_per_s_2_workers": round(two, 2),
            "sweep_speedup_2_workers": round(two / one, 2),
            "sweep_runs_per_s_dask_2_workers": round(dask, 2),
            "pool_overhead": round(1 - spent["two"][0] / spent["two"][1], 4),
            "dask_overhead": round(1 - spent["dask"][0] / spent["dask"][1], 4)}


def timed_run(job: dict) -> float:
    """Seconds one sweep run takes in the worker (:func:`experiments.sweep.execute`)."""
    from experiments.sweep import execute

    start = time.perf_counter()
    execute(job)
    return time.perf_counter() - start


def small_jobs(n: int, first: int = 0) -> list[dict]:
    """``n`` sweep jobs of the small organisation (:data:`SMALL`), metrics only."""
    from experiments.runner import replicate_seeds
    from model.metrics import METRIC_NAMES

    return [{"run_id": i, "point": 0, "replicate": i, "seed": seed, "values": {},
             "overrides": dict(SMALL), "metrics": METRIC_NAMES, "keep_weekly": False}
            for i, seed in enumerate(replicate_seeds(1, first + n)[first:], first)]


def measure_small(say=lambda line: None) -> dict[str, float]:
    """Small runs: ms per run on one core with and without agents; runs/hour on 2 workers.

    One core: the Mesa model and the arrays alone take turns on the same seeds, each
    keeping its best of :data:`SMALL_REPEATS`. Pool: :data:`SMALL_BATCH` sweep jobs
    (:func:`experiments.sweep.execute`, metrics only) through a process pool of 2,
    after a batch that starts its workers; the best of three batches.
    """
    from experiments.executors import PoolExecutor
    from experiments.sweep import execute

    say("small runs, one core ...")
    mesa, arrays = [], []
    for seed in range(SMALL_REPEATS):
        for kind, times in ((VerbindingModel, mesa), (Simulation.create, arrays)):
            start = time.perf_counter()
            kind(rng=seed, **SMALL).run()
            times.append(time.perf_counter() - start)
    say("small runs, a process pool of 2 ...")
    best = 0.0
    with PoolExecutor(2) as pool:
        for _ in pool.run(execute, small_jobs(20)):  # start the workers, untimed
            pass
        for batch in range(3):
            jobs = small_jobs(SMALL_BATCH, first=(batch + 1) * SMALL_BATCH)
            start = time.perf_counter()
            for _ in pool.run(execute, jobs):
                pass
            best = max(best, len(jobs) / (time.perf_counter() - start))
    return {"small_run_ms_mesa": round(1000 * min(mesa), 1),
            "small_run_ms_arrays": round(1000 * min(arrays), 1),
            "small_runs_per_hour_2_workers": round(best * 3600, -2)}


def measure_mesa_agents(n: int = 20_000, rounds: int = 9) -> dict[str, float]:
    """Where the time of creating and removing a Mesa agent goes (microseconds each).

    ``n`` plain ``mesa.Agent`` objects are created, then removed, in a fresh model; the
    variants take turns for ``rounds`` rounds and each figure is its best. Nobody
    subscribes to agent signals and logging is at its default level, as in almost every
    run:

    - ``stock``: Mesa's ``Model`` as it ships.
    - ``without_signal``: the same registration steps, without the ``emit`` wrapper
      that notifies subscribers (Mesa's own functions, unwrapped).
    - ``log_formatting``: formatting the two debug messages Mesa builds per agent even
      when debug logging is off (f-strings are formatted before the call).
    - ``lean``: :class:`~model.model.VerbindingModel`'s registration, which skips signal
      and message when nobody would receive them.
    """
    import mesa
    from mesa.model import Model

    class Plain(mesa.Agent):
        """An agent with nothing of its own."""

    class WithoutSignal(Model):
        register_agent = Model.register_agent.__wrapped__
        deregister_agent = Model.deregister_agent.__wrapped__

    def per_agent(make_model) -> float:
        model = make_model()
        start = time.perf_counter()
        agents = [Plain(model) for _ in range(n)]
        for agent in agents:
            agent.remove()
        return (time.perf_counter() - start) / n * 1e6

    def formatting() -> float:
        agent = Plain(Model(rng=1))
        start = time.perf_counter()
        for _ in range(n):
            f"registered {agent.__class__.__name__} with agent_id {agent.unique_id}"
            f"deregistered agent with agent_id {agent.unique_id}"
        return (time.perf_counter() - start) / n * 1e6

    variants = {"stock": lambda: per_agent(lambda: Model(rng=1)),
                "without_signal": lambda: per_agent(lambda: WithoutSignal(rng=1)),
                "log_formatting": formatting,
                "lean": lambda: per_agent(lambda: VerbindingModel(
                    rng=1, professionals=1, arrivals_per_week=0.0))}
    best = dict.fromkeys(variants, float("inf"))
    for _ in range(rounds):  # in turns, so load that comes and goes slows all alike
        for name, measure_once in variants.items():
            best[name] = min(best[name], measure_once())
    return {name: round(value, 2) for name, value in best.items()}


def measure_mesa_step(n: int = 20_000, rounds: int = 9) -> dict[str, float]:
    """What Mesa spends on a step besides the model's own work (microseconds each).

    The variants take turns for ``rounds`` rounds of ``n`` calls; each figure is its best:

    - ``step``: ``model.step()`` of a ``Model`` whose own step does nothing: Mesa's
      scheduling of the step (``_advance_time``, its event list and the step's event
      generator) and its info log line.
    - ``step_log_formatting``: formatting that line, which Mesa builds as an f-string
      every step though info logging is off.
    - ``collect_stock``: Mesa's ``DataCollector.collect`` of the model's
      :data:`~model.kernels.WEEKLY_FIGURES` (plain numbers, one attribute each), which
      deep-copies every value.
    - ``collect_plain``: the same figures collected by the model's
      :class:`~model.model.WeeklyFigures`, appended uncopied.
    """
    from mesa.datacollection import DataCollector
    from mesa.model import Model

    from model.model import WeeklyFigures

    class Idle(Model):
        def step(self) -> None:
            """Nothing of its own."""

    holder = Idle(rng=1)
    for name in WEEKLY_FIGURES:
        setattr(holder, name, 0.5)

    def per_call(call) -> float:
        start = time.perf_counter()
        for _ in range(n):
            call()
        return (time.perf_counter() - start) / n * 1e6

    def formatting() -> float:
        start = time.perf_counter()
        for _ in range(n):
            f"Step {holder.steps} at time {holder.time}"
        return (time.perf_counter() - start) / n * 1e6

    variants = {
        "step": lambda: per_call(Idle(rng=1).step),
        "step_log_formatting": formatting,
        "collect_stock": lambda: per_call(functools.partial(DataCollector(
            model_reporters={name: name for name in WEEKLY_FIGURES}).collect, holder)),
        "collect_plain": lambda: per_call(functools.partial(WeeklyFigures().collect, holder)),
    }
    best = dict.fromkeys(variants, float("inf"))
    for _ in range(rounds):
        for name, measure_once in variants.items():
            best[name] = min(best[name], measure_once())
    return {name: round(value, 2) for name, value in best.items()}


#: Live clients and arrivals a week of the standard run with agents (about), for
#: :func:`measure_churn`.
CHURN_LIVE, CHURN_WEEKLY = 2_250, 300


def measure_churn(scale: int, weeks: int = 150, seed: int = 1) -> dict[str, float]:
    """What Python objects cost to make and to free as they come and go (us each).

    Plain objects with a client agent's four attributes arrive and leave as clients do
    in the standard run (:data:`CHURN_WEEKLY` a week, about :data:`CHURN_LIVE` live),
    times ``scale``, leavers drawn at random among the live; kept in a list only, or
    also entered in two dictionaries as Mesa's agent sets keep agents. No Mesa, no
    model: what is left when signals, logging and ``Agent.__init__`` are gone. The
    first ``weeks // 5`` weeks fill the population and are not timed. Python's cycle
    collector is paused, as in a model's run.
    """
    import gc
    import random

    collecting = gc.isenabled()
    gc.disable()
    try:
        result = {}
        for where in ("list", "dicts"):
            made, freed = _churn(scale, weeks, random.Random(seed), where == "dicts")
            result[f"{where}_make_us"], result[f"{where}_free_us"] = made, freed
        return result
    finally:
        if collecting:
            gc.enable()


class _Plain:
    """An object with a client agent's attributes (:func:`measure_churn`)."""


def _churn(scale: int, weeks: int, draw, in_dicts: bool) -> tuple[float, float]:
    """Microseconds to make and to free an object, in a list and maybe two dicts."""
    everyone, clients, live = {}, {}, []
    made = freed = made_s = freed_s = 0.0
    weekly, keep = CHURN_WEEKLY * scale, CHURN_LIVE * scale
    for week in range(weeks):
        timed = week >= weeks // 5
        start = time.perf_counter()
        arrived = []
        for serial in range(week * weekly, (week + 1) * weekly):
            agent = _Plain()
            agent.model, agent.unique_id, agent.pos, agent.serial = None, serial, None, serial
            arrived.append(agent)
        if in_dicts:
            joined = dict.fromkeys(arrived)
            everyone.update(joined)
            clients.update(joined)
        made_s += (time.perf_counter() - start) * timed
        made += len(arrived) * timed
        live.extend(arrived)
        del arrived
        out = set(draw.sample(range(len(live)), max(0, len(live) - keep)))
        leaving = [a for i, a in enumerate(live) if i in out]
        live = [a for i, a in enumerate(live) if i not in out]
        start = time.perf_counter()
        if in_dicts:
            for agent in leaving:
                everyone.pop(agent, None)
                clients.pop(agent, None)
        count = len(leaving)
        leaving.clear()   # the last reference: each object is freed here
        freed_s += (time.perf_counter() - start) * timed
        freed += count * timed
    return round(made_s / made * 1e6, 2), round(freed_s / freed * 1e6, 2)


def _timed(spent: dict[str, float], part: str, method):
    """``method``, adding the seconds of each call to ``spent[part]``."""
    def run(*args):
        start = time.perf_counter()
        result = method(*args)
        spent[part] += time.perf_counter() - start
        return result
    return run


def measure_split(repeats: int = 4, scale: int = 1) -> dict[str, float]:
    """Where a standard run with agents spends its time (ms), best of ``repeats`` runs.

    At ``scale`` times the standard scenario's size (:func:`scaled`).

    Timers wrap, on each model only, the compiled weeks (``sim.run_weeks``), the
    arrivals joining (``_admit``), the leavers leaving (``_dismiss``) and the week's
    figures with the DataCollector (``_observe``); ``rest`` is the rest of each step.
    Also the microseconds per client of joining and leaving.
    """
    best: dict[str, float] = {}
    for seed in range(repeats):
        model = VerbindingModel(rng=seed, **scaled(scale))
        spent = dict.fromkeys(("weeks", "admit", "dismiss", "observe"), 0.0)
        model.sim.run_weeks = _timed(spent, "weeks", model.sim.run_weeks)
        for part in ("admit", "dismiss", "observe"):
            setattr(model, f"_{part}", _timed(spent, part, getattr(model, f"_{part}")))
        start = time.perf_counter()
        model.run()
        total = time.perf_counter() - start
        if not best or total < best["total"] / 1000:
            weekly = model.weekly
            left = sum(weekly["goals"]) + sum(weekly["dropouts"]) + sum(weekly["year_ends"])
            best = {"total": total * 1000, **{k: v * 1000 for k, v in spent.items()},
                    "rest": (total - sum(spent.values())) * 1000,
                    "us_per_arrival": spent["admit"] / model.clients.count * 1e6,
                    "us_per_leaver": spent["dismiss"] / left * 1e6,
                    "arrivals": model.clients.count, "leavers": left}
    return {name: round(value, 2) for name, value in best.items()}


def mesa_report(costs: dict[str, float]) -> str:
    """The agent costs as lines: what one agent created and removed costs, and why."""
    signal = costs["stock"] - costs["without_signal"]
    return "\n".join([
        f"one Mesa agent created and removed, nobody listening: {costs['stock']} us",
        f"  the agent_added / agent_removed signals (emit wrapper, notify): {signal:.2f} us",
        f"  the two debug messages, formatted though debug logging is off: "
        f"{costs['log_formatting']} us",
        f"  the rest (Agent.__init__, the agent sets): "
        f"{costs['without_signal'] - costs['log_formatting']:.2f} us",
        f"VerbindingModel's lean registration: {costs['lean']} us "
        f"({costs['stock'] / costs['lean']:.1f}x less)",
    ])


def mesa_step_report(costs: dict[str, float]) -> str:
    """Mesa's own costs of a step (:func:`measure_mesa_step`) as lines."""
    figures = len(WEEKLY_FIGURES)
    return "\n".join([
        f"one Mesa step of a model that does nothing itself: {costs['step']} us",
        f"  its info log line, formatted though info logging is off: "
        f"{costs['step_log_formatting']} us",
        f"DataCollector.collect of {figures} numbers, one attribute each: "
        f"{costs['collect_stock']} us; uncopied (WeeklyFigures): {costs['collect_plain']} us "
        f"({costs['collect_stock'] / costs['collect_plain']:.1f}x less)",
    ])


def churn_report(small: dict[str, float], large: dict[str, float]) -> str:
    """What Python objects cost as they come and go (:func:`measure_churn`), as lines."""
    def pair(figures, where):
        return f"{figures[where + '_make_us']:.2f} / {figures[where + '_free_us']:.2f} us"
    return "\n".join([
        f"plain Python objects arriving and leaving as clients do, made / freed, at "
        f"~{CHURN_LIVE:,} vs ~{CHURN_LIVE * SCALE:,} live:",
        f"  kept in a list: {pair(small, 'list')} vs {pair(large, 'list')}",
        f"  also in two dictionaries, as Mesa's agent sets: {pair(small, 'dicts')} vs "
        f"{pair(large, 'dicts')}",
    ])


def split_report(split: dict[str, float]) -> str:
    """The parts of a standard run with agents (:func:`measure_split`) as lines."""
    return "\n".join([
        f"a standard run with agents, best of its runs: {split['total']:.0f} ms",
        f"  the compiled weeks: {split['weeks']:.0f} ms",
        f"  arrivals joining as agents: {split['admit']:.0f} ms "
        f"({split['us_per_arrival']:.2f} us x {split['arrivals']:,.0f})",
        f"  leavers leaving: {split['dismiss']:.0f} ms "
        f"({split['us_per_leaver']:.2f} us x {split['leavers']:,.0f})",
        f"  the week's figures and the DataCollector: {split['observe']:.0f} ms",
        f"  the rest of each step: {split['rest']:.0f} ms",
    ])


def report(figures: dict[str, float]) -> str:
    """The figures as readable lines, with the targets of the project."""
    return "\n".join([
        f"ours   {figures['ours_client_steps_per_s']:>12,} client-weeks/s "
        f"(standard scenario, ~{figures['clients_per_week_standard']:,} live clients)",
        f"Mesa   {figures['mesa_agent_steps_per_s']:>12,} agent-steps/s "
        f"(BoltzmannWealth, {MESA_AGENTS:,} agents)",
        f"ratio  {figures['ratio']:>12}x  (target >= 30)",
        f"without agents {figures['arrays_client_steps_per_s']:>12,} client-weeks/s: "
        f"{figures['arrays_ratio']}x Mesa's (as sweeps and calibration run)",
        f"cost per client-week at ~{figures['clients_per_week_30k']:,} vs "
        f"~{figures['clients_per_week_standard']:,} clients: "
        f"{figures['cost_ratio_30k_vs_3k']}x (target <= 1.5)",
        f"peak memory, 260 steps at ~30,000 clients: {figures['peak_mib_30k']} MiB "
        "(target < 1024)",
        *([f"sweep, standard scenario: {figures['sweep_runs_per_s_1_worker']} runs/s on 1 "
           f"worker, {figures['sweep_runs_per_s_2_workers']} on 2: "
           f"{figures['sweep_speedup_2_workers']}x (target >= 1.7)",
           f"Dask LocalCluster, 2 workers: {figures['sweep_runs_per_s_dask_2_workers']} "
           f"runs/s; workers' time outside runs {100 * figures['dask_overhead']:.1f}% "
           f"(process pool: {100 * figures['pool_overhead']:.1f}%; target < 10%)"]
          if "sweep_speedup_2_workers" in figures else []),
        *([f"small runs ({SMALL['professionals']} professionals, {SMALL_STEPS} weeks, metrics "
           "only): "
           f"{figures['small_run_ms_mesa']} ms with agents, "
           f"{figures['small_run_ms_arrays']} ms without, on one core; "
           f"{figures['small_runs_per_hour_2_workers']:,.0f} an hour on 2 workers "
           "(target >= 200,000)"] if "small_run_ms_arrays" in figures else []),
    ])
