"""The register's flows, each counted as its source counts it, on registers with known answers."""

import math

import pytest

from experiments import flows
from experiments.runner import CLIENT_COLUMNS, RunOutput


def client(serial, arrival, exit_week=None, reason=None, own=False):
    values = dict.fromkeys(CLIENT_COLUMNS)
    values |= {"arrival_week": arrival, "exit_week": exit_week, "exit_reason": reason,
               "own_route": own}
    return (serial, *(values[name] for name in CLIENT_COLUMNS))


def register(clients, weekly, warmup=2, weeks=104):
    return RunOutput(seed=1, parameters={"warmup_weeks": warmup, "weeks": weeks},
                     metrics={}, weekly=weekly, clients=clients, professionals=[])


def steady(weeks=104, warmup=2, stock=100, arrivals=2, goals=1, dropouts=1):
    """Weekly figures of a register at a steady state."""
    steps = warmup + weeks
    return {"waiting": [0] * steps, "in_care": [stock] * steps, "arrivals": [arrivals] * steps,
            "goals": [goals] * steps, "dropouts": [dropouts] * steps}


def test_a_years_exits_are_counted_over_the_mean_stock_as_divosa_counts_them():
    # 100 on the books, one goal and one drop-out a week: 52% a year each, 104% in all;
    # one of the goals in the reported weeks was found on the client's own.
    run = register([client(0, -10, 5, "goal", own=True), client(1, -3, 0, "goal", own=True)],
                   steady())
    found = flows.yearly_flows(run)
    assert found["to_goal"] == pytest.approx(0.52)
    assert found["dropout"] == pytest.approx(0.52)
    assert found["all"] == pytest.approx(1.04)
    assert found["own_route"] == pytest.approx(0.01 * 52 / 104)  # the warm-up's one not
    assert found["stock"] == 100


def test_a_cohort_from_the_stock_leaves_out_the_years_newcomers_as_cbs_does():
    clients = [client(0, -5, 10, "goal"),       # on the books at week 1, work in year 1
               client(1, -5),                   # still there at the end: both cohorts
               client(2, 0, 60, "goal"),        # on the books at 1 and 53: work in year 2
               client(3, 0, 20, "dropout"),     # on the books at 1, left without work
               client(4, 5, 30, "goal"),        # a newcomer in year 1: in no cohort
               client(5, -9, 0, "goal")]        # left before the reported weeks
    run = register(clients, steady())
    # Year 1 (weeks 1-52): clients 0, 1, 2, 3 on the books, client 0 reached the goal;
    # year 2 (weeks 53-104): clients 1 and 2 (4 left at 30), client 2 reached it.
    assert flows.stock_cohort_to_goal(run) == pytest.approx(2 / 6)


def test_an_inflow_cohort_is_followed_for_a_whole_year_as_boheim_et_al_follow_it():
    clients = [client(0, 1, 40, "goal"), client(1, 2, 54, "goal"),     # 52 weeks: in
               client(2, 3, 56, "goal"), client(3, 10, 30, "dropout"),  # 53: too late
               client(4, 20),                                           # still in
               client(5, 60, 61, "goal"),   # arrived in the last year: not followed
               client(6, -4, 3, "goal")]    # arrived in the warm-up: not followed
    shares = flows.within_a_year(register(clients, steady()))
    assert shares == pytest.approx({"to_goal": 2 / 5, "dropout": 1 / 5, "all": 3 / 5})


def test_without_a_whole_year_there_is_no_cohort_to_follow():
    run = register([client(0, 1, 5, "goal")], steady(weeks=40), weeks=40)
    assert math.isnan(flows.stock_cohort_to_goal(run))
    assert all(math.isnan(v) for v in flows.within_a_year(run).values())


def test_littles_law_gives_the_spell_that_stock_and_arrivals_imply():
    assert flows.little_spell_weeks(register([], steady(stock=100, arrivals=2))) == 50


def test_the_work_presets_flows_agree_with_themselves_at_its_steady_state():
    from experiments import scenarios
    from experiments.runner import simulate

    run = simulate(scenarios.load("work").overrides, 3)
    found = flows.yearly_flows(run)
    assert found["all"] == pytest.approx(found["to_goal"] + found["dropout"])
    assert 0 < found["own_route"] < found["to_goal"]
    # Little's law: the spell the stock implies is the spell measured, within 5%.
    assert flows.little_spell_weeks(run) == pytest.approx(run.metrics["weeks_to_exit"],
                                                          rel=0.05)
    # Those on the books and those arriving are different cohorts of the same register.
    assert 0 < flows.stock_cohort_to_goal(run) < 1
    assert 0 < flows.within_a_year(run)["to_goal"] < flows.within_a_year(run)["all"] <= 1
