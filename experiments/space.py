"""A parameter space: typed levels or ranges over declared parameters.

Written in an experiment file as ``[parameters]``: a list gives levels, a table
``{low = .., high = ..}`` a range (``levels = k`` adds k evenly spaced levels for a
factorial design). Every name and bound is checked against the one declaration of
parameters in :mod:`model.parameters`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from model.parameters import ParameterError, Parameters, check_name, check_value, specs

#: How far an assumed constant (``"assumed"``) may be off: its value in the base
#: scenario times 1 - ASSUMED_SPREAD to 1 + ASSUMED_SPREAD, within its allowed range.
#: Assumption: a value set by reasoning rather than measured is known to within half
#: either way; it lets a sensitivity analysis ask which of them matter before anyone
#: measures them.
ASSUMED_SPREAD = 0.5

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
        log: Whether the range is uniform in the logarithm (every factor equally likely).
    """

    name: str
    kind: type
    low: float
    high: float
    levels: tuple | None = None
    log: bool = False

    def value(self, unit: float) -> Any:
        """The value at ``unit`` in [0, 1] of the dimension (levels: nearest level)."""
        if self.levels is not None:
            index = min(int(unit * len(self.levels)), len(self.levels) - 1)
            return self.levels[index]
        if self.log:
            x = self.low * (self.high / self.low) ** unit
        else:
            x = self.low + unit * (self.high - self.low)
        return round(x) if self.kind is int else float(x)


def dimension(name: str, spec: Any, base: Parameters | None = None) -> Dimension:
    """Parse one ``[parameters]`` entry.

    An entry is a list of levels, a range ``{low = .., high = ..}`` (optionally with
    ``levels = N`` or ``scale = "log"``), ``"prior"``: the range and shape of the
    parameter's declared prior (:class:`model.parameters.Prior`), or ``"assumed"``:
    for an assumed constant, its value in ``base`` (the base scenario's parameters;
    the defaults if None) give or take :data:`ASSUMED_SPREAD`.

    Raises:
        SpaceError: For an unknown name, a value out of the declared range, low above
            high, a log range not above zero, ``"prior"`` for a parameter without one,
            ``"assumed"`` for one that is not an assumed constant, or an entry that is
            neither.
    """
    try:
        check_name(name)
        _, kind, declared = specs()[name]
        if spec == "prior":
            if declared.prior is None:
                raise SpaceError(f"parameter '{name}' declares no prior; give a range")
            return Dimension(name, kind, declared.prior.low, declared.prior.high,
                             log=declared.prior.shape == "log-uniform")
        if spec == "assumed":
            return _assumed(name, kind, declared, getattr(base or Parameters(), name))
        if isinstance(spec, list):
            if not spec:
                raise SpaceError(f"parameter '{name}': give at least one level")
            for level in spec:
                check_value(name, level)
            levels = tuple(kind(v) for v in spec)
            return Dimension(name, kind, min(levels), max(levels), levels)
        if isinstance(spec, dict) and {"low", "high"} <= set(spec):
            unknown = set(spec) - {"low", "high", "levels", "scale"}
            if unknown:
                raise SpaceError(f"parameter '{name}': unknown key {sorted(unknown)[0]!r}; "
                                 "a range has low, high and optionally levels or scale")
            if kind is bool:
                raise SpaceError(f"parameter '{name}' is true/false: give levels "
                                 "[false, true], not a range")
            low, high = spec["low"], spec["high"]
            check_value(name, low)
            check_value(name, high)
            if low > high:
                raise SpaceError(f"parameter '{name}': low={low} is above high={high}")
            log = _log_scale(name, spec, low)
            levels = None
            if "levels" in spec:
                count = spec["levels"]
                if isinstance(count, bool) or not isinstance(count, int) or not (
                        2 <= count <= MAX_LEVELS):
                    raise SpaceError(f"parameter '{name}': levels must be a whole number "
                                     f"from 2 to {MAX_LEVELS:,}")
                levels = tuple(kind(v) if kind is float else round(float(v))
                               for v in np.linspace(low, high, count))
            return Dimension(name, kind, float(low), float(high), levels, log)
    except ParameterError as error:
        raise SpaceError(str(error)) from None
    raise SpaceError(f"parameter '{name}': give a list of levels, a table "
                     "{low = .., high = ..}, \"prior\" or \"assumed\"")


def _assumed(name: str, kind: type, declared: Any, value: float) -> Dimension:
    """The range of an assumed constant: ``value`` give or take :data:`ASSUMED_SPREAD`.

    An assumed constant is a number (not a lever, no prior, not zero: zero switches a
    mechanism off) whose source is an assumption. A whole number's range keeps to
    whole numbers inside it, above zero.
    """
    if (declared.prior is not None or declared.group == "levers" or kind is bool
            or not value or "assumption" not in declared.source.lower()):
        raise SpaceError(f"parameter '{name}' is not an assumed constant (a number, not a "
                         "lever, without a prior, not zero, its source an assumption); "
                         "give a range")
    low = max(declared.low, float(f"{value * (1 - ASSUMED_SPREAD):.12g}"))
    high = min(declared.high, float(f"{value * (1 + ASSUMED_SPREAD):.12g}"))
    if kind is int:
        low, high = float(max(math.ceil(low), 1)), float(math.floor(high))
    return Dimension(name, kind, low, high)


def _log_scale(name: str, spec: dict[str, Any], low: float) -> bool:
    """Whether a range entry asks for a log scale (``scale = "log"``), checked."""
    scale = spec.get("scale", "linear")
    if scale not in ("linear", "log"):
        raise SpaceError(f"parameter '{name}': scale must be \"linear\" or \"log\", not "
                         f"{str(scale)[:20]!r}")
    if scale == "log" and ("levels" in spec or low <= 0):
        raise SpaceError(f"parameter '{name}': a log scale needs low above 0 and no levels")
    return scale == "log"


@dataclass(frozen=True)
class Space:
    """An ordered set of dimensions."""

    dimensions: tuple[Dimension, ...]

    @classmethod
    def from_table(cls, table: dict[str, Any], base: Parameters | None = None) -> Space:
        """Parse the ``[parameters]`` table of an experiment file (``base``: its scenario's)."""
        if not table:
            raise SpaceError("the experiment varies no parameters; add a [parameters] table")
        return cls(tuple(dimension(name, spec, base) for name, spec in table.items()))

    @property
    def names(self) -> list[str]:
        """Parameter names, in order."""
        return [d.name for d in self.dimensions]

    def point(self, units: np.ndarray) -> dict[str, Any]:
        """The parameter values at a point of the unit hypercube."""
        return {d.name: d.value(float(u)) for d, u in zip(self.dimensions, units, strict=True)}
