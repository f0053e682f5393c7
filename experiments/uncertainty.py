"""Policy effects with the model's own uncertainty: ``verbinding compare --posterior``.

Each replicate of a comparison runs with one draw of the calibrated parameters from
the posterior (:mod:`experiments.calibration`), the same draw in every scenario:
common random numbers extended to the parameters. The same replicates run once more
with the calibrated defaults, whose spread is replicate noise alone. By the law of
total variance, the spread of the paired differences over draws is the spread of the
effect over what the model does not know plus that noise; the first is estimated as
the excess of one over the other (never below zero), so the interval from all
uncertainty is never narrower than the one from noise alone.
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

#: The posterior that ships with the model (``verbinding calibrate``, then ``--adopt``).
SHIPPED = Path(__file__).resolve().parent.parent / "scenarios" / "calibration" / \
    "posterior.parquet"


def load(path: Path) -> pd.DataFrame:
    """A posterior file: one row per draw, every calibrated parameter and a ``weight``.

    Raises:
        OutputError: For a file that cannot be read as one, naming what is wrong.
    """
    flag = f"--posterior {shown(str(path), 80)}"
    if not path.is_file():
        raise OutputError(f"{flag}: no such file; give a posterior.parquet written by "
                          "'verbinding calibrate', or --posterior alone for the shipped one")
    try:
        frame = pd.read_parquet(path)
    except (OSError, pa.ArrowException, ValueError) as error:
        reason = getattr(error, "strerror", None) or "not a Parquet file"
        raise OutputError(f"{flag}: cannot be read ({reason}); give a posterior.parquet "
                          "written by 'verbinding calibrate'") from None
    missing = [name for name in (*priors(), "weight") if name not in frame.columns]
    if missing:
        raise OutputError(f"{flag}: no column {', '.join(missing[:3])}; a posterior "
                          "has every calibrated parameter and a weight")
    values = frame[[*priors(), "weight"]].to_numpy(float) if len(frame) else np.zeros((0, 1))
    if not len(frame) or not np.isfinite(values).all() or (frame["weight"] < 0).any() or (
            frame["weight"].sum() <= 0):
        raise OutputError(f"{flag}: needs at least one draw, finite values and weights "
                          "that are not negative and not all zero")
    for name, prior in priors().items():
        if not frame[name].between(prior.low, prior.high).all():
            raise OutputError(f"{flag}: {name} outside its prior's range "
                              f"({prior.low:g} to {prior.high:g})")
    return frame


def draws(posterior: pd.DataFrame, replicates: int, seed: int) -> list[dict[str, float]]:
    """One draw of the calibrated parameters per replicate, by weight, from the seed."""
    rng = np.random.default_rng([seed, 1_701_214])  # a stream of its own
    weights = posterior["weight"].to_numpy(float)
    rows = rng.choice(len(posterior), size=replicates, p=weights / weights.sum())
    names = list(priors())
    return [{name: float(posterior[name].iloc[row]) for name in names} for row in rows]


def combine(with_draws: list[float], noise: list[float]) -> dict[str, object]:
    """A paired difference with its intervals from all uncertainty and from noise alone.

    Args:
        with_draws: The difference per replicate, each run with a posterior draw.
        noise: The difference per replicate, all run with the calibrated defaults.

    Returns:
        ``mean`` (over draws), ``ci95`` (all uncertainty), ``ci95_noise`` (replicate
        noise alone, around the mean at the defaults) and ``unknown_share``, the share
        of the interval's variance that is the model's own uncertainty.
    """
    a, b = np.asarray(with_draws, float), np.asarray(noise, float)
    if len(a) < 2 or not (np.isfinite(a).all() and np.isfinite(b).all()):
        mean = float(a.mean()) if len(a) and np.isfinite(a).all() else None
        return {"mean": mean, "ci95": None, "ci95_noise": None, "unknown_share": None}
    noise_variance = float(b.var(ddof=1)) / len(b)
    unknown = max(float(a.var(ddof=1)) - float(b.var(ddof=1)), 0.0)
    t = float(stats.t.ppf(0.975, len(a) - 1))
    total_half, noise_half = t * math.sqrt(noise_variance + unknown), t * math.sqrt(
        noise_variance)
    mean = float(a.mean())
    return {"mean": mean, "ci95": [mean - total_half, mean + total_half],
            "ci95_noise": [float(b.mean()) - noise_half, float(b.mean()) + noise_half],
            "unknown_share": unknown / (unknown + noise_variance) if unknown else 0.0}
