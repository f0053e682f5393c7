"""The presets' regimes: the load each is held at, whatever the uncertain parameters.

A preset is placed at a stated *utilisation* (docs/ODD.md, section 5): the hours its
clients need at the organisation's norm of contact, with the team's fixed hours, over
the working team's contract hours. That is a choice of scenario, not a finding. How
many arrivals give it depends on how long clients stay, which depends on parameters
the calibration is unsure of (``need_hours`` above all), so wherever those vary (the
calibration's candidates, posterior draws, a sweep over priors) the arrivals follow
them: :func:`regime_factor` finds the factor on a scenario's arrivals that holds it,
and :func:`with_arrivals_factor` applies one to a run, its events included.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from experiments.runner import simulate
from model.mechanisms import hours_needed
from model.parameters import Parameters

#: The utilisation each preset is held at: a busy team below the tipping point that
#: Kuntz et al. (2015) place past 90% occupancy. Keyed by domain: each preset is named
#: after its domain, whose other scenarios (variants) follow its factor. The education
#: preset's arrivals are a count of pupils (OCW) who all stay the year, so its regime
#: does not move with the uncertain parameters.
REGIMES = {"care": 0.8, "work": 0.8}
#: Pilot runs allowed to find a scenario's arrivals, and how close their utilisation
#: must come (assumption: about the spread of one run at a fifth of the presets' size).
REGIME_PILOTS, REGIME_TOLERANCE = 3, 0.03
#: Largest change of a scenario's arrivals to hold its regime in the calibration
#: (assumption): parameters needing more are ones whose clients stay three times longer
#: or shorter than the presets' sources suggest; they are rejected rather than run at
#: extreme sizes.
REGIME_FACTORS = (1 / 3, 3.0)
#: The same for a sweep, which needs a result at every point of its design (a Sobol
#: design over the priors reaches such parameters): wide, at the cost of slow runs.
SWEEP_FACTORS = (0.1, 10.0)


def regime_factor(overrides: dict[str, Any], seeds: Sequence[int], utilisation: float,
                  tolerance: float = REGIME_TOLERANCE,
                  bounds: tuple[float, float] = REGIME_FACTORS) -> float:
    """The factor on a scenario's arrivals that holds it at ``utilisation``.

    Below the tipping point the clients waiting or in care are arrivals times their
    mean stay (Little's law), and the utilisation is the team's fixed hours plus a
    share per client, so each pilot's mean utilisation over ``seeds`` scales the
    arrivals' part of it to the target: at most :data:`REGIME_PILOTS` pilots (runs
    without agents), until one comes within ``tolerance``.

    Args:
        overrides: The scenario's run overrides, with the parameters to hold it at.
        seeds: The pilots' seeds (one run each per pilot).
        utilisation: The target.
        tolerance: How close a pilot must come to stop.
        bounds: The smallest and largest factor allowed.

    Returns:
        The factor; NaN if it falls outside ``bounds`` or the scenario's clients need
        no time.

    Raises:
        ParameterError: If the overrides are out of range or impossible.
    """
    p = Parameters.from_mapping({k: v for k, v in overrides.items() if k != "events"})
    fixed = hours_needed(0.0, 1.0, p) / p.hours_per_week  # with no client at all
    factor = 1.0
    for _ in range(REGIME_PILOTS):
        pilot = with_arrivals_factor(overrides, factor)
        used = float(np.mean([simulate(pilot, seed, records=False).metrics["utilisation"]
                              for seed in seeds]))
        if abs(used - utilisation) <= tolerance:
            break
        if not used > fixed:
            return math.nan
        factor *= (utilisation - fixed) / (used - fixed)
        if not bounds[0] <= factor <= bounds[1]:
            return math.nan
    return factor


def with_arrivals_factor(overrides: dict[str, Any], factor: float) -> dict[str, Any]:
    """Run overrides with the arrivals, and those of the events, times ``factor``.

    ``overrides`` holds ``arrivals_per_week`` unless the run takes the default.
    """
    arrivals = overrides.get("arrivals_per_week", Parameters().arrivals_per_week)
    held = {**overrides, "arrivals_per_week": arrivals * factor}
    if "events" in overrides:
        held["events"] = [{**event, "parameters": {
            **event["parameters"], **({"arrivals_per_week": event["parameters"][
                "arrivals_per_week"] * factor} if "arrivals_per_week" in event["parameters"]
                else {})}} for event in overrides["events"]]
    return held
