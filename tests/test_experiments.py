"""Experiments at scale: designs, executors, resumable sweeps, analysis, comparisons."""

import math
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from experiments import cli, regime, sweep
from experiments.analysis import (
    AnalysisError,
    analyse,
    complete_runs,
    sobol_convergence,
    sobol_indices,
)
from experiments.compare import WORDS, in_words, money_in_words, paired_differences
from experiments.executors import DaskExecutor, PoolExecutor, SerialExecutor, chunk_size
from experiments.replicates import run_scenarios
from experiments.samplers import full_factorial, latin_hypercube, morris, sobol
from experiments.scenarios import load
from experiments.space import Dimension, Space, SpaceError
from model.metrics import summarise
from model.parameters import specs

TOP = 'scenario = "care"\nreplicates = 2\nseed = 5\n'
FIXED = "\n[fixed]\nprofessionals = 4\narrivals_per_week = 4.0\nweeks = 30\nwarmup_weeks = 5\n"


def experiment_file(tmp_path, body, name="exp.toml"):
    """A small experiment: ``body`` holds its top-level keys and [parameters]."""
    path = tmp_path / name
    path.write_text(TOP + body + FIXED, encoding="utf-8")
    return str(path)


# --- designs are pure functions of (space, size, seed) ---------------------------------
def test_full_factorial_crosses_every_level():
    space = Space.from_table({"caseload_cap": [20, 30], "standardisation":
                              {"low": 0.0, "high": 0.8, "levels": 3}})
    points = full_factorial(space)
    assert len(points) == 6
    assert {(p["caseload_cap"], p["standardisation"]) for p in points} == {
        (c, s) for c in (20, 30) for s in (0.0, 0.4, 0.8)}


def test_latin_hypercube_puts_one_point_in_every_stratum():
    space = Space.from_table({"standardisation": {"low": 0.0, "high": 1.0},
                              "client_voice": {"low": 0.0, "high": 1.0}})
    points = latin_hypercube(space, 10, seed=1)
    for name in ("standardisation", "client_voice"):
        strata = sorted(int(p[name] * 10) for p in points)
        assert strata == list(range(10))
    assert points == latin_hypercube(space, 10, seed=1)
    assert points != latin_hypercube(space, 10, seed=2)


def test_sobol_and_morris_sizes():
    space = Space.from_table({"standardisation": {"low": 0.0, "high": 1.0},
                              "automation": {"low": 0.0, "high": 0.5},
                              "network_hours": {"low": 0.0, "high": 6.0}})
    assert len(sobol(space, 16, seed=1)) == 16 * (3 + 2)
    assert len(morris(space, 5, seed=1)) == 5 * (3 + 1)
    with pytest.raises(SpaceError, match="power of two of at least 8"):
        sobol(space, 12, seed=1)


@pytest.mark.parametrize("table, message", [
    ({"caseload": [10, 20]}, "did you mean 'caseload_cap'"),
    ({"standardisation": {"low": 0.8, "high": 0.2}}, "low=0.8 is above high=0.2"),
    ({"standardisation": {"low": 0.0, "high": 2.0}}, "out of range"),
    ({"group_programme": {"low": 0, "high": 1}}, "give levels [false, true]"),
    ({"standardisation": "prior"}, "declares no prior; give a range"),
    ({"standardisation": "assumed"}, "'standardisation' is not an assumed constant"),
    ({"need_hours": "assumed"}, "'need_hours' is not an assumed constant"),
    ({"placement_network_gain": "assumed"}, "not zero"),
    ({"need_hours": {"low": 0.5, "high": 9, "scale": "cubic"}}, "scale must be"),
    ({"standardisation": {"low": 0.0, "high": 0.5, "scale": "log"}}, "low above 0"),
])
def test_bad_spaces_are_refused(table, message):
    with pytest.raises(SpaceError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Space.from_table(table)


def test_a_parameter_can_range_over_its_declared_prior_on_its_scale():
    space = Space.from_table({"need_hours": "prior", "bond_weight": "prior",
                              "standardisation": {"low": 0.01, "high": 1.0, "scale": "log"}})
    need, weight, standard = space.dimensions
    prior = specs()["need_hours"][2].prior
    assert (need.low, need.high, need.log) == (prior.low, prior.high, True)
    assert not weight.log
    # halfway along a log scale is the geometric middle
    assert space.point(np.array([0.5, 0.5, 0.5]))["need_hours"] == pytest.approx(
        math.sqrt(prior.low * prior.high))
    assert standard.value(0.5) == pytest.approx(0.1)


def test_every_shipped_design_loads_and_the_uncertainty_ones_vary_every_prior():
    from experiments.calibration import priors

    designs = {path.stem: sweep.load_experiment(path)
               for path in sorted(sweep.SPEC_DIR.glob("*.toml"))}
    uncertainty = [name for name in designs
                   if name.endswith(("effect-sobol", "uncertainty-sobol", "everything-morris"))]
    assert len(uncertainty) == 5
    for name in uncertainty:   # each calibrated parameter over its prior's range
        ranges = {d.name: (d.low, d.high) for d in designs[name].space.dimensions}
        assert all(ranges.get(n) == (p.low, p.high) for n, p in priors().items()), name


def test_an_assumed_constant_ranges_over_its_default_give_or_take_half():
    space = Space.from_table({"sick_leave_weeks": "assumed", "handover_bond_loss": "assumed"})
    sick, handover = space.dimensions
    assert (sick.low, sick.high) == (13.0, 39.0)        # 26 weeks, half either way
    assert (handover.low, handover.high) == (0.4, 1.0)  # 0.8, capped at its allowed 1


# --- Sobol indices on a function with known answers ------------------------------------
def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_indices_of_the_ishigami_function_match_the_known_values():
    space = Space(tuple(Dimension(f"x{i}", float, -math.pi, math.pi) for i in (1, 2, 3)))
    points = sobol(space, 2048, seed=3)
    frame = pd.DataFrame(points)
    frame["y"] = ishigami(frame[["x1", "x2", "x3"]].to_numpy())
    indices = sobol_indices(frame, space, ["y"]).set_index("parameter")
    # Analytic values (Ishigami & Homma 1990; as used in SALib's own tests).
    np.testing.assert_allclose(indices["S1"], [0.314, 0.442, 0.0], atol=0.04)
    np.testing.assert_allclose(indices["ST"], [0.558, 0.442, 0.244], atol=0.04)
    assert (indices["ST_low"] <= indices["ST"]).all() and (indices["ST"] <= indices[
        "ST_high"]).all()
    convergence = sobol_convergence(frame, space, ["y"])
    assert sorted(set(convergence["base_samples"])) == [512, 1024, 2048]
    largest = convergence[convergence["base_samples"] == 2048].set_index("parameter")
    np.testing.assert_allclose(largest["ST"], indices["ST"])   # the whole design
    smallest = convergence[convergence["base_samples"] == 512].set_index("parameter")
    np.testing.assert_allclose(smallest["ST"], [0.558, 0.442, 0.244], atol=0.08)


# --- executors give the same results ---------------------------------------------------
def sweep_rows(tmp_path, executor, name):
    experiment = sweep.load_experiment(experiment_file(
        tmp_path, "[parameters]\nstandardisation = [0.1, 0.6]\n"))
    summary = sweep.run_sweep(experiment, tmp_path / name, executor)
    assert summary.succeeded == 4 and summary.failed == 0
    return (tmp_path / name / "runs" / "results.parquet").read_bytes()


@pytest.mark.slow
def test_serial_pool_and_dask_give_byte_identical_results(tmp_path):
    serial = sweep_rows(tmp_path, SerialExecutor(), "serial")
    with PoolExecutor(2) as pool:
        pooled = sweep_rows(tmp_path, pool, "pool")
    with DaskExecutor("local", workers=2) as dask:
        clustered = sweep_rows(tmp_path, dask, "dask")
    assert serial == pooled == clustered


# --- sweeps write as they go, resume, and record failures -----------------------------
def test_a_failing_run_is_recorded_and_the_rest_go_on(tmp_path, monkeypatch):
    class Fragile(sweep.Simulation):
        @classmethod
        def create(cls, rng=None, **params):
            if params.get("standardisation") == 0.6 and rng is not None:
                raise FloatingPointError("the model diverged")
            return super().create(rng=rng, **params)

    monkeypatch.setattr(sweep, "Simulation", Fragile)
    experiment = sweep.load_experiment(experiment_file(
        tmp_path, "[parameters]\nstandardisation = [0.1, 0.6]\n"))
    summary = sweep.run_sweep(experiment, tmp_path / "out", SerialExecutor())
    assert (summary.succeeded, summary.failed) == (2, 2)
    runs = pd.read_parquet(tmp_path / "out" / "runs")
    failed = runs[runs["status"] == "failed"]
    assert set(failed["standardisation"]) == {0.6}
    assert failed["error"].str.contains("FloatingPointError: the model diverged").all()
    assert failed["goal_share"].isna().all()


def test_a_sweep_can_hold_its_base_at_a_utilisation_and_measure_a_levers_effect(tmp_path):
    path = experiment_file(tmp_path, 'metrics = ["utilisation", "goal_share"]\n'
                           "hold_utilisation = 0.75\n[contrast]\ncaseload_cap = 10\n"
                           "[parameters]\nneed_hours = [6.0, 18.0]\n")
    experiment = sweep.load_experiment(path)
    sweep.run_sweep(experiment, tmp_path / "out", SerialExecutor())
    runs = pd.read_parquet(tmp_path / "out" / "runs").sort_values("run_id")
    assert (runs["status"] == "ok").all()
    # Clients needing three times the contact stay longer: fewer arrivals, same load.
    factor = runs.groupby("need_hours")["arrivals_factor"].mean()
    assert factor[18.0] < factor[6.0] / 1.25
    # ... as the pilots found it (seeds of their own, the team kept whole): a team of
    # four is noisy, so some stop after their six tries a little off, as the rows say.
    assert (runs["held_utilisation"] - 0.75).abs().max() < 0.05
    # Each metric is the lever's run minus the base's, on the same seed and arrivals.
    job, row = experiment.jobs()[3], runs.iloc[3]
    held = regime.with_arrivals_factor(job["overrides"], row["arrivals_factor"])
    base, lever = (summarise(sweep.Simulation.create(rng=job["seed"], **o).run())
                   for o in (held, {**held, "caseload_cap": 10}))
    assert row["base.goal_share"] == base["goal_share"]
    assert row["goal_share"] == lever["goal_share"] - base["goal_share"]


def test_rerunning_skips_finished_runs(tmp_path):
    path = experiment_file(tmp_path, "[parameters]\nstandardisation = [0.1, 0.6]\n")
    first = sweep.run_sweep(sweep.load_experiment(path), tmp_path / "out", SerialExecutor())
    again = sweep.run_sweep(sweep.load_experiment(path), tmp_path / "out", SerialExecutor())
    assert first.succeeded == 4 and again.skipped == 4
    assert len(pd.read_parquet(tmp_path / "out" / "runs")) == 4


def test_a_changed_experiment_file_is_refused_for_the_same_folder(tmp_path, capsys):
    path = experiment_file(tmp_path, "[parameters]\nstandardisation = [0.1, 0.6]\n")
    assert cli.main(["sweep", path, "--out", str(tmp_path / "out"), "--workers", "1"]) == 0
    experiment_file(tmp_path, "[parameters]\nstandardisation = [0.1, 0.7]\n")
    assert cli.main(["sweep", path, "--out", str(tmp_path / "out"), "--workers", "1"]) == 2
    assert "holds results of a different experiment" in capsys.readouterr().err


@pytest.mark.slow
def test_a_killed_sweep_resumes_with_every_run_exactly_once(tmp_path):
    path = tmp_path / "long.toml"   # runs of about 0.2 s, so the kill lands mid-way
    path.write_text(TOP + "[parameters]\nstandardisation = {low = 0.0, high = 0.8, levels = 30}"
                    "\n[fixed]\nprofessionals = 100\narrivals_per_week = 300.0\n"
                    "weeks = 520\n")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "experiments", "sweep", str(path), "--out", str(out),
               "--workers", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(out.glob("runs/*.parquet")) and time.monotonic() < deadline:
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)  # the sweep and its workers, mid-way
    process.wait()
    partial = pd.read_parquet(out / "runs")
    assert 0 < len(partial) < 60
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    runs = pd.read_parquet(out / "runs")
    assert sorted(runs["run_id"]) == list(range(60))
    assert f"{len(set(partial['run_id']))} already done" in done.stdout


# --- analysis --------------------------------------------------------------------------
def test_an_incomplete_sobol_design_is_refused_naming_the_missing_runs():
    runs = pd.DataFrame({"run_id": [0, 1, 3], "status": ["ok", "ok", "ok"]})
    with pytest.raises(AnalysisError, match=r"1 of 4 runs missing or failed \(run_id 2\)"):
        complete_runs(runs, 4, "sobol")


def test_analyse_refuses_a_partial_sobol_sweep(tmp_path, capsys):
    path = experiment_file(tmp_path, 'design = "sobol"\nsamples = 8\n[parameters]\n'
                                     "standardisation = {low = 0.0, high = 0.8}\n"
                                     "client_voice = {low = 0.0, high = 1.0}\n")
    out = tmp_path / "out"
    sweep.run_sweep(sweep.load_experiment(path), out, SerialExecutor())
    runs = pd.read_parquet(out / "runs")
    runs[runs["run_id"] != 5].to_parquet(out / "runs" / "results.parquet", index=False)
    assert cli.main(["analyse", str(out)]) == 2
    assert "incomplete sobol design: 1 of 64 runs missing or failed (run_id 5)" in \
        capsys.readouterr().err


def test_a_factorial_sweep_is_analysed_into_a_response_surface(tmp_path):
    path = experiment_file(tmp_path, "[parameters]\nstandardisation = [0.1, 0.6]\n"
                                     "client_voice = [0.0, 1.0]\n")
    sweep.run_sweep(sweep.load_experiment(path), tmp_path / "out", SerialExecutor())
    written = analyse(tmp_path / "out")
    means = pd.read_csv(written["point_means"])
    assert len(means) == 4 and {"goal_share_low", "goal_share_high"} <= set(means)
    assert written["surface-goal_share"].is_file()
    assert written["surface-goal_share"].with_suffix(".svg").is_file()


# --- paired comparisons ----------------------------------------------------------------
def test_pairing_narrows_the_interval_of_a_difference():
    # A small team at 0.6 of the care preset's load: the preset runs near its tipping
    # point, where a team of 8 is often full in both arms and occupancy varies little.
    care = load("care").parameters()
    small = {"professionals": 8, "arrivals_per_week": 0.6 * care.arrivals_per_week * 8
             / care.professionals, "weeks": 80, "warmup_weeks": 20}
    base = load("care").with_overrides(**small)
    other = load("care-standardised").with_overrides(**small)
    paired = run_scenarios([base, other], 12, seed=1)
    unpaired_other = run_scenarios([other], 12, seed=2)[0]
    # The team's load and state: the same arrivals in both arms (a stream of their own)
    # take most of the replicates' spread out of the difference. (The goal share, made
    # of each client's own draws, which part ways once the arms' caseloads differ,
    # gains little from pairing in a team this small.)
    for metric in ("stress_mean", "occupancy", "mean_bond"):
        width = {}
        for label, a, b in (("paired", paired[0], paired[1]),
                            ("independent", paired[0], unpaired_other)):
            interval = paired_differences(a, b)[metric]["ci95"]
            width[label] = interval[1] - interval[0]
        assert width["paired"] < 0.5 * width["independent"], metric


def test_compare_writes_the_comparison_and_its_figures(tmp_path, capsys):
    out = tmp_path / "cmp"
    assert cli.main(["compare", "care", "care-standardised", "--replicates", "3", "--seed",
                     "1", "--weeks", "40", "--set", "warmup_weeks=10", "--set",
                     "professionals=6", "--set", "arrivals_per_week=6", "--out", str(out),
                     "--workers", "1"]) == 0
    printed = capsys.readouterr().out
    assert "care-standardised compared with care (paired, 95% interval):" in printed
    assert "95% interval" in printed
    names = {p.name for p in out.iterdir()}
    assert {"comparison.csv", "weekly.png", "weekly.svg", "differences.png",
            "differences.svg", "summary.csv"} <= names
    table = pd.read_csv(out / "comparison.csv")
    base_rows = table[table["scenario"] == "care"]
    assert (base_rows["diff_mean"] == 0).all()


def test_compare_json_has_the_documented_shape(capsys):
    assert cli.main(["compare", "care", "care-admin-automation", "--replicates", "2",
                     "--seed", "1", "--weeks", "30", "--set", "warmup_weeks=5", "--set",
                     "professionals=5", "--set", "arrivals_per_week=5", "--json",
                     "--workers", "1"]) == 0
    import json
    data = json.loads(capsys.readouterr().out)
    assert data["base"] == "care"
    entry = data["scenarios"][1]
    assert set(entry) >= {"name", "metrics", "diff"}
    assert set(entry["diff"]["goal_share"]) == {"mean", "ci95"}


# --- bad input -------------------------------------------------------------------------
@pytest.mark.parametrize("body, message", [
    ('design = "sobbol"\n[parameters]\nstandardisation = {low = 0.0, high = 0.5}\n',
     "unknown design 'sobbol'; did you mean 'sobol'?"),
    ("[parameters]\nstandardisation = {low = 0.9, high = 0.1, levels = 3}\n",
     "low=0.9 is above high=0.1"),
    ('design = "sobol"\nsamples = 4\n[parameters]\nstandardisation = {low = 0.0, high = 0.5}\n',
     "a sobol design needs samples = a power of two of at least 8"),
    ("[parameters]\nstandardisatoin = [0.1]\n", "did you mean 'standardisation'"),
    ('metrics = ["goal"]\n[parameters]\nstandardisation = [0.1]\n', "unknown metric"),
])
def test_bad_experiment_files_exit_2_with_one_line(tmp_path, capsys, body, message):
    path = experiment_file(tmp_path, body)
    assert cli.main(["sweep", path, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_an_unreachable_scheduler_fails_fast_with_a_clear_message(tmp_path, capsys):
    path = experiment_file(tmp_path, "[parameters]\nstandardisation = [0.1]\n")
    start = time.monotonic()
    assert cli.main(["sweep", path, "--out", str(tmp_path / "o"), "--scheduler",
                     "tcp://127.0.0.1:9"]) == 2
    assert time.monotonic() - start < 30
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err


def test_the_benchmark_measures_the_memory_of_its_own_run_not_of_the_caller():
    from experiments.bench import peak_mib_in_fresh_process

    ballast = np.ones(60_000_000)  # 458 MiB held by this process while the child runs
    peak = peak_mib_in_fresh_process(1)
    assert 50 < peak < ballast.nbytes / 2**20


def test_the_mesa_agent_costs_split_one_agent_into_its_parts():
    from experiments.bench import measure_mesa_agents, mesa_report

    costs = measure_mesa_agents(n=300, rounds=1)
    assert set(costs) == {"stock", "without_signal", "log_formatting", "lean"}
    assert all(value > 0 for value in costs.values())
    assert "signals (emit wrapper, notify)" in mesa_report(costs)


def test_mesas_own_part_of_a_step_and_of_collecting_the_figures_is_timed():
    from experiments.bench import measure_mesa_step, mesa_step_report

    costs = measure_mesa_step(n=200, rounds=1)
    assert set(costs) == {"step", "step_log_formatting", "collect_stock", "collect_plain"}
    assert all(value > 0 for value in costs.values())
    assert "uncopied (WeeklyFigures)" in mesa_step_report(costs)


def test_the_churn_of_plain_objects_is_timed_with_and_without_dictionaries():
    import gc

    from experiments.bench import churn_report, measure_churn

    churn = measure_churn(1, weeks=10)
    assert set(churn) == {"list_make_us", "list_free_us", "dicts_make_us", "dicts_free_us"}
    assert all(value > 0 for value in churn.values()) and gc.isenabled()
    assert "as Mesa's agent sets" in churn_report(churn, churn)


def test_the_parts_of_a_run_with_agents_add_up_to_the_run():
    from experiments.bench import measure_split, split_report

    split = measure_split(repeats=1)
    assert all(split[part] > 0 for part in ("weeks", "admit", "dismiss", "observe"))
    assert split["rest"] >= 0  # no part is timed twice
    assert split["arrivals"] > split["leavers"] > 0
    assert "arrivals joining as agents" in split_report(split)


def test_dask_tasks_carry_a_few_runs_each_but_every_worker_gets_many_tasks():
    assert chunk_size(jobs=10, workers=2) == 1  # too few to share: one run a task
    assert chunk_size(jobs=120, workers=2) == 7  # eight tasks or more per worker
    assert chunk_size(jobs=100_000, workers=64) == 16  # at most sixteen runs a task


@pytest.mark.parametrize("metric, base, diff, words", [
    ("goal_share", 0.5, (0.06, 0.04, 0.08), "12% more (95% interval +8% to +16%); better"),
    ("dropout_share", 0.2, (0.02, 0.01, 0.03), "10% more (95% interval +5% to +15%); worse"),
    ("utilisation", 0.8, (0.08, 0.06, 0.1), "10% more (95% interval +8% to +12%)"),  # a trade-off
    # a base near zero is no yardstick: the difference itself, not "34700% more"
    ("waitlist_mean", 0.01, (3.47, 3.0, 4.0), "+3.47 (95% interval +3 to +4); worse"),
    ("stress_mean", 0.3, (-0.01, -0.9, 0.3),
     "-0.01 (95% interval -0.9 to +0.3); not clearly different"),
    # no outcome falls below 0: an interval past -100% is given as the difference itself
    ("burnout_prevalence", 0.04, (-0.0228, -0.054, 0.008),
     "-0.0228 (95% interval -0.054 to +0.008); not clearly different"),
    ("burnout_prevalence", 0.04, (-0.0228, -0.04, 0.008),
     "57% less (95% interval -100% to +20%); not clearly different"),
    # a lever that changes nothing (the own route in care): said so, not "+0"
    ("own_goal_share", 0.0, (0.0, 0.0, 0.0), "no difference in any run"),
])
def test_a_difference_is_said_against_a_fair_yardstick_and_marked_better_or_worse(
        metric, base, diff, words):
    mean, low, high = diff
    assert in_words(metric, base, {"mean": mean, "ci95": (low, high)}) == words


def test_a_difference_in_dutch_has_decimal_commas():
    from ui.i18n import COMPARISON_WORDS

    said = in_words("stress_mean", 0.3, {"mean": -0.01, "ci95": (-0.9, 0.3)},
                    COMPARISON_WORDS["nl"])
    assert said.startswith("-0,01 (95%-interval -0,9 tot +0,3)")


@pytest.mark.parametrize("cost, goals, sentence", [
    ((1_234_567.0, 1_100_000.0, 1_360_000.0), (120.4, 80.2, 160.9),
     "costs € 1,230,000 a year more (95% interval € 1,100,000 to € 1,360,000) and reaches "
     "120 more goals a year (95% interval 80.2 to 161): about € 10,300 for each extra goal"),
    # cheaper and no clear change in goals: no price of a goal
    ((-52_345.0, -80_000.0, -40_000.0), (3.21, -2.0, 8.4),
     "saves € 52,300 a year (95% interval € 40,000 to € 80,000) and reaches about as many "
     "goals a year (95% interval -2 to +8.4)"),
    # more goals, but their interval reaches near zero: a price would be unstable
    ((10_000.0, 5_000.0, 15_000.0), (12.0, 1.0, 23.0),
     "costs € 10,000 a year more (95% interval € 5,000 to € 15,000) and reaches 12 more "
     "goals a year (95% interval 1 to 23)"),
    # no clear change in cost: the interval's signs stand before the euro sign
    ((-20_000.0, -263_000.0, 120_000.0), (12.0, 1.0, 23.0),
     "costs about the same a year (95% interval -€ 263,000 to +€ 120,000) and reaches 12 "
     "more goals a year (95% interval 1 to 23)"),
    # dearer and fewer goals: no price either
    ((10_000.0, 5_000.0, 15_000.0), (-12.0, -20.0, -4.0),
     "costs € 10,000 a year more (95% interval € 5,000 to € 15,000) and reaches 12 fewer "
     "goals a year (95% interval 4 to 20)"),
])
def test_money_is_said_as_what_it_costs_a_year_and_what_it_buys(cost, goals, sentence):
    diff = {"annual_cost": {"mean": cost[0], "ci95": cost[1:]},
            "goals_per_year": {"mean": goals[0], "ci95": goals[1:]}}
    assert money_in_words(diff) == sentence
    dutch = dict(WORDS, thousands=".", decimal=",")
    assert money_in_words(diff, dutch) == sentence.translate(str.maketrans(",.", ".,"))


def test_the_log_odds_slope_of_grouped_outcomes_is_recovered_exactly_and_measured_as_a_slope():
    from experiments.stats import log_odds_slope

    x = np.array([0.7, 0.85, 1.0, 1.15, 1.3])
    share = 1 / (1 + np.exp(-(-4.0 + 2.5 * x)))   # data exactly as a logistic model expects
    assert log_odds_slope(x, share, np.full(5, 20.0)) == pytest.approx(2.5, abs=1e-9)
    # group sizes weigh the groups but do not move a perfect fit; odds grow by exp(slope)
    assert log_odds_slope(x, share, [5, 50, 20, 7, 100]) == pytest.approx(2.5, abs=1e-9)
    assert math.isnan(log_odds_slope(x, np.zeros(5), np.full(5, 20.0)))  # no one: no slope
    # everyone past 1.0 burnt out and no one before it: the slope has no finite value
    assert math.isnan(log_odds_slope(x, [0, 0, 0, 1, 1], np.full(5, 20.0)))
    assert math.isnan(log_odds_slope(np.ones(5), share, np.full(5, 20.0)))  # x does not vary


def test_a_share_of_few_runs_has_the_wilson_interval_of_the_tables():
    from experiments.stats import share_interval
    from experiments.validation import shares_tally, shares_text

    # Newcombe (1998, Stat Med 17:857) table I: 81 of 263 gives 0.2553 to 0.3662
    assert share_interval(81, 263) == pytest.approx((0.2553, 0.3662), abs=1e-4)
    low, high = share_interval(4, 10)
    assert (round(low, 3), round(high, 3)) == (0.168, 0.687)
    assert share_interval(0, 10)[0] == 0 < share_interval(0, 10)[1]  # never empty at 0
    assert share_interval(10, 10)[0] < share_interval(10, 10)[1] == pytest.approx(1)
    assert share_interval(16, 40)[1] - share_interval(16, 40)[0] < high - low  # more runs
    shares = {"defaults": {3: (0.4, 10)}, "posterior": {3: (1.0, 0)}}
    assert shares_text(shares, 3) == "defaults 40% of 10 (17-69%), posterior -"
    # a verdict over the posterior only where the interval leaves half behind
    assert shares_tally({1: (0.9, 10), 2: (0.1, 10), 3: (0.4, 10), 4: (0.4, 40),
                         5: (0.3, 40), 6: (0.5, 0)}) == (
        "holds in most single runs (the share's 95% interval above one half): 1; "
        "in few (below one half): 2, 5; unsure: 3, 4")
