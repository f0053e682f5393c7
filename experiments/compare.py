"""Paired comparisons of scenarios: ``verbinding compare BASE OTHER...``.

Replicate ``k`` of every scenario runs with the same seed, and the model draws
arrivals and client traits from their own streams, so each replicate meets the same
clients in every scenario (common random numbers). The difference from the base is
taken replicate by replicate, and its 95% interval is the Student t interval of those
paired differences: narrower than comparing two independent samples.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np

from experiments.output import CsvTable
from experiments.replicates import ScenarioResult
from experiments.stats import mean_ci
from experiments.uncertainty import combine
from model.metrics import METRIC_NAMES, METRICS

#: Weekly figures drawn in the comparison figure, with their titles.
WEEKLY_PANELS = (("mean_bond", "Mean bond (clients in care)"),
                 ("goals", "Goals reached per week"),
                 ("waiting", "Clients waiting"),
                 ("mean_stress", "Mean stress (working professionals)"),
                 ("burnout_share", "Burnout (share of staff)"),
                 ("connective_hours", "Connective hours per week"))


def paired_differences(base: ScenarioResult, other: ScenarioResult) -> dict[str, dict]:
    """Per metric: mean and 95% interval of ``other - base``, replicate by replicate."""
    return {name: mean_ci([o[name] - b[name] for o, b in zip(other.metrics, base.metrics,
                                                              strict=True)])
            for name in METRIC_NAMES}


def uncertain_differences(base: ScenarioResult, other: ScenarioResult,
                          base_again: ScenarioResult, other_again: ScenarioResult
                          ) -> dict[str, dict]:
    """Per metric: ``other - base`` over posterior draws, with both intervals.

    ``base`` and ``other`` ran replicate ``k`` with draw ``k``; ``base_again`` and
    ``other_again`` the same draws with other seeds
    (:func:`experiments.uncertainty.combine`).
    """
    def differences(a: ScenarioResult, b: ScenarioResult, name: str) -> list[float]:
        return [o[name] - s[name] for o, s in zip(b.metrics, a.metrics, strict=True)]

    return {name: combine(differences(base, other, name),
                          differences(base_again, other_again, name))
            for name in METRIC_NAMES}


def draw_means(results: list[ScenarioResult], again: list[ScenarioResult] | None
               ) -> list[ScenarioResult]:
    """``results`` whose replicate ``k`` holds the mean of draw ``k``'s two runs.

    With a posterior every draw runs twice (``again``) and each difference is the mean
    of its two runs' (:func:`experiments.uncertainty.combine`), so the values shown
    beside the differences are too: one value a draw, and the difference of two
    scenarios' means is the mean difference. Without ``again``, ``results`` as they
    are. The weekly figures stay the first runs'.
    """
    if again is None:
        return results
    return [ScenarioResult(r.scenario, r.parameters, r.seeds, [
        {name: (m[name] + n[name]) / 2 for name in METRIC_NAMES}
        for m, n in zip(r.metrics, a.metrics, strict=True)], r.weekly)
        for r, a in zip(results, again, strict=True)]


def report(results: list[ScenarioResult], again: list[ScenarioResult] | None = None
           ) -> dict:
    """The comparison as plain data (the ``--json`` shape).

    With ``again`` (the same scenarios and posterior draws, run with other seeds),
    ``results`` ran with posterior draws, and each difference carries its interval
    from all uncertainty (``ci95``), from chance alone (``ci95_noise``) and the share
    of the first that is what the model does not know (``unknown_share``); each
    scenario's ``metrics`` are then over the draws, each the mean of its two runs
    (:func:`draw_means`). The base's are ``scenarios[0]["metrics"]``.
    """
    base = results[0]
    shown = draw_means(results, again)
    return {"base": base.scenario.name, "posterior": again is not None, "scenarios": [
        {"name": r.scenario.name, "replicates": len(r.metrics), "metrics": shown[i].summary(),
         "diff": paired_differences(base, r) if again is None else
         uncertain_differences(base, r, again[0], again[i])}
        for i, r in enumerate(results)]}


#: The words of :func:`in_words`; the app passes the same keys in Dutch.
WORDS = {"more": "more", "less": "less", "interval": "95% interval", "to": "to",
         "unclear": "not clearly different", "single": "one replicate: no interval",
         "missing": "n/a", "unknown": "of the spread comes from parameters the evidence "
         "does not pin down", "better": "better", "worse": "worse",
         "cost_more": "costs {amount} a year more", "cost_less": "saves {amount} a year",
         "cost_same": "costs about the same a year",
         "goals_more": "reaches {count} more goals a year",
         "goals_less": "reaches {count} fewer goals a year",
         "goals_same": "reaches about as many goals a year", "and": "and",
         "per_goal": "about {amount} for each extra goal", "money": "What it costs and "
         "what it buys", "thousands": ",", "decimal": ".", "higher": "higher",
         "lower": "lower", "sets": "{direction} in {count} of {n} parameter sets",
         "same": "no difference in any run"}
#: Which way is better for clients or staff, for the outcomes where that is plain: +1
#: higher, -1 lower. Others (utilisation, occupancy, clients per professional, the
#: shares of time but admin's) are trade-offs a reader weighs, so they are not marked.
BETTER = {"goal_share": 1, "goal_share_in_care": 1, "mean_bond": 1,
          "contact_hours_per_client_week": 1, "connective_hours_per_client_week": 1,
          "dropout_share": -1, "weeks_to_goal": -1, "admin_share": -1, "waitlist_mean": -1,
          "wait_weeks_mean": -1, "stress_mean": -1, "burnout_prevalence": -1,
          "annual_turnover": -1, "handovers_per_client": -1, "hours_per_goal": -1,
          "cost_per_goal": -1, "goals_per_year": 1, "no_show_share": -1}
#: A difference is given as a percentage of the base only while its interval stays
#: within this many times the base: nearer zero a percentage says more about the base
#: than about the difference ("34696% more"), so the difference itself is given. Every
#: outcome is 0 or more, so neither is an interval reaching below -100% ("57% less (95%
#: interval -135% to +20%)") given as a percentage.
PERCENT_SPAN = 2.0


def clearly_different(diff: dict) -> bool:
    """Whether a paired difference's 95% interval leaves out zero."""
    if diff["ci95"] is None:
        return False
    low, high = diff["ci95"]
    return not low <= 0 <= high


def in_words(metric: str, base_mean: float | None, diff: dict,
             words: dict[str, str] = WORDS) -> str:
    """A difference in plain words, e.g. '12% more (95% interval 8% to 16%); better'.

    A percentage of the base while the base is a fair yardstick (:data:`PERCENT_SPAN`),
    else the difference itself; "better" or "worse" where a clear difference has a
    plain direction (:data:`BETTER`).

    Args:
        metric: The metric's name.
        base_mean: The base scenario's mean of the metric.
        diff: The paired difference: ``mean`` and ``ci95`` (see
            :func:`paired_differences`).
        words: The words to use (:data:`WORDS` in another language).
    """
    if diff["mean"] is None or base_mean is None:
        return words["missing"]
    def signed(value: float) -> str:
        return figure(value, words, "+")

    if diff["ci95"] is None:
        return f"{signed(diff['mean'])} ({words['single']})"
    low, high = diff["ci95"]
    if low == high == diff["mean"] == 0:
        return words["same"]
    yardstick = PERCENT_SPAN * abs(base_mean)
    if (yardstick and max(abs(diff["mean"]), abs(low), abs(high)) <= yardstick
            and low >= -abs(base_mean)):
        rel = [100 * v / abs(base_mean) for v in (diff["mean"], low, high)]
        word = words["more"] if rel[0] >= 0 else words["less"]
        text = (f"{abs(rel[0]):.0f}% {word} ({words['interval']} {rel[1]:+.0f}% "
                f"{words['to']} {rel[2]:+.0f}%)")
    else:
        text = (f"{signed(diff['mean'])} ({words['interval']} {signed(low)} {words['to']} "
                f"{signed(high)})")
    if not clearly_different(diff):
        text += f"; {words['unclear']}"
    elif metric in BETTER:
        text += f"; {words['better' if diff['mean'] * BETTER[metric] > 0 else 'worse']}"
    if diff.get("unknown_share") is not None:
        text += f"; {100 * diff['unknown_share']:.0f}% {words['unknown']}"
    if diff.get("draws"):
        way = "lower" if diff["mean"] < 0 else "higher"
        text += "; " + words["sets"].format(direction=words[way], count=diff[f"draws_{way}"],
                                             n=diff["draws"])
    return text


def money_in_words(diff: Mapping[str, dict], words: Mapping[str, str] = WORDS) -> str:
    """What a scenario costs more or less a year and what it buys, in one sentence.

    E.g. "costs € 1,230,000 a year more (95% interval € 1,100,000 to € 1,360,000) and
    reaches 120 more goals a year (95% interval 80 to 160): about € 10,200 for each extra
    goal". The price of an extra goal is given only when both differences are clear and
    the goals' interval starts at half its mean or more: nearer zero the ratio of two
    uncertain differences is too unstable to quote.

    Args:
        diff: The scenario's paired differences by metric (``annual_cost`` and
            ``goals_per_year`` are used; see :func:`report`).
        words: The words to use (:data:`WORDS` in another language).
    """
    cost, goals = diff["annual_cost"], diff["goals_per_year"]
    if cost["mean"] is None or goals["mean"] is None:
        return words["missing"]
    text = (f"{_change(cost, 'cost', lambda v, sign='': _euros(v, words, sign), words)} "
            f"{words['and']} "
            f"{_change(goals, 'goals', lambda v, sign='': figure(v, words, sign), words)}")
    if (clearly_different(cost) and cost["mean"] > 0 and goals["ci95"] is not None
            and goals["ci95"][0] >= goals["mean"] / 2 > 0):
        text += ": " + words["per_goal"].format(amount=_euros(cost["mean"] / goals["mean"],
                                                             words))
    return text


def _change(diff: dict, kind: str, shown: Callable[..., str],
            words: Mapping[str, str]) -> str:
    """One difference as '<more or less> (95% interval ...)' in a money sentence."""
    mean, interval = diff["mean"], diff["ci95"]
    value = {"amount": shown(abs(mean)), "count": shown(abs(mean))}
    if interval is None:
        return f"{words[kind + ('_more' if mean >= 0 else '_less')].format(**value)} " \
               f"({words['single']})"
    if not clearly_different(diff):
        low, high = (shown(v, "+") for v in interval)
        return f"{words[kind + '_same']} ({words['interval']} {low} {words['to']} {high})"
    low, high = (shown(v) for v in sorted(abs(v) for v in interval))
    return (f"{words[kind + ('_more' if mean > 0 else '_less')].format(**value)} "
            f"({words['interval']} {low} {words['to']} {high})")


def figure(value: float, words: Mapping[str, str] = WORDS, sign: str = "") -> str:
    """A number to three significant digits, grouped from a thousand, in the language's marks."""
    rounded = float(f"{value:.3g}")
    text = f"{rounded:{sign},.0f}" if abs(rounded) >= 100 else f"{rounded:{sign}.3g}"
    return text.translate(str.maketrans({",": words["thousands"], ".": words["decimal"]}))


def _euros(value: float, words: Mapping[str, str], sign: str = "") -> str:
    """An amount in euros, its sign before the euro sign ("-€ 263,000")."""
    text = figure(value, words, sign)
    return f"{text[0]}€ {text[1:]}" if text[:1] in "+-" else f"€ {text}"


def write_files(folder: Path, results: list[ScenarioResult],
                again: list[ScenarioResult] | None = None) -> None:
    """``comparison.csv`` and the figures (PNG and SVG) into ``folder``.

    With ``again`` (see :func:`report`) the table also has the interval from chance
    alone, the share of the interval that is the model's own uncertainty, and in how
    many parameter sets the difference fell and rose.
    """
    data = report(results, again)
    extra = ["diff_ci95_noise_low", "diff_ci95_noise_high", "unknown_share", "draws_lower",
             "draws_higher"] if again else []
    table = CsvTable(folder / "comparison.csv",
                     ["scenario", "metric", "mean", "ci95_low", "ci95_high", "diff_mean",
                      "diff_ci95_low", "diff_ci95_high", *extra, "in_words"])
    base_summary = data["scenarios"][0]["metrics"]
    for entry in data["scenarios"]:
        for name in METRIC_NAMES:
            value, diff = entry["metrics"][name], entry["diff"][name]
            uncertain = [*(diff["ci95_noise"] or (None, None)), diff["unknown_share"],
                         diff["draws_lower"], diff["draws_higher"]] if again else []
            table.write([(entry["name"], name, value["mean"], *(value["ci95"] or (None, None)),
                          diff["mean"], *(diff["ci95"] or (None, None)), *uncertain,
                          in_words(name, base_summary[name]["mean"], diff))])
    table.close()
    weekly_figure(results, folder / "weekly")
    difference_figure(results, folder / "differences", again=again)


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


#: The weekly figure's title and week axis, in English.
WEEKLY_TITLE = "Weekly medians with 50% and 90% bands over replicates"
WEEK_AXIS = "reported week (after the warm-up)"


def weekly_figure(results: list[ScenarioResult], path: Path | None = None,
                  title: str = WEEKLY_TITLE, headings: dict[str, str] | None = None,
                  week: str = WEEK_AXIS, decimal_comma: bool = False):
    """Weekly medians with 50% and 90% bands per scenario, a panel per figure.

    The reported weeks are drawn, 1 to ``weeks``; the warm-up before them is not.

    Saved as PNG and SVG at ``path`` if given; returns the figure. ``headings`` (by
    figure name, see :data:`WEEKLY_PANELS`), ``week`` and ``decimal_comma`` (for the
    axes' numbers) draw it for another language.
    """
    plt = _pyplot()
    figure, grid = plt.subplots(2, 3, figsize=(13, 7), sharex=True)
    for (name, heading), axes in zip(WEEKLY_PANELS, grid.flat, strict=True):
        heading = (headings or {}).get(name, heading)
        for i, result in enumerate(results):
            warmup = result.parameters["warmup_weeks"]  # drawn: the reported weeks
            series = np.array([w[name] for w in result.weekly], float)[:, warmup:]
            weeks = np.arange(1, series.shape[1] + 1)
            colour = f"C{i}"
            q = np.percentile(series, [5, 25, 50, 75, 95], axis=0)
            axes.fill_between(weeks, q[0], q[4], color=colour, alpha=0.12)
            axes.fill_between(weeks, q[1], q[3], color=colour, alpha=0.25)
            axes.plot(weeks, q[2], color=colour, label=result.scenario.name)
        axes.set_title(heading, fontsize=11)
        axes.grid(alpha=0.3)
        if decimal_comma:
            axes.yaxis.set_major_formatter(_comma_decimals)
    for axes in grid[1]:
        axes.set_xlabel(week)
    grid.flat[0].legend(fontsize=9)
    figure.suptitle(title)
    if path is not None:
        _save(figure, path)
    return figure


def _comma_decimals(value: float, _position: int) -> str:
    """An axis number with a decimal comma (Dutch)."""
    return f"{value:g}".replace(".", ",")


#: The difference figure's axis, ``{base}`` the base scenario's name.
DIFFERENCE_AXIS = ("difference from {base}, % of its mean (paired 95% interval; log scale "
                   "beyond 10%)")


def difference_figure(results: list[ScenarioResult], path: Path | None = None,
                      labels: Mapping[str, str] | None = None,
                      axis: str = DIFFERENCE_AXIS,
                      again: list[ScenarioResult] | None = None):
    """Each scenario's difference from the base with its paired 95% interval.

    Differences are shown as a percentage of the base's mean, so metrics of different
    units share one axis. Saved as PNG and SVG at ``path`` if given; returns the figure.
    ``labels`` (each metric's, by name; default its name) and ``axis`` (see
    :data:`DIFFERENCE_AXIS`) draw it for readers or another language. With ``again``
    (see :func:`report`) the differences and intervals are the table's, with what the
    model does not know.
    """
    plt = _pyplot()
    data = report(results, again)
    base_means = data["scenarios"][0]["metrics"]
    others = results[1:]
    figure, axes = plt.subplots(figsize=(9, 0.42 * len(METRICS) + 1.8))
    rows = np.arange(len(METRICS))
    height = 0.8 / max(len(others), 1)
    for i, result in enumerate(others):
        diffs = data["scenarios"][i + 1]["diff"]
        centre, low, high = [], [], []
        for metric in METRICS:
            scale = abs(base_means[metric.name]["mean"] or 0) or 1.0
            d = diffs[metric.name]
            mean = (d["mean"] or 0.0) / scale * 100
            interval = d["ci95"] or [d["mean"] or 0.0] * 2
            centre.append(mean)
            low.append(mean - interval[0] / scale * 100)
            high.append(interval[1] / scale * 100 - mean)
        axes.barh(rows + i * height, centre, height=height, xerr=[low, high],
                  color=f"C{i + 1}", label=result.scenario.name, alpha=0.8)
    axes.set_xscale("symlog", linthresh=10)  # readable from 1% to 1000%
    axes.axvline(0, color="black", linewidth=0.8)
    axes.set_yticks(rows + height * (len(others) - 1) / 2,
                    [(labels or {}).get(m.name, m.name) for m in METRICS])
    axes.invert_yaxis()
    axes.set_xlabel(axis.format(base=results[0].scenario.name))
    axes.legend(fontsize=9)
    axes.grid(axis="x", alpha=0.3)
    if path is not None:
        _save(figure, path)
    return figure


def _save(figure, path: Path) -> None:
    figure.tight_layout()
    for suffix in (".png", ".svg"):
        figure.savefig(path.with_suffix(suffix), dpi=120)
