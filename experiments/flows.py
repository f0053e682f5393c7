"""A register's flows, measured as the sources on job seekers measure them.

Sources on unemployment and social assistance count flows in different ways, and a
figure is only comparable with the same count in the model
(``docs/proposals/work-flows.md``, section 8):

- **A year's exits over the stock** (Divosa's benchmark: 23.4-26% of the register leaves
  in a year): exits in the reported weeks, per year, over the mean number on the books
  (waiting or in care). :func:`yearly_flows`.
- **A cohort from the stock** (CBS: 7.3% of those on assistance at the end of 2012 found
  a job in 2013): of those on the books when a year begins, the share who reach the goal
  within it; newcomers during the year are left out. :func:`stock_cohort_to_goal`.
- **An inflow cohort followed for a year** (Böheim et al. 2023, Table 3: of those
  registering, 31.1% employed and 22.0% out of the labour force within a year, 53.0%
  gone for any reason): :func:`within_a_year`.
- **Exits by time on the books** (CBS 2008: 22% a year of those on assistance under a
  year leave, 8% of those on it over three years): of those on the books as a year
  begins, by the time they have been on them, the share leaving for any reason within
  it. :func:`exits_by_duration`.
- **Little's law** ties the stock, the arrivals and the mean spell together at a steady
  state: :func:`little_spell_weeks` is the spell the stock and arrivals imply, to hold
  against the measured one (a gap says the run has not settled, or the window cuts long
  spells).

Every function takes a run with its client records (``simulate(..., records=True)``);
weeks are reported weeks, the warm-up's are 0 and below.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.runner import CLIENT_COLUMNS, RunOutput

#: Weeks in a year, as the sources' yearly figures count them.
YEAR = 52


def client_records(run: RunOutput) -> pd.DataFrame:
    """The run's per-client records as a table (reported weeks; the warm-up is <= 0)."""
    return pd.DataFrame(run.clients, columns=("client_id", *CLIENT_COLUMNS))


def _reported(run: RunOutput) -> dict[str, np.ndarray]:
    """The weekly figures of the reported weeks (the warm-up's left out)."""
    first = int(run.parameters["warmup_weeks"])
    return {name: np.asarray(values, float)[first:] for name, values in run.weekly.items()}


def yearly_flows(run: RunOutput) -> dict[str, float]:
    """A year's exits over the mean stock, by route (Divosa's count).

    Returns:
        ``to_goal``, ``own_route`` (the part of ``to_goal`` found on one's own),
        ``dropout`` and ``all`` a year over the mean stock; ``stock``: the mean number
        waiting or in care in the reported weeks.
    """
    weekly = _reported(run)
    stock = float(np.mean(weekly["waiting"] + weekly["in_care"]))
    per_year = YEAR / len(weekly["goals"]) / stock
    records = client_records(run)
    own = records["own_route"].astype(bool) & (records["exit_week"] > 0)
    goals, dropouts = float(weekly["goals"].sum()), float(weekly["dropouts"].sum())
    return {"to_goal": goals * per_year, "own_route": float(own.sum()) * per_year,
            "dropout": dropouts * per_year, "all": (goals + dropouts) * per_year,
            "stock": stock}


def stock_cohort_to_goal(run: RunOutput) -> float:
    """Of those on the books as a year begins, the share reaching the goal in it (CBS).

    Each whole year of the reported weeks (weeks 1-52, 53-104, ...) is a cohort: the
    clients who arrived before its first week and had not left by then. Their goals
    within the year, over their number, summed over the cohorts. NaN without a whole
    year or with nobody on the books.
    """
    records = client_records(run)
    weeks = int(run.parameters["weeks"])
    on_books = reached = 0
    for first in range(1, weeks - YEAR + 2, YEAR):
        stayed = records["exit_week"].isna() | (records["exit_week"] >= first)
        cohort = records[(records["arrival_week"] < first) & stayed]
        on_books += len(cohort)
        reached += int(((cohort["exit_reason"] == "goal")
                        & (cohort["exit_week"] < first + YEAR)).sum())
    return reached / on_books if on_books else float("nan")


def exits_by_duration(run: RunOutput, bands: tuple[int, ...] = (0, YEAR, 3 * YEAR)
                      ) -> dict[int, float]:
    """Of those on the books as a year begins, the share leaving within it, by spell (CBS).

    The cohorts are :func:`stock_cohort_to_goal`'s (each whole year of the reported
    weeks), split by the weeks each client had been on the books when the year began;
    any exit counts (goal or drop-out), as the source counts leaving assistance.

    Args:
        run: A run with its client records.
        bands: The lower bounds of the spell bands, in weeks, rising from 0: the default
            gives under a year, one to three years, three years and more.

    Returns:
        Each band's lower bound mapped to its share leaving within the year (NaN where
        nobody was in the band).
    """
    records = client_records(run)
    weeks = int(run.parameters["weeks"])
    on_books = np.zeros(len(bands))
    left = np.zeros(len(bands))
    for first in range(1, weeks - YEAR + 2, YEAR):
        stayed = records["exit_week"].isna() | (records["exit_week"] >= first)
        cohort = records[(records["arrival_week"] < first) & stayed]
        band = np.searchsorted(bands, first - cohort["arrival_week"].to_numpy(), side="right") - 1
        leaves = (cohort["exit_week"] < first + YEAR).to_numpy()
        on_books += np.bincount(band, minlength=len(bands))
        left += np.bincount(band, weights=leaves, minlength=len(bands))
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = left / on_books
    return {lower: float(share) for lower, share in zip(bands, shares, strict=True)}


def within_a_year(run: RunOutput) -> dict[str, float]:
    """Of those arriving, the shares leaving within 52 weeks, by route (Böheim et al.).

    Over the clients arriving in the reported weeks but the last 52, so that each had a
    whole year. Returns ``to_goal``, ``dropout`` and ``all`` (NaN without such arrivals).
    """
    records = client_records(run)
    weeks = int(run.parameters["weeks"])
    cohort = records[(records["arrival_week"] > 0) & (records["arrival_week"] <= weeks - YEAR)]
    if not len(cohort):
        return dict.fromkeys(("to_goal", "dropout", "all"), float("nan"))
    within = cohort["exit_week"] - cohort["arrival_week"] <= YEAR   # NaN (still in): False
    shares = {reason: float((within & (cohort["exit_reason"] == reason)).mean())
              for reason in ("goal", "dropout")}
    return {"to_goal": shares["goal"], "dropout": shares["dropout"],
            "all": float(within.mean())}


def little_spell_weeks(run: RunOutput) -> float:
    """The mean spell (weeks) the stock and the arrivals imply: stock / arrivals a week.

    Little's law at a steady state; hold it against the measured spell (the metric
    ``weeks_to_exit``).
    """
    weekly = _reported(run)
    arrivals = float(np.mean(weekly["arrivals"]))
    stock = float(np.mean(weekly["waiting"] + weekly["in_care"]))
    return stock / arrivals if arrivals else float("nan")
