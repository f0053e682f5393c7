"""The Compare page: 2 to 4 scenarios, paired replicates in the background.

Results are weekly medians with bands and every metric's difference from the base in
plain words, with downloads; the page address encodes the comparison.
"""

from __future__ import annotations

import base64
import io
import json
import threading
import zlib
from collections.abc import Callable
from urllib.parse import urlencode

import solara

from experiments import compare
from experiments.replicates import run_scenarios
from experiments.scenarios import Scenario, ScenarioError, available, dumps, load, loads
from model.metrics import METRICS
from ui.i18n import COMPARISON_WORDS, figure_headings, metric_label, number, refusal, t

#: Scenarios saved from the Explore page in this browser session.
saved_scenarios: solara.Reactive[dict[str, Scenario]] = solara.reactive({})


class Cancelled(Exception):  # noqa: N818 (a signal, not an error)
    """The user cancelled the comparison."""


def resolve(name: str) -> Scenario:
    """A shipped scenario, or one saved from Explore in this session."""
    return saved_scenarios.value.get(name) or load(name)


def describe(name: str, lang: str) -> str:
    """What a scenario is, in the page's language (empty if it cannot be found)."""
    try:
        description = resolve(name).description
    except ScenarioError:
        return ""
    return description.get(lang) or description.get("en", "")


def run_comparison(names: list[str], replicates: int, weeks: int,
                   progress: Callable[[int, int], None] | None = None,
                   ) -> tuple[list, dict[str, str]]:
    """Run each scenario's replicates, one scenario after the other.

    Every scenario gets the same replicate seeds (common random numbers), so the paired
    differences hold as in one run. A scenario whose run fails is left out and its error
    kept, so the rest of the comparison still shows.

    Args:
        names: Scenario names, the base first.
        replicates: Replicates per scenario.
        weeks: Weeks per run (the warm-up is a quarter of them, at most 52).
        progress: Called with ``(done, total)`` replicates; may raise to cancel.

    Returns:
        The results of the scenarios that ran, and the error of each that failed.
    """
    results, failed = [], {}
    total = len(names) * replicates
    for i, name in enumerate(names):
        def report(done: int, _: int, before: int = i * replicates) -> None:
            if progress is not None:
                progress(before + done, total)

        try:
            scenario = resolve(name).with_overrides(weeks=weeks,
                                                    warmup_weeks=min(52, weeks // 4))
            results += run_scenarios([scenario], replicates, seed=1, progress=report)
        except Cancelled:
            raise
        except Exception as error:  # any failure is shown, the rest kept
            failed[name] = str(error)
    return results, failed


def encode_saved(names: list[str]) -> str:
    """The saved scenarios among ``names`` as address-safe text (for shared links)."""
    chosen = [dumps(saved_scenarios.value[n]) for n in names if n in saved_scenarios.value]
    if not chosen:
        return ""
    return base64.urlsafe_b64encode(zlib.compress(json.dumps(chosen).encode())).decode()


def decode_saved(text: str) -> dict[str, Scenario]:
    """Scenarios from a shared link, each checked like an upload; bad ones are skipped."""
    if not text:
        return {}
    try:
        files = json.loads(zlib.decompress(base64.urlsafe_b64decode(text.encode())))
        return {s.name: s for s in (loads(f, label="shared") for f in files[:4])}
    except (ValueError, zlib.error, ScenarioError, TypeError):
        return {}


def comparison_table(results, lang: str) -> list[dict]:
    """One row per metric and compared scenario, in words.

    ``clearly_different`` says whether the paired 95% interval leaves out zero.
    """
    data = compare.report(results)
    base = results[0].summary()
    rows = []
    for entry in data["scenarios"][1:]:
        for metric in METRICS:
            value = entry["metrics"][metric.name]["mean"]
            rows.append({
                "scenario": entry["name"], "metric": metric_label(metric.name, lang),
                "base": base[metric.name]["mean"], "value": value,
                "difference": compare.in_words(
                    metric.name, base[metric.name]["mean"], entry["diff"][metric.name],
                    COMPARISON_WORDS.get(lang, compare.WORDS)),
                "clearly_different": compare.clearly_different(entry["diff"][metric.name])})
    return rows


def table_csv(rows: list[dict]) -> str:
    """The table as CSV text."""
    import csv

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@solara.component
def Compare(lang: str, query: dict):
    """The Compare page; ``query`` holds the comparison from the page address."""
    shared = solara.use_memo(lambda: decode_saved(query.get("x", "")), [])
    names = available() + sorted({*saved_scenarios.value, *shared})
    picks = solara.use_reactive(query.get("s", "care,care-high-caseload").split(","))
    replicates = solara.use_reactive(int(query.get("r", 10)))
    weeks = solara.use_reactive(int(query.get("w", 104)))
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
            ran, failed = run_comparison(picks.value, replicates.value, weeks.value, report)
        except Cancelled:
            problems.set([t("cancelled", lang)])  # the comparison shown before is kept
            return
        shown = [f"{t('error', lang)} ({name}): {refusal(problem, lang)}"
                 for name, problem in failed.items()]
        if len(ran) >= 2 and picks.value[0] not in failed:  # the base and one more ran
            results.set(ran)
        else:
            shown.append(t("nothing_to_compare", lang))
        problems.set(shown)

    task = solara.lab.use_task(run, dependencies=None, prefer_threaded=True)
    valid = 2 <= len(picks.value) <= 4
    address = "?" + urlencode({"lang": lang, "s": ",".join(picks.value),
                               "r": replicates.value, "w": weeks.value, "run": 1,
                               "x": encode_saved(picks.value)})

    def run_if_shared() -> None:   # a shared link opens with its comparison run
        if shared:
            saved_scenarios.set({**saved_scenarios.value, **shared})
        if query.get("run") == "1" and valid:
            task()

    solara.use_effect(run_if_shared, [])

    with solara.Column(style={"font-size": "18px", "padding": "12px"}):
        solara.Markdown(f"## {t('compare', lang)}")
        solara.SelectMultiple(t("scenarios", lang), all_values=names, values=picks)
        solara.Markdown("\n".join(f"- **{name}**: {describe(name, lang)}"
                                   for name in picks.value))
        solara.Div(style={"height": "28px"})  # room for the sliders' value bubbles
        with solara.Row():
            solara.SliderInt(t("replicates", lang), value=replicates, min=2, max=40,
                             thumb_label="always")
            solara.SliderInt(t("weeks", lang), value=weeks, min=26, max=260,
                             thumb_label="always")
        with solara.Row():
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
        if results.value:
            Results(results.value, lang)


@solara.component
def Results(results, lang: str):
    """Medians with bands, and the table of differences with downloads."""
    figure = solara.use_memo(lambda: compare.weekly_figure(
        results, title=t("weekly_title", lang), headings=figure_headings(lang),
        week=t("week", lang), decimal_comma=lang == "nl"), [id(results), lang])
    rows = comparison_table(results, lang)
    solara.FigureMatplotlib(figure, format="png")
    png = io.BytesIO()
    figure.savefig(png, format="png", dpi=110)
    with solara.Row():
        solara.FileDownload(table_csv(rows), filename="comparison.csv",
                            label=t("download_csv", lang))
        solara.FileDownload(png.getvalue(), filename="comparison.png",
                            label=t("download_png", lang))
    header = (f"| {t('metric', lang)} | {t('scenario', lang)} | "
              f"{results[0].scenario.name} ({t('base', lang)}) | {t('value', lang)} | "
              f"{t('difference', lang)} |\n|---|---|---|---|---|\n")
    body = "\n".join(f"| {r['metric']} | {r['scenario']} | {_fmt(r['base'], lang)} | "
                     f"{_fmt(r['value'], lang)} | {_marked(r)} |" for r in rows)
    solara.Markdown(header + body)


def _marked(row: dict) -> str:
    """The difference in words, in bold where it is clear (the interval leaves out 0)."""
    return f"**{row['difference']}**" if row["clearly_different"] else row["difference"]


def _fmt(value, lang: str) -> str:
    if value is None:
        return COMPARISON_WORDS.get(lang, compare.WORDS)["missing"]
    return number(value, lang)
