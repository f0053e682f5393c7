"""Progress of many runs: a bar with rate and ETA on a terminal, a line per percent in logs."""

from __future__ import annotations

import math
import sys
import time


class Progress:
    """A progress bar with rate and ETA on a terminal; a line per percent in logs."""

    def __init__(self, stream=sys.stderr) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.start = time.monotonic()
        self.first: int | None = None
        self.last_percent = -1

    def __call__(self, done: int, total: int) -> None:
        """Report that ``done`` of ``total`` runs are finished."""
        if self.first is None:
            self.first = done - 1
        elapsed = time.monotonic() - self.start
        rate = (done - self.first) / elapsed if elapsed > 0 else 0.0
        eta = (total - done) / rate if rate > 0 else float("inf")
        percent = int(100 * done / total)
        line = (f"{done}/{total} runs ({percent}%), {rate:.1f} runs/s, ETA "
                f"{_duration(eta)}")
        if self.tty:
            width = 30
            bar = "#" * (width * done // total) + "-" * (width - width * done // total)
            print(f"\r[{bar}] {line}   ", end="" if done < total else "\n",
                  file=self.stream, flush=True)
        elif percent > self.last_percent:
            self.last_percent = percent
            print(f"sweep: {line}", file=self.stream, flush=True)


def _duration(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "?"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"
