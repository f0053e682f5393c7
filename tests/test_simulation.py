"""The arrays-only runs (:class:`model.Simulation`) are the Mesa model's runs, week for week.

Sweeps, sensitivity analyses and calibration run without agents; what they report must be
what the Mesa model, the reference, gives for the same seed: the same weekly figures,
client records and metrics, to the last bit, for every shipped scenario.
"""

import math
import pickle

import numpy as np
import pytest

from experiments.scenarios import available, load_shipped
from model import Simulation, VerbindingModel, kernels
from model.metrics import summarise


def same(a, b) -> bool:
    """Equal to the last bit, NaN equal to NaN."""
    return a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b))


def assert_same_run(overrides: dict, seed: int) -> None:
    model = VerbindingModel(rng=seed, **overrides).run()
    arrays = Simulation.create(rng=seed, **overrides).run()
    assert model.weekly.keys() == arrays.weekly.keys()
    for name, values in model.weekly.items():
        assert len(values) == len(arrays.weekly[name])
        assert all(same(a, b) and type(a) is type(b)
                   for a, b in zip(values, arrays.weekly[name], strict=True)), name
    records, array_records = model.clients.final_records(), arrays.clients.final_records()
    for name, column in records.items():
        np.testing.assert_array_equal(column, array_records[name], err_msg=name)
    assert all(same(a, b) for a, b in zip(summarise(model).values(),
                                            summarise(arrays).values(), strict=True))


@pytest.mark.parametrize("scenario", available())
def test_every_shipped_scenario_runs_the_same_without_agents(scenario):
    shipped = load_shipped(scenario)
    p = shipped.parameters()
    overrides = {**shipped.run_overrides(), "professionals": max(2, p.professionals // 10),
                 "arrivals_per_week": p.arrivals_per_week / 10,
                 "weeks": 2 * p.school_year_weeks or 104}
    assert_same_run(overrides, seed=5)


def test_events_and_a_growing_client_table_run_the_same_without_agents():
    """Arrivals tripled mid-run outgrow the records sized for the scenario's own arrivals,
    a week of 1,500 arrivals outgrows the live table, and a team cut then regrown hands
    clients over and hires: all as in the Mesa model."""
    events = [{"week": 5, "until": 40, "parameters": {"arrivals_per_week": 30.0}},
              {"week": 20, "until": 30, "parameters": {"professionals": 6}},
              {"week": 45, "until": 46, "parameters": {"arrivals_per_week": 1500.0}}]
    assert_same_run({"professionals": 10, "arrivals_per_week": 10.0, "warmup_weeks": 10,
                     "weeks": 60, "events": events}, seed=3)


def test_a_simulation_repeats_from_its_seed_and_says_which_it_was():
    first = Simulation.create(rng="42", professionals=5, arrivals_per_week=5.0, weeks=30).run()
    again = Simulation.create(rng=42, professionals=5, arrivals_per_week=5.0, weeks=30).run()
    assert first.seed == 42
    np.testing.assert_equal(first.weekly, again.weekly)  # NaN (a mean over nobody) equal too


def test_the_compiled_permutation_draws_what_numpy_draws():
    for n in (1, 2, 7, 100, 1000):
        for seed in range(5):
            ours, numpys = np.random.default_rng(seed), np.random.default_rng(seed)
            assert np.array_equal(kernels.permutation(n, ours), numpys.permutation(n))
            assert ours.random() == numpys.random()  # and leaves the generator where numpy does


def test_a_model_pickled_mid_run_goes_on_as_the_original():
    model = VerbindingModel(rng=4, professionals=6, arrivals_per_week=6.0, weeks=30)
    for _ in range(20):
        model.step()
    copy = pickle.loads(pickle.dumps(model))
    model.run()
    copy.run()
    assert copy.weekly["in_care"] == model.weekly["in_care"]
    assert copy.weekly["mean_stress"] == model.weekly["mean_stress"]


def test_a_pickled_model_takes_writes_through_its_agents():
    model = VerbindingModel(rng=4, professionals=6, arrivals_per_week=6.0, weeks=30)
    for _ in range(10):
        model.step()
    assert len(model.clients.live["bond"]) == len(model.clients)  # the views exist
    copy = pickle.loads(pickle.dumps(model))
    client = next(c for c in copy.agents if getattr(c, "status", None) == "in_care")
    client.bond = 0.95
    assert copy.clients.buffers().bond[copy.clients.row_of(client.serial)] == 0.95


def test_clients_handed_over_by_a_change_between_steps_count_in_the_next_week():
    model = VerbindingModel(rng=4, professionals=8, arrivals_per_week=8.0, weeks=30)
    for _ in range(20):
        model.step()
    live = model.clients.live
    on_closing_posts = int(((live["status"] == 1) & (live["post"] >= 5)).sum())
    model.change(professionals=5)
    model.step()
    assert on_closing_posts > 0 and model.handovers >= on_closing_posts
