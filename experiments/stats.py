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
