"""Events: parameter changes from a given reported week of a run.

An event changes some parameters from reported week ``week`` on (1 is the first week
after the warm-up) and, if ``until`` is given, gives them back the scenario's own
values from reported week ``until`` on. The model applies the changes at the start of
the step that is reported week ``week`` (model step ``warmup_weeks + week``), before
staffing, arrivals and everything else of that week (docs/ODD.md, section 3).

Only parameters declared ``mid_run`` (:class:`~model.parameters.Spec`) may change.
Two events may not change the same parameter in overlapping weeks, and every set of
values in force at some week must be valid as a whole (the ``LIMITS``).
:func:`check_events` refuses anything else with a one-line :class:`ParameterError`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from model.parameters import (
    ParameterError,
    Parameters,
    _shown,
    check_name,
    check_value,
    specs,
)

#: Most events a run may have.
MAX_EVENTS = 100
#: The keys of an event given as a mapping (a scenario file's ``[[events]]`` table).
EVENT_KEYS = ("week", "until", "parameters")


@dataclass(frozen=True)
class Event:
    """A change of parameters from reported week ``week`` (until ``until``, if given).

    Attributes:
        week: First reported week with the new values (1 = the first reported week).
        parameters: ``{name: value}`` of the parameters changed.
        until: First reported week with the scenario's own values again, or None for
            the rest of the run.
    """

    week: int
    parameters: Mapping[str, Any] = field(default_factory=dict)
    until: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", dict(self.parameters))  # a copy, picklable

    def end(self, weeks: int) -> int:
        """The first reported week the event no longer holds (``weeks + 1``: never)."""
        return weeks + 1 if self.until is None else self.until

    def to_dict(self) -> dict[str, Any]:
        """The event as plain data: ``{"week", "until" (if given), "parameters"}``."""
        data: dict[str, Any] = {"week": self.week}
        if self.until is not None:
            data["until"] = self.until
        data["parameters"] = dict(self.parameters)
        return data


def fixed_for_the_run() -> list[str]:
    """Names of the parameters that cannot change mid-run, in declaration order."""
    return [name for name, (_, _, spec) in specs().items() if not spec.mid_run]


def check_mid_run(name: str) -> None:
    """Refuse an unknown parameter, or one that cannot change during a run.

    Raises:
        ParameterError: Naming the parameter and those that cannot change.
    """
    check_name(name)
    if not specs()[name][2].mid_run:
        raise ParameterError(f"{name} cannot change during a run; every parameter can "
                             f"except {', '.join(fixed_for_the_run())}")


def as_event(value: Any, number: int = 1) -> Event:
    """An :class:`Event` from an event or a mapping ``{"week", "until", "parameters"}``.

    Only the form is checked here; :func:`check_events` checks it against a run.

    Raises:
        ParameterError: For a value that is not an event, unknown keys, or a missing
            or non-table ``parameters``.
    """
    if isinstance(value, Event):
        return value
    label = f"event {number}"
    if not isinstance(value, Mapping):
        raise ParameterError(f"{label} must be a table with week, until (optional) and "
                             f"parameters, not {type(value).__name__}")
    unknown = [key for key in value if key not in EVENT_KEYS]
    if unknown:
        raise ParameterError(f"{label}: unknown key {_key(unknown[0])}; allowed keys are "
                             f"{', '.join(EVENT_KEYS)}")
    if "week" not in value:
        raise ParameterError(f"{label}: 'week' is missing (the first reported week of "
                             "the change)")
    parameters = value.get("parameters")
    if not isinstance(parameters, Mapping) or not parameters:
        raise ParameterError(f"{label}: 'parameters' must be a table of one or more "
                             "parameter values, e.g. {arrivals_per_week = 140}")
    return Event(week=value["week"], parameters=parameters, until=value.get("until"))


def _key(key: Any) -> str:
    text = repr(key)
    return text if len(text) <= 40 else text[:37] + "..."


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_events(events: Sequence[Any], p: Parameters) -> tuple[Event, ...]:
    """Check events against the run's parameters; returns them as :class:`Event`.

    Args:
        events: Events, or mappings ``{"week", "until", "parameters"}``.
        p: The run's own (the scenario's) parameters.

    Raises:
        ParameterError: One line naming the event, the problem and what is allowed.
    """
    if isinstance(events, str | bytes | Mapping) or not isinstance(events, Sequence):
        raise ParameterError("events must be a list of events (tables with week, until "
                             f"and parameters), not {type(events).__name__}")
    if len(events) > MAX_EVENTS:
        raise ParameterError(f"at most {MAX_EVENTS} events, not {len(events)}")
    checked = tuple(as_event(event, i) for i, event in enumerate(events, start=1))
    for i, event in enumerate(checked, start=1):
        _check_one(event, i, p)
    _check_overlap(checked, p.weeks)
    _check_combinations(checked, p)
    return tuple(_typed(event) for event in checked)


def _typed(event: Event) -> Event:
    """The event with its values of the parameters' own types (140 -> 140.0)."""
    kinds = {name: specs()[name][1] for name in event.parameters}
    return Event(event.week, {name: value if kinds[name] is bool else kinds[name](value)
                              for name, value in event.parameters.items()}, event.until)


def _check_one(event: Event, number: int, p: Parameters) -> None:
    label = f"event {number}"
    if not _whole(event.week) or not 1 <= event.week <= p.weeks:
        raise ParameterError(f"{label}: week must be a whole number from 1 to {p.weeks} "
                             f"(the reported weeks; 1 is the first after the warm-up), "
                             f"not {_shown(event.week)}")
    label = f"event {number} (week {event.week})"
    if event.until is not None and (not _whole(event.until)
                                    or not event.week < event.until <= p.weeks + 1):
        raise ParameterError(f"{label}: until must be a whole number from {event.week + 1} "
                             f"to {p.weeks + 1} (a week after the event's week; leave it "
                             f"out for the rest of the run), not {_shown(event.until)}")
    for name, value in event.parameters.items():
        if not isinstance(name, str):
            raise ParameterError(f"{label}: parameter names are text, not {_key(name)}")
        try:
            check_mid_run(name)
            check_value(name, value)
        except ParameterError as error:
            raise ParameterError(f"{label}: {error}") from None
    try:
        Parameters(**{**p.to_dict(), **event.parameters})
    except ParameterError as error:
        raise ParameterError(f"{label}: {error}", error.limit) from None
    _check_intake(event, label, p)


def _check_intake(event: Event, label: str, p: Parameters) -> None:
    """Refuse a change of intake in school years that does not start at a year's start.

    Pupils arrive in a year's first week: a change of ``arrivals_per_week`` starting
    (or ending) in another week would do nothing, or act on a later year than asked.
    """
    year = p.school_year_weeks
    if not year or "arrivals_per_week" not in event.parameters:
        return
    firsts = ", ".join(str(w) for w in range(1, min(p.weeks, 3 * year) + 1, year))
    for name, week in (("week", event.week), ("until", event.until)):
        if week is not None and (week - 1) % year and week <= p.weeks:
            raise ParameterError(
                f"{label}: in school years pupils arrive in a year's first week, so a change "
                f"of arrivals_per_week must have its {name} at one ({firsts}, ...), "
                f"not {week}")


def _check_overlap(events: tuple[Event, ...], weeks: int) -> None:
    for i, first in enumerate(events, start=1):
        for j, second in enumerate(events[i:], start=i + 1):
            common = [n for n in first.parameters if n in second.parameters]
            start = max(first.week, second.week)
            end = min(first.end(weeks), second.end(weeks))
            if common and start < end:
                raise ParameterError(
                    f"events {i} and {j} both change {common[0]} in weeks {start}-"
                    f"{end - 1}; events changing the same parameter may not overlap "
                    "(end one with until)")


def _check_combinations(events: tuple[Event, ...], p: Parameters) -> None:
    """Every set of values in force at some week must be valid as a whole."""
    if len(events) < 2:
        return  # one event at a time was checked with the scenario's values
    for week, values in schedule(events, p).items():
        try:
            Parameters(**{**p.to_dict(), **values})
        except ParameterError as error:
            raise ParameterError(f"events in force in week {week}: {error}",
                                 error.limit) from None


def schedule(events: Sequence[Event], p: Parameters) -> dict[int, dict[str, Any]]:
    """The values to set at the start of each reported week where an event starts or ends.

    At such a week, every parameter any event touches gets the value of the event in
    force then, or the scenario's own value (from ``p``) if none is.

    Returns:
        ``{reported week: {name: value}}`` in week order; weeks past the run left out.
    """
    touched = list(dict.fromkeys(name for event in events for name in event.parameters))
    weeks = sorted({event.week for event in events}
                   | {event.until for event in events if event.until is not None})
    own = p.to_dict()
    changes = {}
    for week in weeks:
        if week > p.weeks:
            continue
        values = {name: own[name] for name in touched}
        for event in events:
            if event.week <= week < event.end(p.weeks):
                values.update(event.parameters)
        changes[week] = values
    return changes
