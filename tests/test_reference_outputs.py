"""Every preset still gives the outputs of the reference model, run for run.

The reference is the model as revised by the science issue; speed work must not change
what a seed gives. Each preset runs at a tenth of its size with a fixed seed, and its
metrics, weekly figures and records are compared with ``data/reference_outputs.json``
(to 1e-9 relative: the same run, whatever the machine's last bits of ``exp``).

A change meant to change results (a new mechanism, a recalibration) writes a new
reference, with its reason in the commit::

    python -m tests.test_reference_outputs
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from experiments.runner import CLIENT_COLUMNS, PROFESSIONAL_COLUMNS, simulate
from experiments.scenarios import available, load_shipped

REFERENCE = Path(__file__).parent / "data" / "reference_outputs.json"
SEED = 11


def fingerprint(scenario: str) -> dict[str, float]:
    """A run's outputs, summed so that any change shows: metrics, weekly figures, records."""
    p = load_shipped(scenario).parameters()
    overrides = {**load_shipped(scenario).overrides,
                 "professionals": max(2, p.professionals // 10),
                 "arrivals_per_week": p.arrivals_per_week / 10,
                 "weeks": 3 * p.school_year_weeks or 156}
    run = simulate(overrides, seed=SEED)
    found = {f"metric {name}": value for name, value in run.metrics.items()}
    for name, values in run.weekly.items():
        weeks = np.arange(1, len(values) + 1)
        values = np.nan_to_num(np.asarray(values, float))  # no mean bond over nobody
        found[f"weekly {name}"] = float(np.sum(values))
        found[f"weekly {name} by week"] = float(np.dot(weeks, values))
    for kind, columns, rows in (("client", ("id", *CLIENT_COLUMNS), run.clients),
                                ("professional", ("id", *PROFESSIONAL_COLUMNS),
                                 run.professionals)):
        for name, column in zip(columns, zip(*rows, strict=True), strict=True):
            if isinstance(column[0], str):
                found.update({f"{kind} {name} {text}": column.count(text)
                              for text in set(column)})
            else:
                found[f"{kind} {name}"] = float(np.nansum(
                    [math.nan if v is None else v for v in column]))
    return found


@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads(REFERENCE.read_text())


@pytest.mark.parametrize("scenario", available())
def test_each_shipped_scenario_gives_the_reference_outputs(scenario, reference):
    assert fingerprint(scenario) == pytest.approx(reference[scenario], rel=1e-9, nan_ok=True)


if __name__ == "__main__":
    REFERENCE.write_text(json.dumps({name: fingerprint(name) for name in available()},
                                    indent=1, sort_keys=True) + "\n")
    print(f"wrote {REFERENCE}")
