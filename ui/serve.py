"""``python -m ui.serve``: the app served as users get it (``make app``).

One place for how the app is started, used by ``make app``, the browser tests and
``python -m ui.bench``: ``solara run app.py`` in production mode, with Solara's telemetry
off (nothing can be sent from these machines anyway), its "runs on Solara" banner off (it
covered the charts' corner) and the browser tab titled after the app.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Flags for Debian's Chromium driving the app headless (browser tests and benchmark):
#: no sandbox or GPU in containers, and no calls home.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
#: Solara settings (environment variables) for every way the app is served.
SOLARA_SETTINGS = {"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
                   "SOLARA_THEME_SHOW_BANNER": "False", "SOLARA_THEME_TITLE": "Verbinding"}


def command(host: str, port: int) -> list[str]:
    """The command line that serves the app at ``host:port``."""
    return [sys.executable, "-m", "solara", "run", "app.py", "--production", "--host", host,
            "--port", str(port), "--no-open", "--no-check-version"]


def start(timeout_s: float = 60.0) -> tuple[subprocess.Popen, str]:
    """Serve the app in the background on a free local port.

    Returns:
        The server process (terminate it when done) and the app's address.

    Raises:
        RuntimeError: If the app does not answer within ``timeout_s`` seconds.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(command("127.0.0.1", port), cwd=ROOT,
                              env={**os.environ, **SOLARA_SETTINGS},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return server, url
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError(f"the app did not answer within {timeout_s:g} s")


def main() -> None:
    """Serve the app in the foreground until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m ui.serve", description=__doc__.split(
        "\n")[0])
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    os.chdir(ROOT)
    os.execve(sys.executable, command(args.host, args.port), {**os.environ, **SOLARA_SETTINGS})


if __name__ == "__main__":
    main()
