"""Which code made a result: the package version and a fingerprint of the model.

Every output (``run.json``, a sweep's ``experiment.json`` and its Parquet files, a
validation report) records :func:`provenance`, so a result can be traced to the code
that made it, and a sweep refuses to resume with a model that would give other numbers.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

#: The model's sources: mechanisms, kernels and the parameter declaration.
MODEL_DIR = Path(__file__).resolve().parent.parent / "model"


def package_version() -> str:
    """The installed version of Verbinding."""
    try:
        return version("verbinding")
    except PackageNotFoundError:
        return "unknown"


@cache
def model_fingerprint() -> str:
    """A hash of every source file of the model (16 hex digits).

    Any change to a mechanism, a kernel, a default or a limit changes it; comments
    count too, as the cost of being sure.
    """
    digest = hashlib.sha256()
    for path in sorted(MODEL_DIR.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def provenance() -> dict[str, str]:
    """``{"version": ..., "model_fingerprint": ...}`` for an output's metadata."""
    return {"version": package_version(), "model_fingerprint": model_fingerprint()}
