"""Calibration: the ABC-SMC engine on known answers, determinism, resuming, the shipped posterior.

The engine is checked as SALib checks Sobol indices on the Ishigami function: on a
model whose posterior is known in closed form. The calibration of the model itself is
checked for what must hold whatever the numbers: it depends on its seed alone, a
calibration killed half-way resumes to the same posterior, and the posterior that
ships is the one the presets' defaults come from, made by the model's current code.
"""

import json
import math
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments import abc, calibration, cli, provenance, regime, runner, scenarios
from experiments.executors import DaskExecutor, PoolExecutor, SerialExecutor
from model.parameters import CALIBRATED, Parameters, specs

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "scenarios" / "calibration"

#: A location-and-scale model: x ~ N(theta, 0.5), log y ~ N(log b, 0.5), observed x = 1,
#: log y = 0, priors theta ~ U(-5, 5), b ~ log-U(0.1, 10): the posterior is theta ~ N(1,
#: 0.5) and log b ~ N(0, 0.5) (the priors' edges are 8 and 4.6 standard deviations away).
TOY = abc.Box(("theta", "b"), np.array([-5.0, 0.1]), np.array([5.0, 10.0]),
              np.array([False, True]))


def toy_distances(candidates, order=1):
    """Distances of the toy model's candidates, evaluated in the given order."""
    distances = {}
    for c in list(candidates)[::order]:
        rng = np.random.default_rng(c.seed)
        theta, b = TOY.values(c.u[None])[0]
        distances[c.id] = math.hypot(theta + rng.normal(0, 0.5) - 1.0,
                                     math.log(b) + rng.normal(0, 0.5))
    return np.array([distances[c.id] for c in candidates])


def posterior_moments(generation):
    theta, b = TOY.values(generation.u).T
    w = generation.weights
    mean = np.array([np.sum(w * theta), np.sum(w * np.log(b))])
    sd = np.sqrt([np.sum(w * (theta - mean[0]) ** 2), np.sum(w * (np.log(b) - mean[1]) ** 2)])
    return mean, sd


def test_abc_smc_recovers_a_known_posterior():
    generations = abc.smc(2, abc.Design(400, 8, 200), 11, toy_distances)
    mean, sd = posterior_moments(generations[-1])
    # Monte Carlo error of the mean: about 0.5 / sqrt(effective size ~ 350) = 0.03.
    assert np.all(np.abs(mean - [1.0, 0.0]) < 0.1)
    # The final tolerance (about 0.3) widens the posterior a little: sd ~ 0.5 to 0.55.
    assert np.all((sd > 0.43) & (sd < 0.62))
    assert generations[-1].tolerance < 0.5
    assert abc.effective_size(generations[-1].weights) > 200   # the weights did not collapse


def test_with_no_information_the_weighted_particles_are_the_prior():
    """Every distance 0: each generation's weights (truncated kernels near the edges of
    the priors' ranges, exactly normalised) must give back the uniform prior."""
    generations = abc.smc(3, abc.Design(400, 4, 200), 7,
                          lambda candidates: np.zeros(len(candidates)))
    last = generations[-1]
    mean = np.sum(last.weights[:, None] * last.u, axis=0)
    variance = np.sum(last.weights[:, None] * (last.u - mean) ** 2, axis=0)
    assert np.all(np.abs(mean - 0.5) < 0.05) and np.all(np.abs(variance - 1 / 12) < 0.012)


def test_a_generation_that_cannot_fill_ends_the_calibration_with_those_before():
    def hopeless(candidates):   # the prior's candidates are all near; no later one is
        return np.array([0.5 if c.id < abc.GENERATION_ID else 2.0 for c in candidates])

    design = abc.Design(20, 5, 10, min_acceptance=0.2)
    generations = abc.smc(2, design, 1, hopeless)
    assert len(generations) == 1
    assert "was dropped" in abc.stop_reason(design, generations)


def test_abc_smc_depends_on_its_seed_alone():
    design = abc.Design(60, 3, 30)
    first = abc.smc(2, design, 5, toy_distances)
    reordered = abc.smc(2, design, 5, lambda c: toy_distances(c, order=-1))
    other = abc.smc(2, design, 6, toy_distances)
    for a, b in zip(first, reordered, strict=True):
        assert np.array_equal(a.ids, b.ids) and np.array_equal(a.weights, b.weights)
    assert not np.array_equal(first[-1].u, other[-1].u)


def test_reweighting_every_candidate_gives_the_posterior_of_fewer_statistics():
    """Leaving a statistic out: reweighted candidates match the posterior fitted without it."""
    seen = {}

    def theta_and_b(candidates):
        rng_draws = []
        for c in candidates:
            rng = np.random.default_rng(c.seed)
            theta, b = TOY.values(c.u[None])[0]
            x, y = theta + rng.normal(0, 0.5) - 1.0, math.log(b) + rng.normal(0, 0.5)
            seen[c.id] = (c.u, x, y)
            rng_draws.append(math.hypot(x, y) / math.sqrt(2))
        return np.array(rng_draws)

    generations = abc.smc(2, abc.Design(300, 6, 150), 3, theta_and_b)
    u = np.array([v[0] for v in seen.values()])
    only_x = np.abs([v[1] for v in seen.values()])
    weights = abc.reweight(u, only_x, 0.3, generations)
    theta, b = TOY.values(u).T
    mean_theta = np.sum(weights * theta)
    log_b = np.log(b)
    sd_log_b = math.sqrt(np.sum(weights * (log_b - np.sum(weights * log_b)) ** 2))
    assert abs(mean_theta - 1.0) < 0.15                # still fitted
    # Without its statistic, log b goes back towards its prior (sd 1.33 on log 0.1..10),
    # far wider than the 0.5 the fit to both gave.
    assert sd_log_b > 0.9
    assert abc.effective_size(weights) > 50


def test_priors_are_declared_with_their_parameters_and_defaults_come_from_the_posterior():
    declared = calibration.priors()
    # model/calibrated.toml: one value each, and the standard scenario's arrivals
    assert set(CALIBRATED) == {*declared, "arrivals_per_week"}
    for name, prior in declared.items():
        default, _, spec = specs()[name]
        assert spec.low <= prior.low < prior.high <= spec.high, name
        assert prior.low <= default <= prior.high, name
        assert prior.why.startswith(("Assumption: ", "[")) or "(" in prior.why, name


TINY_POINT = calibration.PointSearch(screen_seeds=1, shortlist=2, check_seeds=2,
                                     confirm_seeds=2)


def tiny_calibration(folder: Path, seed: int = 3, fail_after: int | None = None,
                     executor=None):
    """A calibration of 2 generations of 6 at a tenth of the presets' size (seconds),
    with a point search."""
    settings = calibration.Settings(abc.Design(6, 2, 6), seed, 0.1, point=TINY_POINT)

    class Failing(SerialExecutor):
        def run(self, fn, jobs):
            for count, item in enumerate(super().run(fn, jobs)):
                if fail_after is not None and count >= fail_after:
                    raise KeyboardInterrupt  # as a kill would, between two candidates
                yield item

    return calibration.run(folder, settings, executor or Failing())


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    """One tiny calibration run through, shared by the tests that only read it."""
    return tiny_calibration(tmp_path_factory.mktemp("whole"))


@pytest.mark.slow
def test_a_calibration_is_reproducible_and_resumes_to_the_same_posterior(tmp_path, whole):
    with DaskExecutor("local", workers=2) as dask:
        on_dask = tiny_calibration(tmp_path / "dask", executor=dask)
    pd.testing.assert_frame_equal(on_dask.evaluations, whole.evaluations)
    with pytest.raises(KeyboardInterrupt):
        tiny_calibration(tmp_path / "resumed", fail_after=4)
    resumed = tiny_calibration(tmp_path / "resumed")
    pd.testing.assert_frame_equal(resumed.evaluations, whole.evaluations)
    pd.testing.assert_frame_equal(resumed.posterior(), whole.posterior())
    assert resumed.point == on_dask.point == whole.point
    with pytest.raises(KeyboardInterrupt):   # another seed draws other candidates
        tiny_calibration(tmp_path / "other", seed=4, fail_after=2)
    other = pd.read_parquet(tmp_path / "other" / "runs").set_index("run_id")
    same_ids = whole.evaluations.set_index("run_id").loc[other.index]
    assert len(other) >= 2 and not np.array_equal(other["need_hours"], same_ids["need_hours"])
    posterior = whole.posterior()
    assert math.isclose(posterior["weight"].sum(), 1.0)
    assert set(calibration.priors()) <= set(posterior.columns)


def test_one_statistic_far_off_hides_in_the_root_mean_square_but_not_in_the_worst_misfit():
    exact = {t.name: t.observed for t in calibration.TARGETS}
    first = calibration.TARGETS[0]
    one_off = {**exact, first.name: first.observed + 1.5 * first.tolerance}
    n = len(calibration.TARGETS)
    assert calibration.distance(one_off) == pytest.approx(1.5 / n ** 0.5)   # "fits": 0.5
    assert calibration.worst_misfit(one_off) == pytest.approx(1.5)
    last = calibration.TARGETS[-1]
    assert calibration.worst_misfit({**exact, last.name: float("nan")}) == float("inf")


def test_the_point_search_passes_over_a_draw_at_its_tipping_point_however_well_it_fits():
    """Three draws: 0 fits exactly but queues past its regime, 1 fits a little worse and
    does not, 2 fits nowhere. A stand-in evaluation writes each draw's statistics."""
    exact = {t.name: t.observed for t in calibration.TARGETS}
    first = calibration.TARGETS[0]
    off = {0: 0.0, 1: 0.3, 2: 5.0}   # each draw's first statistic, in tolerances off
    queue = {0: 3 * regime.QUEUE_LIMIT, 1: 0.0, 2: 0.0}
    last = abc.Generation(1.0, np.arange(3), np.full((3, len(calibration.box().names)), 0.5)
                          + np.arange(3)[:, None] * 0.01, np.full(3, 1 / 3), np.zeros(3), 3)
    settings = calibration.Settings(abc.Design(3, 1, 3), 1, 0.1, point=TINY_POINT)
    done = {}

    def stand_in(candidates, scale):
        for c in candidates:
            draw = (c.id - calibration.POINT_ID) // 100
            done[c.id] = {f"stat.{n}": v for n, v in exact.items()} | {
                f"stat.{first.name}": first.observed + off[draw] * first.tolerance,
                **{f"queue.{preset}": queue[draw] for preset in regime.REGIMES},
                "queued": True}

    # A row stored by a search that ran no queues (draw 1, screen seed) is run again.
    done[calibration.POINT_ID + 100] = {f"stat.{n}": math.nan for n in exact}
    point, queues = calibration.checked_point(last, settings, done, stand_in)
    assert queues == {0: 3 * regime.QUEUE_LIMIT, 1: 0.0, 2: 0.0}
    assert point["draw"] == 1 and point["below_tipping"] and point["queue"] == 0.0
    assert (point["fitting"], point["fitting_below"]) == (2, 1)
    assert point["tipping_weight"] == pytest.approx(1 / 3) and point["unjudged_weight"] == 0
    queue[1] = 3 * regime.QUEUE_LIMIT   # none below: the best of those that fit, said so
    done.clear()
    point, _ = calibration.checked_point(last, settings, done, stand_in)
    assert point["draw"] == 0 and not point["below_tipping"]
    assert "adopted point is past its tipping point" in " ".join(calibration._point_lines(
        point, {t.name: asdict(t) | {"target": t.name} for t in calibration.TARGETS}))


def test_when_no_shortlisted_draw_stays_below_its_tipping_point_the_shortlist_grows():
    """Four draws, a shortlist of two: the two most central (0 and 1) fit and stay below
    on the screen but queue on the check seeds; 2, less central, stays below on both;
    3 fits nowhere and is never checked."""
    exact = {t.name: t.observed for t in calibration.TARGETS}
    first = calibration.TARGETS[0]
    off = {0: 0.0, 1: 0.0, 2: 0.3, 3: 5.0}   # each draw's first statistic, in tolerances
    u = np.full((4, len(calibration.box().names)), 0.5) + np.array(
        [0.0, 0.01, 0.1, 0.2])[:, None]
    last = abc.Generation(1.0, np.arange(4), u, np.array([0.45, 0.45, 0.05, 0.05]),
                          np.zeros(4), 4)
    settings = calibration.Settings(abc.Design(4, 1, 4), 1, 0.1, point=TINY_POINT)
    done, checked = {}, set()

    def stand_in(candidates, scale):
        for c in candidates:
            draw, seed = divmod(c.id - calibration.POINT_ID, 100)
            on_checks = seed >= TINY_POINT.screen_seeds
            queues = draw in (0, 1) and on_checks
            if on_checks:
                checked.add(draw)
            done[c.id] = {f"stat.{n}": v for n, v in exact.items()} | {
                f"stat.{first.name}": first.observed + off[draw] * first.tolerance,
                **{f"queue.{preset}": 3 * regime.QUEUE_LIMIT * queues
                   for preset in regime.REGIMES}, "queued": True}

    point, _ = calibration.checked_point(last, settings, done, stand_in)
    assert point["draw"] == 2 and point["below_tipping"]
    assert checked == {0, 1, 2} and point["shortlist"] == 3


@pytest.mark.slow
def test_the_adopted_point_is_the_posterior_draw_that_fits_best_on_seeds_of_its_own(tmp_path,
                                                                                     whole):
    cal = whole
    point = cal.point
    draw = cal.posterior().set_index("run_id").loc[point["draw"]]
    assert point["parameters"] == {n: float(f"{draw[n]:.4g}") for n in calibration.priors()}
    assert (point["screened"], point["shortlist"], point["seeds"]) == (6, 2, 2)
    # Its statistics are means over its check seeds, none of them the ABC's own seed.
    assert point["stats"]["admin_share"] != draw["stat.admin_share"]
    assert point["distance"] == pytest.approx(calibration.distance(point["stats"]))
    assert point["worst"] >= point["checked_distance"]   # the largest misfit, not the mean
    assert point["scale"] == 0.1   # the calibration's own size (the full design's: 1)
    assert point["below_tipping"] == (point["queue"] <= regime.QUEUE_LIMIT)
    assert point["fitting_below"] <= point["fitting"] and 0 <= point["tipping_weight"] <= 1
    posterior = cal.posterior().set_index("run_id")
    assert posterior["below_tipping"].equals(posterior["queue"] <= regime.QUEUE_LIMIT)
    summary = calibration.below_tipping_summary(cal)
    assert summary["kept"] + summary["past"] + summary["unjudged"] == pytest.approx(1)
    # the premise judged again with 3% and 10% more arrivals, each draw on its screen seeds
    assert set(summary["at_margins"]) == {"1.03", "1.1"}
    assert all(0 <= share <= 1 for share in summary["at_margins"].values())
    assert set(cal.margins[1.03]) == set(posterior.index)
    assert summary["draws"] == posterior["below_tipping"].sum()
    calibration.write_outputs(cal, tmp_path)
    assert calibration.adopted_point(tmp_path) == point["parameters"]
    report = (tmp_path / "report.md").read_text("utf-8")
    assert f"posterior draw {point['draw']}" in report and "0.1 of the presets' size" in report
    assert "below their tipping point (with 5% more arrivals" in report
    assert "with 3% or 10% more arrivals than the regime instead of 5%" in report


def test_a_draw_whose_overloaded_team_cannot_be_held_is_still_judged_on_its_tipping_point(
        monkeypatch):
    """The tipping point needs only the presets' own regimes: a draw fails pattern 7's
    overloaded team (held at 0.9) mostly because its team tips below that, and leaving
    such draws unjudged hid 12% of the posterior's weight past the tipping point."""
    monkeypatch.setattr(calibration, "_held_arms", lambda *args: None)   # never held
    truth = {name: specs()[name][0] for name in calibration.priors()}
    job = {"parameters": truth, "seed": 1, "scale": 0.1, "queues": True}
    outcome = calibration.evaluate(job)
    assert all(math.isnan(v) for v in outcome["stats"].values())   # no statistic ...
    assert set(outcome["queue"]) == set(regime.REGIMES)             # ... yet judged
    assert all(v >= 0 for v in outcome["queue"].values())
    row = {**{f"regime.{p}": 1.0 for p in regime.REGIMES}, "queued": True}
    assert not calibration._queued(row | {f"queue.{p}": math.nan for p in regime.REGIMES})
    assert calibration._queued(row | {f"queue.{p}": 0.0 for p in regime.REGIMES})
    assert calibration._queued({"regime.care": math.nan, "queued": True})   # not held


def _held_evaluation(parameters: dict[str, float], scale: float) -> dict[str, float]:
    """One candidate's statistics on the first seed whose small teams could be held."""
    for seed in range(1, 11):
        stats = calibration.evaluate({"parameters": parameters, "seed": seed,
                                      "scale": scale})["stats"]
        if all(math.isfinite(value) for value in stats.values()):
            return stats
    raise AssertionError("no seed of ten held the regimes")


@pytest.mark.slow
def test_a_known_answer_calibration_fits_the_models_own_statistics(tmp_path):
    truth = {name: specs()[name][0] for name in calibration.priors()}
    first = _held_evaluation(truth, 0.1)
    with PoolExecutor(workers=2) as pool:
        targets = calibration.synthetic(truth, 0.1, pool)
        settings = calibration.Settings(abc.Design(6, 2, 6), 3, 0.1, targets, truth)
        cal = calibration.run(tmp_path, settings, pool)
    assert [t.name for t in targets] == [t.name for t in calibration.TARGETS]
    assert [t.tolerance for t in targets] == [t.tolerance for t in calibration.TARGETS]
    # The mean of 20 seeds: near one seed's statistics, not the sources' figures.
    assert targets[0].observed == pytest.approx(first["admin_share"], abs=0.03)
    assert [t.observed for t in targets] != [t.observed for t in calibration.TARGETS]
    assert settings.fingerprint() != calibration.Settings(abc.Design(6, 2, 6), 3, 0.1).fingerprint()
    rows = calibration.parameter_rows(cal)
    assert [r["truth"] for r in rows] == list(truth.values())
    assert all(r["covered"] == (r["q05"] <= r["truth"] <= r["q95"]) for r in rows)
    calibration.write_outputs(cal, tmp_path)
    assert "**Known answer.**" in (tmp_path / "report.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_calibrate_quick_survives_kill_9_and_writes_its_report(tmp_path):
    command = [sys.executable, "-m", "experiments", "calibrate", "--quick", "--workers", "2"]
    folder = tmp_path / "cal"
    started = subprocess.Popen([*command, "--out", str(folder)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, cwd=ROOT)
    deadline = time.monotonic() + 120
    while not list((folder / "runs").glob("part-*.parquet")) and time.monotonic() < deadline:
        time.sleep(0.2)
    started.send_signal(signal.SIGKILL)
    started.wait()
    assert list((folder / "runs").glob("part-*.parquet")), "nothing was written as it ran"
    written = len(pd.read_parquet(folder / "runs"))
    finished = subprocess.run([*command, "--out", str(folder)], capture_output=True,
                              text=True, cwd=ROOT, timeout=300)
    assert finished.returncode == 0, finished.stderr
    # It went on from the candidates written before the kill (resuming to the same
    # posterior as an uninterrupted run: test above); each candidate was run once.
    evaluated = pd.read_parquet(folder / "runs")
    assert written > 0 and evaluated["run_id"].is_unique
    report = json.loads((folder / "report.json").read_text())
    candidates = evaluated[evaluated["run_id"] < calibration.POINT_ID]   # not the point's
    assert report["evaluated"] == len(candidates) and report["point"]["seeds"] == 2
    assert {r["target"] for r in report["fitted"]} == {t.name for t in calibration.TARGETS}
    assert {r["target"] for r in report["left_out"]} == {t.name for t in calibration.TARGETS}
    assert report["code_fingerprint"] == provenance.code_fingerprint()
    for figure in ("marginals.png", "pairs.png", "predictive.png"):
        assert (folder / "figures" / figure).stat().st_size > 10_000


@pytest.mark.parametrize("args, problem", [
    (["--workers", "0"], "--workers"), (["--seed", "x"], "--seed"),
    (["--out", "{folder}"], "already holds other files"),
    (["--quick", "--adopt"], "--adopt takes a full calibration's posterior"),
    (["--synthetic", "--adopt"], "not --synthetic's"),
    (["--nope"], "--nope")])
def test_calibrate_refuses_bad_input_in_one_line(tmp_path, capsys, args, problem):
    (tmp_path / "other.txt").write_text("not ours")
    args = [a.format(folder=tmp_path) for a in args]
    assert cli.main(["calibrate", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("verbinding: error: ") and err.count("\n") == 1, err
    assert problem in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.txt"]


def test_the_shipped_posterior_was_made_by_this_code_and_supports_the_defaults():
    """Fails when the model's code changes without a new calibration: run
    ``verbinding calibrate --out scenarios/calibration`` (README, "Calibration")."""
    report = json.loads((SHIPPED / "report.json").read_text(encoding="utf-8"))
    assert report["code_fingerprint"] == provenance.code_fingerprint(), (
        "the model's code changed since the shipped posterior was made: calibrate again")
    posterior = pd.read_parquet(SHIPPED / "posterior.parquet")
    assert math.isclose(posterior["weight"].sum(), 1.0)
    assert calibration.adopted_point(SHIPPED) == {
        name: CALIBRATED[name] for name in calibration.priors()}, (
        "the defaults are not the shipped calibration's adopted point: verbinding calibrate "
        "--adopt")


class _Queue:
    """A stand-in run: its establishment's utilisation as a function of the arrivals."""

    def __init__(self, utilisation_at):
        self.utilisation_at, self.tried = utilisation_at, []

    def simulate(self, overrides, seed, records):
        self.tried.append(overrides["arrivals_per_week"] / 10.0)   # the factor run
        return overrides["arrivals_per_week"]

    def utilisation(self, arrivals, p):
        return self.utilisation_at(arrivals / 10.0)


@pytest.mark.parametrize("utilisation_at, reached", [
    (lambda f: 0.1 + 0.5 * f, True),                       # Little's law, exactly
    (lambda f: 0.1 + 0.8 * f if f < 0.9 else 3.0, True),    # past capacity at first
    (lambda f: 0.1 + 0.5 * f + 40 * max(f - 1.25, 0.0) ** 2, True),  # steep past it
    (lambda f: 0.1 + 5.0 * f, False),                      # needs fewer than a third
])
def test_the_regime_is_found_by_pilots_within_bounds_or_not_at_all(
        monkeypatch, utilisation_at, reached):
    queue = _Queue(utilisation_at)
    monkeypatch.setattr(regime, "simulate", queue.simulate)
    monkeypatch.setattr(regime, "establishment_utilisation", queue.utilisation)
    monkeypatch.setattr(regime, "hours_needed", lambda clients, posts, p: 3.6 * posts)
    found = regime.regime_factor({"arrivals_per_week": 10.0, "professionals": 1}, [1], 0.75)
    assert len(queue.tried) <= regime.REGIME_PILOTS
    if reached:
        assert abs(found.utilisation - 0.75) <= regime.REGIME_TOLERANCE
        assert found.factor == pytest.approx(queue.tried[-1])  # the closest: the last
    else:
        assert math.isnan(found.factor)
        assert queue.tried[-1] == regime.REGIME_FACTORS[0]   # the bound was tried


#: Near the tipping point one run's planned utilisation varies by about 0.03 (sd over 20
#: seeds at the hold's factor, 2026-12-03): the hold needs as many seeds as the
#: validation's replicates (10) for its mean to carry over to other seeds; three, as
#: here before, found a factor that gave 0.88 on its pilots and 0.94 on 20 others.
HOLD_SEEDS = tuple(range(1, 11))


def test_an_overloaded_team_is_held_at_its_planned_utilisation_with_its_clients_shared():
    from experiments.validation import LEVERS

    caseload_cut = next(p for p in LEVERS if p.number == "L1")
    arms = {label: overrides for label, (_, overrides) in caseload_cut.arms(0.2).items()}
    held, found = regime.held_arms(arms, caseload_cut.hold, HOLD_SEEDS)
    assert abs(found.utilisation - regime.OVERLOADED) <= regime.REGIME_TOLERANCE
    # The same clients for both teams, no more than the preset's for a fifth fewer staff
    # (which plan above 0.9 of their hours, or already within the tolerance of it).
    assert held["base"]["arrivals_per_week"] == held["lever"]["arrivals_per_week"]
    assert held["base"]["arrivals_per_week"] <= arms["base"]["arrivals_per_week"]
    assert held["base"]["professionals"] < held["lever"]["professionals"]
    # On seeds other than the pilots', the team plans about that share of its hours
    # (within three to four standard errors of a mean of ten).
    p = Parameters.from_mapping(held["base"])
    planned = [regime.establishment_utilisation(runner.simulate(
        {**held["base"], **regime.FULL_TEAM}, seed, records=False), p) for seed in CHECK_SEEDS]
    assert np.mean(planned) == pytest.approx(regime.OVERLOADED, abs=0.03)


def test_pilots_run_on_seeds_of_their_own_that_follow_from_the_runs():
    assert regime.pilot_seeds([1, 2]) == regime.pilot_seeds([1, 2])
    assert not set(regime.pilot_seeds(range(100))) & set(range(100))


#: Seeds other than the adoption's own (calibration.ADOPT_SEEDS): an out-of-sample check.
CHECK_SEEDS = tuple(range(11, 21))


def _mean_and_error(values: list[float]) -> tuple[float, float]:
    return float(np.mean(values)), float(np.std(values, ddof=1) / np.sqrt(len(values)))


@pytest.mark.parametrize("preset", sorted(regime.REGIMES))
def test_each_preset_sits_at_its_stated_utilisation(preset):
    """Fails when the parameters change without the presets' arrivals following them
    (``verbinding calibrate --adopt`` sets both)."""
    scenario = scenarios.load(preset)
    p = scenario.parameters()
    planned = {**scenario.overrides, **regime.FULL_TEAM}   # the team kept whole
    used, error = _mean_and_error([regime.establishment_utilisation(
        runner.simulate(planned, seed, records=False), p) for seed in CHECK_SEEDS])
    # Adoption put its own seeds' mean within ADOPT_TOLERANCE; two means of ten seeds
    # differ by chance with about sqrt(2) times one's standard error.
    assert abs(used - regime.REGIMES[preset]) < (calibration.ADOPT_TOLERANCE
                                                 + 3 * math.sqrt(2) * error)


@pytest.mark.parametrize("preset", sorted(regime.REGIMES))
def test_each_preset_stays_below_its_tipping_point(preset):
    """With 5% more arrivals than planned, and burnout and quitting running, the team
    still queues no more than one client per hundred places: the point search chose
    defaults at which the regimes' assumption holds (on seeds of its own, not these)."""
    scenario = scenarios.load(preset)
    p = scenario.parameters()
    busier = regime.with_arrivals_factor(scenario.overrides, regime.TIPPING_MARGIN)
    queue, error = _mean_and_error([regime.queue_share(
        runner.simulate(busier, seed, records=False), p) for seed in CHECK_SEEDS])
    assert queue <= regime.QUEUE_LIMIT + 3 * error


@pytest.mark.parametrize("figure", calibration.PRESET_FIGURES,
                         ids=lambda f: f"{f.preset}-{f.parameter}")
def test_each_preset_figure_meets_its_source_with_the_defaults(figure):
    overrides = scenarios.load(figure.preset).overrides
    got, error = _mean_and_error([runner.simulate(overrides, seed, records=False).metrics[
        figure.metric] for seed in CHECK_SEEDS])
    # Adoption met the target within its tolerance on ten seeds of its own; two means of
    # ten seeds each differ by chance with about sqrt(2) times one's standard error
    # (burnout is lumpy: a team that tips on one seed moves its mean by a point or two;
    # education's burnout missed 3 standard errors by 0.0005 on 4 December).
    assert abs(got - figure.target) < figure.tolerance + 3 * math.sqrt(2) * error


def _figures_that_move_each_other(need_gain: float, stress_gain: float):
    """A stand-in for :func:`calibration.fit_figure`: each figure's answer moves with the
    other's parameter (``need_hours = 100 + need_gain * stress_base``, ``stress_base =
    0.9 - stress_gain * need_hours / 1000``, kept within 0..1); the start value when it
    already holds."""
    def fit(overrides, figure):
        p = Parameters.from_mapping(overrides)
        want = (100 + need_gain * p.stress_base if figure.parameter == "need_hours"
                else min(max(0.9 - stress_gain * p.need_hours / 1000, 0.0), 1.0))
        have = getattr(p, figure.parameter)
        return have if abs(have - want) < 1e-3 else round(want, 3)
    return fit


def test_the_presets_figures_are_fitted_in_turn_until_all_hold_at_once(monkeypatch):
    point = calibration.adopted_point(SHIPPED)
    monkeypatch.setattr(calibration, "fit_figure", _figures_that_move_each_other(50, 1))
    values = {"education": {}}
    calibration._fit_figures(point, values, scenarios.SCENARIO_DIR)
    need, stress = values["education"]["need_hours"], values["education"]["stress_base"]
    assert need == pytest.approx(100 + 50 * stress, abs=1e-3)      # both hold at once:
    assert stress == pytest.approx(0.9 - need / 1000, abs=1e-3)    # n = 138.1, s = 0.762
    # Figures that push each other away never settle: adoption stops and says so.
    monkeypatch.setattr(calibration, "fit_figure", _figures_that_move_each_other(200, 4))
    with pytest.raises(ValueError, match="did not hold all at once"):
        calibration._fit_figures(point, {"education": {}}, scenarios.SCENARIO_DIR)


def test_the_point_search_keeps_one_range_of_ids_per_size_it_runs_at():
    assert calibration.point_ids(0.2, 0.2) == calibration.POINT_ID
    assert calibration.point_ids(1.0, 0.2) == 2 * calibration.POINT_ID
    with pytest.raises(ValueError, match="no ids of its own"):
        calibration.point_ids(0.5, 0.2)


def test_adopting_writes_the_point_and_what_holds_the_presets_to_their_sources(
        tmp_path, monkeypatch):
    calibrated = tmp_path / "calibrated.toml"
    presets = list(dict.fromkeys([*regime.REGIMES,
                                  *(f.preset for f in calibration.PRESET_FIGURES)]))
    for preset in presets:
        shutil.copy(scenarios.SCENARIO_DIR / f"{preset}.toml", tmp_path)
    monkeypatch.setattr(calibration, "ADOPT_SEEDS", (1, 2))   # quicker, rougher
    monkeypatch.setattr(calibration, "ADOPT_TOLERANCE", 0.03)
    written = calibration.adopt(SHIPPED, calibrated, tmp_path)
    assert written == [calibrated, *(tmp_path / f"{p}.toml" for p in presets)]
    adopted = tomllib.loads(calibrated.read_text(encoding="utf-8"))
    point = calibration.adopted_point(SHIPPED)
    assert {name: adopted[name] for name in point} == point
    changed = {preset: ["arrivals_per_week"] for preset in regime.REGIMES}
    for figure in calibration.PRESET_FIGURES:
        changed.setdefault(figure.preset, []).append(figure.parameter)
    for preset, names in changed.items():
        text = (tmp_path / f"{preset}.toml").read_text(encoding="utf-8")
        original = (scenarios.SCENARIO_DIR / f"{preset}.toml").read_text(encoding="utf-8")
        new, shipped = (scenarios.load(tmp_path / f"{preset}.toml").overrides,
                        scenarios.load(preset).overrides)
        # Only those lines change, to about what the shipped presets have (ten seeds).
        for name in names:
            text = text.replace(f"{name} = {new[name]!r}", "")
            original = re.sub(rf"{name} = [0-9.]+", "", original)
            assert new[name] == pytest.approx(shipped[name], rel=0.05), (preset, name)
        assert text == original
    assert adopted["arrivals_per_week"] == scenarios.load(
        tmp_path / "care.toml").overrides["arrivals_per_week"]


EDITS = {"none": lambda text: text,
         "a comment": lambda text: text + "# a comment\n",
         "a docstring": lambda text: text.replace('"""', '"""Reworded. ', 1),
         "code": lambda text: text + "X = 1\n"}


def test_a_comment_or_docstring_does_not_change_the_code_fingerprint(tmp_path, monkeypatch):
    for path in sorted(provenance.MODEL_DIR.glob("*.py")):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(provenance, "MODEL_DIR", tmp_path)
    source = tmp_path / "mechanisms.py"
    original = source.read_text(encoding="utf-8")
    fingerprints = {}
    for name, edit in EDITS.items():
        source.write_text(edit(original), encoding="utf-8")
        provenance.code_fingerprint.cache_clear()
        fingerprints[name] = provenance.code_fingerprint()
    provenance.code_fingerprint.cache_clear()
    assert fingerprints["none"] == fingerprints["a comment"] == fingerprints["a docstring"]
    assert fingerprints["code"] != fingerprints["none"]
