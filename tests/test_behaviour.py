"""Behaviour a user can rely on, stated as it would be in a policy discussion.

Each comparison runs paired replicates (same seeds) of a small organisation and
compares means over replicates.
"""

import numpy as np
import pytest

from model import VerbindingModel
from model.metrics import summarise, window

SEEDS = range(6)


def mean_metrics(**params) -> dict[str, float]:
    runs = [summarise(VerbindingModel(rng=s, **params).run()) for s in SEEDS]
    return {k: float(np.mean([r[k] for r in runs])) for k in runs[0]}


def test_more_clients_per_professional_weaker_bonds_and_more_stress(small):
    light = mean_metrics(**{**small, "caseload_cap": 15, "arrivals_per_week": 6.0})
    heavy = mean_metrics(**{**small, "caseload_cap": 60, "arrivals_per_week": 18.0})
    assert heavy["clients_per_professional"] > 2 * light["clients_per_professional"]
    assert heavy["mean_bond"] < light["mean_bond"]
    assert heavy["stress_mean"] > light["stress_mean"]


def test_more_standardisation_at_equal_hours_less_connective_time(small):
    loose = mean_metrics(**small, standardisation=0.1)
    strict = mean_metrics(**small, standardisation=0.8)
    assert strict["connective_hours_per_client_week"] < loose["connective_hours_per_client_week"]
    assert strict["admin_share"] > loose["admin_share"]


def test_automating_admin_gives_time_back_to_contact_when_caseloads_are_full(small):
    full = {**small, "caseload_cap": 30, "arrivals_per_week": 32.0}   # utilisation ~0.9
    manual = mean_metrics(**full)
    automated = mean_metrics(**full, automation=0.6)
    assert manual["clients_per_professional"] > 20
    assert automated["admin_share"] < manual["admin_share"]
    assert automated["contact_hours_per_client_week"] > manual["contact_hours_per_client_week"]


def test_network_time_is_spent_on_the_network(small):
    none = mean_metrics(**small)
    granted = mean_metrics(**small, network_hours=4.0)
    assert none["network_share"] == 0
    assert abs(granted["network_share"] - 4 / 36) < 0.01  # 4 of 36 h, little overtime


def test_client_voice_lowers_dropout(small):
    imposed = mean_metrics(**small, client_voice=0.0)
    voiced = mean_metrics(**small, client_voice=1.0)
    assert voiced["dropout_share"] < imposed["dropout_share"]


def test_costs_price_the_hours_quits_and_automation_each_at_its_rate(small):
    """Cost per goal and per year add up staff hours, cover, quits and automation, each
    at its rate, week by week at the hours and automation in force."""
    free = dict(turnover_cost=0.0, automation_licence=0.0, automated_contact_cost=0.0,
                cover_cost_share=0.0)
    only_hours = summarise(VerbindingModel(rng=1, **small, hourly_cost=50.0, **free).run())
    assert only_hours["cost_per_goal"] == pytest.approx(only_hours["hours_per_goal"] * 50.0)
    automated = dict(small, automation=0.2, automated_contact_share=0.2, hourly_cost=50.0,
                     overtime_paid_share=0.25, cover_cost_share=0.5,
                     arrivals_per_week=50.0, caseload_cap=60)   # overloaded: burnout
    events = [{"week": 20, "until": 50, "parameters": {"hours_per_week": 30.0,
                                                        "automation": 0.5}}]
    model = VerbindingModel(rng=1, events=events, **automated).run()
    weekly = {k: np.asarray(v, float)[window(model.p)] for k, v in model.weekly.items()}
    assert weekly["quits"].sum() > 0 and weekly["vacant"].sum() > 0
    assert weekly["sick"].sum() > 0 and weekly["overtime_hours"].sum() > 0
    reported = np.arange(1, len(weekly["quits"]) + 1)
    hours = np.where((reported >= 20) & (reported < 50), 30.0, 36.0)
    automation = np.where((reported >= 20) & (reported < 50), 0.5, 0.2)
    employed = weekly["working"] + weekly["sick"]
    assert (weekly["paid_hours"] - weekly["overtime_hours"]) == pytest.approx(employed * hours)
    total = ((((employed + 0.5 * (weekly["sick"] + weekly["vacant"])) * hours).sum()
              + 0.25 * weekly["overtime_hours"].sum()) * 50.0
             + weekly["quits"].sum() * 20000.0 + (employed * automation).sum() * 50.0
             + weekly["automated_hours"].sum() * 5.0)
    metrics = summarise(model)
    assert metrics["annual_cost"] == pytest.approx(total * 52 / len(weekly["quits"]))
    assert metrics["annual_cost"] / metrics["cost_per_goal"] == pytest.approx(
        metrics["goals_per_year"])


def test_by_default_neither_a_quit_nor_a_burnout_saves_pay(small):
    """An absent professional's post is paid for (cover hired in), so with no price on
    a quit and no paid overtime, the bill is every post's contract pay and the cover
    of sick leave; priced without cover, a vacancy saves its salary."""
    unpaid = dict(small, turnover_cost=0.0, overtime_paid_share=0.0, hourly_cost=50.0,
                  arrivals_per_week=40.0, caseload_cap=60)   # overloaded: burnout, quits
    model = VerbindingModel(rng=1, **unpaid).run()
    weekly = {k: np.asarray(v, float)[window(model.p)] for k, v in model.weekly.items()}
    assert weekly["quits"].sum() > 0 and weekly["sick"].sum() > 0
    posts_and_cover = (small["professionals"] + weekly["sick"].mean()) * 36 * 52 * 50.0
    assert summarise(model)["annual_cost"] == pytest.approx(posts_and_cover)
    uncovered = summarise(VerbindingModel(rng=1, **unpaid, cover_cost_share=0.0).run())
    assert uncovered["annual_cost"] < small["professionals"] * 36 * 52 * 50.0


def test_each_week_is_priced_at_the_values_in_force_that_week(small):
    """A change between steps (as Explore makes one) holds from the next week on."""
    model = VerbindingModel(rng=1, **small)
    for _ in range(3):
        model.step()
    model.change(hours_per_week=30.0)
    model.step()
    assert model.sim.in_force("hours_per_week", np.arange(1, 5)).tolist() == [36, 36, 36, 30]
    paid = model.weekly["paid_hours"][3] - model.weekly["overtime_hours"][3]
    assert paid == (model.weekly["working"][3] + model.weekly["sick"][3]) * 30
