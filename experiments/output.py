"""Writing results: all-or-nothing output folders and deterministic CSV text."""

from __future__ import annotations

import csv
import json
import math
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any


class OutputError(ValueError):
    """An output folder that cannot be used."""


def check_target(target: Path) -> None:
    """Refuse an output folder that exists and holds files, or is a file.

    Raises:
        OutputError: Naming the folder and what is allowed.
    """
    if target.is_file():
        raise OutputError(f"--out {target} is a file; give a new or empty folder")
    if target.is_dir() and any(target.iterdir()):
        raise OutputError(f"--out {target} already holds files; give a new or empty folder "
                          "(results are never overwritten)")


class Staging:
    """A temporary folder beside the target, renamed onto it only when complete.

    Use as a context manager: on an exception the staging folder is deleted and the
    target is left as it was.
    """

    def __init__(self, target: Path) -> None:
        check_target(target)
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            return
        check_target(self.target)  # nobody wrote there meanwhile
        if self.target.is_dir():
            self.target.rmdir()
        self.path.rename(self.target)


def cell(value: Any) -> str:
    """The text of one CSV cell: round-trip floats, lower-case booleans, empty None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "nan" if math.isnan(value) else (
            "inf" if value > 0 else "-inf")
    return str(value)


class CsvTable:
    """A CSV file written row by row (header first), with deterministic text."""

    def __init__(self, path: Path, header: Iterable[str]) -> None:
        self._file = path.open("w", newline="", encoding="utf-8")
        self._writer = csv.writer(self._file, lineterminator="\n")
        self._writer.writerow(header)

    def write(self, rows: Iterable[Iterable[Any]]) -> None:
        """Append rows."""
        self._writer.writerows([cell(v) for v in row] for row in rows)

    def close(self) -> None:
        """Flush and close the file."""
        self._file.close()


def json_safe(value: Any) -> Any:
    """Replace non-finite floats by None, recursively, so the JSON is standard."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def dump_json(value: Any) -> str:
    """Standard JSON text (NaN as null), indented."""
    return json.dumps(json_safe(value), indent=2, ensure_ascii=False)
