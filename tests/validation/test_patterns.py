"""First versions of the empirical patterns of MODEL.md, on reduced organisations.

These check the *direction* of each pattern (and its size where the model already
lands near the source). Magnitudes that calibration has not reached yet are marked
``xfail`` with the gap, so it stays visible until the calibration issue closes it.
Runs are paired: the same seeds for every arm of a comparison.
"""

import numpy as np
import pytest

from experiments.scenarios import load
from model import VerbindingModel
from model.metrics import summarise
from model.state import DROPOUT, GOAL

pytestmark = pytest.mark.slow
SEEDS = range(6)
CARE = {"professionals": 20, "arrivals_per_week": 21.6}   # the care preset at 1/5 size
WORK = {"professionals": 10, "arrivals_per_week": 11.6}   # the work preset at 1/5 size


def runs(scenario: str, **overrides) -> list[VerbindingModel]:
    base = load(scenario).overrides
    return [VerbindingModel(rng=s, **{**base, **overrides}).run() for s in SEEDS]


def mean(models: list[VerbindingModel], metric: str) -> float:
    return float(np.mean([summarise(m)[metric] for m in models]))


def per_client_week(models: list[VerbindingModel], figure: str) -> float:
    start = models[0].p.warmup_weeks
    return float(np.mean([sum(m.datacollector.model_vars[figure][start:])
                          / sum(m.datacollector.model_vars["in_care"][start:])
                          for m in models]))


@pytest.fixture(scope="module")
def care():
    return runs("care", **CARE)


@pytest.fixture(scope="module")
def work():
    return runs("work", **WORK)


@pytest.fixture(scope="module")
def work_halved():
    return runs("work", professionals=20, caseload_cap=30, arrivals_per_week=11.6)


def test_1_admin_takes_about_a_third_of_time_in_care(care):
    # Berenschot: 34-35% (2019-2025); CBS 2025: 31%. Accept 25-40%.
    assert 0.25 <= mean(care, "admin_share") <= 0.40


def test_2_connective_labour_goes_first_when_time_runs_short(care):
    short = runs("care", professionals=20, caseload_cap=45, arrivals_per_week=30.0)
    open_drop = 1 - per_client_week(short, "open_hours") / per_client_week(care, "open_hours")
    scripted_drop = 1 - (per_client_week(short, "scripted_hours")
                         / per_client_week(care, "scripted_hours"))
    assert open_drop > 2 * max(scripted_drop, 0.0)  # open time is rationed first
    assert mean(short, "mean_bond") < mean(care, "mean_bond")


def test_3_outcomes_hold_until_capacity_is_nearly_full_then_tip():
    share = {load_: mean(runs("care", professionals=20,
                              arrivals_per_week=21.6 * load_ / 0.95), "goal_share")
             for load_ in (0.6, 0.8, 1.0)}
    early_fall = share[0.6] - share[0.8]
    late_fall = share[0.8] - share[1.0]
    assert early_fall < 0.03  # nearly flat well below full
    assert late_fall > 3 * max(early_fall, 0.01)  # a steeper fall near full: a tipping point


def bond_outcome_correlation(models: list[VerbindingModel]) -> float:
    values = []
    for m in models:
        rec = m.clients.final_records()
        ended = (rec["exit_week"] > m.p.warmup_weeks) & np.isin(rec["exit_reason"],
                                                                [GOAL, DROPOUT])
        values.append(np.corrcoef(rec["final_bond"][ended],
                                  rec["exit_reason"][ended] == GOAL)[0, 1])
    return float(np.mean(values))


def test_4_bond_and_outcome_go_together_and_dropout_is_near_a_fifth(care):
    assert bond_outcome_correlation(care) > 0.1
    assert 0.10 <= mean(care, "dropout_share") <= 0.35  # Swift & Greenberg 2012: ~20%


@pytest.mark.xfail(reason="calibration (issue 3): r is about 0.8, the source says ~0.28",
                   strict=True)
def test_4_the_bond_outcome_correlation_is_moderate(care):
    assert 0.15 <= bond_outcome_correlation(care) <= 0.45  # Flückiger et al. 2018


def test_5_scripting_adds_nothing_by_itself(care):
    scripted = runs("care", **CARE, standardisation=0.8)
    assert mean(scripted, "goal_share") <= mean(care, "goal_share") + 0.01


def test_6_halving_caseloads_shortens_the_road_to_work(work, work_halved):
    assert mean(work_halved, "weeks_to_goal") < mean(work, "weeks_to_goal")


@pytest.mark.xfail(reason="calibration (issue 3): halving caseloads now halves weeks to "
                          "goal; Hainmueller et al. 2016 found days to weeks", strict=False)
def test_6_halving_caseloads_helps_only_modestly(work, work_halved):
    assert mean(work_halved, "weeks_to_goal") > 0.75 * mean(work, "weeks_to_goal")


def test_7_overload_raises_turnover_and_burnout(care):
    overloaded = runs("care", professionals=20, caseload_cap=50, arrivals_per_week=32.0)
    assert mean(overloaded, "annual_turnover") > mean(care, "annual_turnover")
    assert mean(overloaded, "burnout_prevalence") > mean(care, "burnout_prevalence")
    assert mean(overloaded, "handovers_per_client") > mean(care, "handovers_per_client")


def test_8_jobs_groups_help_by_well_under_a_factor_two(work):
    groups = runs("work-jobs", **WORK)
    relative = mean(groups, "goal_share") / mean(work, "goal_share")
    assert 1.0 < relative < 2.0  # Liu et al. 2014: odds ratio 2.67, ~30% to 53%
