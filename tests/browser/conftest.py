"""A real Solara server and Debian's Chromium, driven by Playwright.

The server runs ``app.py`` as a user gets it (``solara run --production``) on a free
port; Chromium comes from apt (``make test`` installs it where it can). Screenshots of
every page are saved under ``test-artifacts/`` for a person to look at.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.slow


def pytest_collection_modifyitems(items):
    if CHROMIUM is None and os.environ.get("CI"):
        raise pytest.UsageError("CI needs Debian's chromium for the browser tests")
    if CHROMIUM is None:
        skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install "
                                       "chromium); make test installs it when run as root")
        for item in items:
            if "browser" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": FLAGS}


@pytest.fixture(scope="session")
def app_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    server = subprocess.Popen(
        [sys.executable, "-m", "solara", "run", "app.py", "--production", "--host",
         "127.0.0.1", "--port", str(port), "--no-open", "--no-check-version"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    else:
        server.terminate()
        pytest.fail("the Solara server did not answer within 60 s")
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def shoot():
    """Save a screenshot of a page under test-artifacts/NAME.png."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path
    return save
