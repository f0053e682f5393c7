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

A variant takes everything of the scenario it extends and overrides what it names.
``extends`` and the command line accept a scenario's name (a file in ``scenarios/``)
or a path to a ``.toml`` file.
"""

from __future__ import annotations

import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from model.parameters import ParameterError, Parameters

#: The folder of shipped scenario files.
SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
DOMAINS = ("care", "education", "work")
#: Largest scenario file accepted (bytes); a scenario is a few hundred.
MAX_FILE_BYTES = 64 * 1024
_KEYS = {"name", "domain", "extends", "description", "parameters"}


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
    """

    name: str
    domain: str
    description: dict[str, str]
    overrides: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def parameters(self, **extra: Any) -> Parameters:
        """The full, validated parameter set, with ``extra`` overrides on top.

        Raises:
            ParameterError: If a value is out of range or a combination impossible.
        """
        return Parameters.from_mapping({**self.overrides, **extra})

    def with_overrides(self, **extra: Any) -> Scenario:
        """A copy with more parameter overrides (validated)."""
        merged = {**self.overrides, **extra}
        Parameters.from_mapping(merged)
        return Scenario(self.name, self.domain, self.description, merged, self.path)


def available() -> list[str]:
    """Names of the shipped scenarios, sorted."""
    return sorted(path.stem for path in SCENARIO_DIR.glob("*.toml"))


def locate(reference: str, relative_to: Path | None = None) -> Path:
    """The file a scenario reference points to: a path, or a shipped scenario's name.

    Raises:
        ScenarioError: If no such file exists.
    """
    candidates = [Path(reference)]
    if relative_to is not None:
        candidates.insert(0, relative_to / reference)
    if not reference.endswith(".toml"):
        candidates.append(SCENARIO_DIR / f"{reference}.toml")
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    raise ScenarioError(f"scenario '{reference}' not found; give a .toml path or one of: "
                        f"{', '.join(available())}")


def load(reference: str | Path, _chain: tuple[Path, ...] = ()) -> Scenario:
    """Read, check and resolve a scenario file, following ``extends``.

    Args:
        reference: A path or the name of a shipped scenario.

    Raises:
        ScenarioError: For a missing or malformed file, unknown keys, a bad domain, an
            ``extends`` cycle, or parameters that are unknown or out of range.
    """
    base_dir = _chain[-1].parent if _chain else None
    path = locate(str(reference), base_dir)
    if path in _chain:
        cycle = " -> ".join(p.name for p in (*_chain, path))
        raise ScenarioError(f"{path.name}: scenario extends itself ({cycle})")
    data = _read_toml(path)
    unknown = set(data) - _KEYS
    if unknown:
        raise ScenarioError(f"{path.name}: unknown key '{sorted(unknown)[0]}'; allowed keys "
                            f"are {', '.join(sorted(_KEYS))}")
    parent = load(data["extends"], (*_chain, path)) if "extends" in data else None
    overrides = _table(data, "parameters", path)
    try:
        Parameters.from_mapping({**(parent.overrides if parent else {}), **overrides})
    except ParameterError as error:
        raise ScenarioError(f"{path.name}: {error}") from None
    return Scenario(
        name=_text(data, "name", path, default=path.stem),
        domain=_domain(data, path, parent),
        description=_description(data, path, parent),
        overrides={**(parent.overrides if parent else {}), **overrides},
        path=path,
    )


def loads(text: str, label: str = "uploaded scenario") -> Scenario:
    """Parse a scenario from text (no ``extends`` to other files than shipped ones).

    Raises:
        ScenarioError: As :func:`load`, or if the text is too large.
    """
    if len(text.encode()) > MAX_FILE_BYTES:
        raise ScenarioError(f"{label}: larger than {MAX_FILE_BYTES // 1024} KiB")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{label.replace(' ', '_')}.toml"
        path.write_text(text, encoding="utf-8")
        scenario = load(path)
    return Scenario(scenario.name, scenario.domain, scenario.description,
                    scenario.overrides, None)


def _read_toml(path: Path) -> dict[str, Any]:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ScenarioError(f"{path.name}: larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"{path.name}: malformed TOML: {error}") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path.name}: not UTF-8 text") from None


def _table(data: dict, key: str, path: Path) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ScenarioError(f"{path.name}: '{key}' must be a table ([{key}])")
    return value


def _text(data: dict, key: str, path: Path, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(f"{path.name}: '{key}' must be a non-empty string")
    return value


def _domain(data: dict, path: Path, parent: Scenario | None) -> str:
    domain = data.get("domain", parent.domain if parent else None)
    if domain not in DOMAINS:
        raise ScenarioError(f"{path.name}: domain must be one of {', '.join(DOMAINS)}, "
                            f"not {domain!r}")
    return domain


def _description(data: dict, path: Path, parent: Scenario | None) -> dict[str, str]:
    own = _table(data, "description", path)
    unknown = set(own) - {"en", "nl"}
    if unknown:
        raise ScenarioError(f"{path.name}: description languages are en and nl, not "
                            f"'{sorted(unknown)[0]}'")
    merged = {**(parent.description if parent else {}), **own}
    for language, text in merged.items():
        if not isinstance(text, str):
            raise ScenarioError(f"{path.name}: description.{language} must be a string")
    return merged


def dumps(scenario: Scenario) -> str:
    """A scenario as TOML text that :func:`loads` reads back to the same scenario."""
    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return repr(v)

    lines = [f"name = {value(scenario.name)}", f"domain = {value(scenario.domain)}", "",
             "[description]"]
    lines += [f"{lang} = {value(text)}" for lang, text in scenario.description.items()]
    lines += ["", "[parameters]"]
    lines += [f"{name} = {value(v)}" for name, v in scenario.overrides.items()]
    return "\n".join(lines) + "\n"
