"""The presets' regimes: the load each is held at, whatever the uncertain parameters.

A preset is placed at a stated *planned utilisation* (docs/ODD.md, section 5): the
hours its clients (waiting or in care) need at the organisation's norm of contact,
with every post's fixed hours, over the contract hours of all its posts, when the
team stays whole, as a planner sizes a practice for its posts on paper. Measured on a
team that the parameters make sick or short (the model's ``utilisation`` metric, or
the posts of a team with vacancies), parameters that burn staff out would be given
fewer clients, since longer waiting lists and stays while staff are off count against
the regime, damping the very cascade of pattern 7; so the pilots that find a regime
run with nobody burning out or quitting (:data:`FULL_TEAM`), and the runs themselves
with all their feedback. The regime is a choice of scenario, not a finding. How
many arrivals give it depends on how long clients stay, which depends on parameters
the calibration is unsure of (``need_hours`` above all), so wherever those vary (the
calibration's candidates, posterior draws, a sweep over priors) the arrivals follow
them: :func:`regime_factor` finds the factor on a scenario's arrivals that holds it,
and :func:`with_arrivals_factor` applies one to a run, its events included.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from experiments.runner import RunOutput, simulate
from model.mechanisms import hours_needed
from model.metrics import window
from model.parameters import Parameters

#: The planned utilisation each preset is held at (assumption: a busy team below its
#: tipping point, which Kuntz et al. (2015) place past 92.5% bed occupancy; with the
#: sickness absence and vacancies that follow, the professionals at work then plan
#: about 80% of their own hours and fill about three quarters of their places). Keyed
#: by domain: each preset is named after its domain, whose other scenarios (variants)
#: follow its factor. The education
#: preset's arrivals are a count of pupils (OCW) who all stay the year, so its regime
#: does not move with the uncertain parameters.
REGIMES = {"care": 0.75, "work": 0.75}
#: Pilot runs allowed to find a scenario's arrivals, and how close their utilisation
#: must come (assumption: about three times the spread of one run at a fifth of the
#: presets' size, 0.005-0.011 measured at the adopted defaults). Most scenarios need
#: one or two; those past their capacity at first need more.
REGIME_PILOTS, REGIME_TOLERANCE = 8, 0.02
#: What "below its tipping point" asks of a preset, checked where its defaults are chosen
#: (the calibration's point search): with its arrivals this factor above those that
#: hold its regime, and every feedback running, its waiting list stays under
#: :data:`QUEUE_LIMIT` of its places. Assumption: a demand 5% above plan is an ordinary
#: surprise a busy team is planned to absorb; one that queues its clients after it sits
#: on its tipping point, not below it (from the presets' three quarters of their
#: places, 5% more clients stay far short of the 92.5% occupancy past which Kuntz et al.
#: (2015) find outcomes turning).
TIPPING_MARGIN = 1.05
#: Other margins the premise is judged at, as a sensitivity of what it keeps of the
#: posterior (the calibration's report). Assumption: a surprise of 3% or 10% more
#: demand, on either side of :data:`TIPPING_MARGIN`, is as defensible as 5%.
OTHER_MARGINS = (1.03, 1.10)
#: The waiting list, per place (professionals x caseload cap), above which a team is
#: past its tipping point. Assumption: one client waiting for every hundred places is a
#: queue that formed, not a week's chance; below the turn the list is empty in most
#: weeks (the care preset of 4 December 2026 had none at 0.97 of its arrivals, 0.01 of
#: its places at 1.0 and 0.04 at 1.05, over ten seeds each: the limit was placed
#: between them, after seeing that case).
QUEUE_LIMIT = 0.01
#: The pilots' team stays whole: nobody burns out or quits (see the module's text).
FULL_TEAM = {"burnout_hazard": 0.0, "quit_rate_base": 0.0}
#: Parameters besides the levers that the regime's measure uses (:func:`~model.
#: mechanisms.hours_needed`): varying them while holding the regime would redefine it.
REGIME_MEASURE = ("contact_norm_hours", "class_hours")
#: Largest change of a scenario's arrivals to hold its regime in the calibration
#: (assumption): parameters needing more are ones whose clients stay three times longer
#: or shorter than the presets' sources suggest; they are rejected rather than run at
#: extreme sizes.
REGIME_FACTORS = (1 / 3, 3.0)
#: The same for a sweep, which needs a result at every point of its design (a Sobol
#: design over the priors reaches such parameters): wide, at the cost of slow runs; a
#: point whose regime lies beyond them runs at the nearest, and its row's
#: ``held_utilisation`` says how far from the regime it ran.
SWEEP_FACTORS = (0.1, 10.0)


class Regime(NamedTuple):
    """The factor found to hold a scenario at its regime, and what its last pilot used.

    Attributes:
        factor: The factor on the scenario's arrivals; NaN when none within bounds.
        utilisation: The last pilot's utilisation of the establishment, run at
            ``factor`` (NaN when no pilot ran): within the tolerance unless the pilots
            ran out, so a caller can see how closely the regime was held.
    """

    factor: float
    utilisation: float


def pilot_seeds(seeds: Sequence[int]) -> list[int]:
    """Seeds of the pilots for runs with ``seeds``: streams of their own.

    A pilot sharing its run's seed would fold that seed's chance into the factor
    (a lucky run would get fewer clients); these are independent of it, yet follow
    from it, so a run and its factor reproduce from the one seed.
    """
    return [int(np.random.SeedSequence(seed, spawn_key=(1,)).generate_state(1)[0])
            for seed in seeds]


def establishment_utilisation(run: RunOutput, p: Parameters) -> float:
    """Mean weekly hours a run's clients need, over its establishment's contract hours.

    Every post counts (``professionals``), with its fixed hours; run with
    :data:`FULL_TEAM`, every post is staffed, and this is the planned utilisation. The
    clients are those waiting or in care each week the metrics judge (:func:`~model.
    metrics.window`).
    """
    reported = window(p)
    clients = np.add(run.weekly["waiting"][reported], run.weekly["in_care"][reported],
                     dtype=float)
    posts = float(p.professionals)
    needed = hours_needed(0.0, posts, p) + clients * hours_needed(1.0, 0.0, p)
    return float(np.mean(needed)) / (posts * p.hours_per_week)


def regime_factor(overrides: dict[str, Any], seeds: Sequence[int], utilisation: float,
                  tolerance: float = REGIME_TOLERANCE,
                  bounds: tuple[float, float] = REGIME_FACTORS) -> Regime:
    """The factor on a scenario's arrivals that holds it at ``utilisation``.

    Below the tipping point the clients waiting or in care are arrivals times their
    mean stay (Little's law), and the planned utilisation (:func:`establishment_utilisation`
    of a run with :data:`FULL_TEAM`) is the posts' fixed hours plus a
    share per client, so each pilot's mean over ``seeds`` scales the arrivals' part to the
    target. Past the tipping point the waiting list grows with every extra arrival and
    that step overshoots; the pilots then close in on the target between the nearest
    pilots on either side of it (:func:`_next_factor`). At most :data:`REGIME_PILOTS`
    pilots (runs without agents), until one comes within ``tolerance``. The factor
    returned is that of the pilot that came closest; the caller sees from its
    utilisation whether it came within ``tolerance``.

    Args:
        overrides: The scenario's run overrides, with the parameters to hold it at.
        seeds: The pilots' seeds (one run each per pilot): use :func:`pilot_seeds`
            of the runs' own.
        utilisation: The target.
        tolerance: How close a pilot must come to stop.
        bounds: The smallest and largest factor allowed.

    Returns:
        The closest pilot's factor and the utilisation it measured; the factor is NaN
        if the pilots place it beyond ``bounds`` or the scenario's clients need no time.

    Raises:
        ParameterError: If the overrides are out of range or impossible.
    """
    p = Parameters.from_mapping({k: v for k, v in overrides.items() if k != "events"})
    fixed = hours_needed(0.0, 1.0, p) / p.hours_per_week  # with no client at all
    below, above = _Pilot(bounds[0]), _Pilot(bounds[1])  # nearest pilots either side
    factor, used, ran = 1.0, math.nan, []
    for pilot in range(REGIME_PILOTS):
        if pilot:
            if not used > fixed or factor == bounds[used < utilisation]:
                return Regime(math.nan, used)  # no client time, or beyond a bound
            below, above = _moved(below, above, factor, used, utilisation)
            factor = _next_factor(factor, used, utilisation, fixed, below, above, bounds)
        held = {**with_arrivals_factor(overrides, factor), **FULL_TEAM}
        used = float(np.mean([establishment_utilisation(simulate(held, seed, records=False),
                                                         p) for seed in seeds]))
        ran.append(Regime(factor, used))
        if abs(used - utilisation) <= tolerance:
            break
    return min(ran, key=lambda pilot: abs(pilot.utilisation - utilisation))


class _Pilot(NamedTuple):
    """The nearest pilot on one side of the target: a bound until one has run there.

    Attributes:
        factor: Its factor (a bound of the search until a pilot ran there).
        miss: Its utilisation minus the target (NaN for a bound), halved whenever a
            second pilot in a row lands on the other side (the Illinois rule: it stops
            the search creeping towards the target from one side only); only the
            interpolation reads it.
        moves: Pilots in a row that landed on this side.
    """

    factor: float
    miss: float = math.nan
    moves: int = 0


def _moved(below: _Pilot, above: _Pilot, factor: float, used: float,
           utilisation: float) -> tuple[_Pilot, _Pilot]:
    """The nearest pilots either side of ``utilisation`` after a pilot ran ``factor``."""
    miss = used - utilisation
    if miss < 0:
        return (_Pilot(factor, miss, below.moves + 1),
                above._replace(miss=above.miss / 2 if below.moves else above.miss, moves=0))
    return (below._replace(miss=below.miss / 2 if above.moves else below.miss, moves=0),
            _Pilot(factor, miss, above.moves + 1))


def _next_factor(factor: float, used: float, utilisation: float, fixed: float,
                 below: _Pilot, above: _Pilot, bounds: tuple[float, float]) -> float:
    """The next pilot's factor: strictly between the nearest pilots either side, or a bound.

    Once pilots have run on both sides of the target, it interpolates between the
    nearest two (regula falsi, Illinois rule): the curve is convex (longer waits as
    the load grows) and steep past the tipping point, where Little's law from one
    pilot keeps landing beside the pilot on the other side. Before that, Little's
    law's factor if it falls inside what is left open, else the bound on the side no
    pilot has reached.
    """
    if math.isnan(below.miss) or math.isnan(above.miss):
        proposed = factor * (utilisation - fixed) / (used - fixed)
        if below.factor < proposed < above.factor:
            return proposed
        return bounds[0] if proposed <= below.factor else bounds[1]
    share = -below.miss / (above.miss - below.miss)
    return below.factor + share * (above.factor - below.factor)


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


#: Planned utilisation of an *overloaded* team (assumption: its clients need nine
#: tenths of its contract hours at the norm with everyone at work, against the presets'
#: three quarters, just short of the 92.5% past which Kuntz et al. (2015) find outcomes
#: turning; with its own sickness and vacancies, those at work then need more than
#: their hours, as the overloaded caseworkers of US GAO (2003) did). Held by search, so
#: the overloaded arms test a heavier load, not a waiting list run away past the
#: tipping point (as a fifth fewer staff for the same clients gives: planned about 0.94).
OVERLOADED = 0.90


class Hold(NamedTuple):
    """An arm of an experiment held at a stated planned utilisation.

    Attributes:
        arm: The arm's label; its arrivals are set by :func:`regime_factor`.
        utilisation: The planned utilisation it is held at.
        followers: Arms that take the same arrivals (the same clients, another team).
    """

    arm: str
    utilisation: float
    followers: tuple[str, ...] = ()


class RegimeError(ValueError):
    """An arm could not be held at its planned utilisation."""


def held_arms(arms: dict[str, dict[str, Any]], hold: Hold | None,
              seeds: Sequence[int]) -> tuple[dict[str, dict[str, Any]], Regime | None]:
    """An experiment's arms (label -> run overrides) with ``hold`` applied.

    The held arm's arrivals, and its followers', are multiplied by the factor of the
    pilot that came closest to the planned utilisation (pilots on :func:`pilot_seeds`
    of ``seeds``). The regime is returned, so a caller can check how closely it held
    (:func:`is_held`).

    Raises:
        RegimeError: If no factor within bounds could hold it.
    """
    if hold is None:
        return arms, None
    regime = _held_regime(_resolved(arms[hold.arm]), tuple(seeds), hold.utilisation)
    if math.isnan(regime.factor):
        raise RegimeError(f"the {hold.arm} arm cannot be held at a planned utilisation of "
                          f"{hold.utilisation:g} (its last pilot reached "
                          f"{regime.utilisation:.3f})")
    moved = {hold.arm, *hold.followers}
    return {label: with_arrivals_factor(overrides, regime.factor) if label in moved
            else overrides for label, overrides in arms.items()}, regime


def is_held(hold: Hold | None, regime: Regime | None) -> bool:
    """Whether :func:`held_arms` held the arm within :data:`REGIME_TOLERANCE`."""
    return hold is None or abs(regime.utilisation - hold.utilisation) <= REGIME_TOLERANCE


def _resolved(overrides: dict[str, Any]) -> str:
    """Run overrides as JSON with every parameter resolved: the regime's cache key."""
    parameters = Parameters.from_mapping({k: v for k, v in overrides.items() if k != "events"})
    return json.dumps({**parameters.to_dict(), "events": overrides.get("events", [])},
                      sort_keys=True)


@functools.lru_cache(maxsize=32)
def _held_regime(overrides: str, seeds: tuple[int, ...], utilisation: float) -> Regime:
    """:func:`regime_factor` for resolved JSON ``overrides``, once for arms shared by checks."""
    resolved = json.loads(overrides)
    if not resolved["events"]:
        del resolved["events"]
    return regime_factor(resolved, pilot_seeds(seeds), utilisation)


def queue_share(run: RunOutput, p: Parameters) -> float:
    """A run's mean waiting list over the weeks the metrics judge, per place.

    The places are every post's caseload cap (``professionals x caseload_cap``), as in
    :data:`QUEUE_LIMIT`.
    """
    return run.metrics["waitlist_mean"] / (p.professionals * p.caseload_cap)
