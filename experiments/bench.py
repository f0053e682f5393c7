"""``verbinding bench``: speed and memory, measured against Mesa's BoltzmannWealth.

Ours and Mesa's example run in the same process.

Figures:
- ``ours_client_steps_per_s``: client-weeks simulated per second (a client-week is one
  live client, waiting or in care, in one week) in the standard municipal scenario
  (the defaults: 100 professionals, about 2,700-3,000 clients in care, 260 weeks).
- ``mesa_agent_steps_per_s``: agent-steps per second of Mesa's BoltzmannWealth with
  3,000 agents for 100 steps (its default 10 x 10 grid, data collection included).
- ``ratio``: the first over the second.
- ``cost_ratio_30k_vs_3k``: seconds per client-week at ten times the scale (1,000
  professionals, about 30,000 clients) over the same at the standard scale.
- ``peak_mib_30k``: peak resident memory of a fresh process running that 30,000-client,
  260-week scenario (interpreter and libraries included).
Each timing is the best of three runs, to damp the noise of a shared machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from model import VerbindingModel
from model.parameters import Parameters

REPEATS = 3
MESA_AGENTS, MESA_STEPS = 3000, 100
SCALE = 10


def scaled(scale: int) -> dict[str, float]:
    """Overrides of the standard scenario multiplied in size by ``scale``."""
    base = Parameters()
    return {"professionals": base.professionals * scale,
            "arrivals_per_week": base.arrivals_per_week * scale}


def time_ours(scale: int, seed: int = 1) -> tuple[float, int]:
    """Seconds and client-weeks of one run of the standard scenario times ``scale``."""
    start = time.perf_counter()
    model = VerbindingModel(rng=seed, **scaled(scale)).run()
    seconds = time.perf_counter() - start
    figures = model.datacollector.model_vars
    client_weeks = int(sum(figures["waiting"]) + sum(figures["in_care"]))
    return seconds, client_weeks


def time_mesa() -> float:
    """Seconds of Mesa's BoltzmannWealth, 3,000 agents, 100 steps."""
    from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth
    start = time.perf_counter()
    model = BoltzmannWealth(scenario=BoltzmannScenario(n=MESA_AGENTS, rng=1))
    for _ in range(MESA_STEPS):
        model.step()
    return time.perf_counter() - start


def _large_in_fresh_process() -> dict[str, float]:
    code = ("import json, resource; from experiments.bench import time_ours; "
            f"s, w = time_ours({SCALE}); "
            "print(json.dumps({'seconds': s, 'client_weeks': w, 'peak_kib': "
            "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(progress=None) -> dict[str, float]:
    """Run the benchmark and return its figures (see the module docstring)."""
    say = progress or (lambda line: None)
    say("standard scenario ...")
    ours = min(time_ours(1, seed) for seed in range(REPEATS))
    say("Mesa BoltzmannWealth ...")
    mesa_seconds = min(time_mesa() for _ in range(REPEATS))
    say("30,000 clients in a fresh process ...")
    large = _large_in_fresh_process()
    ours_rate = ours[1] / ours[0]
    mesa_rate = MESA_AGENTS * MESA_STEPS / mesa_seconds
    if progress:
        print(file=sys.stderr)
    return {
        "ours_client_steps_per_s": round(ours_rate),
        "mesa_agent_steps_per_s": round(mesa_rate),
        "ratio": round(ours_rate / mesa_rate, 2),
        "cost_ratio_30k_vs_3k": round((large["seconds"] / large["client_weeks"])
                                      / (ours[0] / ours[1]), 2),
        "peak_mib_30k": round(large["peak_kib"] / 1024, 1),
        "clients_per_week_standard": round(ours[1] / Parameters().weeks),
        "clients_per_week_30k": round(large["client_weeks"] / Parameters().weeks),
    }


def report(figures: dict[str, float]) -> str:
    """The figures as readable lines, with the targets of the project."""
    return "\n".join([
        f"ours   {figures['ours_client_steps_per_s']:>12,} client-weeks/s "
        f"(standard scenario, ~{figures['clients_per_week_standard']:,} live clients)",
        f"Mesa   {figures['mesa_agent_steps_per_s']:>12,} agent-steps/s "
        f"(BoltzmannWealth, {MESA_AGENTS:,} agents)",
        f"ratio  {figures['ratio']:>12}x  (target >= 10)",
        f"cost per client-week at ~{figures['clients_per_week_30k']:,} vs "
        f"~{figures['clients_per_week_standard']:,} clients: "
        f"{figures['cost_ratio_30k_vs_3k']}x (target <= 1.5)",
        f"peak memory, 260 weeks at ~30,000 clients: {figures['peak_mib_30k']} MiB "
        "(target < 1024)",
    ])
