"""Summary statistics over replicates."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats


def mean_ci(values: list[float], level: float = 0.95) -> dict[str, object]:
    """Mean and Student-t confidence interval of the finite values.

    Args:
        values: One value per replicate (NaN values are left out).
        level: Confidence level.

    Returns:
        ``{"mean": m, "ci95": [lo, hi]}``; the mean is None without finite values and
        the interval is None with fewer than two.
    """
    finite = np.asarray([v for v in values if v is not None and math.isfinite(v)], float)
    if len(finite) == 0:
        return {"mean": None, "ci95": None}
    mean = float(finite.mean())
    if len(finite) < 2:
        return {"mean": mean, "ci95": None}
    half = stats.t.ppf(0.5 + level / 2, len(finite) - 1) * finite.std(ddof=1) / math.sqrt(
        len(finite))
    return {"mean": mean, "ci95": [mean - float(half), mean + float(half)]}


def mser5(series: list[float] | np.ndarray) -> int:
    """The warm-up of a weekly series by MSER-5 (White 1997; White, Cobb & Spratt 2000).

    The series is cut into batches of 5 weeks; the truncation point is the number of
    leading batches whose removal minimises the squared standard error of the mean of
    the rest, ``sum((y - mean)^2) / (n - d)^2``. Only the first half of the series is
    searched, as the method prescribes (a minimum in the second half means the run is
    too short to tell).

    Args:
        series: One value per week, from the first simulated week.

    Returns:
        The warm-up in weeks (a multiple of 5).
    """
    values = np.asarray(series, float)
    batches = values[: len(values) // 5 * 5].reshape(-1, 5).mean(axis=1)
    n = len(batches)
    if n < 4:
        return 0
    scores = [np.sum((batches[d:] - batches[d:].mean()) ** 2) / (n - d) ** 2
              for d in range(n // 2)]
    return 5 * int(np.argmin(scores))


def trend(series: list[float] | np.ndarray) -> tuple[float, float]:
    """Change over a series by its least-squares line, and that line's mean.

    Returns:
        ``(change from first to last week by the fitted line, mean of the series)``:
        a window at steady state has a change small against its mean.
    """
    values = np.asarray(series, float)
    weeks = np.arange(len(values))
    slope = np.polyfit(weeks, values, 1)[0] if len(values) > 1 else 0.0
    return float(slope * max(len(values) - 1, 0)), float(values.mean())


def log_odds_slope(x, share, trials, iterations: int = 100) -> float:
    """Slope of a logistic regression of grouped binary outcomes on ``x``.

    At each ``x[i]``, a ``share[i]`` of ``trials[i]`` individuals has the outcome (the
    counts need not be whole). The maximum-likelihood fit of ``log odds = a + b x``, by
    Newton's method (iteratively reweighted least squares) from zero; the same ``b`` as
    a regression on the individuals with ``x`` as a group-level predictor.

    Args:
        x: The predictor, one value per group.
        share: The share with the outcome in each group, 0..1.
        trials: The individuals in each group.
        iterations: Most Newton steps.

    Returns:
        ``b``, the change of the log odds per unit of ``x``; NaN where no finite
        maximum exists: no one or everyone has the outcome, ``x`` does not vary among
        the groups with individuals, or the outcome separates them (all of it above
        some ``x``, none below).
    """
    x, share, trials = (np.asarray(v, float) for v in (x, share, trials))
    events = float(np.sum(share * trials))
    if events <= 0 or events >= float(np.sum(trials)):
        return float("nan")
    design = np.column_stack([np.ones_like(x), x])
    beta, step = np.zeros(2), np.full(2, np.inf)
    with np.errstate(over="ignore"):  # exp(-large) is 0 as it should be; a separated fit runs off
        for _ in range(iterations):
            fitted = 1 / (1 + np.exp(-design @ beta))
            gradient = design.T @ (trials * (share - fitted))
            curvature = design.T @ ((trials * fitted * (1 - fitted))[:, None] * design)
            try:
                step = np.linalg.solve(curvature, gradient)
            except np.linalg.LinAlgError:
                return float("nan")
            beta += step
            if not np.all(np.isfinite(beta)):
                return float("nan")
            if np.max(np.abs(step)) < 1e-12:
                break
    # a separated fit never settles: its steps stay large as the slope runs off
    return float(beta[1]) if np.max(np.abs(step)) < 1e-6 else float("nan")


def share_interval(successes: int, trials: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a share ``successes / trials`` (each 0 to 1).

    Unlike the normal approximation it stays within 0 and 1 and is not empty at 0 or
    all successes, so it suits the few draws a validation judges (Wilson 1927,
    doi:10.1080/01621459.1927.10502953).

    Args:
        successes: How many trials passed.
        trials: How many trials (at least one).
        level: Confidence level.
    """
    z = stats.norm.ppf(0.5 + level / 2)
    share = successes / trials
    centre = (share + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z / (1 + z * z / trials) * math.sqrt(
        share * (1 - share) / trials + z * z / (4 * trials * trials))
    return max(0.0, float(centre - half)), min(1.0, float(centre + half))
