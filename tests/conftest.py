"""Shared fixtures: a small organisation that runs in a fraction of a second."""

import pytest

#: Ten professionals with up to 20 clients each, near full capacity, one year measured.
SMALL = {"professionals": 10, "caseload_cap": 20, "arrivals_per_week": 7.0,
         "weeks": 80, "warmup_weeks": 20}


@pytest.fixture
def small() -> dict:
    """Parameter overrides of a small, quick scenario."""
    return dict(SMALL)
