"""Scenario files: a name, a description for policy makers, a domain, overrides.

A scenario file is TOML::

    name = "care-high-caseload"
    domain = "care"                      # care | education | work
    extends = "care"                     # optional: another scenario it builds on

    [description]
    en = "Fewer professionals, larger caseloads."
    nl = "Minder professionals, grotere caseloads."

    [parameters]
    professionals = 70
    caseload_cap = 45

    [[events]]                           # optional, repeatable: a change mid-run
    week = 104                           # from this reported week (1 = the first)
    until = 130                          # optional: the scenario's own values again
    [events.parameters]
    arrivals_per_week = 140

A variant takes everything of the scenario it extends and overrides what it names;
its events are added to those of the scenario it extends (see :mod:`model.events`
for what an event may change and when it applies).
On the command line, ``extends`` and a scenario may be a shipped scenario's name (a
file in ``scenarios/``) or a path to a ``.toml`` file; a scenario uploaded to the app
or carried by a link is parsed from its text and may extend a shipped scenario only.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from experiments.output import on_system_filesystem, shown
from model.events import MAX_EVENTS, check_events
from model.parameters import ParameterError, Parameters

#: The folder of shipped scenario files.
SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
DOMAINS = ("care", "education", "work")
#: Largest scenario file accepted (bytes); a scenario is a few hundred.
MAX_FILE_BYTES = 64 * 1024
#: Longest scenario name (characters): names head table columns and file contents.
MAX_NAME = 80
#: What a scenario name may hold: plain words, nothing a page, chart or terminal reads
#: as markup or a command.
NAME = re.compile(rf"[^\W_][\w .,'()+-]{{0,{MAX_NAME - 1}}}")
_KEYS = {"name", "domain", "extends", "description", "parameters", "events"}


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Scenario:
    """A resolved scenario: its overrides include those of the files it extends.

    Attributes:
        name: Short name, used in tables and file names.
        domain: ``care``, ``education`` or ``work``.
        description: ``{"en": ..., "nl": ...}``.
        overrides: Parameter values that differ from the defaults.
        path: The file it was read from (None if built in code).
        events: Parameter changes from given reported weeks, as plain data
            ``{"week", "until" (if given), "parameters"}`` (see :mod:`model.events`),
            those of the scenarios it extends first.
    """

    name: str
    domain: str
    description: dict[str, str]
    overrides: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    events: tuple[dict[str, Any], ...] = ()

    def parameters(self, **extra: Any) -> Parameters:
        """The full, validated parameter set, with ``extra`` overrides on top.

        Raises:
            ParameterError: If a value is out of range or a combination impossible.
        """
        return Parameters.from_mapping({**self.overrides, **extra})

    def with_overrides(self, **extra: Any) -> Scenario:
        """A copy with more parameter overrides (validated, the events with them)."""
        merged = {**self.overrides, **extra}
        return self._checked(merged, self.events)

    def with_events(self, *events: Any) -> Scenario:
        """A copy with more events after its own (validated)."""
        return self._checked(self.overrides, (*self.events, *events))

    def _checked(self, overrides: dict[str, Any], events: tuple) -> Scenario:
        p = Parameters.from_mapping(overrides)
        try:
            checked = tuple(e.to_dict() for e in check_events(events, p))
        except ParameterError as error:
            raise ParameterError(f"{self.name}: {error}", error.limit) from None
        return Scenario(self.name, self.domain, self.description, overrides, self.path,
                        checked)

    def run_overrides(self) -> dict[str, Any]:
        """The overrides a run takes (:func:`experiments.runner.simulate`).

        The events, as plain data, go with them under the key ``events``, if any.
        """
        if not self.events:
            return dict(self.overrides)
        return {**self.overrides, "events": [dict(e) for e in self.events]}


def available() -> list[str]:
    """Names of the shipped scenarios, sorted."""
    return sorted(path.stem for path in SCENARIO_DIR.glob("*.toml"))


def locate(reference: str, relative_to: Path | None = None) -> Path:
    """The file a scenario reference points to: a path, or a shipped scenario's name.

    Only regular files are read, never one on a system filesystem (``/proc``, ``/sys``,
    ``/dev``), whose files can block or claim a size of zero.

    Raises:
        ScenarioError: If no such file exists or it is on a system filesystem.
    """
    candidates = [Path(reference)]
    if relative_to is not None:
        candidates.insert(0, relative_to / reference)
    if not reference.endswith(".toml"):
        shipped = SCENARIO_DIR / f"{reference}.toml"
        # a shipped scenario's name means it, even if a file of that name is here
        candidates.insert(0 if reference in available() else len(candidates), shipped)
    for candidate in candidates:
        system = on_system_filesystem(candidate)
        if system is not None:
            raise ScenarioError(f"scenario '{shown(reference)}' is on the system filesystem "
                                f"{system}; give a .toml file or a shipped scenario's name")
        if candidate.is_file():
            return candidate.resolve()
        if candidate.exists():
            raise ScenarioError(f"scenario '{shown(reference)}' is not a regular file; give "
                                "a .toml file or a shipped scenario's name")
    raise ScenarioError(f"scenario '{shown(reference)}' not found; give a .toml path or one "
                        f"of: {', '.join(available())}")


#: Arrivals per week that stand in for those written in shipped presets' files, by
#: preset, while :func:`arrivals_as` holds them; empty: the files' own.
_ARRIVALS_AS: ContextVar[dict[str, float] | None] = ContextVar("arrivals_as", default=None)


@contextmanager
def arrivals_as(arrivals: dict[str, float]) -> Iterator[None]:
    """Read the shipped presets named in ``arrivals`` with these arrivals per week.

    For a calibration: its candidates' regime pilots start from the arrivals its
    settings record, not from the files, which ``--adopt`` rewrites, so that it gives
    the same numbers whenever it runs. A variant that extends such a preset takes the
    arrivals with it; a variant's own ``arrivals_per_week`` still wins. Per thread.

    Args:
        arrivals: Arrivals per week at the preset's own size, by preset name.
    """
    token = _ARRIVALS_AS.set(dict(arrivals))
    try:
        yield
    finally:
        _ARRIVALS_AS.reset(token)


def load(reference: str | Path, _chain: tuple[Path, ...] = ()) -> Scenario:
    """Read, check and resolve a scenario file, following ``extends`` (command line).

    Args:
        reference: A path or the name of a shipped scenario. ``extends`` in a file may
            also name a path, relative to that file.

    Raises:
        ScenarioError: For a missing or malformed file, unknown keys, a bad domain, an
            ``extends`` cycle, or parameters that are unknown or out of range.
    """
    base_dir = _chain[-1].parent if _chain else None
    path = locate(str(reference), base_dir)
    if path in _chain:
        cycle = " -> ".join(p.name for p in (*_chain, path))
        raise ScenarioError(f"{path.name}: scenario extends itself ({cycle})")
    data = _parse(_read_bounded(path), path.name)
    held = _ARRIVALS_AS.get() or {}
    if (path.stem in held and path == SCENARIO_DIR / path.name
            and isinstance(data.get("parameters", {}), dict)):
        data["parameters"] = {**data.get("parameters", {}),
                              "arrivals_per_week": held[path.stem]}
    return _resolve(data, path.name, path,
                    lambda parent: load(parent, (*_chain, path)))


def load_shipped(name: str) -> Scenario:
    """A shipped scenario by its name: the only scenarios the app reads from disk.

    Raises:
        ScenarioError: If ``name`` is not a shipped scenario (a path never is).
    """
    if name not in available():
        raise ScenarioError(f"unknown scenario '{shown(name)}'; shipped: "
                            f"{', '.join(available())}")
    return load(SCENARIO_DIR / f"{name}.toml")


def loads(text: str, label: str = "uploaded scenario") -> Scenario:
    """Parse a scenario from text (an upload or a shared link), touching no file.

    ``extends`` may name a shipped scenario only.

    Args:
        text: The TOML text.
        label: What the text is called in messages (a file name, say).

    Raises:
        ScenarioError: As :func:`load`, or if the text is too large.
    """
    label = shown(label)
    if len(text.encode()) > MAX_FILE_BYTES:
        raise ScenarioError(f"{label}: larger than {MAX_FILE_BYTES // 1024} KiB")

    def shipped_parent(reference: str) -> Scenario:
        if reference not in available():
            raise ScenarioError(f"{label}: extends '{shown(reference)}', but an uploaded or "
                                f"shared scenario can extend only a shipped one: "
                                f"{', '.join(available())}")
        return load_shipped(reference)

    return _resolve(_parse(text, label), label, None, shipped_parent)


def _read_bounded(path: Path) -> str:
    """A file's text, reading at most the size limit whatever the file claims."""
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(f"{path.name}: larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        return data.decode("utf-8-sig")  # a byte-order mark, as some editors write, is fine
    except UnicodeDecodeError:
        raise ScenarioError(f"{path.name}: not UTF-8 text") from None


def _parse(text: str, label: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{label}: malformed TOML: {error}") from None
    except RecursionError:
        raise ScenarioError(f"{label}: malformed TOML: nested too deeply") from None
    except ValueError:  # an integer of thousands of digits
        raise ScenarioError(f"{label}: malformed TOML: a number too long to read") from None


def _resolve(data: dict[str, Any], label: str, path: Path | None,
             parent_of: Callable[[str], Scenario]) -> Scenario:
    """Check a parsed scenario and merge it onto the scenario it extends."""
    unknown = set(data) - _KEYS
    if unknown:
        raise ScenarioError(f"{label}: unknown key '{shown(sorted(unknown)[0])}'; allowed "
                            f"keys are {', '.join(sorted(_KEYS))}")
    parent = None
    if "extends" in data:
        if not isinstance(data["extends"], str):
            raise ScenarioError(f"{label}: 'extends' must be a scenario's name")
        parent = parent_of(data["extends"])
    overrides = {**(parent.overrides if parent else {}), **_table(data, "parameters", label)}
    events = (*(parent.events if parent else ()), *_events(data, label))
    try:
        p = Parameters.from_mapping(overrides)
        events = tuple(event.to_dict() for event in check_events(events, p))
    except ParameterError as error:
        raise ScenarioError(f"{label}: {error}") from None
    default_name = path.stem if path is not None else "uploaded"
    return Scenario(
        name=_name(data, label, default_name),
        domain=_domain(data, label, parent),
        description=_description(data, label, parent),
        overrides=overrides,
        path=path,
        events=events,
    )


def _events(data: dict, label: str) -> list[dict[str, Any]]:
    """The ``[[events]]`` of a file, as tables (checked in full by ``check_events``)."""
    events = data.get("events", [])
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise ScenarioError(f"{label}: 'events' must be a list of tables ([[events]] with "
                            "week, until and [events.parameters])")
    if len(events) > MAX_EVENTS:
        raise ScenarioError(f"{label}: at most {MAX_EVENTS} events, not {len(events)}")
    return events


def _table(data: dict, key: str, label: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ScenarioError(f"{label}: '{key}' must be a table ([{key}])")
    return value


def check_name(name: Any, label: str = "scenario") -> str:
    """A scenario's name: letters, digits, spaces and ``- _ . , ' ( ) +``, at most 80 long.

    Names appear in tables, page text, chart titles and terminals, so markup (HTML,
    Markdown, TeX ``$``), path separators and control characters are refused.

    Raises:
        ScenarioError: Naming what is allowed.
    """
    allowed = (f"letters, digits, spaces and - _ . , ' ( ) +, at most {MAX_NAME} "
               "characters, starting with a letter or digit")
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(f"{label}: 'name' must be a non-empty string ({allowed})")
    if not NAME.fullmatch(name.strip()):
        raise ScenarioError(f"{label}: name '{shown(name)}' is not allowed; use {allowed}")
    return name.strip()


def _name(data: dict, label: str, default: str) -> str:
    return check_name(data.get("name", default), label)


def _domain(data: dict, label: str, parent: Scenario | None) -> str:
    domain = data.get("domain", parent.domain if parent else None)
    if domain not in DOMAINS:
        raise ScenarioError(f"{label}: domain must be one of {', '.join(DOMAINS)}, "
                            f"not {shown(repr(domain))}")
    return domain


def _description(data: dict, label: str, parent: Scenario | None) -> dict[str, str]:
    own = _table(data, "description", label)
    unknown = set(own) - {"en", "nl"}
    if unknown:
        raise ScenarioError(f"{label}: description languages are en and nl, not "
                            f"'{shown(sorted(unknown)[0])}'")
    merged = {**(parent.description if parent else {}), **own}
    for language, text in merged.items():
        if not isinstance(text, str):
            raise ScenarioError(f"{label}: description.{language} must be a string")
        if not text.replace("\n", " ").replace("\t", " ").isprintable():
            raise ScenarioError(f"{label}: description.{language} holds control "
                                "characters; plain text only")
    return merged


def dumps(scenario: Scenario) -> str:
    """A scenario as TOML text that :func:`loads` reads back to the same scenario."""
    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return json.dumps(v, ensure_ascii=False)  # JSON's escapes are TOML's too
        return repr(v)

    lines = [f"name = {value(scenario.name)}", f"domain = {value(scenario.domain)}", "",
             "[description]"]
    lines += [f"{lang} = {value(text)}" for lang, text in scenario.description.items()]
    lines += ["", "[parameters]"]
    lines += [f"{name} = {value(v)}" for name, v in scenario.overrides.items()]
    for event in scenario.events:
        lines += ["", "[[events]]", f"week = {value(event['week'])}"]
        if event.get("until") is not None:
            lines.append(f"until = {value(event['until'])}")
        lines.append("[events.parameters]")
        lines += [f"{name} = {value(v)}" for name, v in event["parameters"].items()]
    return "\n".join(lines) + "\n"
