"""The model as a whole: invariants every week, real Mesa agents, determinism."""

import gc
import json
import os
import subprocess
import sys
import weakref
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mesa.datacollection import DataCollector

from model import Client, Professional, VerbindingModel, kernels
from model.kernels import WEEKLY_FIGURES
from model.metrics import METRIC_NAMES, summarise
from model.state import DROPOUT, GOAL, IN_CARE, VACANT, WAITING, WORKING, YEAR_END

#: Random draws over the levers and the parts of the model they drive.
scenarios = st.fixed_dictionaries({
    "professionals": st.integers(1, 12),
    "caseload_cap": st.integers(1, 40),
    "arrivals_per_week": st.floats(0, 25),
    "hours_per_week": st.floats(8, 48),
    "admin_hours_fixed": st.floats(0, 8),
    "admin_hours_per_client": st.floats(0, 1),
    "standardisation": st.floats(0, 1),
    "automation": st.floats(0, 1),
    "automated_contact_share": st.floats(0, 1),
    "network_hours": st.floats(0, 6),
    "group_programme": st.booleans(),
    "client_voice": st.floats(0, 1),
    "stress_workload": st.floats(0, 10),
    "burnout_threshold": st.floats(0.2, 1),
    "quit_rate_base": st.floats(0, 1),
    "vacancy_weeks": st.floats(0, 10),
    "sick_leave_weeks": st.floats(1, 10),
    "placement_base": st.floats(0, 1),
    "placement_network_gain": st.floats(0, 1),
    "school_year_weeks": st.sampled_from([0, 0, 4, 7]),
    "class_hours": st.floats(0, 8),
    "own_goal_rate": st.floats(0, 0.2),
})


def check_invariants(model: VerbindingModel, goals: int, dropouts: int,
                     year_ends: int = 0) -> None:
    live, posts, p = model.clients.live, model.posts, model.p
    status = live["status"]
    waiting, in_care = (status == WAITING).sum(), (status == IN_CARE).sum()
    # No client lost: everyone who arrived is waiting, in care, or has left one way.
    assert model.clients.count == waiting + in_care + goals + dropouts + year_ends
    record = model.clients.record["exit_reason"][: model.clients.count]
    exited = model.clients.record["exit_week"][: model.clients.count] >= 0
    assert (record[exited] == GOAL).sum() == goals
    assert (record[exited] == DROPOUT).sum() == dropouts
    assert (record[exited] == YEAR_END).sum() == year_ends
    # No hour lost: a working professional's hours add up to contract plus overtime.
    h = model.week_hours
    total = h["admin"] + h["network"] + h["contact"] + h["slack"]
    worked = model.week_status == WORKING
    np.testing.assert_allclose(total[worked], p.hours_per_week + h["overtime"][worked],
                               rtol=1e-9, atol=1e-9)
    assert np.all(total[~worked] == 0)
    np.testing.assert_allclose(h["contact"],
                               h["open"] + h["scripted"] + h["group"] + h["teaching"],
                               atol=1e-9)
    assert np.all(h["slack"] >= -1e-9) and np.all(h["overtime"] <= p.max_overtime_hours)
    assert np.all(h["open"] >= 0) and np.all(h["scripted"] >= 0)
    # States within bounds.
    alive = status <= IN_CARE
    for column in ("bond", "motivation", "efficacy", "openness", "progress"):
        values = live[column][alive]
        at_most = np.inf if column == "progress" and p.school_year_weeks else 1
        assert np.all((values >= 0) & (values <= at_most)), column
    assert np.all((posts.stress >= 0) & (posts.stress <= 1))
    assert np.all((posts.standard >= 0) & (posts.standard <= p.contact_norm_hours))
    # Caseloads pass the cap only by clients taken over from colleagues, up to the
    # overflow; only working professionals have clients.
    caseload = np.bincount(live["post"][status == IN_CARE], minlength=len(posts))
    assert caseload.max(initial=0) <= int(p.caseload_cap * (1 + p.handover_overflow))
    assert np.all(caseload[posts.status != WORKING] == 0)
    assert np.all(live["post"][status == WAITING] == -1)
    # Every filled post has a Mesa agent; vacant posts none.
    filled = posts.status != VACANT
    assert all((a is not None) == f for a, f in zip(posts.agent, filled, strict=True))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=scenarios, seed=st.integers(0, 2**32))
def test_invariants_hold_every_week_for_random_parameters(params, seed):
    if params["school_year_weeks"]:
        params["own_goal_rate"] = 0.0   # pupils have no route of their own (refused)
    model = VerbindingModel(rng=seed, weeks=35, warmup_weeks=5, **params)
    goals = dropouts = year_ends = 0
    while model.running:
        model.step()
        goals += model.goals
        dropouts += model.dropouts
        year_ends += model.year_ends
        check_invariants(model, goals, dropouts, year_ends)
    assert model.steps == 40


def test_clients_and_professionals_are_real_mesa_agents(small):
    model = VerbindingModel(rng=3, **small)
    for _ in range(30):
        model.step()
    clients = model.agents_by_type[Client]
    professionals = model.agents_by_type[Professional]
    assert len(professionals) == model.working + model.sick
    assert len(clients) == model.waiting + model.in_care
    # An agent reads its own row: the agent set agrees with the arrays.
    assert np.isclose(clients.select(lambda c: c.status == "in_care").agg("bond", np.mean),
                      model.mean_bond)
    pro = professionals.select(lambda a: a.status == "working").to_list()[0]
    assert all(c.professional is pro for c in pro.clients)
    assert len(pro.clients) <= small["caseload_cap"]


def test_whoever_watches_mesas_agent_signals_gets_them_and_the_same_run(small):
    quiet = VerbindingModel(rng=5, **small)
    watched = VerbindingModel(rng=5, **small)
    heard = []

    def listen(message) -> None:  # Mesa holds observers weakly: keep a name for it
        heard.append(message.signal_type)

    for signal in ("agent_added", "agent_removed"):
        watched.observe("agents", signal, listen)
    first_id, present = watched.agent_id_counter, len(watched.agents)
    for _ in range(30):
        quiet.step()
        watched.step()
    added = watched.agent_id_counter - first_id
    assert added > 0 and heard.count("agent_added") == added  # every one, as Mesa sends
    assert heard.count("agent_removed") == present + added - len(watched.agents)
    assert quiet.datacollector.model_vars == watched.datacollector.model_vars
    assert ([a.unique_id for a in quiet.agents_by_type[Client]]
            == [a.unique_id for a in watched.agents_by_type[Client]])
    assert len(quiet.agents) == len(watched.agents)


def test_the_weekly_figures_are_collected_as_mesas_datacollector_collects_them(small):
    model = VerbindingModel(rng=6, **small)
    stock = DataCollector(model_reporters={name: name for name in WEEKLY_FIGURES})
    for _ in range(20):
        model.step()
        stock.collect(model)
    assert model.datacollector.model_vars == stock.model_vars
    assert model.datacollector._collection_steps == stock._collection_steps
    assert (model.datacollector.get_model_vars_dataframe()
            .equals(stock.get_model_vars_dataframe()))
    # Another reporter: Mesa's own collect takes over, for it and for the figures.
    model.datacollector._new_model_reporter("cohort", "waiting")
    model.step()
    assert model.datacollector.model_vars["cohort"] == [model.waiting]
    assert model.datacollector.model_vars["waiting"][-1] == model.waiting


def test_a_client_who_leaves_keeps_a_readable_final_state(small):
    model = VerbindingModel(rng=4, **small)
    watched = None
    while model.running and (watched is None or watched.status in ("waiting", "in_care")):
        model.step()
        if watched is None and len(model.agents_by_type.get(Client, [])):
            watched = next(iter(model.agents_by_type[Client]))
    assert watched.status in ("goal", "dropout")
    assert watched not in model.agents
    assert 0 <= watched.bond <= 1 and watched.motivation is None


def test_writing_a_clients_state_through_its_agent_changes_the_model(small):
    model = VerbindingModel(rng=5, **small)
    for _ in range(10):
        model.step()
    client = next(c for c in model.agents_by_type[Client] if c.status == "in_care")
    client.bond = 0.95
    row = model.clients.row_of(client.serial)
    assert model.clients.live["bond"][row] == 0.95


def test_same_seed_same_run_different_seed_different_run(small):
    def run(seed):
        model = VerbindingModel(rng=seed, **small).run()
        return model.datacollector.get_model_vars_dataframe(), summarise(model)

    first, again, other = run(11), run(11), run(12)
    assert first[0].equals(again[0]) and first[1] == again[1]
    assert not first[0].equals(other[0])


def test_seed_given_as_text_like_the_app_seed_box(small):
    a = VerbindingModel(rng="21", **small).run()
    b = VerbindingModel(rng=21, **small).run()
    assert a.seed == b.seed == 21
    assert summarise(a) == summarise(b)


@pytest.mark.parametrize("seed", ["abc", "1.5", "-3", -3])
def test_a_seed_that_is_no_whole_number_is_refused_clearly(seed):
    with pytest.raises(ValueError, match="the seed must be a whole number of 0 or more"):
        VerbindingModel(rng=seed)


def test_every_metric_is_reported(small):
    metrics = summarise(VerbindingModel(rng=1, **small).run())
    assert tuple(metrics) == METRIC_NAMES
    assert 0 < metrics["goal_share"] < 1
    assert metrics["goal_share"] + metrics["dropout_share"] == 1


def test_the_warm_up_comes_before_the_reported_weeks():
    from experiments.runner import simulate, week_numbers

    params = {"professionals": 4, "arrivals_per_week": 3.0, "weeks": 52, "warmup_weeks": 52}
    model = VerbindingModel(rng=3, **params).run()
    assert model.steps == 104  # 52 weeks of warm-up, then the 52 weeks asked for
    waiting = model.datacollector.model_vars["waiting"]
    assert len(waiting) == 104
    assert summarise(model)["waitlist_mean"] == pytest.approx(np.mean(waiting[52:]))
    output = simulate(params, 3)
    assert list(week_numbers(output.parameters)) == list(range(-51, 53))
    assert output.weekly["waiting"] == waiting
    arrivals = [row[1] for row in output.clients]  # arrival_week, in reported weeks
    assert min(arrivals) <= 0 < max(arrivals) <= 52


@pytest.mark.parametrize("edge", [
    {"standardisation": 1.0, "automated_contact_share": 1.0},   # no human share left
    {"hours_per_week": 8.0, "admin_hours_fixed": 8.0},          # admin fills the week
    {"standardisation": 1.0, "automated_contact_share": 1.0,    # both: no contact hours
     "hours_per_week": 8.0, "admin_hours_fixed": 8.0},
    {"standardisation": 1.0, "automated_contact_share": 1.0,    # the program's part fills
     "contact_norm_hours": 2.0, "max_contact_hours": 1.5},      # all a client can use
])
def test_the_edges_of_the_levers_run_within_every_invariant(edge):
    model = VerbindingModel(rng=4, weeks=30, warmup_weeks=5, professionals=8,
                            arrivals_per_week=8.0, **edge)
    goals = dropouts = 0
    while model.running:
        model.step()
        goals, dropouts = goals + model.goals, dropouts + model.dropouts
        check_invariants(model, goals, dropouts)   # a NaN standard fails them


def test_an_empty_world_runs_and_reports_nothing_to_measure():
    model = VerbindingModel(rng=1, arrivals_per_week=0.0, weeks=30, warmup_weeks=5).run()
    metrics = summarise(model)
    assert model.clients.count == 0
    assert np.isnan(metrics["goal_share"]) and metrics["waitlist_mean"] == 0


def test_a_run_leaves_no_reference_cycles_behind(small):
    """What lets ``run`` pause Python's cycle collector: there is nothing to collect."""
    kernels.warm_up()  # loading the compiled loops, once a process, leaves some garbage
    model = VerbindingModel(rng=3, **small)
    while gc.collect():  # the warm-up's model, then its generators' ctypes interfaces
        pass
    model.run()
    assert gc.isenabled()
    assert gc.collect() == 0


def test_a_finished_model_is_freed_once_nobody_holds_it(small):
    """Agents refer to their model; no container invisible to the collector holds them.

    Numpy object arrays are such containers: with the agents in one, every finished
    model stayed in memory (1.4 MB for a small run, far more for a large one), which a
    sweep's workers and the app's server piled up run after run.
    """
    model = VerbindingModel(rng=3, **small)
    for _ in range(20):
        model.step()
    assert model.agents_by_type[Client] and model.posts.agent[0] is not None
    gone = weakref.ref(model)
    del model
    gc.collect()
    assert gone() is None


@pytest.mark.parametrize("school", [{}, {"school_year_weeks": 10, "class_hours": 6.0},
                                    {"own_goal_rate": 0.01},
                                    {"own_goal_rate": 0.01, "employability_spread": 1.0,
                                     "employability_dropout_loading": 0.5}],
                         ids=["all year round", "school years", "own route", "employability"])
def test_compiled_loops_run_the_same_model_as_the_interpreted_ones(small, school):
    """The weekly passes compiled by numba agree with running their Python source."""
    script = ("import json, sys, numba; from model import VerbindingModel; "
              "from model.metrics import summarise; "
              "m = VerbindingModel(rng=5, **json.loads(sys.argv[1])).run(); "
              "print(json.dumps([summarise(m), m.datacollector.model_vars['goals'], "
              "numba.config.DISABLE_JIT]))")

    def run(disable_jit: str):
        done = subprocess.run([sys.executable, "-c", script, json.dumps({**small, **school})],
                              check=True,
                              capture_output=True, text=True,
                              env={**os.environ, "NUMBA_DISABLE_JIT": disable_jit})
        return json.loads(done.stdout)

    (compiled, goals, was_interpreted), (interpreted, same_goals, is_interpreted) = (
        run("0"), run("1"))
    assert not was_interpreted and is_interpreted
    assert goals == same_goals  # the same clients reach their goal in the same weeks
    assert compiled == pytest.approx(interpreted, rel=1e-9, nan_ok=True)


def test_a_school_year_brings_its_pupils_together_and_ends_for_all_at_once():
    year, warmup = 10, 15
    model = VerbindingModel(rng=3, professionals=4, caseload_cap=25, arrivals_per_week=8.0,
                            school_year_weeks=year, class_hours=8.0, need_hours=40.0,
                            warmup_weeks=warmup, weeks=3 * year).run()
    weekly = model.datacollector.get_model_vars_dataframe()
    reported = np.arange(1 - warmup, 3 * year + 1)  # week numbers as the output gives them
    first_weeks = (reported - 1) % year == 0
    # pupils arrive only in a year's first week (reported week 1 is one), about 80 a year
    assert (weekly["arrivals"][~first_weeks] == 0).all()
    assert weekly["arrivals"][first_weeks & (reported > 0)].between(50, 110).all()
    # after a year's last week nobody is left in class or waiting
    last_weeks = reported % year == 0
    assert (weekly["in_care"][last_weeks] == 0).all()
    assert (weekly["waiting"][last_weeks] == 0).all()
    assert (weekly["goals"][~last_weeks] == 0).all()  # the year's goals are judged at its end
    # at the end each pupil has reached the year's goals (progress 1 or more) or not
    records = model.clients.final_records()
    ended = records["exit_reason"] != DROPOUT
    reached = records["final_progress"][ended] >= 1
    assert (records["exit_reason"][ended] == np.where(reached, GOAL, YEAR_END)).all()
    assert 0 < reached.mean() < 1
    stay = records["exit_week"] - records["arrival_week"]
    assert stay.max() < year


def test_job_seekers_find_work_on_their_own_from_the_waiting_list_and_from_care(small):
    crowded = {**small, "caseload_cap": 3, "own_goal_rate": 0.05}
    model = VerbindingModel(rng=4, **crowded).run()
    records = model.clients.final_records()
    own = records["own_route"]
    assert (records["exit_reason"][own] == GOAL).all()  # an own route ends in the goal
    never_started = records["start_week"] < 0
    assert (own & never_started).any() and (own & ~never_started).any()
    share = summarise(model)["own_goal_share"]
    assert share == pytest.approx(own.sum() / (records["exit_reason"] == GOAL).sum(), abs=0.05)


def test_an_own_route_shortens_the_spells_and_without_one_nobody_takes_it(small):
    none = VerbindingModel(rng=8, **small).run()
    assert not none.clients.final_records()["own_route"].any()
    some = VerbindingModel(rng=8, **small, own_goal_rate=0.01).run()
    assert summarise(some)["own_goal_share"] > 0
    assert summarise(some)["weeks_to_exit"] < summarise(none)["weeks_to_exit"]


def test_employability_is_lognormal_around_one_with_its_spread(small):
    """Nobody leaves in ten weeks here, so the table holds every arrival's draw."""
    model = VerbindingModel(rng=2, **{**small, "arrivals_per_week": 40.0}, dropout_base=0.0,
                            own_goal_rate=1e-9, need_hours=1000.0, employability_spread=1.0)
    for _ in range(10):
        model.step()
    drawn = model.clients.live["employability"]
    assert len(drawn) > 300 and (model.clients.live["status"] <= 1).all()
    assert drawn.mean() == pytest.approx(1.0, abs=0.1)
    assert drawn.std() / drawn.mean() == pytest.approx(1.0, abs=0.15)
    assert (drawn > 0).all()


def test_job_seekers_nearest_work_leave_first_so_the_stock_is_further_from_it(small):
    uniform = VerbindingModel(rng=3, **small, own_goal_rate=0.03).run()
    assert set(uniform.clients.live["employability"]) == {1.0}   # no spread: all alike
    mixed = VerbindingModel(rng=3, **small, own_goal_rate=0.03, employability_spread=1.0)
    stock = []   # the mean employability of those on the books, week by week
    for _ in range(mixed.p.warmup_weeks + mixed.p.weeks):
        mixed.step()
        live = mixed.clients.live
        stock.append(live["employability"][live["status"] <= 1].mean())
    assert np.mean(stock[len(stock) // 2:]) < 0.85   # arrivals: 1 on average


def test_a_spread_of_employability_leaves_every_other_trait_of_the_arrivals_as_it_was(small):
    """Common random numbers: employability has a stream of its own."""
    runs = [VerbindingModel(rng=6, **small, own_goal_rate=0.01, employability_spread=spread)
            for spread in (0.0, 2.0)]
    for model in runs:
        model.step()
    alike, spread = (model.clients.live for model in runs)
    for trait in ("need", "openness", "motivation", "efficacy"):
        assert np.array_equal(alike[trait], spread[trait])
    assert len(set(spread["employability"])) == len(spread["employability"]) > 1


def test_without_school_years_nobody_waits_for_a_year_end(small):
    model = VerbindingModel(rng=2, **small).run()
    assert model.clients.final_records()["exit_reason"].max() < YEAR_END
    assert sum(model.datacollector.model_vars["year_ends"]) == 0


def test_cached_machine_code_is_dropped_when_a_compiled_source_changes(tmp_path):
    for name in kernels.SOURCES:
        (tmp_path / name).write_text(f"# {name}\n")
    cache = tmp_path / "__pycache__"
    cache.mkdir()
    compiled = [cache / "kernels.census-90.py312.nbi", cache / "kernels.census-90.py312.1.nbc"]
    other = cache / "model.cpython-312.pyc"
    for path in [*compiled, other]:
        path.write_text("")

    kernels._forget_stale_machine_code(tmp_path)  # first sight: no fingerprint yet
    assert not any(path.exists() for path in compiled) and other.exists()
    for path in compiled:
        path.write_text("")
    kernels._forget_stale_machine_code(tmp_path)  # nothing changed: the cache is kept
    assert all(path.exists() for path in compiled)
    (tmp_path / "mechanisms.py").write_text("# an edited mechanism\n")
    kernels._forget_stale_machine_code(tmp_path)
    assert not any(path.exists() for path in compiled)


def test_the_freshness_check_looks_where_numba_caches_under_numba_cache_dir(tmp_path):
    """Clusters often point NUMBA_CACHE_DIR elsewhere; the stale-code check follows it."""
    script = ("import numpy as np; from model.kernels import cache_folder, census; "
              "census(np.zeros(1, np.int8), np.zeros(1, np.int32), 1); print(cache_folder())")
    done = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                          text=True, env={**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)})
    cache = Path(done.stdout.strip().splitlines()[-1])
    assert cache.is_relative_to(tmp_path)
    assert (cache / "kernels.sources").is_file()
    assert list(cache.glob("kernels.census-*.nbi"))  # numba wrote its code there
