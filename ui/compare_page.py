"""The Compare page: 2 to 4 scenarios, paired replicates in the background.

Results are weekly medians with bands and every metric's difference from the base in
plain words, with downloads; the page address encodes the comparison.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import shlex
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

import solara

from experiments import compare, uncertainty
from experiments.handout import changes, handout
from experiments.output import OutputError, shown
from experiments.replicates import run_scenarios
from experiments.scenarios import (
    MAX_FILE_BYTES,
    MAX_NAME,
    Scenario,
    ScenarioError,
    available,
    check_name,
    dumps,
    load_shipped,
    loads,
)
from model.metrics import METRICS
from model.parameters import ParameterError, parse_value, specs
from ui.i18n import (
    COMPARISON_WORDS,
    HANDOUT_TEXTS,
    decimal_mark,
    figure_headings,
    metric_label,
    number,
    parameter_label,
    refusal,
    t,
)

#: Scenarios saved from the Explore page or uploaded, in this browser session.
saved_scenarios: solara.Reactive[dict[str, Scenario]] = solara.reactive({})
#: The replicates and weeks a comparison may ask for: (lowest, default, highest). The
#: sliders and the page address share them, so a link cannot hold the server longer
#: than the page's own controls can. Including what the model is unsure of (on by
#: default where a posterior ships), the default is the most, the replicates of
#: ``compare --posterior``: enough parameter sets to read each interval off their own
#: effects (:data:`experiments.uncertainty.FREE_DRAWS`).
REPLICATES = (2, 10, 40)
REPLICATES_UNSURE = (2, uncertainty.POSTERIOR_REPLICATES, 40)
WEEKS = (26, 104, 260)
#: Longest text of scenarios a link may carry (``x=``), and the most it may unpack to:
#: four scenario files at their size limit, with room for the list around them.
MAX_LINK_CHARS = 128 * 1024
MAX_LINK_BYTES = 4 * MAX_FILE_BYTES + 4096
#: Most scenario names an address may list (Compare takes 4; more are not read).
MAX_PICKS = 8
#: A row of controls that wraps on a phone rather than running off the screen.
WRAP = {"flex-wrap": "wrap", "gap": "8px"}
#: The parameters that set an organisation's size, hence a run's cost, and how many
#: times the largest shipped value a session scenario may have in the app.
APP_SIZE = ("professionals", "arrivals_per_week", "weeks")
APP_SCALE = 2


class Cancelled(Exception):  # noqa: N818 (a signal, not an error)
    """The user cancelled the comparison."""


def resolve(name: str) -> Scenario:
    """A scenario of this session (saved or uploaded), or a shipped one; never a path."""
    return saved_scenarios.value.get(name) or load_shipped(name)


def check_session_scenario(scenario: Scenario) -> None:
    """Refuse a session scenario the app will not keep.

    Its name may not be a shipped scenario's (it would hide it), and its organisation
    may be at most :data:`APP_SCALE` times the largest shipped one, so that one link or
    upload cannot hold the server for hours (the command line runs any size).

    Raises:
        ScenarioError: Naming the problem.
    """
    check_name(scenario.name)
    if scenario.name in available():
        raise ScenarioError(f"'{scenario.name}' is the name of a shipped scenario; give "
                            "yours another name")
    values = scenario.parameters().to_dict()
    for name, most in app_limits().items():
        if values[name] > most:
            raise ScenarioError(f"{scenario.name}: {name}={values[name]:g} is more than the "
                                f"app runs (at most {most:g}); use the command line")
        for event in scenario.events:  # nor from some week on
            value = event["parameters"].get(name)
            if value is not None and value > most:
                raise ScenarioError(f"{scenario.name}: an event sets {name}={value:g} from "
                                    f"week {event['week']}, more than the app runs (at most "
                                    f"{most:g}); use the command line")


@cache
def app_limits() -> dict[str, float]:
    """The largest organisation the app runs: per size parameter, its highest value."""
    shipped = [load_shipped(name).parameters().to_dict() for name in available()]
    return {name: APP_SCALE * max(p[name] for p in shipped) for name in APP_SIZE}


def keep(scenario: Scenario) -> None:
    """Keep a scenario of this session for Compare (and Explore's picker).

    Raises:
        ScenarioError: See :func:`check_session_scenario`.
    """
    check_session_scenario(scenario)
    saved_scenarios.set({**saved_scenarios.value, scenario.name: scenario})


def describe(name: str, lang: str) -> str:
    """What a scenario is, in the page's language (empty if it cannot be found)."""
    try:
        description = resolve(name).description
    except ScenarioError:
        return ""
    return description.get(lang) or description.get("en", "")


@cache
def shipped_posterior():
    """The posterior that ships with the model, or None if this copy has none."""
    try:
        return uncertainty.load(uncertainty.SHIPPED)
    except OutputError:
        return None


def run_comparison(names: list[str], replicates: int, weeks: int,
                   progress: Callable[[int, int], None] | None = None, posterior=None,
                   ) -> tuple[list, dict[str, str], list | None]:
    """Run each scenario's replicates, one scenario after the other.

    Every scenario gets the same replicate seeds (common random numbers), so the paired
    differences hold as in one run. A scenario whose run fails is left out and its error
    kept, so the rest of the comparison still shows.

    Args:
        names: Scenario names, the base first.
        replicates: Replicates per scenario.
        weeks: Reported weeks per run, after each scenario's own warm-up (its
            ``warmup_weeks``, chosen for it by MSER-5: docs/ODD.md, section 5), as
            ``verbinding compare`` runs them.
        progress: Called with ``(done, total)`` replicates; may raise to cancel.
        posterior: With a posterior (:mod:`experiments.uncertainty`), replicate ``k``
            runs with draw ``k`` of the calibrated parameters, the same in every
            scenario, and every draw runs again with other seeds (twice the runs).

    Returns:
        The results of the scenarios that ran, the error of each that failed, and with
        a posterior the second runs of the draws (else None).
    """
    results, failed, again = [], {}, [] if posterior is not None else None
    sets = 1 if posterior is None else 2
    total = len(names) * replicates * sets
    draws = None if posterior is None else uncertainty.draws(posterior, replicates, seed=1)
    for i, name in enumerate(names):
        def report(done: int, _: int, before: int = i * replicates * sets) -> None:
            if progress is not None:
                progress(before + done, total)

        try:
            scenario = resolve(name).with_overrides(weeks=weeks)   # its own warm-up
            ran = run_scenarios([scenario], replicates, seed=1, progress=report, draws=draws)
            if posterior is not None:
                again += run_scenarios([scenario], replicates, uncertainty.second_seed(1),
                                       progress=lambda d, n: report(replicates + d, n),
                                       draws=draws)
            results += ran
        except Cancelled:
            raise
        except Exception as error:  # any failure is shown, the rest kept
            failed[name] = str(error)
    return results, failed, again


def encode_saved(names: list[str]) -> str:
    """The saved scenarios among ``names`` as address-safe text (for shared links)."""
    chosen = [dumps(saved_scenarios.value[n]) for n in names if n in saved_scenarios.value]
    if not chosen:
        return ""
    return base64.urlsafe_b64encode(zlib.compress(json.dumps(chosen).encode())).decode()


class LinkError(ValueError):
    """Scenarios in a link that cannot be used; ``key`` and ``fields`` make the message."""

    def __init__(self, key: str, **fields) -> None:
        super().__init__(key)
        self.key, self.fields = key, fields


def decode_saved(text: str) -> dict[str, Scenario]:
    """Scenarios from a shared link, each checked like an upload, touching no file.

    The link is unpacked with a bound, so a small link cannot expand to gigabytes.

    Raises:
        LinkError: If the text is damaged, too large, or holds a refused scenario.
    """
    if not text:
        return {}
    if len(text) > MAX_LINK_CHARS:
        raise LinkError("link_too_large", n=MAX_LINK_BYTES // 1024)
    try:
        unpacker = zlib.decompressobj()
        data = unpacker.decompress(base64.urlsafe_b64decode(text.encode()), MAX_LINK_BYTES)
    except (ValueError, zlib.error):
        raise LinkError("link_damaged") from None
    if unpacker.unconsumed_tail:
        raise LinkError("link_too_large", n=MAX_LINK_BYTES // 1024)
    try:
        files = json.loads(data) if unpacker.eof else None
    except (ValueError, RecursionError):
        files = None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise LinkError("link_damaged")
    shared = {}
    for file in files[:4]:
        scenario = loads(file, label="shared link")
        check_session_scenario(scenario)
        shared[scenario.name] = scenario
    return shared


@dataclass
class Request:
    """A comparison asked for by a page address, and what in it was refused."""

    picks: list[str]
    replicates: int
    weeks: int
    shared: dict[str, Scenario]
    problems: list[str]
    unsure: bool


def read_address(query: dict[str, str], lang: str) -> Request:
    """The comparison a page address asks for, every value checked like its control.

    A value out of range or not a number is replaced by the nearest allowed (or the
    default) and said in ``problems``; a scenario that is neither shipped, saved in this
    session nor carried by the link is left out; nothing names a file.
    """
    problems: list[str] = []
    try:
        shared = decode_saved(query.get("x", ""))
    except LinkError as error:
        shared = {}
        why = t(error.key, lang).format(**error.fields)
        problems.append(t("address_link", lang).format(why=why))
    except ScenarioError as error:
        shared = {}
        problems.append(t("address_link", lang).format(why=refusal(error, lang)))
    known = {*available(), *saved_scenarios.value, *shared}
    picks = []
    for name in query.get("s", "care,care-high-caseload").split(",")[:MAX_PICKS]:
        if name in known and name not in picks:
            picks.append(name)
        elif name not in known:
            problems.append(t("address_scenario", lang).format(name=shown(name)))
    unsure = _address_number(query, "u", "unsure", (0, 1, 1), lang, problems) == 1
    unsure = unsure and shipped_posterior() is not None
    replicates = _address_number(query, "r", "replicates",
                                 REPLICATES_UNSURE if unsure else REPLICATES, lang, problems)
    weeks = _address_number(query, "w", "weeks", WEEKS, lang, problems)
    return Request(picks, replicates, weeks, shared, problems, unsure)


def _address_number(query: dict[str, str], key: str, label: str, allowed: tuple[int, ...],
                    lang: str, problems: list[str]) -> int:
    """A whole number from the address within ``allowed = (low, default, high)``."""
    low, default, high = allowed
    if key not in query:
        return default
    text = query[key]
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is not None and low <= value <= high:
        return value
    used = default if value is None else min(max(value, low), high)
    problems.append(t("address_number", lang).format(
        name=t(label, lang), value=shown(text, 20), low=low, high=high, used=used))
    return used


def comparison_table(results, lang: str, again=None, data=None) -> list[dict]:
    """One row per metric and compared scenario, in words.

    ``clearly_different`` says whether the paired 95% interval leaves out zero. With
    ``again`` (:func:`run_comparison` with a posterior) the intervals hold the model's
    uncertainty too. ``data`` is their :func:`experiments.compare.report`, when made.
    """
    data = data or compare.report(results, again)
    base = data["scenarios"][0]["metrics"]
    rows = []
    for entry in data["scenarios"][1:]:
        for metric in METRICS:
            value, diff = entry["metrics"][metric.name]["mean"], entry["diff"][metric.name]
            low, high = diff["ci95"] or (None, None)
            rows.append({
                "scenario": entry["name"], "metric": metric_label(metric.name, lang),
                "base": base[metric.name]["mean"], "value": value,
                "difference": compare.in_words(metric.name, base[metric.name]["mean"], diff,
                                               COMPARISON_WORDS.get(lang, compare.WORDS)),
                "clearly_different": compare.clearly_different(diff),
                "diff_mean": diff["mean"], "diff_ci95_low": low, "diff_ci95_high": high})
    return rows


def table_csv(rows: list[dict], results=None, posterior: bool = False) -> str:
    """The table as CSV text, with what made it when ``results`` are given.

    Every row then also carries the seed, replicates, reported weeks and warm-up, whether
    the posterior was used, and the scenario's parameters that differ from the base's.
    """
    import csv

    if results is not None:
        first = results[0].parameters
        made = {"seed": 1, "replicates": len(results[0].metrics), "weeks": first["weeks"]}
        changed = {r.scenario.name: "; ".join(changes(r, results[0])) for r in results}
        warmup = {r.scenario.name: r.parameters["warmup_weeks"] for r in results}
        rows = [{**row, **made, "warmup_weeks": warmup.get(row["scenario"], ""),
                 "posterior": posterior, "changes_from_base": changed.get(row["scenario"], "")}
                for row in rows]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def what_if(base: Scenario, changed: dict[str, Any], from_week: int | None = None
            ) -> Scenario:
    """A scenario made on top of ``base`` by changing some levers, named by the changes.

    Its name lists the parameters changed and their values (shortened to a number if
    too long); its description says, in both languages, what each was in the base.
    With ``from_week``, the changes come from that reported week on (a timeline: an
    event, as in a scenario file), the base's settings before it.

    Raises:
        ParameterError: For a value out of range, an impossible combination, or a
            change that cannot be made mid-run.
        ScenarioError: If the scenario could not be kept (see :func:`keep`).
    """
    if from_week is None:
        made = base.with_overrides(**changed)
    else:
        made = base.with_events({"week": from_week, "parameters": changed})
    before = base.parameters().to_dict()
    parts = [f"{name} {_shown_value(value)}" for name, value in changed.items()]
    when = "" if from_week is None else f" from week {from_week}"
    name = " + ".join([base.name, *parts]) + when
    if len(name) > MAX_NAME:
        name = f"{base.name} + {len(changed)} changes{when}"[:MAX_NAME]

    def described(lang: str) -> str:
        said = [t("instead_of", lang).format(label=parameter_label(n, lang),
                                              value=_shown_value(v, lang),
                                              before=_shown_value(before[n], lang))
                for n, v in changed.items()]
        start = "" if from_week is None else " " + t("from_week", lang).format(week=from_week)
        return f"{base.name}, " + "; ".join(said) + start

    return dataclasses.replace(made, name=name, path=None,
                               description={"en": described("en"), "nl": described("nl")})


def _shown_value(value: Any, lang: str = "en") -> str:
    """A setting as a sentence shows it (``en``: also as typed on the command line)."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return decimal_mark(f"{value:g}", lang) if isinstance(value, float) else f"{value}"


#: The prices of the costs (README, "Compare"): a what-if may change them too.
PRICES = ("hourly_cost", "turnover_cost", "automation_licence", "automated_contact_cost",
          "overtime_paid_share", "cover_cost_share")


@solara.component
def WhatIf(names: list[str], lang: str, on_made: Callable[[str], None]):
    """Build a scenario on a base by changing levers in the page, and pick it.

    Values are typed as on the command line (``--set``) and checked at once; the new
    scenario is kept for this session and carried by the page address.
    """
    base = solara.use_reactive(names[0])
    levers = {parameter_label(n, lang): n for n, (_, _, spec) in specs().items()
              if (spec.group == "levers" and n != "weeks") or n in PRICES}
    lever = solara.use_reactive(next(iter(levers)))
    text = solara.use_reactive("")
    week = solara.use_reactive("")
    changed = solara.use_reactive({})
    problem = solara.use_reactive("")

    def add() -> None:
        name = levers[lever.value]
        try:
            value = parse_value(name, text.value.replace(",", "."))
            resolve(base.value).with_overrides(**changed.value, **{name: value})
        except (ParameterError, ScenarioError) as error:
            problem.set(refusal(error, lang))
            return
        problem.set("")
        changed.set({**changed.value, name: value})
        text.set("")

    def make() -> None:
        try:
            start = int(week.value) if week.value.strip() else None
        except ValueError:
            problem.set(f"{t('what_if_week', lang)}: {t('not_a_number', lang)}")
            return
        try:
            scenario = what_if(resolve(base.value), changed.value, start)
            keep(scenario)
        except (ParameterError, ScenarioError) as error:
            problem.set(refusal(error, lang))
            return
        changed.set({})
        on_made(scenario.name)

    current = resolve(base.value).parameters().to_dict() if base.value in names else {}
    with solara.Card(t("what_if", lang), style={"margin": "12px 0"}):
        solara.Text(t("what_if_hint", lang))
        solara.Select(t("what_if_base", lang), values=names, value=base)
        with solara.Row(style={**WRAP, "align-items": "center"}):
            solara.Select(t("what_if_lever", lang), values=list(levers), value=lever)
            solara.InputText(t("what_if_value", lang).format(
                now=_shown_value(current.get(levers[lever.value], ""))
                if current else ""), value=text, continuous_update=True)
            solara.Button(t("what_if_add", lang), on_click=add, disabled=not text.value)
        for name, value in changed.value.items():
            solara.Text(f"{parameter_label(name, lang)}: {_shown_value(value, lang)}")
        solara.InputText(t("what_if_week", lang), value=week, continuous_update=True)
        with solara.Row(style=WRAP):
            solara.Button(t("what_if_make", lang), color="primary", on_click=make,
                          disabled=not changed.value)
            solara.Button(t("what_if_clear", lang), text=True,
                          on_click=lambda: changed.set({}), disabled=not changed.value)
        if problem.value:
            solara.Error(problem.value)


@solara.component
def Compare(lang: str, query: dict):
    """The Compare page; ``query`` holds the comparison from the page address."""
    request = solara.use_memo(lambda: read_address(query, lang), [])
    shared = request.shared
    names = available() + sorted({*saved_scenarios.value, *shared})
    picks = solara.use_reactive(request.picks)
    replicates = solara.use_reactive(request.replicates)
    weeks = solara.use_reactive(request.weeks)
    posterior = shipped_posterior()
    unsure = solara.use_reactive(request.unsure)
    progress = solara.use_reactive(0.0)
    results = solara.use_reactive(None)
    problems = solara.use_reactive([])
    cancel = solara.use_memo(threading.Event, [])
    router = solara.use_router()

    def run():
        cancel.clear()
        problems.set([])
        progress.set(0.0)

        def report(done: int, total: int) -> None:
            progress.set(done / total)
            if cancel.is_set():
                raise Cancelled

        try:
            ran, failed, again = run_comparison(picks.value, replicates.value, weeks.value,
                                                report, posterior if unsure.value else None)
        except Cancelled:
            problems.set([t("cancelled", lang)])  # the comparison shown before is kept
            return
        shown = [f"{t('error', lang)} ({name}): {refusal(problem, lang)}"
                 for name, problem in failed.items()]
        if len(ran) >= 2 and picks.value[0] not in failed:  # the base and one more ran
            results.set((ran, again))
        else:
            shown.append(t("nothing_to_compare", lang))
        problems.set(shown)

    task = solara.lab.use_task(run, dependencies=None, prefer_threaded=True)
    valid = 2 <= len(picks.value) <= 4
    address = "?" + urlencode({"lang": lang, "s": ",".join(picks.value),
                               "r": replicates.value, "w": weeks.value,
                               "u": int(unsure.value), "run": 1,
                               "x": encode_saved(picks.value)})

    def run_if_shared() -> None:   # a shared link opens with its comparison run
        for scenario in shared.values():
            keep(scenario)
        if query.get("run") == "1" and valid:
            task()

    solara.use_effect(run_if_shared, [])
    solara.use_effect(lambda: cancel.set, [])  # a page closed stops its comparison

    with solara.Column(style={"font-size": "18px", "padding": "12px"}):
        solara.Markdown(f"## {t('compare', lang)}")
        for problem in request.problems:
            solara.Warning(problem)
        solara.SelectMultiple(t("scenarios", lang), all_values=names, values=picks)
        for name in picks.value:  # text, never Markdown: a description may come from a link
            with solara.Div(style={"margin-left": "12px"}):
                solara.Text(name, style={"font-weight": "bold"})
                solara.Text(f": {describe(name, lang)}")
        solara.Div(style={"height": "28px"})  # room for the sliders' value bubbles
        with solara.Row(style=WRAP):
            solara.SliderInt(t("replicates", lang), value=replicates, min=REPLICATES[0],
                             max=REPLICATES[-1], thumb_label="always")
            solara.SliderInt(t("weeks", lang), value=weeks, min=WEEKS[0], max=WEEKS[-1],
                             thumb_label="always")
        solara.Checkbox(label=t("unsure", lang), value=unsure, disabled=posterior is None)
        if posterior is None:
            solara.Text(t("unsure_missing", lang))
        with solara.Row(style=WRAP):
            solara.Button(t("run", lang), color="primary", on_click=task,
                          disabled=task.pending or not valid)
            solara.Button(t("cancel", lang), on_click=cancel.set, disabled=not task.pending)
            solara.Button(t("share", lang), text=True,
                          on_click=lambda: router.push(f"/compare{address}"))
        if not valid:
            solara.Warning(t("pick", lang))
        if task.pending:
            solara.Text(f"{t('running', lang)}: {100 * progress.value:.0f}%")
            solara.ProgressLinear(value=100 * progress.value)
        for problem in problems.value:
            solara.Error(problem)
        ChangesFromBase(picks.value, lang)

        def made(name: str) -> None:
            chosen = [*picks.value[:3], name]   # at most 4; the base stays first
            picks.set(chosen)
            router.push("/compare?" + urlencode({
                "lang": lang, "s": ",".join(chosen), "r": replicates.value,
                "w": weeks.value, "u": int(unsure.value), "x": encode_saved(chosen)}))

        WhatIf(names, lang, made)
        if results.value:
            Results(*results.value, lang)


@solara.component
def ChangesFromBase(picks: list[str], lang: str):
    """What each picked scenario changes from the first, as text (never Markdown)."""
    if len(picks) < 2:
        return
    try:
        scenarios = [resolve(name) for name in picks]
    except ScenarioError:
        return
    base = scenarios[0].parameters().to_dict()
    with solara.Column(style={"margin": "8px 0 0 12px", "gap": "2px"}):
        solara.Text(t("changes_from_base", lang), style={"font-weight": "bold"})
        for scenario in scenarios[1:]:
            mine = scenario.parameters().to_dict()
            changed = [f"{parameter_label(n, lang)} {_shown_value(base[n], lang)} → "
                       f"{_shown_value(v, lang)}" for n, v in mine.items() if v != base[n]]
            if scenario.events:
                changed.append(t("with_events", lang).format(n=len(scenario.events)))
            solara.Text(f"{scenario.name}: " + ("; ".join(changed) or t("nothing", lang)))


@solara.component
def Results(results, again, lang: str):
    """Medians with bands, and the table of differences with downloads.

    With ``again``, the results ran with posterior draws (:func:`run_comparison`).
    """
    figure = solara.use_memo(lambda: compare.weekly_figure(
        results, title=t("weekly_title", lang), headings=figure_headings(lang),
        week=t("reported_week", lang), decimal_comma=lang == "nl"), [id(results), lang])
    data = solara.use_memo(lambda: compare.report(results, again), [id(results), id(again)])
    rows = comparison_table(results, lang, again, data)
    if again is not None:
        few = len(results[0].metrics) < uncertainty.FREE_DRAWS
        solara.Info(t("unsure_explained", lang) + (
            " " + t("unsure_few", lang).format(least=uncertainty.FREE_DRAWS,
                                               default=uncertainty.POSTERIOR_REPLICATES)
            if few else ""))
    with solara.Column(classes=["weekly-figure"]):   # scrolls sideways on a phone (app.py)
        solara.FigureMatplotlib(figure, format="png")
    png = io.BytesIO()
    figure.savefig(png, format="png", dpi=110)
    with solara.Row(style=WRAP):
        solara.FileDownload(table_csv(rows, results, again is not None),
                            filename="comparison.csv",
                            label=t("download_csv", lang))
        solara.FileDownload(png.getvalue(), filename="comparison.png",
                            label=t("download_png", lang))
        solara.FileDownload(lambda: report_html(results, again, lang).encode("utf-8"),
                            filename="comparison.html", label=t("download_report", lang))
    words = COMPARISON_WORDS.get(lang, compare.WORDS)
    with solara.Column(classes=["money"]):
        solara.Markdown(f"**{words['money']}**\n\n" + "\n".join(
            f"- **{entry['name']}** {compare.money_in_words(entry['diff'], words)}"
            for entry in data["scenarios"][1:]))
    header = (f"| {t('metric', lang)} | {t('scenario', lang)} | "
              f"{results[0].scenario.name} ({t('base', lang)}) | {t('value', lang)} | "
              f"{t('difference', lang)} |\n|---|---|---|---|---|\n")
    body = "\n".join(f"| {r['metric']} | {r['scenario']} | {_fmt(r['base'], lang)} | "
                     f"{_fmt(r['value'], lang)} | {_marked(r)} |" for r in rows)
    solara.Style(value_labels(lang))
    with solara.Column(classes=["differences"]):   # a block a row on a phone (app.py)
        solara.Markdown(header + body)


def value_labels(lang: str) -> str:
    """On a phone, where the table's rows stack, each value says whose it is."""
    label = {3: t("base", lang), 4: t("value", lang).lower()}
    return "@media (max-width: 700px) {" + "".join(
        f' .differences td:nth-child({n})::before {{ content: "{text}: "; color: #555; }}'
        for n, text in label.items()) + " }"


def report_html(results, again, lang: str) -> str:
    """The comparison as the handed-out HTML page, in the page's language.

    Its command makes the same comparison on the command line: the app's seed and
    weeks (each scenario with its own warm-up, as :func:`run_comparison` runs it).
    """
    first = results[0].parameters
    command = shlex.join(["verbinding", "compare", *(r.scenario.name for r in results),
                          "--replicates", str(len(results[0].metrics)), "--seed", "1",
                          "--weeks", str(first["weeks"]),
                          *(["--posterior"] if again is not None else [])])
    return handout(results, again, 1, command, HANDOUT_TEXTS[lang],
                   COMPARISON_WORDS.get(lang, compare.WORDS),
                   {m.name: metric_label(m.name, lang) for m in METRICS})


def _marked(row: dict) -> str:
    """The difference in words, in bold where it is clear (the interval leaves out 0)."""
    return f"**{row['difference']}**" if row["clearly_different"] else row["difference"]


def _fmt(value, lang: str) -> str:
    if value is None:
        return COMPARISON_WORDS.get(lang, compare.WORDS)["missing"]
    return number(value, lang)
