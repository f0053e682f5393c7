"""The empirical patterns of ``shared/MODEL.md`` as experiments: ``verbinding validate``.

Each pattern names the arms it needs (a scenario with overrides), runs them with the
same replicate seeds (paired), and judges one statistic against a range derived from
the sources. Runs are at a reduced size by default (``scale`` times the presets' team
and arrivals) so a full report takes about a minute on two cores.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.runner import CLIENT_COLUMNS, RunOutput, replicate_seeds, run_many
from experiments.scenarios import load
from experiments.stats import mean_ci
from model.parameters import specs

DEFAULT_SCALE = 0.2
TIPPING_LOADS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1)
PRESSURE_CAPS = (30, 36, 42, 48)

Arms = dict[str, tuple[str, dict]]
Runs = dict[str, list[RunOutput]]


@dataclass
class Result:
    """The verdict on one pattern.

    Attributes:
        statistic: What the value measures.
        value: Mean over replicates.
        ci95: 95% interval over replicates (None with one replicate).
        target: The accepted range, in words.
        passed: Whether the model reproduces the pattern.
        details: Further figures shown with the verdict.
        series: Figure data: ``{"x": (label, values), "y": {label: values}}``.
    """

    statistic: str
    value: float
    ci95: list[float] | None
    target: str
    passed: bool
    details: dict[str, float] = field(default_factory=dict)
    series: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Pattern:
    """One empirical pattern: what is known, the arms to run, and how to judge them."""

    number: int
    title: str
    literature: str
    arms: Callable[[float], Arms]
    judge: Callable[[Runs], Result]
    records: bool = False


def scaled(scenario: str, scale: float, **extra) -> tuple[str, dict]:
    """A scenario with its team and arrivals multiplied by ``scale``, plus ``extra``."""
    params = load(scenario).parameters(**extra)
    overrides = {**load(scenario).overrides, **extra,
                 "professionals": max(1, round(params.professionals * scale)),
                 "arrivals_per_week": params.arrivals_per_week * scale}
    return scenario, overrides


def metric(runs: list[RunOutput], name: str) -> np.ndarray:
    """One metric per replicate."""
    return np.array([r.metrics[name] for r in runs])


def per_client_week(runs: list[RunOutput], figure: str) -> np.ndarray:
    """A weekly figure summed over the measured weeks, per client-week in care."""
    values = []
    for run in runs:
        start = run.parameters["warmup_weeks"]
        values.append(sum(run.weekly[figure][start:]) / sum(run.weekly["in_care"][start:]))
    return np.array(values)


def _verdict(statistic: str, values: np.ndarray, target: str, passed: bool,
             **extra) -> Result:
    summary = mean_ci(list(values))
    return Result(statistic, summary["mean"], summary["ci95"], target, bool(passed), **extra)


def _inside(values: np.ndarray, low: float, high: float) -> bool:
    return bool(low <= float(np.mean(values)) <= high)


# --- 1. Admin share ------------------------------------------------------------------
def _admin_judge(runs: Runs) -> Result:
    care = runs["care"]
    shares = {k: float(metric(care, f"{k}_share").mean()) for k in ("admin", "contact",
                                                                     "network")}
    shares["slack"] = 1 - sum(shares.values())
    admin = metric(care, "admin_share")
    return _verdict("share of hours on administration (care)", admin, "0.25 to 0.40",
                    _inside(admin, 0.25, 0.40), details=shares,
                    series={"bars": shares})


# --- 2. Connective labour goes first -------------------------------------------------
def _pressure_arms(scale: float) -> Arms:
    return {f"cap {c}": scaled("care", scale, caseload_cap=c,
                               arrivals_per_week=108.0 * c / 30) for c in PRESSURE_CAPS}


def _pressure_judge(runs: Runs) -> Result:
    first, last = f"cap {PRESSURE_CAPS[0]}", f"cap {PRESSURE_CAPS[-1]}"
    fall = {kind: 1 - per_client_week(runs[last], f"{kind}_hours")
            / per_client_week(runs[first], f"{kind}_hours") for kind in ("open", "scripted")}
    bond_fall = metric(runs[first], "mean_bond") - metric(runs[last], "mean_bond")
    scripted = float(fall["scripted"].mean())
    passed = float(fall["open"].mean()) > 2 * max(scripted, 0.0) and bond_fall.mean() > 0
    series = {"x": ("caseload cap", list(PRESSURE_CAPS)), "y": {
        label: [float(per_client_week(runs[f"cap {c}"], f"{kind}_hours").mean())
                for c in PRESSURE_CAPS]
        for label, kind in (("open h/client-week", "open"),
                            ("scripted h/client-week", "scripted"))}}
    series["y"]["mean bond"] = [float(metric(runs[f"cap {c}"], "mean_bond").mean())
                                for c in PRESSURE_CAPS]
    return _verdict(f"relative fall of open contact per client, cap {PRESSURE_CAPS[0]} to "
                    f"{PRESSURE_CAPS[-1]}", fall["open"],
                    "more than twice the fall of scripted contact", passed,
                    details={"scripted contact fall": scripted,
                             "mean bond fall": float(bond_fall.mean())}, series=series)


# --- 3. Tipping point ----------------------------------------------------------------
def _tipping_arms(scale: float) -> Arms:
    base = load("care").parameters().arrivals_per_week
    return {f"load {f}": scaled("care", scale, arrivals_per_week=base * f)
            for f in TIPPING_LOADS}


def _tipping_judge(runs: Runs) -> Result:
    goal = {f: metric(runs[f"load {f}"], "goal_share") for f in TIPPING_LOADS}
    occupancy = {f: metric(runs[f"load {f}"], "clients_per_professional")
                 / runs[f"load {f}"][0].parameters["caseload_cap"] for f in TIPPING_LOADS}
    early = goal[0.5] - goal[0.7]   # equal steps of load, low and high
    late = goal[0.9] - goal[1.1]
    passed = early.mean() < 0.03 and late.mean() > 3 * max(early.mean(), 0.01)
    return _verdict("fall in goal share from load 0.9 to 1.1", late,
                    "nearly flat from 0.5 to 0.7 (< 0.03), over 3x steeper near full",
                    passed, details={"fall from load 0.5 to 0.7": float(early.mean()),
                                     "occupancy at load 0.9": float(occupancy[0.9].mean()),
                                     "occupancy at load 1.0": float(occupancy[1.0].mean())},
                    series={"x": ("arrivals relative to the care preset", list(TIPPING_LOADS)),
                            "y": {"goal share": [float(goal[f].mean()) for f in TIPPING_LOADS],
                                  "occupancy": [float(occupancy[f].mean())
                                                for f in TIPPING_LOADS]}})


# --- 4. Relationships matter, moderately ---------------------------------------------
def _ended(run: RunOutput) -> tuple[np.ndarray, np.ndarray]:
    """Early bond and goal (1) or drop-out (0) of episodes ended in the window."""
    col = {name: i + 1 for i, name in enumerate(CLIENT_COLUMNS)}
    rows = [r for r in run.clients if r[col["exit_reason"]] in ("goal", "dropout")
            and r[col["exit_week"]] > 0]  # reported weeks: the warm-up is 0 and below
    bond = np.array([r[col["early_bond"]] for r in rows], float)
    goal = np.array([r[col["exit_reason"]] == "goal" for r in rows], float)
    return bond, goal


def _bond_judge(runs: Runs) -> Result:
    r_values, ratios = [], []
    for run in runs["care"]:
        bond, goal = _ended(run)
        measured = ~np.isnan(bond)
        r_values.append(np.corrcoef(bond[measured], goal[measured])[0, 1])
        weak = bond[measured] < np.median(bond[measured])
        dropout = 1 - goal[measured]
        ratios.append(dropout[weak].mean() / max(dropout[~weak].mean(), 1e-9))
    r_values = np.array(r_values)
    dropout_share = metric(runs["care"], "dropout_share")
    ratio = float(np.mean(ratios))
    passed = (_inside(r_values, 0.15, 0.45) and _inside(dropout_share, 0.10, 0.35)
              and ratio >= 1.3)
    return _verdict("correlation of early bond (week 4) with reaching the goal", r_values,
                    "0.15 to 0.45, drop-out 0.10 to 0.35, >= 1.3x drop-out with weak bonds",
                    passed, details={"drop-out share": float(dropout_share.mean()),
                                     "drop-out weak / strong bond": ratio})


# --- 5. Scripting adds nothing by itself ---------------------------------------------
def _scripting_arms(scale: float) -> Arms:
    # Equal contact time: standardisation here does not add admin.
    return {f"standardisation {s}": scaled("care", scale, standardisation=s,
                                           standardisation_admin_uplift=0.0)
            for s in (0.1, 0.7)}


def _scripting_judge(runs: Runs) -> Result:
    low, high = runs["standardisation 0.1"], runs["standardisation 0.7"]
    diff = metric(high, "goal_share") - metric(low, "goal_share")
    contact = metric(high, "contact_hours_per_client_week") / metric(
        low, "contact_hours_per_client_week")
    summary = mean_ci(list(diff))
    upper = summary["ci95"][1] if summary["ci95"] else summary["mean"]
    return _verdict("change in goal share, standardisation 0.1 to 0.7 at equal time", diff,
                    "no rise (upper 95% bound <= 0.02)", upper <= 0.02,
                    details={"contact time ratio": float(contact.mean()),
                             "mean bond change": float((metric(high, "mean_bond")
                                                        - metric(low, "mean_bond")).mean())})


# --- 6. Caseload cuts help, modestly -------------------------------------------------
def _caseload_judge(runs: Runs) -> Result:
    cut = 1 - metric(runs["halved"], "weeks_to_goal") / metric(runs["work"], "weeks_to_goal")
    return _verdict("relative cut in weeks to work from halving caseloads", cut,
                    "0.01 to 0.25 (days to weeks, not multiples)", _inside(cut, 0.01, 0.25),
                    details={"weeks to goal, work": float(metric(runs["work"],
                                                                 "weeks_to_goal").mean()),
                             "weeks to goal, halved": float(metric(runs["halved"],
                                                                   "weeks_to_goal").mean())})


# --- 7. Turnover and burnout under overload ------------------------------------------
def _turnover_judge(runs: Runs) -> Result:
    base, load_ = runs["care"], runs["overloaded"]
    turnover = metric(load_, "annual_turnover")
    burnout = metric(load_, "burnout_prevalence")
    rises = all(metric(load_, m).mean() > metric(base, m).mean()
                for m in ("annual_turnover", "burnout_prevalence", "handovers_per_client"))
    passed = _inside(turnover, 0.20, 0.40) and _inside(burnout, 0.10, 0.30) and rises
    return _verdict("annual turnover under overload (care-high-caseload)", turnover,
                    "0.20 to 0.40, burnout 0.10 to 0.30, both above the care preset",
                    passed, details={
                        "burnout prevalence, overloaded": float(burnout.mean()),
                        "annual turnover, care": float(metric(base, "annual_turnover").mean()),
                        "burnout prevalence, care": float(
                            metric(base, "burnout_prevalence").mean()),
                        "handovers per client, overloaded": float(
                            metric(load_, "handovers_per_client").mean())})


# --- 8. Groups ------------------------------------------------------------------------
def _groups_judge(runs: Runs) -> Result:
    ratio = metric(runs["jobs"], "goal_share") / metric(runs["work"], "goal_share")
    hours = metric(runs["jobs"], "hours_per_goal") / metric(runs["work"], "hours_per_goal")
    passed = _inside(ratio, 1.0, 2.0) and float(hours.mean()) <= 1.1
    return _verdict("relative chance of reaching work, JOBS groups vs one-to-one only", ratio,
                    "above 1 and well under 2, at no more professional hours per goal",
                    passed, details={"professional hours per goal, ratio": float(hours.mean())})


PATTERNS = (
    Pattern(1, "Admin takes about a third of professional time",
            "Dutch long-term care: 25% of time on administration in 2016, 34-35% in "
            "2019-2025 (Berenschot); CBS 2025: 31%. US physicians: 27% with patients, "
            "49% on records and desk work (Sinsky et al. 2016).",
            lambda s: {"care": scaled("care", s)}, _admin_judge),
    Pattern(2, "Connective labour goes first",
            "When time runs short, open contact goes before scripted, recorded work: 66% "
            "of nurses left comforting or talking with patients undone (Ball et al. 2014).",
            _pressure_arms, _pressure_judge),
    Pattern(3, "A tipping point near full capacity",
            "Outcomes stay nearly flat while capacity use is well below full and fall "
            "steeply past about 90% (Kuntz et al. 2015: mortality rises above 92.5% "
            "occupancy).",
            _tipping_arms, _tipping_judge),
    Pattern(4, "Relationships matter, moderately",
            "Alliance and outcome correlate around r = 0.28 (Flückiger et al. 2018); about "
            "20% drop out (Swift & Greenberg 2012), more with weak alliances.",
            lambda s: {"care": scaled("care", s)}, _bond_judge, records=True),
    Pattern(5, "Scripting adds nothing by itself",
            "Protocol adherence is unrelated to outcome (Webb et al. 2010, r = 0.02).",
            _scripting_arms, _scripting_judge),
    Pattern(6, "Caseload cuts help, modestly",
            "Cutting caseloads from about 150 to 70 job seekers per caseworker shortened "
            "unemployment by about 10 days (Hainmueller et al. 2016).",
            lambda s: {"work": scaled("work", s), "halved": scaled("work-half-caseload", s)},
            _caseload_judge),
    Pattern(7, "Turnover and burnout under overload",
            "Overloaded professionals turn over 20-40% a year (child welfare), burnout "
            "prevalence 10-30%; leavers raise the load of those who stay.",
            lambda s: {"care": scaled("care", s),
                       "overloaded": scaled("care-high-caseload", s)}, _turnover_judge),
    Pattern(8, "Groups work about as well as one-to-one, for less time",
            "Group and individual treatment do equally well (Burlingame et al. 2016, "
            "g = -0.01); JOBS-type programmes raise re-employment by well under a factor "
            "two (Liu et al. 2014: odds ratio 2.67, about 30% to 53%).",
            lambda s: {"work": scaled("work", s), "jobs": scaled("work-jobs", s)},
            _groups_judge),
)


#: Parameters screened one at a time for the robustness of each pattern.
SCREENED = ("bond_growth", "bond_weight", "unhurried_hours", "rupture_rate", "dropout_base",
            "dropout_bond_effect", "need_hours", "stress_workload", "quit_stress_effect",
            "burnout_threshold", "placement_base", "group_lift")


def validate(replicates: int = 20, seed: int = 2024, scale: float = DEFAULT_SCALE,
             workers: int | None = None, patterns: tuple[Pattern, ...] = PATTERNS,
             changes: tuple[dict[str, float] | None, ...] = (None,),
             ) -> list[list[tuple[Pattern, Result]]]:
    """Run every pattern experiment and judge each, all runs in one batch.

    Args:
        replicates: Paired replicates per arm.
        seed: Root seed; the same seed gives the same report.
        scale: Size of the organisations relative to the presets.
        workers: Processes (None: all cores).
        patterns: The patterns to run.
        changes: Variants of the whole report to run: None for the calibrated model, or
            ``{parameter: factor}`` multiplying parameters in every arm (for the
            sensitivity screen).

    Returns:
        One report (a verdict per pattern) per entry of ``changes``.
    """
    seeds = replicate_seeds(seed, replicates)
    arms = {(c, p.number, label): (_changed(arm, change), p.records)
            for c, change in enumerate(changes) for p in patterns
            for label, arm in p.arms(scale).items()}
    jobs = [(overrides, s, records) for overrides, records in arms.values() for s in seeds]
    outputs = iter(run_many(jobs, workers))
    results = {key: [next(outputs) for _ in seeds] for key in arms}
    return [[(p, p.judge({label: runs for (c_, n, label), runs in results.items()
                          if c_ == c and n == p.number})) for p in patterns]
            for c in range(len(changes))]


def _changed(arm: tuple[str, dict], change: dict[str, float] | None) -> dict:
    """The arm's overrides with each named parameter multiplied by its factor."""
    scenario, overrides = arm
    if not change:
        return overrides
    resolved = load(scenario).parameters(**overrides)
    changed = dict(overrides)
    for name, factor in change.items():
        _, kind, spec = specs()[name]
        value = min(max(getattr(resolved, name) * factor, spec.low), spec.high)
        changed[name] = round(value) if kind is int else value
    return changed


def screen(trajectories: int = 4, replicates: int = 2, seed: int = 2024,
           scale: float = DEFAULT_SCALE, workers: int | None = None, factor: float = 0.25,
           parameters: tuple[str, ...] = SCREENED) -> dict:
    """Morris screen of every pattern's statistic over the calibrated parameters.

    Each parameter is multiplied by a factor between ``1 - factor`` and ``1 + factor``
    (the same in every arm) along Morris trajectories; the elementary effects give mu*
    (how much the statistic depends on it) and sigma (interactions, non-linearity).

    Returns:
        ``{"rows": [...], "holds": {pattern: share of points where it holds}}``, each row
        ``pattern, parameter, mu_star, mu_star_conf, sigma, relative`` (mu* over the
        statistic's calibrated value).
    """
    from experiments.analysis import morris_indices
    from experiments.samplers import morris
    from experiments.space import Dimension, Space

    space = Space(tuple(Dimension(n, float, 1 - factor, 1 + factor) for n in parameters))
    points = morris(space, trajectories, seed)
    base, *reports = validate(replicates, seed, scale, workers,
                              changes=(None, *points))
    rows, holds = [], {}
    for i, (pattern, calibrated) in enumerate(base):
        values = pd.DataFrame(points)
        values["statistic"] = [report[i][1].value for report in reports]
        holds[pattern.number] = float(np.mean([report[i][1].passed for report in reports]))
        indices = morris_indices(values, space, ["statistic"])
        for _, row in indices.iterrows():
            rows.append({"pattern": pattern.number, "parameter": row["parameter"],
                         "mu_star": row["mu_star"], "mu_star_conf": row["mu_star_conf"],
                         "sigma": row["sigma"],
                         "relative": row["mu_star"] / max(abs(calibrated.value), 1e-9)})
    return {"rows": rows, "holds": holds, "points": len(points),
            "parameters": list(parameters)}


def screen_table(screened: dict, factor: float = 0.25, top: int = 3) -> str:
    """The screen as Markdown: per pattern, the parameters it depends on most."""
    lines = [f"Morris screen (`verbinding validate --screen`): "
             f"{len(screened['parameters'])} parameters, "
             f"each multiplied by a factor in [{1 - factor:g}, {1 + factor:g}] in every arm, "
             f"{screened['points']} points on Morris trajectories. mu* is the mean absolute "
             "elementary effect on the pattern's statistic, shown relative to its calibrated "
             "value; 'holds' is the share of screened points where the pattern is still "
             "reproduced.", "",
             "| # | pattern | depends most on (relative mu*) | holds |", "|---|---|---|---|"]
    for pattern in PATTERNS:
        mine = [r for r in screened["rows"] if r["pattern"] == pattern.number]
        if not mine:
            continue
        ranked = sorted(mine, key=lambda r: -r["mu_star"])[:top]
        strongest = ", ".join(f"`{r['parameter']}` ({r['relative']:.2f})" for r in ranked)
        lines.append(f"| {pattern.number} | {pattern.title} | {strongest} | "
                     f"{100 * screened['holds'][pattern.number]:.0f}% |")
    return "\n".join(lines)


def report(verdicts: list[tuple[Pattern, Result]]) -> str:
    """One line per pattern: number, pass or fail, value with interval, target."""
    lines = []
    for pattern, result in verdicts:
        mark = "PASS" if result.passed else "FAIL"
        interval = (f" [{result.ci95[0]:.3f}, {result.ci95[1]:.3f}]" if result.ci95 else "")
        lines.append(f"{pattern.number}. {mark}  {pattern.title}: {result.statistic} = "
                     f"{result.value:.3f}{interval}; expected {result.target}")
    passed = sum(r.passed for _, r in verdicts)
    lines.append(f"{passed} of {len(verdicts)} patterns reproduced")
    return "\n".join(lines)


def markdown_table(verdicts: list[tuple[Pattern, Result]], replicates: int, seed: int,
                   scale: float) -> str:
    """The report as the Markdown table of ``docs/ODD.md``."""
    lines = [f"Measured by `verbinding validate --replicates {replicates} --seed {seed}` "
             f"(organisations at {scale:g} of the preset size; mean and 95% interval over "
             "paired replicates).", "",
             "| # | pattern | the sources | the model | expected | verdict |",
             "|---|---|---|---|---|---|"]
    for pattern, r in verdicts:
        interval = f" [{r.ci95[0]:.3f}, {r.ci95[1]:.3f}]" if r.ci95 else ""
        extra = "; ".join(f"{k} {v:.3f}" for k, v in r.details.items())
        lines.append(f"| {pattern.number} | {pattern.title} | {pattern.literature} | "
                     f"{r.statistic}: {r.value:.3f}{interval}"
                     f"{' (' + extra + ')' if extra else ''} | {r.target} | "
                     f"{'reproduced' if r.passed else 'not reproduced'} |")
    return "\n".join(lines)


def write_figures(verdicts: list[tuple[Pattern, Result]], folder: Path) -> list[Path]:
    """One PNG per pattern that has figure data, into ``folder``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    for pattern, result in verdicts:
        if not result.series:
            continue
        figure, axes = plt.subplots(figsize=(7, 4.2), dpi=120)
        if "bars" in result.series:
            bars = result.series["bars"]
            axes.bar(list(bars), list(bars.values()), color="#4C72B0")
            axes.set_ylabel("share of hours worked")
        else:
            x_label, x = result.series["x"]
            for label, values in result.series["y"].items():
                axes.plot(x, values, marker="o", label=label)
            axes.set_xlabel(x_label)
            axes.legend()
        axes.set_title(f"Pattern {pattern.number}: {pattern.title}", fontsize=11)
        axes.grid(alpha=0.3)
        figure.tight_layout()
        path = folder / f"pattern-{pattern.number}.png"
        figure.savefig(path)
        plt.close(figure)
        written.append(path)
    return written




def write_outputs(verdicts: list[tuple[Pattern, Result]], folder: Path,
                  table: str) -> None:
    """The report (Markdown and JSON), the figure data and the figures, into ``folder``."""
    import json

    from experiments.output import json_safe

    (folder / "report.md").write_text(table + "\n", encoding="utf-8")
    from experiments.provenance import provenance

    patterns = [{"pattern": p.number, "title": p.title, "literature": p.literature,
                 "statistic": r.statistic, "value": r.value, "ci95": r.ci95,
                 "target": r.target, "passed": r.passed, "details": r.details,
                 "series": r.series} for p, r in verdicts]
    (folder / "report.json").write_text(json.dumps(json_safe(
        {**provenance(), "patterns": patterns}), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8")
    write_figures(verdicts, folder)
