"""Writing results: all-or-nothing output folders and deterministic CSV text."""

from __future__ import annotations

import csv
import fcntl
import json
import math
import os
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any


class OutputError(ValueError):
    """An output folder that cannot be used."""


#: Filesystems of the kernel, not of the user: never an output folder or an input file.
SYSTEM_ROOTS = (Path("/proc"), Path("/sys"), Path("/dev"))
#: Prefix of the hidden staging folders beside an output folder.
STAGING_PREFIX = ".verbinding-staging-"
#: The lock file inside a folder in use (staging or sweep results).
LOCK_NAME = ".lock"
#: The file in a staging folder naming the target it will become.
TARGET_NAME = ".target"


def shown(text: str, limit: int = 60) -> str:
    """Text from outside as a message may show it: printable characters, cut short."""
    clean = "".join(c if c.isprintable() else "?" for c in str(text))
    return clean if len(clean) <= limit else clean[: limit - 3] + "..."


def on_system_filesystem(path: Path) -> Path | None:
    """The system root (``/proc``, ``/sys``, ``/dev``) ``path`` lies in, if any."""
    real = Path(os.path.realpath(path))
    return next((root for root in SYSTEM_ROOTS if real.is_relative_to(root)), None)


def check_writable_folder(target: Path, flag: str = "--out") -> None:
    """Refuse a folder that could not be created or written, whatever it holds.

    Refused: an empty name, the current folder or one above it, a path on a system
    filesystem, a symbolic link (dangling or not), an existing file, a path under a
    file, and a folder whose nearest existing ancestor is not writable.

    Raises:
        OutputError: Naming the folder, the problem and what is allowed.
    """
    if not str(target).strip() or str(target) in (".", ".."):
        raise OutputError(f"{flag} needs the name of a new folder (e.g. {flag} "
                          "results/run1), not the current folder")
    system = on_system_filesystem(target)
    if system is not None:
        raise OutputError(f"{flag} {target} is on the system filesystem {system}; give a "
                          "folder for results")
    absolute = Path(os.path.abspath(target))
    if Path.cwd().is_relative_to(absolute):
        raise OutputError(f"{flag} {target} holds the current folder; give a new folder")
    if target.is_symlink():
        raise OutputError(f"{flag} {target} is a symbolic link; give a real folder")
    if target.name.startswith(STAGING_PREFIX):
        raise OutputError(f"{flag} {target}: names starting with {STAGING_PREFIX} are "
                          "Verbinding's own staging folders; choose another name")
    if target.exists() and not target.is_dir():
        raise OutputError(f"{flag} {target} is a file; give a new or empty folder")
    ancestor = absolute.parent
    while not ancestor.exists():
        if ancestor.is_symlink():
            raise OutputError(f"{flag} {target}: {ancestor} is a broken symbolic link")
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(f"{flag} {target}: {ancestor} is a file, not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(f"{flag} {target}: no permission to write in {ancestor}")


def check_target(target: Path, flag: str = "--out") -> None:
    """Refuse an output folder that cannot be written or already holds files.

    Raises:
        OutputError: Naming the folder and what is allowed.
    """
    check_writable_folder(target, flag)
    if target.is_dir() and any(target.iterdir()):
        raise OutputError(f"{flag} {target} already holds files; give a new or empty folder "
                          "(results are never overwritten)")


def check_new_file(target: Path, flag: str, suffix: str) -> None:
    """Refuse a file to write that exists, has another suffix or cannot be made.

    Raises:
        OutputError: Naming the file, the problem and what is allowed.
    """
    if target.suffix.lower() != suffix:
        raise OutputError(f"{flag} {shown(str(target))}: give a file name ending in {suffix}")
    system = on_system_filesystem(target)
    if system is not None:
        raise OutputError(f"{flag} {shown(str(target))} is on the system filesystem {system}")
    if target.is_symlink() or target.exists():
        raise OutputError(f"{flag} {shown(str(target))} already exists; give a new file name "
                          "(results are never overwritten)")
    parent = Path(os.path.abspath(target)).parent
    if not parent.is_dir():
        raise OutputError(f"{flag} {shown(str(target))}: no folder {shown(str(parent))}")
    _check_can_write_in(parent, flag)


def write_new_file(target: Path, text: str) -> None:
    """Write ``text`` to a new file whole or not at all (a temporary file, then linked).

    Raises:
        OutputError: If the file appeared meanwhile.
    """
    temporary = target.with_name(f"{STAGING_PREFIX}{secrets.token_hex(6)}{target.suffix}")
    temporary.write_text(text, encoding="utf-8")
    try:
        os.link(temporary, target)   # fails if it exists: never overwritten
    except FileExistsError:
        raise OutputError(f"{shown(str(target))} appeared meanwhile; nothing was "
                          "overwritten") from None
    finally:
        temporary.unlink()


class FolderLock:
    """An exclusive lock on a folder for as long as a process works in it.

    The lock is an ``flock`` on ``FOLDER/.lock``: the operating system releases it when
    the process ends, however it ends, so ``kill -9`` leaves no stale lock.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._file = None

    def acquire(self) -> bool:
        """Take the lock if it is free; False if another process holds it."""
        handle = open(self.folder / LOCK_NAME, "a+")  # noqa: SIM115 (held while locked)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        return True

    def holder(self) -> str:
        """The process id written by the holder of the lock (or "unknown")."""
        try:
            return (self.folder / LOCK_NAME).read_text().strip() or "unknown"
        except OSError:
            return "unknown"

    def release(self) -> None:
        """Give the lock up (closing the file releases it)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> FolderLock:
        if not self.acquire():
            raise OutputError(f"{self.folder} is in use by another verbinding process (pid "
                              f"{self.holder()}); wait for it to finish or give another "
                              "--out")
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def clear_staging(target: Path, flag: str = "--out") -> None:
    """Delete the staging folders beside ``target`` whose process has ended.

    A staging folder is locked by its process for its whole life; one whose lock can be
    taken was left by a process that was killed.

    Raises:
        OutputError: If a live process is writing the same target.
    """
    for folder in target.parent.glob(f"{STAGING_PREFIX}*"):
        if not folder.is_dir() or folder.is_symlink():
            continue
        staged_for = _staged_for(folder)
        if staged_for is None:
            continue  # not one of ours (it would hold the name of its target)
        lock = FolderLock(folder)
        if lock.acquire():
            shutil.rmtree(folder, ignore_errors=True)
            lock.release()
        elif staged_for == target.name:
            raise OutputError(f"{flag} {target} is being written by another verbinding "
                              f"process (pid {lock.holder()}); wait for it to finish or "
                              f"give another {flag}")


def _staged_for(folder: Path) -> str | None:
    """The name of the target a staging folder will become (None if unknown)."""
    try:
        return (folder / TARGET_NAME).read_text(encoding="utf-8")
    except OSError:
        return None


class Staging:
    """A hidden folder beside the target, renamed onto it only when complete.

    Use as a context manager: on an exception the staging folder is deleted and the
    target is left as it was. The folder gets the user's usual permissions (umask),
    staging folders left by killed processes are cleared when the next one starts, and
    a second process writing the same target is refused at once.
    """

    def __init__(self, target: Path, flag: str = "--out") -> None:
        check_target(target, flag)
        self.target = target
        self.flag = flag
        target.parent.mkdir(parents=True, exist_ok=True)
        clear_staging(target, flag)
        if target.is_dir():
            _check_can_write_in(target, flag)
        self.path = _new_folder(target.parent, f"{STAGING_PREFIX}{os.getpid()}-")
        self._lock = FolderLock(self.path)
        self._lock.acquire()
        (self.path / TARGET_NAME).write_text(target.name, encoding="utf-8")

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        self._lock.release()
        if kind is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            return
        try:
            check_target(self.target, self.flag)  # nobody wrote there meanwhile
        except OutputError:
            shutil.rmtree(self.path, ignore_errors=True)
            raise
        for own in (LOCK_NAME, TARGET_NAME):
            (self.path / own).unlink()
        try:
            self._move_into_place()
        except OSError as error:
            shutil.rmtree(self.path, ignore_errors=True)
            raise OutputError(f"{self.flag} {self.target}: the results could not be moved "
                              f"there ({error.strerror}); nothing was written") from None

    def _move_into_place(self) -> None:
        """Rename the staging folder onto the target, or its files into an empty one.

        An existing empty target may be a mount point or otherwise not removable; then
        the files move into it one by one.
        """
        if not self.target.is_dir():
            self.path.rename(self.target)
            return
        try:
            self.target.rmdir()
            self.path.rename(self.target)
        except OSError:
            moved = []
            try:
                for item in sorted(self.path.iterdir()):
                    item.rename(self.target / item.name)
                    moved.append(self.target / item.name)
            except OSError:
                for item in moved:  # leave the target as it was
                    shutil.rmtree(item) if item.is_dir() else item.unlink()
                raise
            self.path.rmdir()


def _check_can_write_in(folder: Path, flag: str) -> None:
    """Refuse a folder in which a file cannot be made (read-only or immutable)."""
    probe = folder / f"{STAGING_PREFIX}probe-{os.getpid()}"
    try:
        probe.touch()
        probe.unlink()
    except OSError as error:
        raise OutputError(f"{flag} {folder}: cannot write in it ({error.strerror})") from None


def _new_folder(parent: Path, prefix: str) -> Path:
    """A new folder with a unique name, created with the user's umask (not 0700)."""
    while True:
        path = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue


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
