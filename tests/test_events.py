"""Events: parameter changes from a given reported week, from Python, files and the CLI.

Each test is also a usage example: ``VerbindingModel(events=[...])``, ``[[events]]``
in a scenario file, and ``verbinding run SCENARIO --event "week=...,NAME=VALUE"``.
"""

import json

import numpy as np
import pytest

from experiments import cli
from experiments.runner import simulate
from experiments.scenarios import ScenarioError, dumps, load, loads
from model import Client, Professional, VerbindingModel
from model.events import MAX_EVENTS, Event
from model.parameters import ParameterError
from model.state import IN_CARE, SICK, VACANT, WORKING

#: Five warm-up weeks, then 30 reported weeks: reported week w is model step 5 + w.
BASE = {"professionals": 6, "caseload_cap": 20, "arrivals_per_week": 6.0, "weeks": 30,
        "warmup_weeks": 5}
WARMUP = BASE["warmup_weeks"]


def weekly(model, figure: str) -> dict[int, float]:
    """A weekly figure by reported week (the warm-up 0 and below)."""
    values = model.datacollector.model_vars[figure]
    return {step + 1 - WARMUP: value for step, value in enumerate(values)}


def test_an_event_applies_from_its_week_and_ends_at_until():
    quiet = {**BASE, "arrivals_per_week": 0.0}
    surge = Event(week=10, until=20, parameters={"arrivals_per_week": 50.0})
    model = VerbindingModel(rng=1, events=[surge], **quiet).run()
    arrivals = weekly(model, "arrivals")
    assert all(arrivals[w] > 0 for w in range(10, 20))
    assert all(arrivals[w] == 0 for w in arrivals if not 10 <= w < 20)
    assert model.p.arrivals_per_week == 0.0  # the scenario's own value again
    assert model.scenario_parameters.arrivals_per_week == 0.0


def test_an_event_without_until_holds_to_the_end_and_mappings_work_too():
    model = VerbindingModel(rng=1, events=[{"week": 12, "parameters": {"professionals": 9}}],
                            **BASE).run()
    staffed = {w: sum(weekly(model, k)[w] for k in ("working", "sick", "vacant"))
               for w in weekly(model, "working")}  # posts, by reported week
    assert {staffed[w] for w in staffed if w < 12} == {6}
    assert {staffed[w] for w in staffed if w >= 12} == {9}
    assert len(model.posts) == 9 and model.p.professionals == 9


def test_no_events_give_exactly_the_run_without_the_keyword():
    plain = simulate(BASE, 7)
    for empty in ([], ()):
        same = simulate({**BASE, "events": empty}, 7)
        assert same == plain


def test_a_run_with_events_repeats_from_its_seed():
    events = [{"week": 3, "until": 9, "parameters": {"professionals": 10, "automation": 0.5}},
              {"week": 9, "parameters": {"professionals": 3}},
              {"week": 20, "parameters": {"arrivals_per_week": 12.0}}]
    first = simulate({**BASE, "events": events}, 11)
    assert first == simulate({**BASE, "events": events}, 11)
    assert first != simulate(BASE, 11)
    assert first.parameters["professionals"] == 6  # the scenario's own parameters


REFUSED = [
    ([{"week": 5, "parameters": {"arrivals_per_wek": 9.0}}],
     "event 1 (week 5): unknown parameter 'arrivals_per_wek'; did you mean "
     "'arrivals_per_week'?"),
    ([{"week": 5, "parameters": {"standardisation": 3}}],
     "event 1 (week 5): standardisation=3 is out of range; allowed [0, 1]"),
    ([{"week": 0, "parameters": {"automation": 0.5}}],
     "event 1: week must be a whole number from 1 to 30"),
    ([{"week": 31, "parameters": {"automation": 0.5}}],
     "event 1: week must be a whole number from 1 to 30"),
    ([{"week": 2.5, "parameters": {"automation": 0.5}}],
     "event 1: week must be a whole number from 1 to 30"),
    ([{"week": 8, "until": 8, "parameters": {"automation": 0.5}}],
     "event 1 (week 8): until must be a whole number from 9 to 31"),
    ([{"week": 8, "until": 40, "parameters": {"automation": 0.5}}],
     "event 1 (week 8): until must be a whole number from 9 to 31"),
    ([{"week": 8, "parameters": {"warmup_weeks": 2}}],
     "event 1 (week 8): warmup_weeks cannot change during a run; every parameter can "
     "except weeks, school_year_weeks, hourly_cost, turnover_cost, automation_licence, "
     "automated_contact_cost, overtime_paid_share, cover_cost_share, warmup_weeks"),
    ([{"week": 8, "parameters": {"weeks": 50}}], "weeks cannot change during a run"),
    ([{"week": 8, "parameters": {"admin_hours_fixed": 40.0}}],
     "event 1 (week 8): admin_hours_fixed=40 exceeds hours_per_week=36"),
    ([{"week": 5, "until": 15, "parameters": {"automation": 0.5}},
      {"week": 10, "parameters": {"automation": 0.9, "network_hours": 2.0}}],
     "events 1 and 2 both change automation in weeks 10-14; events changing the same "
     "parameter may not overlap"),
    ([{"week": 5, "parameters": {"hours_per_week": 20.0}},
      {"week": 10, "parameters": {"admin_hours_fixed": 25.0}}],
     "events in force in week 10: admin_hours_fixed=25 exceeds hours_per_week=20"),
    ([{"week": 5, "parameters": {}}], "event 1: 'parameters' must be a table of one or more"),
    ([{"parameters": {"automation": 0.5}}], "event 1: 'week' is missing"),
    ([{"week": 5, "when": 3, "parameters": {"automation": 0.5}}],
     "event 1: unknown key 'when'; allowed keys are week, until, parameters"),
    (["week=5"], "event 1 must be a table with week, until (optional) and parameters"),
    ([{"week": 5, "parameters": {"automation": 0.5}}] * (MAX_EVENTS + 1),
     f"at most {MAX_EVENTS} events, not {MAX_EVENTS + 1}"),
]


@pytest.mark.parametrize("events, message", REFUSED)
def test_an_event_that_cannot_be_is_refused_in_one_line(events, message):
    with pytest.raises(ParameterError) as refused:
        VerbindingModel(rng=1, events=events, **BASE)
    assert message in str(refused.value) and "\n" not in str(refused.value)


def test_change_between_steps_refuses_what_cannot_change():
    model = VerbindingModel(rng=1, **BASE)
    model.step()
    with pytest.raises(ParameterError, match="weeks cannot change during a run"):
        model.change(weeks=10)
    with pytest.raises(ParameterError, match="exceeds hours_per_week"):
        model.change(admin_hours_fixed=50.0)
    assert model.p == model.scenario_parameters  # nothing changed
    model.change(automation=0.4)
    assert model.p.automation == 0.4


def check_team(model) -> None:
    """Posts and agents agree: every holder is a working or sick professional."""
    posts = model.posts
    n = model.p.professionals
    for column in (posts.status, posts.stress, posts.strain, posts.experience, posts.ties,
                   posts.standard, posts.weeks_left, posts.burnouts, posts.hours, model.week_status,
                   *model.week_hours.values()):
        assert len(column) == n
    assert len(posts.agent) == n
    active = set(model.agents_by_type[Professional])
    for post in range(n):
        agent = posts.agent[post]
        if posts.status[post] == VACANT:
            assert agent is None
        else:
            assert posts.status[post] in (WORKING, SICK)
            assert agent in active and agent.post == post and agent.left_week is None
    assert active == {a for a in posts.agent if a is not None}
    for pro in model.professionals_ever:
        assert (pro in active) == (pro.left_week is None)
    live = model.clients.live
    assert (live["post"][live["status"] == IN_CARE] < n).all()  # nobody at a closed post
    assert (live["post"][live["status"] == IN_CARE] >= 0).all()


def test_the_team_grows_and_shrinks_mid_run():
    params = {**BASE, "professionals": 8, "arrivals_per_week": 10.0}
    model = VerbindingModel(rng=4, events=[
        {"week": 4, "until": 12, "parameters": {"professionals": 12}},
        {"week": 12, "parameters": {"professionals": 3}}], **params)
    sizes = {}
    while model.running:
        model.step()
        check_team(model)
        sizes[model.steps - WARMUP] = len(model.posts)
        if model.steps - WARMUP == 4:  # four new posts, filled at once by new hires
            new = [model.posts.agent[post] for post in range(8, 12)]
            assert all(pro.hired_week == model.steps for pro in new)
            assert (model.posts.experience[8:12] <= 1).all()
        if model.steps - WARMUP == 11:
            holders = [model.posts.agent[post] for post in range(3, 12)]
            in_care = (model.clients.live["status"] == IN_CARE) & (
                model.clients.live["post"] >= 3)
            moved = set(model.clients.live["serial"][in_care].tolist())
        if model.steps - WARMUP == 12:  # posts 3-11 closed, last first
            assert {h.left_week for h in holders if h is not None} == {model.steps}
            serials = np.array(sorted(moved))
            live = model.clients.live
            rows = np.isin(live["serial"], serials)
            assert (live["handovers"][rows] >= 1).all()  # every one of them handed over
    assert sizes[3] == 8 and sizes[4] == sizes[11] == 12 and sizes[12] == sizes[30] == 3
    assert len(model.agents_by_type[Client]) == model.waiting + model.in_care


def test_handovers_after_a_shrunk_team_pass_over_clients_who_left_its_posts():
    # Clients who left keep the number of a post that has since closed; a burnout after
    # the closing must hand over only clients in care (a crash found by a referee).
    params = {**BASE, "professionals": 12, "arrivals_per_week": 20.0, "stress_base": 0.9,
              "burnout_threshold": 0.3, "burnout_hazard": 0.5}
    model = VerbindingModel(rng=6, events=[{"week": 3, "parameters": {"professionals": 4}}],
                            **params).run()
    assert model.burnouts + sum(model.datacollector.model_vars["burnouts"]) > 0
    check_team(model)


# --- scenario files and the command line -------------------------------------------
SCENARIO = """name = "care-surge"
extends = "care"
[parameters]
professionals = 6
arrivals_per_week = 6.0
weeks = 30
warmup_weeks = 5
[[events]]
week = 10
until = 20
[events.parameters]
arrivals_per_week = 60
"""


def test_a_scenario_file_with_events_runs_from_the_command_line(tmp_path):
    path = tmp_path / "surge.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["run", str(path), "--replicates", "2", "--seed", "1", "--out", str(out),
                     "--event", "week=15,professionals=9"]) == 0
    manifest = json.loads((out / "run.json").read_text())
    scenario = manifest["scenarios"][0]
    assert scenario["events"] == [
        {"week": 10, "until": 20, "parameters": {"arrivals_per_week": 60.0}},
        {"week": 15, "parameters": {"professionals": 9}}]
    assert scenario["parameters"]["arrivals_per_week"] == 6.0  # the scenario's own
    assert (scenario["parameters"]["weeks"], scenario["parameters"]["warmup_weeks"]) == (30, 5)


@pytest.mark.parametrize("flag, message", [
    ("week=5,arrivals_per_wek=3", "did you mean 'arrivals_per_week'?"),
    ("week=x,automation=1", "week must be a whole number (a reported week), not 'x'"),
    ("automation=1", "week=W is missing"),
    ("week=3", "no parameter to change"),
    ("garbage", "give week=W[,until=U],NAME=VALUE[,...]"),
    ("week=5,until=5,automation=1", "until must be a whole number from 6 to 31"),
    ("week=12,until=14,arrivals_per_week=3", "events 1 and 2 both change arrivals_per_week"),
    ("week=3,hourly_cost=1", "hourly_cost cannot change during a run"),
])
def test_a_bad_event_flag_is_refused_in_one_line(tmp_path, capsys, flag, message):
    path = tmp_path / "surge.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["run", str(path), "--event", flag, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and err.startswith("verbinding: error:")
    assert not out.exists()


def test_a_variant_adds_its_events_to_its_parents(tmp_path):
    (tmp_path / "surge.toml").write_text(SCENARIO, encoding="utf-8")
    child = tmp_path / "child.toml"
    child.write_text('extends = "surge.toml"\n[[events]]\nweek = 25\n'
                     '[events.parameters]\nautomation = 0.5\n', encoding="utf-8")
    scenario = load(child)
    assert [e["week"] for e in scenario.events] == [10, 25]
    assert scenario.run_overrides()["events"][1] == {"week": 25,
                                                     "parameters": {"automation": 0.5}}
    again = loads(dumps(scenario), label="again")  # download and upload keep them
    assert again.events == scenario.events


BAD_EVENTS = {
    "events = 5\n": "'events' must be a list of tables",
    "events = [1, 2]\n": "'events' must be a list of tables",
    "[[events]]\nweek = 5\nwhen = 3\n[events.parameters]\nautomation = 0.5\n":
        "unknown key 'when'",
    "[[events]]\nweek = 5\nparameters = 3\n": "'parameters' must be a table",
    '[[events]]\nweek = "soon"\n[events.parameters]\nautomation = 0.5\n':
        "week must be a whole number from 1 to 260 (the reported weeks; 1 is the first "
        "after the warm-up), not 'soon'",
    "[[events]]\nweek = 5\n[events.parameters]\nautomation = \"lots\"\n":
        "automation='lots' must be a number",
    "[[events]]\nweek = 5\n[events.parameters\nautomation = 1\n": "malformed TOML",
    "[[events]]\nweek = 5\n[events.parameters]\nweeks = 10\n":
        "weeks cannot change during a run",
    "".join("[[events]]\nweek = 5\n[events.parameters]\nautomation = 0.5\n"
            for _ in range(MAX_EVENTS + 1)): f"at most {MAX_EVENTS} events",
}


@pytest.mark.parametrize("body, message", BAD_EVENTS.items())
def test_malformed_events_in_a_scenario_are_refused(body, message):
    with pytest.raises(ScenarioError) as refused:
        loads('name = "x"\nextends = "care"\n' + body, label="up.toml")
    text = str(refused.value)
    assert text.startswith("up.toml: ") and message in text and "\n" not in text


def test_a_sweep_keeps_its_scenarios_events(tmp_path):
    from experiments.sweep import execute, load_experiment

    (tmp_path / "surge.toml").write_text(SCENARIO, encoding="utf-8")
    spec = tmp_path / "exp.toml"
    spec.write_text(f'scenario = "{tmp_path / "surge.toml"}"\nreplicates = 1\nseed = 2\n'
                    "[parameters]\nautomation = [0.0, 0.5]\n", encoding="utf-8")
    experiment = load_experiment(str(spec))
    jobs = experiment.jobs()
    assert all(job["overrides"]["events"] == list(load(tmp_path / "surge.toml").events)
               for job in jobs)
    assert experiment.describe()["scenario_events"][0]["week"] == 10
    row = execute(jobs[0])["row"]
    assert row["status"] == "ok" and json.loads(row["events"])[0]["until"] == 20


def test_in_school_years_a_change_of_intake_starts_at_a_years_first_week():
    school = {**BASE, "school_year_weeks": 10, "weeks": 30}
    with pytest.raises(ParameterError, match=r"must have its week at one \(1, 11, 21, \.\.\.\)"):
        VerbindingModel(rng=1, events=[{"week": 5, "parameters": {"arrivals_per_week": 9.0}}],
                        **school)
    with pytest.raises(ParameterError, match="must have its until at one"):
        VerbindingModel(rng=1, events=[{"week": 11, "until": 15,
                                        "parameters": {"arrivals_per_week": 9.0}}], **school)
    surge = VerbindingModel(rng=1, events=[{"week": 11, "until": 21,
                                            "parameters": {"arrivals_per_week": 20.0}}],
                            **school).run()
    calm = VerbindingModel(rng=1, **school).run()
    arrivals = np.array(surge.datacollector.model_vars["arrivals"])
    assert arrivals[-20] > 1.5 * np.array(calm.datacollector.model_vars["arrivals"])[-20]


def test_a_class_closed_by_an_event_is_gone_when_the_team_grows_again():
    school = {**BASE, "school_year_weeks": 10, "weeks": 30, "class_hours": 4.0}
    model = VerbindingModel(rng=2, events=[{"week": 3, "until": 6,
                                            "parameters": {"professionals": 4}}], **school)
    while model.steps < WARMUP + 4:  # while the team is small
        model.step()
    assert (model.clients.live["home"][model.clients.live["status"] == IN_CARE] < 4).all()
    model.step()
    model.step()  # week 6: two new posts, with no class of their own to take back
    assert model.handovers == 0
