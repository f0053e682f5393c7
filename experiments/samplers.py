"""Experimental designs: pure functions of (space, size, seed) returning design points.

Each returns a list of ``{parameter: value}`` dicts, the same for the same inputs.
Sobol (Saltelli) and Morris samples come from SALib so that its analysers can read
them back in the same order. :func:`design_size` tells how many points a design will
have, checking its size, without generating them.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from experiments.space import Space, SpaceError

DESIGNS = ("full_factorial", "latin_hypercube", "sobol", "morris")


def design_size(design: str, space: Space, size: int) -> int:
    """The number of points of a design, computed without generating them.

    Args:
        design: One of :data:`DESIGNS`.
        space: The parameter space.
        size: ``samples`` of the experiment (unused by ``full_factorial``).

    Raises:
        SpaceError: If the size does not suit the design (see each sampler).
    """
    if design == "full_factorial":
        _check_levels(space)
        return math.prod(len(d.levels) for d in space.dimensions)
    _SIZE_CHECKS[design](size)
    if design == "latin_hypercube":
        return size
    salib_problem(space)
    dimensions = len(space.dimensions)
    return size * (dimensions + 2 if design == "sobol" else dimensions + 1)


def _check_levels(space: Space) -> None:
    missing = [d.name for d in space.dimensions if d.levels is None]
    if missing:
        raise SpaceError(f"full_factorial needs levels; parameter '{missing[0]}' is a range "
                         "without levels (add levels = k or list the levels)")


def _check_lhs_size(size: int) -> None:
    if size < 1:
        raise SpaceError(f"a latin_hypercube design needs samples = the number of points "
                         f"(at least 1), not {size}")


def _check_sobol_size(size: int) -> None:
    if size < 8 or size & (size - 1):
        raise SpaceError(f"a sobol design needs samples = a power of two of at least 8 "
                         f"(e.g. 64, 128, 256), not {size}")


def _check_morris_size(size: int) -> None:
    if size < 2:
        raise SpaceError(f"a morris design needs samples = at least 2 trajectories, "
                         f"not {size}")


_SIZE_CHECKS = {"latin_hypercube": _check_lhs_size, "sobol": _check_sobol_size,
                "morris": _check_morris_size}


def full_factorial(space: Space, size: int = 0, seed: int = 0) -> list[dict[str, Any]]:
    """Every combination of every dimension's levels (size and seed are unused)."""
    _check_levels(space)
    return [dict(zip(space.names, combo, strict=True))
            for combo in itertools.product(*(d.levels for d in space.dimensions))]


def latin_hypercube(space: Space, size: int, seed: int) -> list[dict[str, Any]]:
    """``size`` points, one in each of ``size`` equal strata of every dimension.

    Raises:
        SpaceError: If ``size`` is below 1.
    """
    _check_lhs_size(size)
    rng = np.random.default_rng(seed)
    strata = np.stack([rng.permutation(size) for _ in space.dimensions], axis=1)
    units = (strata + rng.random(strata.shape)) / size
    return [space.point(u) for u in units]


def salib_problem(space: Space) -> dict[str, Any]:
    """The SALib problem description of a continuous space."""
    levelled = [d.name for d in space.dimensions if d.levels is not None and d.kind is bool]
    if levelled:
        raise SpaceError(f"sobol and morris need ranges; '{levelled[0]}' is true/false")
    return {"num_vars": len(space.dimensions), "names": space.names,
            "bounds": [[0.0, 1.0]] * len(space.dimensions)}


def sobol(space: Space, size: int, seed: int) -> list[dict[str, Any]]:
    """Saltelli's extension of the Sobol sequence: ``size * (d + 2)`` points.

    Raises:
        SpaceError: If ``size`` is not a power of two of at least 8 (Sobol sequences
            lose their balance otherwise).
    """
    from SALib.sample import sobol as sobol_sample

    _check_sobol_size(size)
    units = sobol_sample.sample(salib_problem(space), size, calc_second_order=False,
                                scramble=True, seed=seed)
    return [space.point(u) for u in units]


def morris(space: Space, size: int, seed: int, levels: int = 4) -> list[dict[str, Any]]:
    """``size`` Morris trajectories of ``d + 1`` points each.

    Raises:
        SpaceError: With fewer than 2 trajectories.
    """
    from SALib.sample import morris as morris_sample

    _check_morris_size(size)
    units = morris_sample.sample(salib_problem(space), size, num_levels=levels, seed=seed)
    return [space.point(u) for u in units]


SAMPLERS = {"full_factorial": full_factorial, "latin_hypercube": latin_hypercube,
            "sobol": sobol, "morris": morris}
