"""Policy effects with the model's own uncertainty: ``verbinding compare --posterior``.

Replicate ``k`` of every scenario runs with draw ``k`` of the calibrated parameters
from the posterior (:mod:`experiments.calibration`), the same draw in every scenario:
common random numbers extended to the parameters. A draw also carries the factors on
the arrivals that held the presets at their stated utilisation with its parameters in
the calibration, so each scenario keeps its load relative to its preset's regime.
Every draw runs twice, with other
seeds the second time, so each paired difference is measured twice at the same
parameters: how far the two runs of a draw differ is chance (one run's noise), and how
far the draws' effects spread beyond that is what the model does not know (a one-way
random-effects split of the variance, two runs a draw). The interval from all
uncertainty is a prediction interval for the effect at one more draw, which is where
the truth is if the posterior holds it (it includes a draw's chance, so it errs wide);
the interval from chance alone is the mean's if the parameters were known. The first
always holds the second, and tests check its coverage on known answers.

With :data:`FREE_DRAWS` draws or more the interval from all uncertainty is read off
the draws' own effects (order statistics: the next draw's effect falls between the
``j``-th smallest and ``j``-th largest of ``n`` with chance ``(n + 1 - 2j) / (n + 1)``
whatever their distribution), so it follows a skewed effect and stays where the draws'
effects fell (widened only, where it must be, to hold the interval from chance): no
fall in goal share larger than the share itself. With fewer it
is the normal-theory one (``t`` on the draws' spread), symmetric about the mean: the
command says so and asks for more replicates.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy import stats

from experiments.calibration import priors
from experiments.output import OutputError, shown
from experiments.regime import QUEUE_LIMIT, REGIMES
from experiments.scenarios import load_shipped

#: The posterior that ships with the model (``verbinding calibrate --out scenarios/calibration``).
SHIPPED = Path(__file__).resolve().parent.parent / "scenarios" / "calibration" / \
    "posterior.parquet"


def load(path: Path, every_draw: bool = False) -> pd.DataFrame:
    """A posterior file: one row per draw, every calibrated parameter and a ``weight``.

    Args:
        path: The file, or a calibration's folder.
        every_draw: Keep the draws past the presets' tipping point too (a
            sensitivity); by default they get no weight (:func:`below_tipping`).

    Raises:
        OutputError: For a file that cannot be read as one, naming what is wrong.
    """
    flag = f"--posterior {shown(str(path), 80)}"
    if path.is_dir():            # a calibration's folder
        if not (path / "posterior.parquet").is_file():
            raise OutputError(f"{flag}: a folder without a posterior.parquet; give a "
                              "calibration's folder or its posterior.parquet, or --posterior "
                              "alone for the shipped one")
        path = path / "posterior.parquet"
    if not path.is_file():
        raise OutputError(f"{flag}: no such file; give a posterior.parquet written by "
                          "'verbinding calibrate', or --posterior alone for the shipped one")
    try:
        frame = pd.read_parquet(path)
    except (OSError, pa.ArrowException, ValueError) as error:
        reason = getattr(error, "strerror", None) or "not a Parquet file"
        raise OutputError(f"{flag}: cannot be read ({reason}); give a posterior.parquet "
                          "written by 'verbinding calibrate'") from None
    columns = [*priors(), *regime_columns(), "weight"]
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise OutputError(f"{flag}: no column {', '.join(missing[:3])}; a posterior "
                          "has every calibrated parameter, the arrivals that held the "
                          "presets at their regime and a weight")
    try:
        values = frame[columns].to_numpy(float)
    except (TypeError, ValueError):
        values = np.full((1, 1), np.nan)   # text where numbers belong
    if not len(frame) or not np.isfinite(values).all() or (values[:, -1] < 0).any() or (
            values[:, -1].sum() <= 0):
        raise OutputError(f"{flag}: needs at least one draw, finite numbers and weights "
                          "that are not negative and not all zero")
    for name, prior in priors().items():
        if not frame[name].between(prior.low, prior.high).all():
            raise OutputError(f"{flag}: {name} outside its prior's range "
                              f"({prior.low:g} to {prior.high:g})")
    for name in regime_columns():
        if not (frame[name] > 0).all():
            raise OutputError(f"{flag}: {name} must be above 0 (arrivals per week)")
    if BELOW in frame.columns:
        _check_judgement(frame, flag)
    frame = frame.drop(columns=[WHOLE], errors="ignore")   # made here, never read
    return frame if every_draw else below_tipping(frame, flag)


#: The posterior's column saying whether a draw keeps the presets below their tipping
#: point, judged at their size where the calibration chose its point (written by
#: ``verbinding calibrate``; :func:`experiments.calibration.checked_point`), from its
#: ``queue`` column.
BELOW = "below_tipping"
#: The posterior's weights before :func:`below_tipping` gave draws past it none.
WHOLE = "weight_whole"


def _check_judgement(frame: pd.DataFrame, flag: str) -> None:
    """Refuse a judgement that is not true or false, or that its ``queue`` contradicts."""
    column = frame[BELOW]
    if not pd.api.types.is_bool_dtype(column) or column.isna().any():
        raise OutputError(f"{flag}: {BELOW} must be true or false in every row")
    if "queue" in frame.columns:
        queue = pd.to_numeric(frame["queue"], errors="coerce").to_numpy(float)
        if not np.array_equal(column.to_numpy(bool), queue <= QUEUE_LIMIT):
            raise OutputError(f"{flag}: {BELOW} disagrees with queue (below the tipping "
                              f"point means a queue of at most {QUEUE_LIMIT:g} of the places)")


def below_tipping(frame: pd.DataFrame, flag: str = "--posterior") -> pd.DataFrame:
    """The posterior given the presets' premise: a busy team below its tipping point.

    Every preset is stated to be such a team (docs/ODD.md, section 5), as pattern 3's
    evidence has it (outcomes hold until a service is nearly full); a draw with which
    one queues its clients when 5% more of them arrive describes another organisation
    than the one named. Giving those draws, and those not judged, no weight conditions
    the posterior on the premise, as though the calibration had required it of its last
    generation (noisily: the judgement is a mean over two seeds). A file without the
    judgement (an older calibration, or one without a point search) is returned whole.
    The weights before are kept as :data:`WHOLE` (:func:`kept_share`).

    Raises:
        OutputError: If no draw is below the tipping point (``--every-draw`` uses them
            all).
    """
    if BELOW not in frame.columns:
        return frame
    weights = frame["weight"].to_numpy(float)
    below = frame[BELOW].to_numpy(bool)
    if not weights[below].sum() > 0:
        raise OutputError(f"{flag}: no draw keeps the presets below their tipping point; "
                          "add --every-draw to use them all")
    return frame.assign(weight=np.where(below, weights, 0.0), **{WHOLE: weights})


def kept_share(posterior: pd.DataFrame) -> float | None:
    """The share of the posterior's weight :func:`below_tipping` kept (None: it kept all)."""
    if WHOLE not in posterior.columns:
        return None
    return float(posterior["weight"].sum() / posterior[WHOLE].sum())


def draws_in_words(posterior: pd.DataFrame) -> str:
    """Which of the posterior's draws a comparison or validation ran with, in a sentence."""
    kept = kept_share(posterior)
    if kept is None:
        return "Every draw of the posterior was eligible."
    return (f"Only draws that keep the presets below their tipping point were eligible "
            f"({kept:.0%} of the posterior's weight; --every-draw for all).")


def regime_columns() -> list[str]:
    """The posterior's columns of the arrivals that held each domain's preset.

    Per week, at the preset's size, with the draw's parameters, at its stated
    utilisation.
    """
    return [f"arrivals.{domain}" for domain in REGIMES]


#: Fewer draws than this (a --quick calibration's) make rough intervals: warned of.
FEW_DRAWS = 100
#: Replicates of a comparison with a posterior unless asked otherwise: enough draws
#: for an interval from their own effects (:data:`FREE_DRAWS`).
POSTERIOR_REPLICATES = 40
#: Draws (replicates) from which the interval from all uncertainty is read off the
#: draws' own effects: the least n whose order statistics give a 95% prediction
#: interval, ``(n + 1 - 2) / (n + 1) >= 0.95``.
FREE_DRAWS = 39


def second_seed(seed: int) -> int:
    """The root seed of every draw's second run (other seeds than the first's)."""
    return int(np.random.SeedSequence([seed, 2]).generate_state(1)[0] >> 1)


def draws(posterior: pd.DataFrame, replicates: int, seed: int) -> list[dict[str, dict]]:
    """One draw from the posterior per replicate, by weight, from the seed.

    Returns:
        Per replicate ``{"parameters": {name: value}, "arrivals_factor": {domain:
        factor}}``: the calibrated parameters, and per domain the arrivals that held
        its preset at its stated utilisation with them in the calibration, over the
        preset's arrivals today (see :func:`experiments.replicates.with_draw`).
    """
    preset_arrivals = {domain: load_shipped(domain).parameters().arrivals_per_week
                       for domain in REGIMES}
    rng = np.random.default_rng([seed, 1_701_214])  # a stream of its own
    weights = posterior["weight"].to_numpy(float)
    rows = rng.choice(len(posterior), size=replicates, p=weights / weights.sum())
    return [{"parameters": {name: float(posterior[name].iloc[row]) for name in priors()},
             "arrivals_factor": {domain: float(posterior[f"arrivals.{domain}"].iloc[row])
                                 / preset_arrivals[domain] for domain in REGIMES}}
            for row in rows]


def combine(first: list[float], second: list[float]) -> dict[str, object]:
    """A paired difference with its intervals from all uncertainty and from chance alone.

    Args:
        first: The difference per replicate, replicate ``k`` run with posterior draw
            ``k``.
        second: The same, each draw run again with other seeds.

    Returns:
        ``mean`` (over both runs of every draw); ``ci95``, where the effect lies
        wherever in the posterior the truth is (a prediction interval for one more
        draw's effect, from the spread of the draws' effects; it holds chance too);
        ``ci95_noise``, the interval of the mean if the parameters were known (chance
        alone, from how far a draw's two runs differ); ``unknown_share``, the share
        of the spread of the draws' effects that chance does not explain: what the
        model does not know; and how ``ci95`` was made: ``ci95_method``, ``"draws"``
        (order statistics of the draws' effects, from :data:`FREE_DRAWS` draws) or
        ``"t"`` (Student's t, which assumes the effects spread normally), and
        ``ci95_coverage``, the chance it holds one more draw's effect by that
        method: exact and free of any distribution for ``"draws"`` (``(n + 1 - 2j) /
        (n + 1)``, 0.951 at 40 draws), 0.95 if the assumption holds for ``"t"``; and
        of the ``draws``, how many had an effect (the mean of their two runs) below 0
        (``draws_lower``) and above it (``draws_higher``): in how many plausible sets of
        parameters the difference goes each way, chance included.
    """
    a, b = np.asarray(first, float), np.asarray(second, float)
    if len(a) < 2 or not (np.isfinite(a).all() and np.isfinite(b).all()):
        values = np.concatenate([a, b])
        mean = float(values.mean()) if len(values) and np.isfinite(values).all() else None
        return {"mean": mean, "ci95": None, "ci95_noise": None, "unknown_share": None,
                "ci95_method": None, "ci95_coverage": None, "draws": None,
                "draws_lower": None, "draws_higher": None}
    n, effects = len(a), (a + b) / 2
    chance = float(np.var(a - b, ddof=1)) / 4        # a draw's mean of two runs: its noise
    spread = float(np.var(effects, ddof=1))          # the draws' effects: both
    t = float(stats.t.ppf(0.975, n - 1))
    mean = float(effects.mean())
    noise = t * math.sqrt(chance / n)
    if n >= FREE_DRAWS:
        low, high = _from_the_draws(effects)
        method, coverage = "draws", (n + 1 - 2 * _order(n)) / (n + 1)
    else:
        total = t * math.sqrt(max(spread * (1 + 1 / n), chance / n))
        low, high = mean - total, mean + total
        method, coverage = "t", 0.95
    return {"mean": mean, "ci95": [min(low, mean - noise), max(high, mean + noise)],
            "ci95_noise": [mean - noise, mean + noise],
            "unknown_share": max(0.0, 1 - chance / spread) if spread > 0 else 0.0,
            "ci95_method": method, "ci95_coverage": coverage, "draws": n,
            "draws_lower": int((effects < 0).sum()), "draws_higher": int((effects > 0).sum())}


def _from_the_draws(effects: np.ndarray) -> tuple[float, float]:
    """A 95% prediction interval for one more draw's effect from the draws' effects.

    The ``j``-th smallest and ``j``-th largest of ``n``, ``j`` the most that leaves
    ``(n + 1 - 2j) / (n + 1)`` at 0.95 or above (at least :data:`FREE_DRAWS` draws).
    """
    ordered = np.sort(effects)
    j = _order(len(ordered))
    return float(ordered[j - 1]), float(ordered[-j])


def _order(n: int) -> int:
    """Which order statistic of ``n`` draws bounds their 95% prediction interval (j)."""
    return max(1, math.floor(0.025 * (n + 1)))
