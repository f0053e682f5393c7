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
    """Cost per goal and per year add up staff hours, quits and automation, at their rates."""
    free = dict(turnover_cost=0.0, automation_licence=0.0, automated_contact_cost=0.0,
                vacancy_cost_share=0.0)
    only_hours = summarise(VerbindingModel(rng=1, **small, hourly_cost=50.0, **free).run())
    assert only_hours["cost_per_goal"] == pytest.approx(only_hours["hours_per_goal"] * 50.0)
    automated = dict(small, automation=0.5, automated_contact_share=0.5, hourly_cost=50.0,
                     overtime_paid_share=0.25, vacancy_cost_share=0.5,
                     arrivals_per_week=40.0, caseload_cap=60)   # overloaded: overtime
    model = VerbindingModel(rng=1, **automated).run()
    weekly = {k: np.asarray(v, float)[window(model.p)] for k, v in model.weekly.items()}
    assert weekly["quits"].sum() > 0 and weekly["vacant"].sum() > 0
    assert weekly["overtime_hours"].sum() > 0 and weekly["automated_hours"].sum() > 0
    employed_weeks = (weekly["working"] + weekly["sick"]).sum()
    contract = weekly["paid_hours"].sum() - weekly["overtime_hours"].sum()
    assert contract == pytest.approx(employed_weeks * 36)   # the contract, 36 h a week
    total = ((contract + 0.5 * weekly["vacant"].sum() * 36
              + 0.25 * weekly["overtime_hours"].sum()) * 50.0
             + weekly["quits"].sum() * 20000.0 + 0.5 * 50.0 * employed_weeks
             + weekly["automated_hours"].sum() * 5.0)
    metrics = summarise(model)
    assert metrics["annual_cost"] == pytest.approx(total * 52 / len(weekly["quits"]))
    assert metrics["annual_cost"] / metrics["cost_per_goal"] == pytest.approx(
        metrics["goals_per_year"])


def test_by_default_a_quit_never_lowers_the_bill(small):
    """A vacant post costs what a held one does (cover hired in), so with no price on a
    quit and no paid overtime, the bill is every post's contract pay, quits or not."""
    unpaid = dict(small, turnover_cost=0.0, overtime_paid_share=0.0, hourly_cost=50.0,
                  arrivals_per_week=30.0, caseload_cap=60)   # overloaded: people quit
    model = VerbindingModel(rng=2, **unpaid).run()
    assert sum(model.weekly["quits"]) > 0
    salaries = small["professionals"] * 36 * 52 * 50.0
    assert summarise(model)["annual_cost"] == pytest.approx(salaries)
    saved = summarise(VerbindingModel(rng=2, **unpaid, vacancy_cost_share=0.0).run())
    assert saved["annual_cost"] < salaries   # a vacancy priced as a salary saved


def test_a_school_year_costs_a_whole_year_of_salaries(small):
    """Teachers are paid in the holidays too: a year's pay is 52 weeks', though a school
    year's model weeks are its teaching weeks."""
    school = dict(small, school_year_weeks=40, warmup_weeks=80, weeks=80, hourly_cost=50.0,
                  turnover_cost=0.0, overtime_paid_share=0.0, automation=0.5,
                  automation_licence=10.0)
    model = VerbindingModel(rng=1, **school).run()
    salaries = small["professionals"] * 36 * 52 * 50.0
    weekly = {k: np.asarray(v, float)[window(model.p)] for k, v in model.weekly.items()}
    licences = (weekly["working"] + weekly["sick"]).mean() * 52 * 0.5 * 10.0
    assert summarise(model)["annual_cost"] == pytest.approx(salaries + licences)
