"""Sweep results on disk: Parquet chunks written as runs finish, resumable.

Layout of an output folder::

    DIR/experiment.json     the experiment as run, with its fingerprint
    DIR/runs/*.parquet      one row per run (read whole: pandas.read_parquet(DIR / "runs"))
    DIR/weekly/*.parquet    weekly series, if the experiment keeps them

Chunks are written to a hidden file and renamed, so a chunk is either whole or absent;
a crash loses at most the runs not yet written. When every run is in, the chunks are
merged into ``runs/results.parquet``, sorted by ``run_id``, so a finished sweep's file
is the same whatever executor ran it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.output import OutputError, json_safe

MERGED = "results.parquet"


class RunStore:
    """The runs of one experiment in one folder."""

    def __init__(self, folder: Path, fingerprint: str, description: dict[str, Any]) -> None:
        """Open (or create) the folder for this experiment.

        Raises:
            OutputError: If the folder holds another experiment's results or other files.
        """
        self.folder = folder
        self.runs = folder / "runs"
        self.weekly = folder / "weekly"
        manifest = folder / "experiment.json"
        if manifest.is_file():
            stored = json.loads(manifest.read_text(encoding="utf-8"))
            if stored.get("fingerprint") != fingerprint:
                raise OutputError(f"{folder} holds results of a different experiment "
                                  f"('{stored.get('name')}', or the file changed since); "
                                  "give another --out, results are never mixed")
        elif folder.exists() and any(folder.iterdir()):
            raise OutputError(f"{folder} already holds other files; give a new or empty "
                              "folder")
        else:
            self.runs.mkdir(parents=True, exist_ok=True)
            text = json.dumps(json_safe({**description, "fingerprint": fingerprint}),
                              indent=2, ensure_ascii=False)
            _write_atomic(manifest, text.encode())
        self.runs.mkdir(exist_ok=True)
        self._chunks = len(list(self.runs.glob("*.parquet")))

    def finished(self) -> set[int]:
        """The ``run_id`` of every run already recorded (succeeded or failed)."""
        files = sorted(self.runs.glob("*.parquet"))
        if not files:
            return set()
        return set(pd.concat(pd.read_parquet(f, columns=["run_id"]) for f in files)["run_id"])

    def append(self, rows: list[dict[str, Any]], weekly: pd.DataFrame | None = None) -> None:
        """Write one chunk of finished runs (and their weekly series)."""
        if not rows:
            return
        name = f"part-{self._chunks:06d}.parquet"
        self._chunks += 1
        if weekly is not None and len(weekly):
            self.weekly.mkdir(exist_ok=True)
            _write_parquet(weekly, self.weekly / name)
        _write_parquet(pd.DataFrame(rows), self.runs / name)

    def merge(self) -> Path:
        """Merge all chunks into one file sorted by ``run_id``; returns its path."""
        for folder, key in ((self.runs, ["run_id"]), (self.weekly, ["run_id", "week"])):
            parts = sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []
            if not parts:
                continue
            merged = pd.concat([pd.read_parquet(p) for p in sorted(folder.glob("*.parquet"))])
            merged = merged.sort_values(key, kind="stable").reset_index(drop=True)
            _write_parquet(merged, folder / MERGED)
            for part in parts:
                part.unlink()
        return self.runs / MERGED


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    hidden = path.with_name(f".{path.name}.tmp")
    frame.to_parquet(hidden, index=False, compression="zstd")
    hidden.rename(path)


def _write_atomic(path: Path, data: bytes) -> None:
    hidden = path.with_name(f".{path.name}.tmp")
    hidden.write_bytes(data)
    hidden.rename(path)
