"""A real Solara server and Debian's Chromium, driven by Playwright.

The server runs ``app.py`` as a user gets it (``solara run --production``) on a free
port; Chromium comes from apt (``make test`` installs it where it can). Screenshots of
every page are saved under ``test-artifacts/`` for a person to look at.
"""

import os
import shutil
from pathlib import Path

import pytest

from ui.serve import CHROMIUM_FLAGS, start

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium")

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
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def app_url():
    try:
        server, url = start()
    except RuntimeError as error:
        pytest.fail(str(error))
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
