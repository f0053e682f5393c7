"""A professional's week decided from outside (class mode): choices, and what follows.

The model's professionals spend the network hours granted, let their standard of
contact follow the time they can give, and book every client in care. A student
playing a professional can choose otherwise for their own post; everyone else carries
on as before, and a run in which nobody chooses is the model's own, to the bit.
"""

import numpy as np
import pytest

from model import VerbindingModel
from model.parameters import ParameterError

#: A small team; its clients can use up to 1.2 h of contact a week (set here, not left
#: to the calibrated default, so that time given to clients is time they use).
TEAM = {"professionals": 6, "arrivals_per_week": 6.0, "caseload_cap": 20,
        "max_contact_hours": 1.2, "warmup_weeks": 0, "weeks": 30}


def weekly(model: VerbindingModel) -> dict:
    return model.datacollector.get_model_vars_dataframe().to_dict("list")


def started(seed: int = 3, weeks: int = 20, **extra) -> VerbindingModel:
    model = VerbindingModel(rng=seed, **{**TEAM, **extra})
    for _ in range(weeks):
        model.step()
    return model


def test_choices_that_match_the_models_own_change_nothing():
    alone = started(network_hours=3.0, standardisation=0.5)
    chosen = started(network_hours=3.0, standardisation=0.5, weeks=0)
    for professional in chosen.posts.agent:
        # What the model spends anyway, and a floor under the standard it never reaches:
        # a low "standard" cannot skip the protocol's items (they follow the standard).
        professional.decide(network_hours=3.0, standard=0.0, admin=1.0, protocol=1.0)
    for _ in range(20):
        chosen.step()
    assert weekly(chosen) == weekly(alone)


def paired(decide, weeks: int = 1, **extra) -> tuple[VerbindingModel, VerbindingModel]:
    """Two runs alike to week 20; in the second, ``decide(model)`` then; both go on."""
    runs = started(**extra), started(**extra)
    decide(runs[1])
    for model in runs:
        for _ in range(weeks):
            model.step()
    return runs


def test_a_caseworker_who_skips_network_time_works_less_or_sees_more_and_builds_no_ties():
    def skip(model):
        model.posts.agent[0].decide(network_hours=0.0)

    busy = {"network_hours": 4.0, "arrivals_per_week": 15.0, "hours_per_week": 24.0,
            "max_overtime_hours": 12.0}
    own, chosen = paired(skip, **busy)   # more clients than contract hours: overtime
    assert own.week_hours["network"][0] == 4.0 and chosen.week_hours["network"][0] == 0.0
    # The caseload's needs met as before, with four hours' less overtime.
    assert chosen.week_hours["contact"][0] == own.week_hours["contact"][0]
    assert chosen.week_hours["overtime"][0] == pytest.approx(own.week_hours["overtime"][0] - 4)
    assert chosen.posts.ties[0] < own.posts.ties[0]   # ties fade without network time [003]
    assert (chosen.week_hours["network"][1:] == own.week_hours["network"][1:]).all()  # the rest
    # With no overtime to give back, the hours go to the clients.
    own, chosen = paired(skip, **{**busy, "max_overtime_hours": 0.0})
    assert chosen.week_hours["contact"][0] == pytest.approx(own.week_hours["contact"][0] + 4)


def test_a_standard_kept_high_costs_overtime_and_stays_where_it_was_put():
    def keep(model):
        model.posts.agent[0].decide(standard=1.1)

    own, chosen = paired(keep, weeks=3, arrivals_per_week=15.0, hours_per_week=24.0)
    assert chosen.posts.standard[0] == 1.1 and own.posts.standard[0] < 1.1
    assert chosen.week_hours["overtime"][0] > own.week_hours["overtime"][0]
    chosen.posts.agent[0].decide(standard=None)   # back to the model: it follows the time
    chosen.step()
    assert chosen.posts.standard[0] < 1.1


def test_admin_left_undone_gives_clients_time_now_and_is_owed_after():
    def skip_half(model):
        model.posts.agent[0].decide(admin=0.5)

    tight = {"arrivals_per_week": 30.0, "hours_per_week": 24.0, "max_overtime_hours": 0.0,
             "client_voice": 0.0}   # all admin is paperwork; clients who use every hour
    own, chosen = paired(skip_half, **tight)
    due = own.week_hours["admin"][0]
    assert chosen.week_hours["admin"][0] == pytest.approx(due / 2)
    assert chosen.week_hours["contact"][0] == pytest.approx(own.week_hours["contact"][0] + due / 2)
    assert chosen.posts.agent[0].admin_arrears == pytest.approx(due / 2)
    # Owed hours weigh on the week felt and come first: keeping up again, the
    # professional does this week's admin and the arrears, with less time for clients.
    chosen.posts.agent[0].decide(admin=None)
    before = chosen.week_hours["admin"][0]
    chosen.step()
    assert chosen.week_hours["admin"][0] > before + due / 2 - 1  # this week's and the half owed
    assert chosen.posts.agent[0].admin_arrears == 0.0
    # A professional who lets all paperwork slide still plans with clients whose goal leads.
    own, chosen = paired(lambda model: model.posts.agent[0].decide(admin=0.0),
                         client_voice=1.0)
    assert 0 < chosen.week_hours["admin"][0] < own.week_hours["admin"][0]
    # Under a rule that lets undone admin lapse, nothing is owed.
    own, lapsed = paired(skip_half, **tight, admin_arrears_carried=0.0)
    assert lapsed.posts.agent[0].admin_arrears == 0.0


def test_admin_owed_week_after_week_makes_the_workload_felt_and_stress_climb():
    def skip_all(model):
        model.posts.agent[0].decide(admin=0.0)

    own, chosen = paired(skip_all, weeks=10)
    assert chosen.posts.agent[0].admin_arrears > 5 * own.week_hours["admin"][0]
    assert chosen.posts.stress[0] > own.posts.stress[0]


def test_protocol_items_not_asked_open_the_contact_now_and_are_recorded_after():
    def ask_none(model):
        model.posts.agent[0].decide(protocol=0.0)

    standardised = {"standardisation": 0.6}
    own, chosen = paired(ask_none, **standardised)
    assert own.week_hours["scripted"][0] > 0 and chosen.week_hours["scripted"][0] == 0.0
    # Same contacts, all open: the items' time went to open talk...
    assert chosen.week_hours["contact"][0] == pytest.approx(own.week_hours["contact"][0])
    assert chosen.week_hours["open"][0] == pytest.approx(
        own.week_hours["open"][0] + own.week_hours["scripted"][0])
    # ...and the items are owed as paperwork, done first in the weeks after.
    assert chosen.posts.agent[0].admin_arrears == pytest.approx(own.week_hours["scripted"][0])
    chosen.posts.agent[0].decide(protocol=None)
    chosen.step()
    assert chosen.posts.agent[0].admin_arrears == pytest.approx(0.0, abs=1e-12)


def test_clients_not_seen_go_without_contact_and_those_seen_get_longer_contacts():
    decided = {}

    def half(model):
        mine = sorted(model.posts.agent[0].clients, key=lambda c: c.serial)
        decided["seen"], decided["held"] = mine[: len(mine) // 2], mine[len(mine) // 2:]
        decided["bonds"] = {c.serial: c.bond for c in mine}
        model.posts.agent[0].see_only(decided["seen"])

    own, chosen = paired(half, standardisation=0.0, client_voice=0.0, arrivals_per_week=15.0,
                         hours_per_week=24.0, max_overtime_hours=0.0,   # short of time
                         max_contact_hours=3.0)   # and clients could use more
    seen, held, bonds = decided["seen"], decided["held"], decided["bonds"]
    assert len(held) >= 4
    decay = chosen.p.bond_decay
    for client in held:   # no appointment: the bond decays as without contact
        if client.status == "in_care":
            assert client.bond == pytest.approx(bonds[client.serial] * (1 - decay))
    # The post's open time went to the half it saw: about twice as much each.
    per_seen = chosen.week_hours["open"][0] / len(seen)
    per_client = own.week_hours["open"][0] / (len(seen) + len(held))
    assert per_seen > 1.5 * per_client
    chosen.step()   # for one week only: everyone is booked again
    assert (chosen.clients.record["no_appointment_until"][[c.serial for c in held]]
            < chosen.steps).all()


def test_choices_out_of_bounds_are_refused_with_what_is_allowed():
    model = started(network_hours=2.0, weeks=1)
    with pytest.raises(ParameterError, match="network_hours must be between 0 and 2"):
        model.sim.decide(0, network_hours=5.0)
    with pytest.raises(ParameterError, match="unknown choice 'overtime'"):
        model.sim.decide(0, overtime=3.0)
    with pytest.raises(ParameterError, match="no post 99: posts are 0 to 5"):
        model.sim.decide(99, standard=0.5)
    with pytest.raises(ParameterError, match="admin must be between 0 and 1"):
        model.sim.decide(0, admin=1.5)
    with pytest.raises(ParameterError, match="weeks must be 0 to 520"):
        model.sim.hold_appointments(0, [0], -1)
    with pytest.raises(ParameterError, match="client serials are 0 to"):
        model.sim.hold_appointments(0, [10**6])
    assert np.isnan(model.posts.chosen_network).all()   # nothing half-set


def test_a_pupil_held_back_from_individual_attention_still_learns_in_class():
    def hold(model):
        me = model.posts.agent[0]
        decided["pupils"] = {c.serial: c.progress for c in me.clients}
        me.see_only([])

    decided = {}
    school = {"school_year_weeks": 40, "class_hours": 10.0, "hours_per_week": 40.0,
              "arrivals_per_week": 30.0}
    _, chosen = paired(hold, **school)
    pupils = [c for c in chosen.posts.agent[0].clients if c.serial in decided["pupils"]]
    assert pupils and chosen.week_hours["open"][0] == 0.0   # no individual time at all
    assert sum(c.progress > decided["pupils"][c.serial] for c in pupils) > len(pupils) / 2


def test_a_hold_is_the_professionals_and_ends_when_the_client_is_handed_over():
    model = started(arrivals_per_week=9.0)
    last = model.posts.agent[-1]
    moved = last.clients
    last.see_only([], weeks=10)
    bonds = {c.serial: c.bond for c in moved}
    model.change(professionals=len(model.posts) - 1)   # the post closes: handed over
    model.step()
    decay = model.p.bond_decay
    seen = [c for c in moved if c.status == "in_care"
            and c.bond != pytest.approx(bonds[c.serial] * (1 - decay))]
    assert seen   # booked by their new professional, not held back by the old
