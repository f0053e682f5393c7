"""A comparison as one self-contained HTML page to hand out: ``compare --report FILE``.

The page holds what a reader needs without the tool: the scenarios and what each
changes from the base, the seed, replicates and weeks, the figures (inline SVG), every
outcome's difference from the base in plain words with its interval, the code that
made it, and the one command that makes it again. The app's Compare page offers the
same page for download. Nothing in it is fetched from elsewhere, and every text from a
scenario (names, descriptions, files) is escaped.
"""

from __future__ import annotations

import html
import io
from collections.abc import Mapping
from datetime import UTC, datetime

from experiments.compare import (
    DIFFERENCE_AXIS,
    WEEK_AXIS,
    WEEKLY_TITLE,
    WORDS,
    difference_figure,
    figure,
    in_words,
    money_in_words,
    report,
    weekly_figure,
)
from experiments.provenance import provenance
from experiments.replicates import ScenarioResult
from experiments.scenarios import dumps
from experiments.uncertainty import FREE_DRAWS, POSTERIOR_REPLICATES
from model.metrics import METRICS

#: The page's own words; the app passes the same keys in Dutch.
TEXTS = {
    "lang": "en", "title": "Verbinding: comparison", "made": "Made",
    "by": "by Verbinding", "model_code": "model code", "seed": "root seed",
    "replicates": "replicates per scenario, paired (the same seeds in every scenario)",
    "weeks": "reported weeks after a warm-up of", "weeks_unit": "weeks",
    "again": "To make it again",
    "scenarios": "Scenarios", "scenario": "scenario", "what": "what it is",
    "changes": "what it changes from the base", "base": "the base",
    "nothing": "nothing", "events": "from week", "until": "until",
    "posterior": "Each replicate ran with a draw of the calibrated parameters from the "
                 "posterior (unless the command says --every-draw, only from the draws "
                 "with which the presets' teams stay below their tipping point), the same "
                 "draw in every scenario, and again with other seeds: "
                 "the intervals hold what the model does not know as well as chance.",
    "posterior_few": "With fewer than {least} replicates these intervals assume the "
                     "effects spread evenly about their mean, so a lopsided effect's may "
                     "reach values no run gives; {default} replicates read them off the "
                     "runs' own effects.",
    "noise": "The intervals hold chance alone (replicate noise) at the calibrated "
             "defaults, not what the model does not know; add --posterior for that.",
    "figures": "Figures", "differences": "Differences from the base",
    "outcome": "outcome", "base_value": "base", "files": "Scenario files",
    "files_note": "Save a file as NAME.toml to run it with the command above.",
}


def handout(results: list[ScenarioResult], again: list[ScenarioResult] | None,
            seed: int, command: str, texts: Mapping[str, str] = TEXTS,
            words: Mapping[str, str] = WORDS, labels: Mapping[str, str] | None = None,
            ) -> str:
    """The comparison as one HTML page.

    Args:
        results: Each scenario's replicates, the base first.
        again: With ``--posterior``, the same draws with other seeds (see
            :func:`experiments.compare.report`); else None.
        seed: The root seed.
        command: The command that makes the comparison again.
        texts: The page's words (:data:`TEXTS` in another language).
        words: The words of the differences (:data:`experiments.compare.WORDS`).
        labels: Each metric's label (default: its English one).
    """
    labels = labels or {m.name: m.en for m in METRICS}
    data = report(results, again)
    base = results[0]
    parts = [_heading(results, seed, command, again is not None, texts),
             _scenario_table(results, texts),
             f"<h2>{_e(texts['figures'])}</h2>",
             _svg(weekly_figure(results, title=texts.get("weekly_title", WEEKLY_TITLE),
                                headings=texts.get("headings"),
                                week=texts.get("week", WEEK_AXIS),
                                decimal_comma=words["decimal"] == ",")),
             _svg(difference_figure(results, labels=labels,
                                    axis=texts.get("difference_axis", DIFFERENCE_AXIS),
                                    again=again)),
             f"<h2>{_e(texts['differences'])}</h2>",
             _difference_table(data, base, texts, words, labels),
             _money(data, words),
             _scenario_files(results, texts)]
    return (f"<!DOCTYPE html>\n<html lang=\"{_e(texts['lang'])}\"><head><meta charset=\"utf-8\">"
            f"<title>{_e(texts['title'])}: {_e(', '.join(r.scenario.name for r in results))}"
            f"</title><style>{STYLE}</style></head><body>\n" + "\n".join(parts)
            + "\n</body></html>\n")


STYLE = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;"
         "line-height:1.45;color:#222}table{border-collapse:collapse;margin:1em 0;width:100%}"
         "th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
         "th{background:#f2f2f2}code,pre{background:#f6f6f6;padding:2px 4px}"
         "pre{padding:8px;overflow-x:auto}svg{max-width:100%;height:auto}")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _heading(results: list[ScenarioResult], seed: int, command: str, posterior: bool,
             texts: Mapping[str, str]) -> str:
    made = provenance()
    first = results[0].parameters
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (f"<h1>{_e(texts['title'])}: {_e(', '.join(r.scenario.name for r in results))}</h1>"
            f"<p>{_e(texts['made'])} {when} {_e(texts['by'])} {_e(made['version'])} "
            f"({_e(texts['model_code'])} <code>{_e(made['code_fingerprint'])}</code>); "
            f"{_e(texts['seed'])} {seed}; {len(results[0].metrics)} "
            f"{_e(texts['replicates'])}; {first['weeks']} {_e(texts['weeks'])} "
            f"{_e(_warmups(results, texts))}.</p>"
            f"<p>{_e(texts['posterior' if posterior else 'noise'])}"
            f"{_few(len(results[0].metrics), texts) if posterior else ''}</p>"
            f"<p>{_e(texts['again'])}:</p><pre>{_e(command)}</pre>")


def _few(draws: int, texts: Mapping[str, str]) -> str:
    """The note on intervals from fewer draws than read off their own effects."""
    return "" if draws >= FREE_DRAWS else " " + _e(texts["posterior_few"].format(
        least=FREE_DRAWS, default=POSTERIOR_REPLICATES))


def _warmups(results: list[ScenarioResult], texts: Mapping[str, str]) -> str:
    """The warm-up weeks: one number, or each scenario's when they differ."""
    weeks = {r.scenario.name: r.parameters["warmup_weeks"] for r in results}
    if len(set(weeks.values())) == 1:
        return f"{next(iter(weeks.values()))} {texts['weeks_unit']}"
    return ", ".join(f"{n} {texts['weeks_unit']} ({name})" for name, n in weeks.items())


def changes(result: ScenarioResult, base: ScenarioResult) -> list[str]:
    """What a scenario changes from the base: parameters (base value to its), events."""
    mine, theirs = result.scenario.parameters().to_dict(), base.scenario.parameters().to_dict()
    lines = [f"{name} {theirs[name]:g} → {value:g}" for name, value in mine.items()
             if value != theirs[name]]
    for event in result.scenario.events:
        if event not in base.scenario.events:
            values = ", ".join(f"{k} {v:g}" for k, v in event["parameters"].items())
            until = f"–{event['until']}" if event.get("until") is not None else ""
            lines.append(f"week {event['week']}{until}: {values}")
    return lines


def _scenario_table(results: list[ScenarioResult], texts: Mapping[str, str]) -> str:
    lang = texts["lang"]
    rows = []
    for i, result in enumerate(results):
        description = result.scenario.description.get(lang) or result.scenario.description.get(
            "en", "")
        changed = texts["base"] if i == 0 else (
            "<br>".join(_e(c) for c in changes(result, results[0])) or _e(texts["nothing"]))
        rows.append(f"<tr><td>{_e(result.scenario.name)}</td><td>{_e(description)}</td>"
                    f"<td>{changed}</td></tr>")
    return (f"<h2>{_e(texts['scenarios'])}</h2><table><tr><th>{_e(texts['scenario'])}</th>"
            f"<th>{_e(texts['what'])}</th><th>{_e(texts['changes'])}</th></tr>"
            + "".join(rows) + "</table>")


def _difference_table(data: dict, base: ScenarioResult, texts: Mapping[str, str],
                      words: Mapping[str, str], labels: Mapping[str, str]) -> str:
    others = data["scenarios"][1:]
    base_summary = data["scenarios"][0]["metrics"]
    head = "".join(f"<th>{_e(s['name'])}</th>" for s in others)
    rows = []
    for metric in METRICS:
        mean = base_summary[metric.name]["mean"]
        shown = "n/a" if mean is None else figure(mean, words)
        cells = "".join(f"<td>{_e(in_words(metric.name, mean, s['diff'][metric.name], words))}"
                        "</td>" for s in others)
        rows.append(f"<tr><td>{_e(labels[metric.name])}</td><td>{shown}</td>{cells}</tr>")
    return (f"<table><tr><th>{_e(texts['outcome'])}</th><th>{_e(texts['base_value'])}: "
            f"{_e(base.scenario.name)}</th>{head}</tr>" + "".join(rows) + "</table>")


def _money(data: dict, words: Mapping[str, str]) -> str:
    """What each scenario costs more or less a year than the base, and what it buys."""
    items = "".join(f"<li><b>{_e(s['name'])}</b> {_e(money_in_words(s['diff'], words))}</li>"
                    for s in data["scenarios"][1:])
    return f"<h2>{_e(words['money'])}</h2><ul>{items}</ul>"


def _scenario_files(results: list[ScenarioResult], texts: Mapping[str, str]) -> str:
    files = "".join(f"<h3>{_e(r.scenario.name)}.toml</h3><pre>{_e(dumps(r.scenario))}</pre>"
                    for r in results)
    return f"<h2>{_e(texts['files'])}</h2><p>{_e(texts['files_note'])}</p>{files}"


def _svg(figure) -> str:
    """A matplotlib figure as inline SVG (closed afterwards)."""
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    figure.tight_layout()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg"):]
