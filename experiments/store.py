"""Sweep results on disk: Parquet chunks written as runs finish, resumable.

Layout of an output folder::

    DIR/experiment.json     the experiment as run, with its fingerprint and provenance
    DIR/runs/*.parquet      one row per run (read whole: pandas.read_parquet(DIR / "runs"))
    DIR/weekly/*.parquet    weekly series, if the experiment keeps them
    DIR/.lock               locked by the process working in the folder

Chunks are written to a hidden file and renamed, so a chunk is either whole or absent;
a crash loses at most the runs not yet written. When every run is in, the chunks are
merged into ``runs/results.parquet``, sorted by ``run_id``, so a finished sweep's file
is the same whatever executor ran it; the merge swaps whole folders, so that a reader
never sees a run twice (see :meth:`RunStore.merge`).

Results cannot lie about their origin: ``experiment.json`` and every Parquet file's
schema metadata (key ``verbinding``) record the version and model fingerprint of
:func:`experiments.provenance.provenance`, and a folder made by another model is not
resumed. One process at a time works in a folder (:class:`FolderLock`).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments import provenance
from experiments.output import LOCK_NAME, FolderLock, OutputError, check_writable_folder, json_safe

#: The datasets of a folder and the columns that order each when merged. Weekly comes
#: first: a weekly chunk is written before its runs chunk, and merged before it, so a
#: weekly chunk without its runs chunk is always one a crash left (and is dropped).
DATASETS = {"weekly": ["run_id", "week"], "runs": ["run_id"]}
MERGED = "results.parquet"
MANIFEST = "experiment.json"
#: The key of the provenance in every Parquet file's schema metadata.
METADATA_KEY = b"verbinding"


class RunStore:
    """The runs of one experiment in one folder, locked while open.

    Use as a context manager (or call :meth:`close`) to release the folder.
    """

    def __init__(self, folder: Path, fingerprint: str, description: dict[str, Any],
                 origin: str = "model_fingerprint") -> None:
        """Open (or create) the folder for this experiment and lock it.

        Nothing is written to a folder that is refused. An interrupted merge is finished
        or undone, and chunks a crash left half-written are dropped. ``origin`` is the
        key of :func:`~experiments.provenance.provenance` that must not have changed
        since the folder was made (a calibration: ``code_fingerprint``).

        Raises:
            OutputError: If the folder cannot be written, holds other files, another
                experiment's results or results of another model, or is in use by
                another process.
        """
        self.folder = folder
        self.runs = folder / "runs"
        self.weekly = folder / "weekly"
        self.origin = origin
        check_folder(folder, fingerprint, origin)  # refuse before creating or locking anything
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError(f"--out {folder}: cannot create it ({error.strerror})") from None
        self._lock = FolderLock(folder)
        self._lock.__enter__()  # refuses a folder another process works in, naming it
        try:
            self._open(fingerprint, description)
        except BaseException:
            self.close()
            raise

    def _open(self, fingerprint: str, description: dict[str, Any]) -> None:
        if check_folder(self.folder, fingerprint, self.origin) is None:  # again, now ours
            text = json.dumps(json_safe({**description, **provenance.provenance(),
                                         "fingerprint": fingerprint}),
                              indent=2, ensure_ascii=False)
            _write_atomic(self.folder / MANIFEST, text.encode())
        self._recover()
        self.runs.mkdir(exist_ok=True)
        numbers = [int(p.stem[5:]) for p in self.runs.glob("part-*.parquet")
                   if p.stem[5:].isdigit()]
        self._chunks = max(numbers, default=-1) + 1

    def close(self) -> None:
        """Release the folder to other processes."""
        self._lock.release()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def finished(self) -> set[int]:
        """The ``run_id`` of every run already recorded (succeeded or failed)."""
        files = sorted(self.runs.glob("*.parquet"))
        if not files:
            return set()
        try:
            return set(pd.concat(pd.read_parquet(f, columns=["run_id"])
                                 for f in files)["run_id"])
        except (pa.ArrowException, OSError, KeyError, ValueError):
            raise OutputError(f"{self.runs} holds files that are not chunks of this sweep's "
                              "results; remove them, or give another --out") from None

    def append(self, rows: list[dict[str, Any]], weekly: pd.DataFrame | None = None) -> None:
        """Write one chunk of finished runs (and their weekly series, first)."""
        if not rows:
            return
        name = f"part-{self._chunks:06d}.parquet"
        self._chunks += 1
        if weekly is not None and len(weekly):
            self.weekly.mkdir(exist_ok=True)
            _write_parquet(weekly, self.weekly / name)
        _write_parquet(pd.DataFrame(rows), self.runs / name)

    def merge(self) -> Path:
        """Merge each dataset's chunks into one file sorted by its key; returns the runs'.

        One row per key: of rows written more than once, the last written.

        The merged file is written in a hidden sibling folder, which then takes the
        dataset's place: ``X`` becomes ``.X-old``, ``.X-merged`` becomes ``X``, and
        ``.X-old`` is removed. A reader of ``X`` sees the chunks or the merged file, never
        both; a crash between steps is finished or undone by the next :class:`RunStore`.
        """
        for name, key in DATASETS.items():
            live, merged, old = _siblings(self.folder, name)
            parts = sorted(live.glob("part-*.parquet")) if live.is_dir() else []
            if not parts:
                continue
            written = [live / MERGED] if (live / MERGED).is_file() else []
            frame = pd.concat([pd.read_parquet(p) for p in [*written, *parts]])
            # A row written again (a calibration re-runs what an older search stored
            # without what it now asks) replaces the one before it.
            frame = frame.drop_duplicates(key, keep="last")
            frame = frame.sort_values(key, kind="stable").reset_index(drop=True)
            merged.mkdir()
            _write_parquet(frame, merged / MERGED)
            live.rename(old)
            merged.rename(live)
            shutil.rmtree(old)
        return self.runs / MERGED

    def _recover(self) -> None:
        """Finish or undo a merge a crash interrupted; drop what a crash half-wrote."""
        for name in DATASETS:
            live, merged, old = _siblings(self.folder, name)
            if old.exists():       # the swap had begun: the merged folder is whole
                if not live.exists():
                    (merged if merged.exists() else old).rename(live)
                if old.exists():
                    shutil.rmtree(old)
            if merged.exists():    # the swap had not begun: the chunks are still in place
                shutil.rmtree(merged)
            for temporary in live.glob(".*.tmp"):
                temporary.unlink()
        for part in self.weekly.glob("part-*.parquet"):
            if not (self.runs / part.name).exists():
                part.unlink()      # written just before a crash, without its runs chunk


def check_folder(folder: Path, fingerprint: str, origin: str = "model_fingerprint"
                 ) -> dict[str, Any] | None:
    """Refuse a results folder the experiment cannot use, writing nothing.

    The folder may be new, empty, or hold this experiment's results made by this model
    (to resume); see :func:`experiments.output.check_writable_folder` for the paths
    that are refused.

    Args:
        folder: The results folder (``--out``).
        fingerprint: The experiment's :meth:`~experiments.sweep.Experiment.fingerprint`.
        origin: The key of :func:`~experiments.provenance.provenance` that must match.

    Returns:
        The stored ``experiment.json``, or None if the folder holds no results yet.

    Raises:
        OutputError: If the folder cannot be created or written, or holds other files,
            another experiment's results, or results of another version of the model.
    """
    check_writable_folder(folder)
    if folder.is_dir() and not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        raise OutputError(f"--out {folder}: no permission to read and write in it")
    manifest = folder / MANIFEST
    if not manifest.is_file():
        ours = {LOCK_NAME, f".{MANIFEST}.tmp"}  # what a crash before the manifest leaves
        others = [p for p in folder.iterdir() if p.name not in ours] if (
            folder.is_dir()) else []
        if others:
            raise OutputError(f"--out {folder} already holds other files; give a new or "
                              "empty folder, or one holding this experiment's results")
        return None
    try:
        stored = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise OutputError(f"{manifest} cannot be read as JSON; give another --out") from None
    if not isinstance(stored, dict) or stored.get("fingerprint") != fingerprint:
        name = stored.get("name") if isinstance(stored, dict) else None
        raise OutputError(f"{folder} holds results of a different experiment ({name!r}, or "
                          "the file or its base scenario changed since); give another "
                          "--out, results are never mixed")
    made, now = stored.get(origin), provenance.provenance()
    if made != now[origin]:
        raise OutputError(f"the model changed since the results in {folder} were made "
                          f"(by verbinding {stored.get('version', 'unknown')}, model "
                          f"{made or 'unknown'}; now verbinding {now['version']}, model "
                          f"{now[origin]}), so resuming would mix results; "
                          f"give another --out, or delete {folder} to start afresh")
    return stored


def _siblings(folder: Path, name: str) -> tuple[Path, Path, Path]:
    """A dataset's folder and the two hidden folders a merge swaps through."""
    return folder / name, folder / f".{name}-merged", folder / f".{name}-old"


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write a frame whole or not at all, with the provenance in its schema metadata."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    origin = json.dumps(provenance.provenance(), sort_keys=True).encode()
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           METADATA_KEY: origin})
    hidden = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, hidden, compression="zstd")
    hidden.rename(path)


def _write_atomic(path: Path, data: bytes) -> None:
    hidden = path.with_name(f".{path.name}.tmp")
    hidden.write_bytes(data)
    hidden.rename(path)
