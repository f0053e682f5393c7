"""Known answers of the mechanisms, each on its own (pure functions on arrays)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model import kernels
from model import mechanisms as mech
from model.parameters import Parameters
from model.state import SICK, WORKING, Posts


def test_admin_grows_with_caseload_and_standardisation_and_falls_with_automation():
    caseload = np.array([10, 30])
    plain = mech.admin_hours(caseload, Parameters(standardisation=0.0, client_voice=0.0))
    assert plain.tolist() == pytest.approx([5 + 2, 5 + 6])
    scripted = mech.admin_hours(caseload, Parameters(standardisation=1.0, client_voice=0.0))
    assert scripted.tolist() == pytest.approx([7 * 1.5, 11 * 1.5])
    automated = mech.admin_hours(caseload, Parameters(standardisation=0.0, automation=0.5,
                                                      client_voice=0.0))
    assert automated.tolist() == pytest.approx([3.5, 5.5])


def test_plans_made_together_take_time_automation_does_not_remove():
    caseload = np.array([30])
    voiced = Parameters(standardisation=0.0, automation=0.5, client_voice=1.0,
                        voice_hours_per_client=0.1)
    assert mech.admin_hours(caseload, voiced)[0] == pytest.approx(5.5 + 30 * 0.1)


def test_time_budget_gives_contact_the_rest_and_overtime_when_the_caseload_needs_more():
    p = Parameters(standardisation=0.0, network_hours=2.0, client_voice=0.0)
    caseload, standard = np.array([10, 60, 0]), np.full(3, 0.5)
    budget = mech.time_budget(caseload, standard, np.zeros(3, bool),
                              np.array([True, True, False]), np.full(3, 2.0), 0.0, 1.0, p)
    # light load: 36 - (5 + 2) admin - 2 network = 27 contact, no overtime
    assert budget.contact[0] == pytest.approx(27.0)
    assert budget.overtime[0] == 0.0
    # felt at the organisation's norm of contact per client: a light week
    assert budget.workload[0] == pytest.approx((7 + 2 + 10 * p.contact_norm_hours) / 36)
    # 60 clients: admin 17 + network 2 + 60 x 0.5 at the standard = 49 > 36: 6 h overtime
    assert budget.overtime[1] == pytest.approx(6.0)
    assert budget.workload[1] == pytest.approx((17 + 2 + 60 * p.contact_norm_hours) / 36)
    total = budget.admin + budget.network + budget.group + budget.contact
    assert total[:2] == pytest.approx(36 + budget.overtime[:2])
    assert total[2] == 0.0  # a post without a working professional has no hours


def test_class_teaching_comes_first_and_only_for_a_post_with_pupils():
    p = Parameters(standardisation=0.0, client_voice=0.0, class_hours=10.0, hours_per_week=40.0)
    budget = mech.time_budget(np.array([23, 0]), np.full(2, 0.6), np.zeros(2, bool),
                              np.ones(2, bool), np.zeros(2), 0.0, 1.0, p)
    assert budget.teaching.tolist() == [10.0, 0.0]
    # 40 - 10 teaching - (5 + 0.2 x 23) admin = 20.4 h for individual attention
    assert budget.contact[0] == pytest.approx(20.4)
    assert budget.workload[0] == pytest.approx((10 + 9.6 + 23 * p.contact_norm_hours) / 40)
    total = budget.teaching + budget.admin + budget.network + budget.group + budget.contact
    assert total == pytest.approx(40 + budget.overtime)


def test_an_eroded_standard_cuts_the_hours_worked_not_the_workload_felt():
    p = Parameters(standardisation=0.0)
    budget = mech.time_budget(np.array([40, 40]), np.array([0.75, 0.5]), np.zeros(2, bool),
                              np.ones(2, bool), np.zeros(2), 0.0, 1.0, p)
    kept, eroded = budget.overtime
    assert eroded < kept
    assert budget.workload[0] == budget.workload[1]


def test_automated_contact_frees_the_human_share_of_the_scripted_items():
    p = Parameters(standardisation=0.5, automated_contact_share=0.4)
    assert mech.human_share(p) == pytest.approx(1 - 0.5 * 0.4)
    scripted, open_hours, automated = mech.split_contact(np.array([1.0]), np.array([0.8]), 1.0, p)
    assert automated[0] == pytest.approx(0.5 * 0.8 * 0.4)  # the program's part of the items
    assert scripted[0] == pytest.approx(0.5 * 0.8 * 0.6)  # the rest stays human work
    assert scripted[0] + open_hours[0] == pytest.approx(1.0)  # no human time is added


def test_open_time_goes_first_when_a_contact_is_shorter_than_the_standard():
    p = Parameters(standardisation=0.4)
    scripted, open_hours, _ = mech.split_contact(np.array([1.0, 0.6, 0.3]), np.ones(3), 1.0, p)
    assert scripted.tolist() == pytest.approx([0.4, 0.4, 0.3])
    assert open_hours.tolist() == pytest.approx([0.6, 0.2, 0.0])
    # once the standard has eroded to the time given, the items shrink with it
    scripted, open_hours, _ = mech.split_contact(np.array([0.3]), np.array([0.3]), 1.0, p)
    assert scripted[0] == pytest.approx(0.12) and open_hours[0] == pytest.approx(0.18)


def test_protocol_items_not_asked_leave_the_contact_open_and_are_owed_as_paperwork():
    p = Parameters(standardisation=0.4)
    hours, standard = np.array([1.0, 0.3]), np.ones(2)
    scripted, open_hours, _ = mech.split_contact(hours, standard, 0.25, p)
    assert scripted.tolist() == pytest.approx([0.1, 0.1])   # a quarter of the 0.4 h asked
    assert open_hours.tolist() == pytest.approx([0.9, 0.2])
    # Not asked: 0.3 h of the full contact's items; the short one would have scripted
    # all of its 0.3 h, so 0.2 h were left out of it.
    assert mech.items_skipped(hours, standard, 0.25, p).tolist() == pytest.approx([0.3, 0.2])
    assert mech.items_skipped(hours, standard, 1.0, p).tolist() == [0.0, 0.0]


def test_standards_erode_faster_than_they_recover_and_never_pass_the_norm():
    p = Parameters(contact_norm_hours=0.75)
    down = mech.standard_change(np.array([0.75]), np.array([0.45]), p)[0]
    up = mech.standard_change(np.array([0.45]), np.array([0.75]), p)[0]
    assert down == pytest.approx(-0.3 / p.standard_erosion_weeks)
    assert up == pytest.approx(0.3 / p.standard_recovery_weeks)
    assert abs(down) > abs(up)
    assert mech.standard_change(np.array([0.75]), np.array([2.0]), p)[0] == 0.0


def test_contact_time_goes_to_those_who_come_up_to_the_most_a_client_can_use():
    p = Parameters(max_contact_hours=1.0)
    length = mech.contact_length(np.array([24.0, 24.0, 24.0]), np.array([30, 20, 0]),
                                 np.full(3, 0.75), p)
    assert length.tolist() == pytest.approx([0.8, 1.0, 1.0])
    # a program's part of the contact counts toward what a client can use
    chatbot = Parameters(max_contact_hours=1.0, standardisation=0.4,
                         automated_contact_share=0.5)
    length = mech.contact_length(np.array([24.0]), np.array([20]), np.array([0.75]), chatbot)
    assert length[0] == pytest.approx(1.0 - 0.4 * 0.75 * 0.5)


def test_the_unhurried_dose_is_smooth_small_for_hurried_contacts_and_saturates():
    p = Parameters()
    dose = mech.unhurried_dose(np.array([0.0, 0.05, 0.25, 0.5, 1.0, 3.0]), p)
    assert dose[0] == 0.0
    assert np.all(np.diff(dose) > 0)  # more open time always helps a little
    assert dose[1] < 0.1 * dose[4]  # three minutes of open time build little
    assert dose[5] - dose[4] < dose[4] - dose[3]  # diminishing returns
    assert dose[5] < 1.0


def test_bond_growth_needs_open_time_and_slows_near_the_top():
    p = Parameters()
    growth = mech.bond_growth(np.array([0.2, 0.2, 0.9]), np.array([0.0, 1.0, 1.0]), 0.8,
                              0.8, p)
    assert growth[0] == 0.0
    assert growth[1] > growth[2] > 0


def test_ruptures_need_scripted_questions_and_a_weak_bond():
    p = Parameters(rupture_rate=0.4, rupture_safe_bond=0.5)
    chance = mech.rupture_probability(np.array([0.0, 0.25, 0.6, 0.1]),
                                      np.array([0.5, 0.5, 0.5, 0.0]), np.ones(4), p)
    assert chance.tolist() == pytest.approx([0.4 * 0.5, 0.4 * 0.5 * 0.5, 0.0, 0.0])


def test_the_bonds_benefit_is_full_at_good_enough():
    p = Parameters(bond_good_enough=0.5)
    benefit = mech.bond_benefit(np.array([0.0, 0.25, 0.5, 0.9]), p)
    assert benefit.tolist() == pytest.approx([0.0, 0.75, 1.0, 1.0])


def test_progress_works_through_the_bond_and_a_program_adds_instruction_only():
    p = Parameters(bond_good_enough=0.5)
    none = np.zeros(2)
    weak, strong = mech.progress_gain(np.ones(2), none, none, none, np.array([0.0, 0.5]),
                                      np.ones(2), np.ones(2), p)
    assert strong / weak == pytest.approx(1 / (1 - p.bond_weight))
    program = mech.progress_gain(none, np.ones(2), none, none, none, np.ones(2), np.ones(2), p)
    assert program[0] == pytest.approx(p.automated_efficacy)
    # a class lesson works through the pupil's own bond, as one-to-one time does
    taught = mech.progress_gain(none, none, none, np.ones(2), np.array([0.0, 0.5]),
                                np.ones(2), np.ones(2), p)
    assert taught.tolist() == pytest.approx([weak, strong])


def test_a_group_shares_its_hours_and_each_member_learns_from_the_others():
    p = Parameters(group_hours=4.0, group_peer_learning=0.15)
    dose = mech.group_dose(np.array([2.0, 15.0]), p)
    assert dose.tolist() == pytest.approx([4 * (0.5 + 0.15 * 0.5), 4 * (1 / 15 + 0.15 * 14 / 15)])
    # per professional hour a group of 15 gives far more than one-to-one (one client an hour)
    assert 15 * dose[1] / 4 > 2


def test_a_class_lesson_reaches_every_pupil_in_part_so_size_matters_little():
    p = Parameters(class_reach=0.5)
    dose = mech.class_dose(10.0, np.array([1.0, 17.0, 23.0, 34.0]), p)
    assert dose[0] == pytest.approx(10.0)  # a class of one is one-to-one
    assert dose[2] == pytest.approx(10 * (1 / 23 + 0.5 * 22 / 23))
    # doubling the class from 17 to 34 costs each pupil about a twentieth of the lesson,
    # where shared attention (a group session's hours) would lose half
    assert 0.9 < dose[3] / dose[1] < 1.0


def test_dropout_rises_with_weak_bonds_low_motivation_and_imposed_goals():
    p = Parameters()
    base = mech.dropout_hazard(np.array([0.5]), np.array([0.5]), p)[0]
    assert mech.dropout_hazard(np.array([0.1]), np.array([0.5]), p)[0] > base
    assert mech.dropout_hazard(np.array([0.5]), np.array([0.1]), p)[0] > base
    voiced = mech.dropout_hazard(np.array([0.5]), np.array([0.5]), Parameters(client_voice=1.0))
    assert voiced[0] < mech.dropout_hazard(np.array([0.5]), np.array([0.5]),
                                           Parameters(client_voice=0.0))[0]


def test_the_own_route_rises_with_motivation_efficacy_readiness_and_employability():
    p = Parameters(own_goal_rate=0.01, own_goal_drive=1.0, own_goal_progress_gain=1.0)
    reference = mech.own_goal_probability(0.0, 0.5, 0.5, 1.0, p)
    assert reference == pytest.approx(0.01)  # the reference client has the base rate
    assert mech.own_goal_probability(0.0, 0.9, 0.5, 1.0, p) > reference
    assert mech.own_goal_probability(0.0, 0.5, 0.9, 1.0, p) > reference
    assert mech.own_goal_probability(1.0, 0.5, 0.5, 1.0, p) == pytest.approx(0.02)  # 1 + gain
    assert mech.own_goal_probability(3.0, 0.5, 0.5, 1.0, p) == pytest.approx(0.02)  # ready is ready
    assert mech.own_goal_probability(0.0, 0.5, 0.5, 3.0, p) == pytest.approx(0.03)  # nearer work
    assert mech.own_goal_probability(0.0, 0.5, 0.5, 1e6, p) == 1.0                # a chance
    assert mech.own_goal_probability(1.0, 1.0, 1.0, 1.0, Parameters(own_goal_rate=0.0)) == 0.0


def test_employability_weighs_on_drop_out_by_its_loading():
    p = Parameters(employability_dropout_loading=0.5)
    assert mech.employability_on_dropout(1.0, p) == 1.0
    assert mech.employability_on_dropout(4.0, p) == pytest.approx(2.0)
    assert mech.employability_on_dropout(0.25, p) == pytest.approx(0.5)
    assert mech.employability_on_dropout(
        4.0, Parameters(employability_dropout_loading=0.0)) == 1.0   # not at all


def test_group_lift_is_largest_for_the_demoralised():
    lift = mech.group_lift(np.array([0.1, 0.9]), Parameters())
    assert lift[0] > lift[1] > 0


def test_seats_go_to_the_least_loaded_first():
    seats = mech.seats_in_order(np.array([3, 1, 2]), np.array([1, 3, 2]), np.arange(3))
    assert seats.tolist() == [1, 1, 2, 0, 1, 2]


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 6)), min_size=1, max_size=30),
       st.randoms(use_true_random=False))
def test_seats_are_ordered_by_level_then_by_tiebreak(posts, shuffle):
    """The order the docstring defines: every seat's (level, tiebreak rank), sorted."""
    load, room = (np.array(column) for column in zip(*posts, strict=True))
    tiebreak = np.arange(len(posts))
    shuffle.shuffle(tiebreak)
    offered = [(level, tiebreak[post], post) for post in range(len(posts))
               for level in range(load[post], load[post] + room[post])]
    expected = [post for _, _, post in sorted(offered)]
    assert mech.seats_in_order(load, room, tiebreak).tolist() == expected


def test_stress_rises_with_workload_and_the_waiting_list_and_falls_with_connection():
    p = Parameters()
    workload = np.array([1.0, 1.2, 1.0, 0.8])
    bond = np.array([0.5, 0.5, 0.9, 0.5])
    target = mech.stress_target(workload, 0.0, bond, p)
    assert target[1] > target[0] > target[2]
    assert target[3] < target[0]  # a light week relieves
    assert mech.stress_target(workload, 0.5, bond, p)[0] > target[0]


def test_ordinary_turnover_below_base_stress_and_more_above_it():
    p = Parameters()
    calm, base, stressed = mech.quit_probability(
        np.array([0.1, p.stress_base, p.stress_base + 0.2]), p)
    assert calm == base == pytest.approx(p.quit_rate_base / 52)
    assert stressed > base


def test_hours_needed_are_the_norm_for_every_client_plus_the_teams_fixed_hours():
    p = Parameters(standardisation=0.0, network_hours=1.0, client_voice=0.0)
    needed = mech.hours_needed(30.0, 2.0, p)
    assert needed == pytest.approx(2 * (5 + 1) + 30 * (0.2 + p.contact_norm_hours))


def test_the_compiled_loops_use_the_same_time_budget_as_numpy():
    p = Parameters(standardisation=0.5, network_hours=2.0, group_programme=True)
    posts = Posts(5)
    posts.status[:] = [WORKING, WORKING, WORKING, WORKING, SICK]
    posts.standard[:] = [0.75, 0.5, 0.75, 0.6, 0.75]
    caseload = np.array([0, 10, 30, 60, 25])
    runs_group = np.array([False, True, False, True, True])
    posts.arrears[:] = [0.0, 3.0, 0.0, 1.5, 2.0]
    posts.chosen_admin[:] = [np.nan, 0.5, np.nan, 0.0, 0.25]
    kept = np.array([1.0, 0.5, 1.0, 0.0, 0.25])
    plain = mech.time_budget(caseload, posts.standard, runs_group, posts.status == WORKING,
                             np.full(5, p.network_hours), posts.arrears.copy(), kept, p)
    compiled = kernels.time_budget(kernels.packed(p), caseload, runs_group, posts.columns())
    for kind in mech.Budget._fields:
        assert getattr(compiled, kind).tolist() == pytest.approx(getattr(plain, kind).tolist())
    # each working post's arrears follow the rule; a sick post's wait for its return
    before = [0.0, 3.0, 0.0, 1.5, 2.0]
    paperwork = mech.paperwork_hours(caseload, p)
    planning = mech.planning_hours(caseload, p)
    after = [mech.arrears_after(paperwork[k], planning[k], before[k], kept[k], plain.admin[k], p)
             for k in range(4)]
    assert posts.arrears.tolist() == pytest.approx([*after, 2.0])
    assert after[0] == after[2] == 0.0 and after[3] > before[3]


@pytest.mark.parametrize(("paperwork", "planning", "arrears", "kept", "done", "owed", "why"), [
    (10, 0, 4, 0.5, 7, 7, "7 h planned: the 4 owed first, then 3 of the 10; 7 left undone"),
    (10, 0, 4, 1.0, 6, 4, "all planned, 6 h done: the 4 owed, then 2 of this week's; the "
                          "4 the arrears pushed out stay owed, 4 lapse for want of hours"),
    (10, 1, 4, 1.0, 7, 4, "the same, with an hour of joint planning done first"),
    (10, 0, 20, 1.0, 6, 20, "6 h a week cannot catch up on 10 h a week: nothing lost"),
    (10, 0, 0, 1.0, 6, 0, "the model's own short week: 4 h lapse, nothing owed"),
    (10, 2, 0, 1.0, 12, 0, "the model's own week: nothing owed"),
])
def test_paperwork_left_undone_by_choice_stays_owed_and_arrears_come_first(
        paperwork, planning, arrears, kept, done, owed, why):
    p = Parameters()
    assert mech.arrears_after(paperwork, planning, arrears, kept, done, p) == pytest.approx(
        owed), why


def test_the_scenarios_share_of_undone_paperwork_owed_applies_once():
    half = Parameters(admin_arrears_carried=0.5)
    # Nothing done: half of this week's 10 h is added; the 4 h already owed stay whole.
    assert mech.arrears_after(10.0, 0.0, 4.0, 0.0, 0.0, half) == pytest.approx(9.0)
    lapse = Parameters(admin_arrears_carried=0.0)
    assert mech.arrears_after(10.0, 0.0, 4.0, 0.0, 0.0, lapse) == pytest.approx(4.0)
