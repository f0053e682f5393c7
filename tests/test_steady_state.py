"""The presets are measured at a steady state: the reported weeks have no trend.

docs/ODD.md, section 5: each preset's warm-up was chosen by MSER-5 on clients in care
and staff stress (``experiments.stats.mser5``); these tests check the result: the
reported weeks start at the settled level and have no trend. In school years the
weekly series repeat every year, so years are compared.
"""

import numpy as np
import pytest

from experiments.runner import replicate_seeds, run_many
from experiments.scenarios import load
from experiments.stats import mser5, trend

PRESETS = ("care", "education", "work")


def test_mser5_finds_the_end_of_a_known_transient():
    rng = np.random.default_rng(0)
    filling = np.concatenate([np.linspace(0, 100, 60), np.full(340, 100.0)])
    assert 50 <= mser5(filling + rng.normal(0, 3, 400)) <= 70
    assert mser5(100 + rng.normal(0, 3, 400)) < 40  # nothing to cut: little is cut


def test_trend_is_the_change_along_the_least_squares_line():
    change, mean = trend(np.linspace(10, 20, 11))
    assert change == pytest.approx(10) and mean == pytest.approx(15)
    assert trend(np.ones(50)) == pytest.approx((0.0, 1.0))


@pytest.mark.parametrize("preset", PRESETS)
def test_the_reported_weeks_have_no_trend(preset):
    scenario = load(preset)
    runs = run_many([(scenario.overrides, seed, False) for seed in replicate_seeds(5, 2)],
                    workers=None)
    p = scenario.parameters()
    places = p.professionals * p.caseload_cap
    year = p.school_year_weeks or 52  # compare whole (school) years
    for figure, tolerance in (("in_care", 0.05 * places), ("waiting", 0.02 * places),
                              ("mean_stress", 0.05), ("mean_bond", 0.05)):
        # (a mean bond is missing in a week that ends with nobody in care: a year's end)
        series = np.mean([run.weekly[figure][p.warmup_weeks:] for run in runs], axis=0)
        if p.school_year_weeks:  # a school year is a cycle: its trend is over year means
            change, _ = trend(np.nanmean(series.reshape(-1, year), axis=1))
        else:
            change, _ = trend(series)
        assert abs(change) < tolerance, (figure, change)
        # the first reported year is already at the level of the last
        assert abs(np.nanmean(series[:year]) - np.nanmean(series[-year:])) < tolerance, figure
