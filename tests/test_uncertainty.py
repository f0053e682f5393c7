"""Policy effects with parameter uncertainty: ``verbinding compare --posterior``."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from experiments import uncertainty
from experiments.calibration import priors
from experiments.output import OutputError

ROOT = Path(__file__).resolve().parent.parent


finite = st.floats(-1e3, 1e3, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(finite, min_size=2, max_size=30), st.lists(finite, min_size=2, max_size=30))
def test_the_interval_from_all_uncertainty_is_never_narrower_than_noise_alone(draws, noise):
    noise = (noise * 30)[:len(draws)]
    combined = uncertainty.combine(draws, noise)
    width = combined["ci95"][1] - combined["ci95"][0]
    noise_width = combined["ci95_noise"][1] - combined["ci95_noise"][0]
    assert width >= noise_width - 1e-9 * max(1.0, abs(noise_width))
    assert 0.0 <= combined["unknown_share"] <= 1.0


def test_the_share_of_what_the_model_does_not_know_is_measured_not_assumed():
    rng = np.random.default_rng(4)
    effects = rng.normal(0.1, 1.0, 400)        # the effect differs by parameter draw
    noise = rng.normal(0.0, 0.1, 400)
    unsure = uncertainty.combine(effects + noise, noise + 0.1)
    assert unsure["unknown_share"] > 0.99
    low, high = unsure["ci95"]
    assert low < -1.5 and high > 1.6            # about the effects' own 95% range
    sure = uncertainty.combine(noise + 0.1, rng.normal(0.1, 0.1, 400))
    assert sure["unknown_share"] < 0.5          # the draws add nothing but noise


def test_draws_follow_the_weights_and_the_seed(stand_in_posterior):
    posterior = stand_in_posterior.iloc[:3].copy()
    posterior["weight"] = [0.0, 1.0, 0.0]
    picked = uncertainty.draws(posterior, 5, seed=9)
    name = next(iter(priors()))
    assert {d[name] for d in picked} == {posterior[name].iloc[1]}
    spread = stand_in_posterior
    assert uncertainty.draws(spread, 6, 1) == uncertainty.draws(spread, 6, 1)
    assert uncertainty.draws(spread, 6, 1) != uncertainty.draws(spread, 6, 2)


@pytest.mark.parametrize("damage, message", [
    (lambda f: f.drop(columns=["weight"]), "no column weight"),
    (lambda f: f.assign(weight=-1.0), "not negative"),
    (lambda f: f.iloc[:0], "at least one draw"),
    (lambda f: f.assign(need_hours=1e6), "need_hours outside its prior's range"),
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
    refused = subprocess.run(
        [sys.executable, "-m", "experiments", "compare", "care", "care-standardised",
         "--replicates", "1", "--posterior", str(path)], capture_output=True, text=True,
        cwd=ROOT)
    assert refused.returncode == 2 and "at least 2" in refused.stderr
