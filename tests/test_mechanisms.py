"""Known answers of the mechanisms, each on its own (pure functions on arrays)."""

import numpy as np
import pytest

from model import kernels
from model import mechanisms as mech
from model.parameters import Parameters
from model.state import SICK, WORKING


def test_admin_grows_with_caseload_and_standardisation_and_falls_with_automation():
    caseload = np.array([10, 30])
    plain = mech.admin_hours(caseload, Parameters(standardisation=0.0))
    assert plain.tolist() == pytest.approx([5 + 2, 5 + 6])
    scripted = mech.admin_hours(caseload, Parameters(standardisation=1.0))
    assert scripted.tolist() == pytest.approx([7 * 1.5, 11 * 1.5])
    automated = mech.admin_hours(caseload, Parameters(standardisation=0.0, automation=0.5))
    assert automated.tolist() == pytest.approx([3.5, 5.5])


def test_time_budget_gives_contact_the_rest_and_overtime_under_overload():
    p = Parameters(standardisation=0.0, network_hours=2.0, minimum_contact_hours=0.5)
    caseload = np.array([10, 60, 0])
    budget = mech.time_budget(caseload, np.zeros(3, bool), np.array([True, True, False]), p)
    # light load: 36 - (5 + 2) admin - 2 network = 27 contact, no overtime
    assert budget.contact[0] == pytest.approx(27.0)
    assert budget.overtime[0] == 0.0
    # 60 clients: admin 17 + network 2 + minimum contact 30 = 49 > 36: 6 h overtime cap
    assert budget.overtime[1] == pytest.approx(6.0)
    assert budget.overload[1] == pytest.approx(13 / 36)
    total = budget.admin + budget.network + budget.group + budget.contact
    assert total[:2] == pytest.approx(36 + budget.overtime[:2])
    assert total[2] == 0.0  # a post without a working professional has no hours


def test_open_time_is_rationed_before_scripted_time():
    p = Parameters(standardisation=0.4, contact_norm_hours=1.0)
    scripted, open_hours = mech.split_contact(np.array([1.0, 0.6, 0.3]), p)
    assert scripted.tolist() == pytest.approx([0.4, 0.4, 0.3])
    assert open_hours.tolist() == pytest.approx([0.6, 0.2, 0.0])


def test_bond_grows_only_past_the_unhurried_minimum_and_saturates():
    p = Parameters()
    growth = mech.bond_growth(np.array([0.2, 0.2, 0.2, 0.9]),
                              np.array([0.1, 0.25, 2.0, 2.0]), 0.8, 0.8, p)
    assert growth[0] == 0.0 and growth[1] == 0.0
    assert growth[2] > 0
    assert growth[3] < growth[2]  # less room to grow near the top


def test_ruptures_need_scripting_a_weak_bond_and_hurry():
    p = Parameters(standardisation=0.8)
    chance = mech.rupture_probability(np.array([0.1, 0.1, 0.6, 0.1]),
                                      np.array([0.3, 0.0, 0.3, 0.3]),
                                      np.array([0.1, 0.1, 0.1, 2.0]), p)
    assert chance[0] > 0
    assert chance[1:].tolist() == [0.0, 0.0, 0.0]


def test_progress_is_multiplied_by_the_bond_and_automated_contact_needs_none():
    p = Parameters(automated_contact_share=0.0)
    weak, strong = mech.progress_gain(np.array([1.0, 1.0]), np.array([0.0, 1.0]),
                                      np.array([1.0, 1.0]), np.zeros(2), np.ones(2), p)
    assert strong / weak == pytest.approx(1 / (1 - p.bond_weight))
    auto = Parameters(automated_contact_share=0.5)
    gain = mech.progress_gain(np.zeros(1), np.zeros(1), np.ones(1), np.zeros(1),
                              np.ones(1), auto)
    assert gain[0] == pytest.approx(0.5 * auto.contact_norm_hours * auto.automated_efficacy)


def test_dropout_rises_with_weak_bonds_low_motivation_and_imposed_goals():
    p = Parameters()
    base = mech.dropout_hazard(np.array([0.5]), np.array([0.5]), p)[0]
    assert mech.dropout_hazard(np.array([0.1]), np.array([0.5]), p)[0] > base
    assert mech.dropout_hazard(np.array([0.5]), np.array([0.1]), p)[0] > base
    voiced = mech.dropout_hazard(np.array([0.5]), np.array([0.5]), Parameters(client_voice=1.0))
    assert voiced[0] < mech.dropout_hazard(np.array([0.5]), np.array([0.5]),
                                           Parameters(client_voice=0.0))[0]


def test_group_lift_is_largest_for_the_demoralised():
    lift = mech.group_lift(np.array([0.1, 0.9]), Parameters())
    assert lift[0] > lift[1] > 0


def test_seats_go_to_the_least_loaded_first():
    seats = mech.seats_in_order(np.array([3, 1, 2]), np.array([1, 3, 2]), np.arange(3))
    assert seats.tolist() == [1, 1, 2, 0, 1, 2]


def test_stress_rises_with_overload_and_falls_with_connection():
    p = Parameters()
    target = mech.stress_target(np.array([0.0, 0.3, 0.0]), np.array([0.5, 0.5, 0.9]), p)
    assert target[1] > target[0] > target[2]


def test_the_compiled_loops_use_the_same_time_budget_as_numpy():
    p = Parameters(standardisation=0.5, network_hours=2.0, group_programme=True)
    caseload = np.array([0, 10, 30, 60, 25])
    runs_group = np.array([False, True, False, True, True])
    status = np.array([WORKING, WORKING, WORKING, WORKING, SICK], np.int8)
    compiled = kernels.time_budget(kernels.packed(p), caseload, runs_group, status)
    plain = mech.time_budget(caseload, runs_group, status == WORKING, p)
    for kind in mech.Budget._fields:
        assert getattr(compiled, kind).tolist() == pytest.approx(getattr(plain, kind).tolist())
