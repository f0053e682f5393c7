"""Policy effects with parameter uncertainty: ``verbinding compare --posterior``."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from experiments import compare, regime, scenarios, uncertainty
from experiments.calibration import priors
from experiments.output import OutputError
from experiments.replicates import with_draw

ROOT = Path(__file__).resolve().parent.parent


finite = st.floats(-1e3, 1e3, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(finite, finite), min_size=2, max_size=60))
def test_the_interval_from_all_uncertainty_holds_the_one_from_chance(pairs):
    first, second = zip(*pairs, strict=True)
    combined = uncertainty.combine(list(first), list(second))
    (low, high), (noise_low, noise_high) = combined["ci95"], combined["ci95_noise"]
    assert low <= noise_low + 1e-9 * (1 + abs(noise_low))
    assert high >= noise_high - 1e-9 * (1 + abs(noise_high))
    assert 0.0 <= combined["unknown_share"] <= 1.0


def experiment(rng, draws, spread, noise, effect=0.1):
    """Two runs of each draw: the effect differs by draw (``spread``), runs by ``noise``."""
    truth = rng.normal(effect, spread, draws)
    return truth + rng.normal(0, noise, draws), truth + rng.normal(0, noise, draws)


def test_the_interval_covers_the_effect_wherever_in_the_posterior_the_truth_lies():
    """Known answer: the true effect is one more draw; ci95 holds it about 95% of the time."""
    rng = np.random.default_rng(4)
    for spread, noise, replicates in ((1.0, 0.3, 10), (1.0, 0.3, 30), (0.3, 1.0, 10),
                                      (0.0, 1.0, 30), (1.0, 0.3, 40), (0.3, 1.0, 60)):
        covered = []
        for _ in range(400):
            combined = uncertainty.combine(*experiment(rng, replicates, spread, noise))
            truth = rng.normal(0.1, spread)
            covered.append(combined["ci95"][0] <= truth <= combined["ci95"][1])
        assert np.mean(covered) >= 0.92, (spread, noise, np.mean(covered))
        if noise < spread:   # where the parameters dominate, no wider than it must be
            assert np.mean(covered) <= 0.975, (spread, noise, np.mean(covered))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(finite, finite), min_size=uncertainty.FREE_DRAWS, max_size=80))
def test_with_enough_draws_the_interval_stays_where_the_draws_effects_are(pairs):
    first, second = (np.array(runs) for runs in zip(*pairs, strict=True))
    combined = uncertainty.combine(list(first), list(second))
    effects, (noise_low, noise_high) = (first + second) / 2, combined["ci95_noise"]
    low, high = combined["ci95"]
    assert low >= min(effects.min(), noise_low) - 1e-9 * (1 + abs(low))
    assert high <= max(effects.max(), noise_high) + 1e-9 * (1 + abs(high))


@pytest.mark.parametrize(("draws", "method", "coverage"), [
    (20, "t", 0.95),            # too few for order statistics: t, if effects are normal
    (39, "draws", 38 / 40),     # the smallest and largest of 39
    (40, "draws", 39 / 41),     # the default's
    (79, "draws", 76 / 80),     # the second smallest and second largest
])
def test_each_interval_says_how_it_was_made_and_how_often_it_holds_one_more_draw(
        draws, method, coverage):
    rng = np.random.default_rng(draws)
    combined = uncertainty.combine(*experiment(rng, draws, spread=1.0, noise=0.1))
    assert combined["ci95_method"] == method
    assert combined["ci95_coverage"] == pytest.approx(coverage)


def test_a_skewed_effect_gets_a_skewed_interval_that_still_covers_it():
    """Known answer: effects of one sign, most small, a few large (lognormal over draws).

    With 40 draws the interval is read off their effects: it holds one more draw's
    effect about 95% of the time, and never reaches the other sign, where a symmetric
    interval about the mean would (as it did before, with 20 draws).
    """
    rng = np.random.default_rng(6)
    covered, crossed = [], []
    for _ in range(400):
        truth = -rng.lognormal(-2.0, 1.0, 40)                # every draw's effect a fall
        combined = uncertainty.combine(list(truth + rng.normal(0, 0.01, 40)),
                                       list(truth + rng.normal(0, 0.01, 40)))
        again = -rng.lognormal(-2.0, 1.0)
        covered.append(combined["ci95"][0] <= again <= combined["ci95"][1])
        crossed.append(combined["ci95"][1] > 0.05)
    assert 0.93 <= np.mean(covered) <= 0.98, np.mean(covered)
    assert not any(crossed)
    symmetric = uncertainty.combine(list(truth[:20]), list(truth[:20]))
    assert symmetric["ci95"][1] > 0   # fewer draws: the normal-theory interval crosses


def test_the_share_of_what_the_model_does_not_know_is_measured_not_assumed():
    rng = np.random.default_rng(5)
    unsure = uncertainty.combine(*experiment(rng, 400, spread=1.0, noise=0.1))
    assert unsure["unknown_share"] > 0.98
    assert unsure["ci95"][0] < -1.6 and unsure["ci95"][1] > 1.7   # the effects' own range
    half = uncertainty.combine(*experiment(rng, 400, spread=0.5, noise=0.5 * 2 ** 0.5))
    assert 0.35 < half["unknown_share"] < 0.65   # equal parts in a draw's two-run mean
    sure = [uncertainty.combine(*experiment(rng, 20, spread=0.0, noise=1.0))["unknown_share"]
            for _ in range(200)]
    assert np.median(sure) < 0.1 and np.mean(sure) < 0.2   # no spread over draws


def test_a_difference_says_in_how_many_parameter_sets_it_went_each_way():
    """A policy maker reads "lower in 37 of 40 parameter sets" where an interval that
    just reaches zero says only "not clearly different"."""
    first = [-3.0] * 37 + [1.0, 2.0, 0.0]
    second = [-2.0] * 37 + [1.0, 1.0, 0.0]   # each draw's effect: the mean of its two runs
    combined = uncertainty.combine(first, second)
    assert (combined["draws"], combined["draws_lower"], combined["draws_higher"]) == (40, 37, 2)
    assert compare.in_words("goal_share", 10.0, combined).endswith(
        "lower in 37 of 40 parameter sets")
    noise_only = {"mean": -1.0, "ci95": [-2.0, -0.5]}   # without a posterior: no count
    assert "parameter sets" not in compare.in_words("goal_share", 10.0, noise_only)


def test_draws_follow_the_weights_and_the_seed(stand_in_posterior):
    posterior = stand_in_posterior.iloc[:3].copy()
    posterior["weight"] = [0.0, 1.0, 0.0]
    picked = uncertainty.draws(posterior, 5, seed=9)
    name = next(iter(priors()))
    assert {d["parameters"][name] for d in picked} == {posterior[name].iloc[1]}
    care = scenarios.load("care").parameters().arrivals_per_week   # as held, over today's
    assert {d["arrivals_factor"]["care"] for d in picked} == {
        posterior["arrivals.care"].iloc[1] / care}
    spread = stand_in_posterior
    assert uncertainty.draws(spread, 6, 1) == uncertainty.draws(spread, 6, 1)
    assert uncertainty.draws(spread, 6, 1) != uncertainty.draws(spread, 6, 2)


def test_draws_past_the_presets_tipping_point_are_left_out_unless_every_draw_is_asked(
        tmp_path, stand_in_posterior):
    """The presets are busy teams below their tipping point: a draw that puts one past
    it names another organisation, and gets no weight unless asked for (a sensitivity)."""
    path = tmp_path / "posterior.parquet"
    below = np.arange(len(stand_in_posterior)) % 4 == 0    # 13 of 50 equal weights
    stand_in_posterior.assign(below_tipping=below).to_parquet(path)
    conditioned = uncertainty.load(path)
    assert uncertainty.kept_share(conditioned) == pytest.approx(0.26)
    name = next(iter(priors()))
    drawn = {d["parameters"][name] for d in uncertainty.draws(conditioned, 40, seed=3)}
    assert drawn <= set(stand_in_posterior[name][below])
    whole = uncertainty.load(path, every_draw=True)
    assert uncertainty.kept_share(whole) is None
    assert whole["weight"].equals(stand_in_posterior["weight"])
    assert drawn != {d["parameters"][name] for d in uncertainty.draws(whole, 40, seed=3)}
    assert "26% of the posterior's weight" in uncertainty.draws_in_words(conditioned)
    stand_in_posterior.to_parquet(path)   # an older calibration's, not judged: whole
    assert uncertainty.kept_share(uncertainty.load(path)) is None
    stand_in_posterior.assign(weight_whole=100.0).to_parquet(path)   # a file's own: ignored
    assert uncertainty.kept_share(uncertainty.load(path)) is None
    stand_in_posterior.assign(below_tipping=False).to_parquet(path)
    with pytest.raises(OutputError, match="no draw keeps the presets below their tipping "
                                          "point; add --every-draw"):
        uncertainty.load(path)
    assert len(uncertainty.load(path, every_draw=True)) == len(stand_in_posterior)


def test_the_shipped_posterior_says_which_draws_stay_below_the_tipping_point():
    shipped = uncertainty.load(uncertainty.SHIPPED, every_draw=True)
    assert shipped["below_tipping"].any() and not shipped["below_tipping"].all()
    assert (shipped["queue"][shipped["below_tipping"]] <= regime.QUEUE_LIMIT).all()
    report = json.loads((uncertainty.SHIPPED.parent / "report.json").read_text("utf-8"))
    assert uncertainty.kept_share(uncertainty.load(uncertainty.SHIPPED)) == pytest.approx(
        report["below_tipping"]["kept"])


@pytest.mark.parametrize("damage, message", [
    (lambda f: f.drop(columns=["weight"]), "no column weight"),
    (lambda f: f.assign(weight=-1.0), "not negative"),
    (lambda f: f.iloc[:0], "at least one draw"),
    (lambda f: f.assign(need_hours=1e6), "need_hours outside its prior's range"),
    (lambda f: f.assign(weight="heavy"), "finite numbers"),
    (lambda f: f.drop(columns=["arrivals.care"]), "no column arrivals.care"),
    (lambda f: f.assign(**{"arrivals.work": -1.0}), "arrivals.work must be above 0"),
    (lambda f: f.assign(below_tipping="no"), "below_tipping must be true or false"),
    (lambda f: f.assign(below_tipping=True, queue=0.5), "below_tipping disagrees with queue"),
])
def test_a_bad_posterior_file_is_refused_in_one_line(tmp_path, damage, message,
                                                     stand_in_posterior):
    path = tmp_path / "posterior.parquet"
    damage(stand_in_posterior).to_parquet(path)
    with pytest.raises(OutputError, match=message):
        uncertainty.load(path)
    (tmp_path / "not.parquet").write_text("<script>")
    with pytest.raises(OutputError, match="cannot be read"):
        uncertainty.load(tmp_path / "not.parquet")
    with pytest.raises(OutputError, match="no such file"):
        uncertainty.load(tmp_path / "missing.parquet")


def test_a_draw_holds_each_scenario_at_its_presets_regime():
    draw = {"parameters": {"need_hours": 9.0, "bond_weight": 0.5},
            "arrivals_factor": {"care": 1.2, "work": 0.9}}
    surge = {"week": 10, "parameters": {"arrivals_per_week": 150.0}}
    care = scenarios.load("care-high-caseload").with_events(surge)
    held = with_draw(care, draw)
    assert held["need_hours"] == 9.0 and held["bond_weight"] == 0.5
    assert held["arrivals_per_week"] == pytest.approx(1.2 * care.parameters().arrivals_per_week)
    assert held["events"][0]["parameters"]["arrivals_per_week"] == pytest.approx(180.0)
    own = scenarios.load("work").overrides
    work = with_draw(scenarios.load("work"), draw)
    assert work["need_hours"] == own["need_hours"]   # the preset's own figure stays
    assert work["arrivals_per_week"] == pytest.approx(0.9 * own["arrivals_per_week"])
    pupils = with_draw(scenarios.load("education"), draw)   # a count of pupils: as it is
    assert pupils["arrivals_per_week"] == scenarios.load("education").overrides[
        "arrivals_per_week"]


def test_a_calibration_folder_stands_for_its_posterior(tmp_path, stand_in_posterior):
    stand_in_posterior.to_parquet(tmp_path / "posterior.parquet")
    assert len(uncertainty.load(tmp_path)) == len(stand_in_posterior)


def test_compare_with_a_posterior_reports_both_intervals(tmp_path, stand_in_posterior):
    path = tmp_path / "posterior.parquet"
    stand_in_posterior.to_parquet(path)
    small = ["--set", "professionals=4", "--set", "arrivals_per_week=5", "--weeks", "52",
             "--set", "warmup_weeks=20"]
    result = subprocess.run(
        [sys.executable, "-m", "experiments", "compare", "care", "care-standardised",
         "--replicates", "3", "--seed", "2", "--posterior", str(path), "--json", *small],
        capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["posterior"] is True
    diff = data["scenarios"][1]["diff"]["mean_bond"]
    assert diff["ci95"][1] - diff["ci95"][0] >= diff["ci95_noise"][1] - diff["ci95_noise"][0]
    assert 0 <= diff["unknown_share"] <= 1
    # the values shown are over the same runs as the differences: they agree
    base, other = (entry["metrics"] for entry in data["scenarios"])
    for name, d in data["scenarios"][1]["diff"].items():
        if d["mean"] is not None:
            assert other[name]["mean"] - base[name]["mean"] == pytest.approx(d["mean"],
                                                                             abs=1e-9)
    refused = subprocess.run(
        [sys.executable, "-m", "experiments", "compare", "care", "care-standardised",
         "--replicates", "1", "--posterior", str(path)], capture_output=True, text=True,
        cwd=ROOT)
    assert refused.returncode == 2 and "at least 2" in refused.stderr
    enough = subprocess.run(
        [sys.executable, "-m", "experiments", "compare", "care", "care-standardised",
         "--seed", "2", "--posterior", str(path), "--json", *small],
        capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert json.loads(enough.stdout)["scenarios"][1]["replicates"] == \
        uncertainty.POSTERIOR_REPLICATES >= uncertainty.FREE_DRAWS


def test_validating_over_a_posterior_of_the_defaults_alone_is_validating_the_defaults():
    """Each check holds in a draw at the defaults (its arrivals the presets') exactly
    when ``validate`` finds it holds on the same replicate; an overloaded arm included."""
    from experiments.validation import CHECKS, defaults_as_posterior, posterior_shares, validate

    checks = tuple(p for p in CHECKS if p.number in (1, 7, "L1", "L4"))
    shares = posterior_shares(defaults_as_posterior(), 1, seed=5, scale=0.1, workers=1,
                              checks=checks)
    verdicts = validate(1, 5, 0.1, 1, patterns=checks)[0]
    assert shares == {p.number: (float(result.passed), 1) for p, result in verdicts}
