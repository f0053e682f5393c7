"""A parameter space: typed levels or ranges over declared parameters.

Written in an experiment file as ``[parameters]``: a list gives levels, a table
``{low = .., high = ..}`` a range (``levels = k`` adds k evenly spaced levels for a
factorial design). Every name and bound is checked against the one declaration of
parameters in :mod:`model.parameters`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from model.parameters import ParameterError, check_name, check_value, specs

#: Most evenly spaced levels a range may ask for (``levels = k``). The levels are made
#: when the file is read, before the size of the design is checked against
#: :data:`experiments.sweep.MAX_RUNS` (which no design of more levels could meet).
MAX_LEVELS = 100_000


class SpaceError(ValueError):
    """A parameter space that cannot be used; the message says why."""


@dataclass(frozen=True)
class Dimension:
    """One parameter of a space.

    Attributes:
        name: A declared parameter.
        kind: ``int``, ``float`` or ``bool``.
        low: Lower bound (ranges).
        high: Upper bound (ranges).
        levels: Explicit levels, or None for a continuous range.
    """

    name: str
    kind: type
    low: float
    high: float
    levels: tuple | None = None

    def value(self, unit: float) -> Any:
        """The value at ``unit`` in [0, 1] of the dimension (levels: nearest level)."""
        if self.levels is not None:
            index = min(int(unit * len(self.levels)), len(self.levels) - 1)
            return self.levels[index]
        x = self.low + unit * (self.high - self.low)
        return round(x) if self.kind is int else float(x)


def dimension(name: str, spec: Any) -> Dimension:
    """Parse one ``[parameters]`` entry.

    Raises:
        SpaceError: For an unknown name, a value out of the declared range, low above
            high, or an entry that is neither a list nor a range.
    """
    try:
        check_name(name)
        _, kind, _ = specs()[name]
        if isinstance(spec, list):
            if not spec:
                raise SpaceError(f"parameter '{name}': give at least one level")
            for level in spec:
                check_value(name, level)
            levels = tuple(kind(v) for v in spec)
            return Dimension(name, kind, min(levels), max(levels), levels)
        if isinstance(spec, dict) and {"low", "high"} <= set(spec):
            unknown = set(spec) - {"low", "high", "levels"}
            if unknown:
                raise SpaceError(f"parameter '{name}': unknown key {sorted(unknown)[0]!r}; "
                                 "a range has low, high and optionally levels")
            if kind is bool:
                raise SpaceError(f"parameter '{name}' is true/false: give levels "
                                 "[false, true], not a range")
            low, high = spec["low"], spec["high"]
            check_value(name, low)
            check_value(name, high)
            if low > high:
                raise SpaceError(f"parameter '{name}': low={low} is above high={high}")
            levels = None
            if "levels" in spec:
                count = spec["levels"]
                if isinstance(count, bool) or not isinstance(count, int) or not (
                        2 <= count <= MAX_LEVELS):
                    raise SpaceError(f"parameter '{name}': levels must be a whole number "
                                     f"from 2 to {MAX_LEVELS:,}")
                levels = tuple(kind(v) if kind is float else round(float(v))
                               for v in np.linspace(low, high, count))
            return Dimension(name, kind, float(low), float(high), levels)
    except ParameterError as error:
        raise SpaceError(str(error)) from None
    raise SpaceError(f"parameter '{name}': give a list of levels or a table "
                     "{low = .., high = ..}")


@dataclass(frozen=True)
class Space:
    """An ordered set of dimensions."""

    dimensions: tuple[Dimension, ...]

    @classmethod
    def from_table(cls, table: dict[str, Any]) -> Space:
        """Parse the ``[parameters]`` table of an experiment file."""
        if not table:
            raise SpaceError("the experiment varies no parameters; add a [parameters] table")
        return cls(tuple(dimension(name, spec) for name, spec in table.items()))

    @property
    def names(self) -> list[str]:
        """Parameter names, in order."""
        return [d.name for d in self.dimensions]

    def point(self, units: np.ndarray) -> dict[str, Any]:
        """The parameter values at a point of the unit hypercube."""
        return {d.name: d.value(float(u)) for d, u in zip(self.dimensions, units, strict=True)}
