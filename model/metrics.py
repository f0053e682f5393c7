"""The outcomes of one run (docs/ODD.md, section 9), declared once.

Every metric is measured over the *window*: the ``weeks`` reported weeks, which follow
the ``warmup_weeks`` of warm-up (model steps ``warmup_weeks + 1`` to ``warmup_weeks +
weeks``; the model's own records number weeks by step). Weekly figures come from the
model's DataCollector, per-client figures from the client records. Shares of clients
are over episodes that ended in the window; in school years the window is the whole
school years of the reported weeks (a year cut off by the run's end counts for nothing).
Means of the clients' state over weeks leave out weeks that end with no client at all
(as a school year's last week does); hour shares are over the hours
professionals worked (contract + overtime). Rates per year are per 52 weeks, or per
school year of ``school_year_weeks`` teaching weeks. A metric with nothing to measure
(no goal reached, say) is NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.mechanisms import weeks_per_year
from model.state import DROPOUT, GOAL, YEAR_END


@dataclass(frozen=True)
class Metric:
    """One outcome: its name, unit, labels and precise definition."""

    name: str
    unit: str
    en: str
    nl: str
    definition: str


METRICS = (
    Metric("goal_share", "share", "Clients reaching their goal", "Cliënten die hun doel halen",
           "Goals reached / episodes ending in the window (goals, drop-outs and, in school "
           "years, pupils ending the year short of its goals)."),
    Metric("dropout_share", "share", "Drop-out", "Uitval",
           "Drop-outs (from the waitlist or from care) / episodes ending in the window."),
    Metric("goal_share_in_care", "share", "Goal reached, of those who got care",
           "Doel gehaald, van wie zorg kreeg",
           "Goals reached / episodes ending in the window that had started care: the "
           "outcome of care itself, without the waiting list's drop-outs."),
    Metric("weeks_to_goal", "weeks", "Weeks to goal", "Weken tot doel",
           "Mean weeks from arrival (waiting included) to goal, over goals in the window; "
           "in school years the goal is judged at the year's end, so this is the school "
           "year's length less one week."),
    Metric("weeks_to_exit", "weeks", "Weeks on the books", "Weken ingeschreven",
           "Mean weeks from arrival (waiting included) to leaving for any reason, over "
           "episodes ending in the window: the spell a register counts (for job seekers, "
           "the duration of registered unemployment)."),
    Metric("own_goal_share", "share", "Goals reached on their own",
           "Doelen op eigen kracht gehaald",
           "Goals reached by the own route (own_goal_rate) / goals reached, in the window: "
           "who got there apart from the professional's placement, not what the "
           "professional's contact added (it raises the own route too)."),
    Metric("mean_bond", "0..1", "Mean bond", "Gemiddelde band",
           "Mean over window weeks of the mean bond of clients in care."),
    Metric("clients_per_professional", "clients", "Clients per professional",
           "Cliënten per professional",
           "Mean over window weeks of clients in care / working professionals."),
    Metric("contact_hours_per_client_week", "h", "Contact hours per client-week",
           "Contacturen per cliëntweek",
           "Professional contact hours (one-to-one and group) / client-weeks in care."),
    Metric("connective_hours_per_client_week", "h", "Connective hours per client-week",
           "Verbindende uren per cliëntweek",
           "Open contact hours, each weighted by how unhurried its contact was (open / "
           "(open + unhurried_hours), as the bond counts it), / client-weeks in care."),
    Metric("no_show_share", "share", "Appointments missed", "Gemiste afspraken",
           "No-shows / appointments booked in the window: every client in care has a "
           "standing one-to-one appointment each week, unless a group session replaces it "
           "or the professional holds it back (in school years: pupil-weeks absent from "
           "class). A course of care's missed sessions, not patients' own bookings."),
    Metric("admin_share", "share", "Share of time on admin", "Aandeel administratie",
           "Admin hours / hours worked (contract + overtime of working professionals)."),
    Metric("contact_share", "share", "Share of time on contact", "Aandeel contact",
           "Contact hours / hours worked."),
    Metric("network_share", "share", "Share of time on network", "Aandeel netwerk",
           "Network hours / hours worked."),
    Metric("idle_share", "share", "Share of time unused", "Aandeel onbenut",
           "Contact hours budgeted but not used (no client to see) / hours worked; with "
           "the admin, contact and network shares it sums to 1."),
    Metric("utilisation", "share", "Utilisation", "Bezettingsgraad",
           "Mean over window weeks of the hours clients waiting or in care need at the "
           "organisation's standard contact (with their admin, and the team's fixed admin "
           "and network hours) / contract hours of working professionals. Above 1 the "
           "team cannot serve everyone at the norm."),
    Metric("occupancy", "share", "Occupancy of places", "Bezetting van plaatsen",
           "Mean over window weeks of clients in care / (working professionals x caseload "
           "cap)."),
    Metric("waitlist_mean", "clients", "Mean waitlist", "Gemiddelde wachtlijst",
           "Mean over window weeks of clients waiting at the end of the week."),
    Metric("wait_weeks_mean", "weeks", "Mean wait", "Gemiddelde wachttijd",
           "Mean weeks from arrival to first start of care, over starts in the window."),
    Metric("stress_mean", "0..1", "Mean stress", "Gemiddelde stress",
           "Mean over window weeks of the mean stress of working professionals."),
    Metric("burnout_prevalence", "share", "Burnout prevalence", "Burn-outprevalentie",
           "Mean over window weeks of the share of employed professionals on burnout "
           "leave or with stress at or above the burnout threshold."),
    Metric("annual_turnover", "1/year", "Annual turnover", "Jaarlijks verloop",
           "Quits in the window / mean employed professionals, per year (52 weeks, or a "
           "school year)."),
    Metric("handovers_per_client", "handovers", "Handovers per client",
           "Overdrachten per cliënt",
           "Mean handovers per client, over episodes ending in the window."),
    Metric("hours_per_goal", "h", "Professional hours per goal", "Uren per behaald doel",
           "Professional hours (contract hours of employed staff, on sick leave too, + "
           "overtime) in the window / goals reached in the window."),
    Metric("goals_per_year", "clients/year", "Goals reached per year",
           "Behaalde doelen per jaar",
           "Goals reached in the window, per year (52 weeks, or a school year): what the "
           "costs buy, next to annual_cost."),
    Metric("annual_cost", "EUR/year", "Cost per year", "Kosten per jaar",
           "The window's costs per year (52 weeks, or a school year): (employed "
           "professionals + cover_cost_share x posts whose professional is sick or vacant) "
           "x hours_per_week x hourly_cost + overtime_paid_share x overtime hours x "
           "hourly_cost + quits x turnover_cost + automation x automation_licence per "
           "employed professional-week + automated contact hours x automated_contact_cost; "
           "each week at the hours and automation in force then."),
    Metric("cost_per_goal", "EUR", "Cost per goal", "Kosten per behaald doel",
           "The window's costs (as annual_cost) / goals reached in the window."),
)

METRIC_NAMES = tuple(m.name for m in METRICS)


def window(p) -> slice:
    """The weekly figures' rows the metrics judge: the reported weeks (see above).

    Args:
        p: The run's parameters.

    Returns:
        The rows (0-based; row ``i`` is model step ``i + 1``), which are also the
        steps after ``start`` up to and including ``stop``.
    """
    year = weeks_per_year(p)
    judged = p.weeks // year * year if p.school_year_weeks else p.weeks
    return slice(p.warmup_weeks, p.warmup_weeks + judged)


def summarise(model) -> dict[str, float]:
    """Every metric of :data:`METRICS` for a finished (or running) model.

    Args:
        model: A :class:`~model.model.VerbindingModel` or a
            :class:`~model.simulation.Simulation` that has run past its warm-up.

    Returns:
        ``{metric name: value}`` in declaration order; NaN where undefined.
    """
    p = model.p
    judged = window(p)
    weekly = {name: np.asarray(values, float)[judged] for name, values in model.weekly.items()}
    peopled = (weekly["in_care"] + weekly["waiting"]) > 0
    records = model.clients.final_records()
    ended = (records["exit_week"] > judged.start) & (records["exit_week"] <= judged.stop)
    reasons = records["exit_reason"][ended]
    goals, dropouts = (reasons == GOAL).sum(), (reasons == DROPOUT).sum()
    episodes = goals + dropouts + (reasons == YEAR_END).sum()
    cared = records["start_week"][ended] >= 0
    episodes_in_care = int(cared.sum())
    spells = (records["exit_week"] - records["arrival_week"])[ended]
    to_goal = spells[reasons == GOAL]
    own_goals = (records["own_route"][ended] & (reasons == GOAL)).sum()
    started = (records["start_week"] > judged.start) & (records["start_week"] <= judged.stop)
    waited = (records["start_week"] - records["arrival_week"])[started]
    worked = sum(weekly[k].sum() for k in ("admin_hours", "network_hours", "contact_hours",
                                           "slack_hours"))
    client_weeks = weekly["in_care"].sum()
    employed = weekly["working"] + weekly["sick"]
    cost = costs(weekly, np.arange(judged.start, judged.stop) + 1, getattr(model, "sim", model))
    values = {
        "goal_share": _ratio(goals, episodes),
        "dropout_share": _ratio(dropouts, episodes),
        "goal_share_in_care": _ratio(goals, episodes_in_care),
        "weeks_to_goal": _mean(to_goal),
        "weeks_to_exit": _mean(spells),
        "own_goal_share": _ratio(own_goals, goals),
        "mean_bond": _mean(weekly["mean_bond"][weekly["in_care"] > 0]),
        "clients_per_professional": _mean((weekly["in_care"] / np.maximum(weekly["working"],
                                                                          1))[peopled]),
        "contact_hours_per_client_week": _ratio(weekly["contact_hours"].sum(), client_weeks),
        "connective_hours_per_client_week": _ratio(weekly["connective_hours"].sum(),
                                                   client_weeks),
        "no_show_share": _ratio(weekly["no_shows"].sum(), weekly["appointments"].sum()),
        "admin_share": _ratio(weekly["admin_hours"].sum(), worked),
        "contact_share": _ratio(weekly["contact_hours"].sum(), worked),
        "network_share": _ratio(weekly["network_hours"].sum(), worked),
        "idle_share": _ratio(weekly["slack_hours"].sum(), worked),
        "utilisation": _mean(weekly["utilisation"][peopled]),
        "occupancy": _mean((weekly["in_care"] / np.maximum(weekly["working"], 1)
                            / p.caseload_cap)[peopled]),
        "waitlist_mean": _mean(weekly["waiting"]),
        "wait_weeks_mean": _mean(waited),
        "stress_mean": _mean(weekly["mean_stress"]),
        "burnout_prevalence": _mean(weekly["burnout_share"]),
        "annual_turnover": _ratio(weekly["quits"].sum() * weeks_per_year(p), employed.sum()),
        "handovers_per_client": _mean(records["handovers"][ended]),
        "hours_per_goal": _ratio(weekly["paid_hours"].sum(), goals),
        "goals_per_year": _ratio(goals * weeks_per_year(p), len(weekly["paid_hours"])),
        "annual_cost": _ratio(cost * weeks_per_year(p), len(weekly["paid_hours"])),
        "cost_per_goal": _ratio(cost, goals),
    }
    return {name: float(values[name]) for name in METRIC_NAMES}


def costs(weekly: dict[str, np.ndarray], steps: np.ndarray, sim) -> float:
    """What the weeks cost in euros: staff pay, cover, quits and automation.

    Each week is priced at the contract hours and the automation in force that week.

    Args:
        weekly: Weekly figures (arrays over the weeks to price).
        steps: The model steps of those weeks.
        sim: The run's :class:`~model.simulation.Simulation` (the prices, and the
            parameters in force at each step).

    Returns:
        (Employed professionals + ``cover_cost_share`` x posts without their
        professional at work: sick or vacant) x ``hours_per_week`` x ``hourly_cost`` +
        overtime hours x ``overtime_paid_share`` x ``hourly_cost`` + quits x
        ``turnover_cost`` + employed professionals x ``automation`` x
        ``automation_licence`` + automated contact hours x ``automated_contact_cost``
        (EUR), summed over the weeks.
    """
    p = sim.p   # the prices are fixed for the run
    hours = sim.in_force("hours_per_week", steps)
    employed = weekly["working"] + weekly["sick"]
    absent = weekly["sick"] + weekly["vacant"]
    pay = (((employed + p.cover_cost_share * absent) * hours).sum()
           + weekly["overtime_hours"].sum() * p.overtime_paid_share)
    return float(pay * p.hourly_cost
                 + weekly["quits"].sum() * p.turnover_cost
                 + (employed * sim.in_force("automation", steps)).sum() * p.automation_licence
                 + weekly["automated_hours"].sum() * p.automated_contact_cost)


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator) / float(denominator) if denominator else float("nan")


def _mean(values: np.ndarray) -> float:
    return float(np.mean(values)) if len(values) else float("nan")
