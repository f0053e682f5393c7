"""``python -m ui.bench``: the app's speed in a real browser (``make bench-app``).

Starts ``solara run app.py`` on a free port and drives Debian's Chromium:

- ``step_ms_median``: one Step at classroom size (10 professionals, about 250 clients)
  until the page says the new week and no chart is still redrawing (a chart marks a
  redraw under way with its ``data-pending`` attribute); median of 20, with the run
  before a Reset (as many weeks) drawn faded behind it. ``step_ms_max``: the slowest.
- ``week_ms_median``: the same, until the page says the new week.
- ``compare_s``: a comparison of 3 scenarios x 20 replicates x 104 weeks at the standard
  size, from opening its address to the table of differences.
- ``report_s``: that comparison's report to hand out, from the click to the file.
"""

from __future__ import annotations

import json
import shutil
import statistics
import time

from ui import serve
from ui.explore import SETTLED


def measure(steps: int = 20) -> dict[str, float]:
    """Run both measurements and return their figures."""
    from playwright.sync_api import expect, sync_playwright

    server, url = serve.start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                        args=serve.CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(url)
            button = page.get_by_role("button", name="Step", exact=True)
            expect(button).to_be_enabled(timeout=60_000)
            page.wait_for_function(SETTLED, polling="raf", timeout=60_000)  # page loaded
            for k in range(1, steps + 1):   # a run to leave behind as the faded trace
                button.click()
                page.get_by_text(f"Week {k}", exact=True).wait_for(timeout=30_000)
            page.get_by_role("button", name="Reset", exact=True).click()
            page.get_by_text("Week 0", exact=True).wait_for(timeout=30_000)
            page.wait_for_function(SETTLED, polling="raf", timeout=60_000)
            times, week_times = [], []
            for k in range(1, steps + 1):
                clicked = time.perf_counter()
                button.click()
                page.get_by_text(f"Week {k}", exact=True).wait_for(timeout=30_000)
                week_times.append(1000 * (time.perf_counter() - clicked))
                page.wait_for_function(SETTLED, polling="raf", timeout=30_000)
                times.append(1000 * (time.perf_counter() - clicked))
            opened = time.perf_counter()
            page.goto(f"{url}/compare?s=care,care-high-caseload,care-admin-automation&r=20"
                      "&w=104&run=1")
            expect(page.get_by_text("Difference from the base")).to_be_visible(
                timeout=600_000)
            compare_s = time.perf_counter() - opened
            download = page.get_by_role("button", name="Download report (HTML)")
            expect(download).to_be_enabled(timeout=60_000)
            page.wait_for_timeout(1000)   # the page settles after drawing the results
            clicked = time.perf_counter()
            with page.expect_download(timeout=300_000):
                download.click()
            report_s = time.perf_counter() - clicked
            browser.close()
    finally:
        server.terminate()
    return {"step_ms_median": round(statistics.median(times), 1),
            "step_ms_max": round(max(times), 1),
            "week_ms_median": round(statistics.median(week_times), 1),
            "compare_s": round(compare_s, 1), "report_s": round(report_s, 1)}


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
