"""Which code made a result: the package version and a fingerprint of the model.

Every output (``run.json``, a sweep's ``experiment.json`` and its Parquet files, a
validation report) records :func:`provenance`, so a result can be traced to the code
that made it, and a sweep refuses to resume with a model that would give other numbers.
"""

from __future__ import annotations

import ast
import hashlib
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

#: The model's sources: mechanisms, kernels, the parameter declaration, calibrated defaults.
MODEL_DIR = Path(__file__).resolve().parent.parent / "model"


def package_version() -> str:
    """The installed version of Verbinding."""
    try:
        return version("verbinding")
    except PackageNotFoundError:
        return "unknown"


@cache
def code_fingerprint() -> str:
    """A hash of what the model's code does: each source file's syntax tree (16 hex digits).

    Any change to a mechanism, a kernel, a default, a limit or a prior changes it;
    comments and docstrings do not. Nor do the calibrated defaults
    (``model/calibrated.toml``): a calibration sets every calibrated parameter itself,
    so its posterior stays valid for the code it records.
    """
    digest = hashlib.sha256()
    for path in sorted(MODEL_DIR.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + _without_docstrings(path).encode())
    return digest.hexdigest()[:16]


def _without_docstrings(path: Path) -> str:
    """The syntax tree of a source file, docstrings left out (comments are not in it)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            body[0] = ast.Pass()
    return ast.dump(tree)


@cache
def model_fingerprint() -> str:
    """A hash of everything that makes the model's numbers: its code and calibrated defaults."""
    return _digest([*sorted(MODEL_DIR.glob("*.py")), MODEL_DIR / "calibrated.toml"])


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def provenance() -> dict[str, str]:
    """The version, model fingerprint and code fingerprint, for an output's metadata."""
    return {"version": package_version(), "model_fingerprint": model_fingerprint(),
            "code_fingerprint": code_fingerprint()}
