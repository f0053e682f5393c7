"""Shared fixtures: a small organisation that runs in a fraction of a second, a posterior."""

import pytest

#: Ten professionals with up to 20 clients each, near full capacity, one year measured.
SMALL = {"professionals": 10, "caseload_cap": 20, "arrivals_per_week": 7.0,
         "weeks": 80, "warmup_weeks": 20}


@pytest.fixture
def small() -> dict:
    """Parameter overrides of a small, quick scenario."""
    return dict(SMALL)


@pytest.fixture
def stand_in_posterior():
    """A stand-in posterior: 50 draws spread over every prior's range, equal weights."""
    import numpy as np
    import pandas as pd

    from experiments.calibration import priors
    from experiments.regime import REGIMES
    from experiments.scenarios import load_shipped

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({name: p.low + rng.uniform(0, 1, 50) * (p.high - p.low)
                          for name, p in priors().items()})
    for domain in REGIMES:   # the arrivals that held each preset at its regime
        arrivals = load_shipped(domain).parameters().arrivals_per_week
        frame[f"arrivals.{domain}"] = arrivals * rng.uniform(0.8, 1.25, 50)
    frame["weight"] = 1 / 50
    return frame
