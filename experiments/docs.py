"""Generated parts of ``docs/ODD.md``: the parameter and metric tables.

The tables are written from the declarations in :mod:`model.parameters` and
:mod:`model.metrics` between marker comments, so the document cannot drift from
the code; a test checks that it is up to date.
"""

from __future__ import annotations

from pathlib import Path

from model.metrics import METRICS
from model.parameters import GROUPS, specs

ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"


def parameter_table() -> str:
    """The parameter table in Markdown, grouped as in :data:`GROUPS`."""
    lines = []
    for group in GROUPS:
        lines += [f"\n**{group.capitalize()}**\n",
                  "| name | default | unit | range | label (en / nl) | source or assumption |",
                  "|---|---|---|---|---|---|"]
        for name, (default, kind, spec) in specs().items():
            if spec.group != group:
                continue
            shown = str(default).lower() if kind is bool else f"{default:g}"
            allowed = "true / false" if kind is bool else f"{spec.low:g} to {spec.high:g}"
            lines.append(f"| `{name}` | {shown} | {spec.unit} | {allowed} | {spec.en} / "
                         f"{spec.nl} | {spec.source} |")
    return "\n".join(lines).strip("\n")


def metric_table() -> str:
    """The metric definitions in Markdown."""
    lines = ["| metric | unit | definition |", "|---|---|---|"]
    lines += [f"| `{m.name}` | {m.unit} | {m.definition} |" for m in METRICS]
    return "\n".join(lines)


SECTIONS = {"PARAMETERS": parameter_table, "METRICS": metric_table}


def render(text: str) -> str:
    """``text`` with every generated section replaced by its current content."""
    for key, make in SECTIONS.items():
        begin, end = f"<!-- BEGIN {key} (generated) -->", f"<!-- END {key} -->"
        head, found, rest = text.partition(begin)
        if not found:
            raise ValueError(f"{ODD}: marker {begin} missing")
        _, found, tail = rest.partition(end)
        if not found:
            raise ValueError(f"{ODD}: marker {end} missing")
        text = f"{head}{begin}\n{make()}\n{end}{tail}"
    return text


def stale() -> Path | None:
    """The ODD path if its generated sections are out of date, else None."""
    text = ODD.read_text(encoding="utf-8")
    return ODD if render(text) != text else None


def update() -> Path:
    """Rewrite the generated sections of the ODD document; returns its path."""
    ODD.write_text(render(ODD.read_text(encoding="utf-8")), encoding="utf-8")
    return ODD
