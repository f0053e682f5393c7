"""Generated parts of ``docs/ODD.md``, written between marker comments.

The parameter and metric tables come from the declarations in
:mod:`model.parameters` and :mod:`model.metrics`, and the calibration section from the
shipped calibration's report, so the document cannot drift from the code
(``verbinding docs --check`` runs in ``make test``). The validation report and
sensitivity screen are written by ``verbinding validate --odd``.
"""

from __future__ import annotations

from pathlib import Path

from model.metrics import METRICS
from model.parameters import GROUPS, LIMITS, specs

ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"


def parameter_table() -> str:
    """The parameter table in Markdown, grouped as in :data:`GROUPS`."""
    lines = []
    for group in GROUPS:
        lines += [f"\n**{group.capitalize()}**\n",
                  "| name | default | unit | range | mid-run | label (en / nl) | "
                  "source or assumption |",
                  "|---|---|---|---|---|---|---|"]
        for name, (default, kind, spec) in specs().items():
            if spec.group != group:
                continue
            shown = str(default).lower() if kind is bool else f"{default:g}"
            allowed = "true / false" if kind is bool else f"{spec.low:g} to {spec.high:g}"
            prior = spec.prior and (f" *Prior*: {spec.prior.shape}, {spec.prior.low:g} to "
                                    f"{spec.prior.high:g}. {spec.prior.why}")
            lines.append(f"| `{name}` | {shown} | {spec.unit} | {allowed} | "
                         f"{'yes' if spec.mid_run else 'no'} | {spec.en} / {spec.nl} | "
                         f"{spec.source}{prior or ''} |")
    lines += ["\n*mid-run*: whether a scenario's events (section 3) may change the value "
              "during a run."]
    lines += ["\n**Combinations that cannot be** (refused like a value out of range)\n"]
    lines += [f"- `{limit.low}` {'below' if limit.strict else 'at most'} `{limit.high}`: "
              f"{limit.en}." for limit in LIMITS]
    return "\n".join(lines).strip("\n")


def metric_table() -> str:
    """The metric definitions in Markdown."""
    lines = ["| metric | unit | definition |", "|---|---|---|"]
    lines += [f"| `{m.name}` | {m.unit} | {m.definition} |" for m in METRICS]
    return "\n".join(lines)


#: The calibration that ships: its report is the ODD's calibration section.
CALIBRATION = ODD.parent.parent / "scenarios" / "calibration" / "report.md"


def calibration_report() -> str:
    """The shipped calibration's report (``verbinding calibrate``), as Markdown."""
    if not CALIBRATION.is_file():
        return "No calibration ships yet: run `verbinding calibrate` (README, \"Calibration\")."
    return CALIBRATION.read_text(encoding="utf-8").strip("\n")


SECTIONS = {"PARAMETERS": parameter_table, "METRICS": metric_table,
            "CALIBRATION": calibration_report}


def replace_section(text: str, key: str, content: str) -> str:
    """``text`` with the section between the markers of ``key`` set to ``content``.

    Raises:
        ValueError: If the markers are missing.
    """
    begin, end = f"<!-- BEGIN {key} (generated) -->", f"<!-- END {key} -->"
    head, found, rest = text.partition(begin)
    if not found:
        raise ValueError(f"{ODD}: marker {begin} missing")
    _, found, tail = rest.partition(end)
    if not found:
        raise ValueError(f"{ODD}: marker {end} missing")
    return f"{head}{begin}\n{content}\n{end}{tail}"


def render(text: str) -> str:
    """``text`` with the sections made from the declarations brought up to date."""
    for key, make in SECTIONS.items():
        text = replace_section(text, key, make())
    return text


def stale() -> Path | None:
    """The ODD path if its declaration tables are out of date, else None."""
    text = ODD.read_text(encoding="utf-8")
    return ODD if render(text) != text else None


def update() -> Path:
    """Rewrite the declaration tables of the ODD document; returns its path."""
    ODD.write_text(render(ODD.read_text(encoding="utf-8")), encoding="utf-8")
    return ODD


def write_section(key: str, content: str) -> Path:
    """Replace one generated section (e.g. the validation report) in the ODD document."""
    ODD.write_text(replace_section(ODD.read_text(encoding="utf-8"), key, content),
                   encoding="utf-8")
    return ODD
