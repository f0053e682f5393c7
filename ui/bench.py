"""``python -m ui.bench``: the app's speed in a real browser (``make bench-app``).

Starts ``solara run app.py`` on a free port and drives Debian's Chromium:

- ``step_ms_median``: one Step at classroom size (10 professionals, about 250 clients),
  from the click until the page says the new week and every chart has drawn it (a chart
  marks a redraw under way with its ``data-pending`` attribute and counts the drawings
  it finished in ``data-drawn``); median of 20, with the run before a Reset (as many
  weeks) drawn faded behind it. ``step_ms_max``: the slowest. The page notes both
  moments on its own clock (the click as it happens, the rest at each animation
  frame): Playwright's own work before a click (it waits for the button to stand
  still over two frames) and its polling are not counted.
- ``week_ms_median``: the same, until the page says the new week.
- ``compare_s``: a comparison of 3 scenarios x 20 replicates x 104 weeks at the standard
  size, from opening its address to the table of differences.
- ``report_s``: that comparison's report to hand out, from the click to the file.

``python -m ui.bench --class`` (``make bench-class``) measures class mode instead:

- ``class_round_ms_median``: with :data:`CLASS_STUDENTS` students on phones (one
  browser page each) in a class of the care preset, the time from the teacher's "Next
  round" to every student's page showing the new round; median of
  :data:`CLASS_ROUNDS` rounds. ``class_round_ms_max``: the slowest. Each page notes
  the moment (its own clock; the pages share one machine's) the click happens, or its
  text first names the new round: Playwright's polling of 35 pages one after another
  is not counted.
"""

from __future__ import annotations

import json
import shutil
import statistics
import time
from contextlib import contextmanager

from ui import serve
from ui.explore import SETTLED


@contextmanager
def served_browser():
    """A fresh app server (:func:`ui.serve.start`) and Debian's Chromium: ``(browser, url)``."""
    from playwright.sync_api import sync_playwright

    server, url = serve.start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                        args=serve.CHROMIUM_FLAGS)
            try:
                yield browser, url
            finally:
                browser.close()
    finally:
        server.terminate()


def measure(steps: int = 20) -> dict[str, float]:
    """Run both measurements and return their figures."""
    from playwright.sync_api import expect

    with served_browser() as (browser, url):
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(url)
        button = page.get_by_role("button", name="Step", exact=True)
        expect(button).to_be_enabled(timeout=60_000)
        page.wait_for_function(SETTLED, polling="raf", timeout=60_000)  # page loaded
        for k in range(1, steps + 1):   # a run to leave behind as the faded trace
            button.click()
            page.locator("nav").get_by_text(f"Week {k}", exact=True).wait_for(timeout=30_000)
        page.get_by_role("button", name="Reset", exact=True).click()
        page.locator("nav").get_by_text("Week 0", exact=True).wait_for(timeout=30_000)
        page.wait_for_function(SETTLED, polling="raf", timeout=60_000)
        times, week_times = [], []
        for k in range(1, steps + 1):
            page.evaluate(NOTE_WHEN_SETTLED, f"Week {k}")
            page.evaluate(NOTE_CLICK)
            button.click()
            page.wait_for_function("window.__settled", timeout=30_000)
            clicked, shown, settled = page.evaluate(
                "[window.__clicked, window.__shown, window.__settled]")
            week_times.append(shown - clicked)
            times.append(settled - clicked)
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
    return {"step_ms_median": round(statistics.median(times), 1),
            "step_ms_max": round(max(times), 1),
            "week_ms_median": round(statistics.median(week_times), 1),
            "compare_s": round(compare_s, 1), "report_s": round(report_s, 1)}


#: Students and rounds of the class-mode benchmark.
CLASS_STUDENTS, CLASS_ROUNDS = 35, 5
#: In a student's page: note the time (ms) its text first contains the argument.
NOTE_WHEN_SHOWN = """text => {
  window.__shown = null;
  const look = () => {
    if (window.__shown === null && document.body.textContent.includes(text)) {
      window.__shown = Date.now();
      watcher.disconnect();
    }
  };
  const watcher = new MutationObserver(look);
  watcher.observe(document.body, {childList: true, subtree: true, characterData: true});
  look();
}"""
#: In the Explore page: note the times (ms) its text first reads the argument, and when
#: every chart has drawn anew since and none is redrawing (checked every animation frame).
NOTE_WHEN_SETTLED = """text => {
  window.__shown = window.__settled = null;
  const charts = () => [...document.querySelectorAll(".verbinding-chart")];
  const before = charts().map((chart) => Number(chart.dataset.drawn || 0));
  const where = `boolean(//*[normalize-space(text())="${text}"])`;
  const look = () => {
    if (!document.evaluate(where, document, null, XPathResult.BOOLEAN_TYPE, null)
         .booleanValue) {
      requestAnimationFrame(look);
      return;
    }
    window.__shown = window.__shown || Date.now();
    const drawn = charts().every((chart, i) => Number(chart.dataset.drawn || 0) > before[i]);
    if (drawn && (SETTLED)()) {
      window.__settled = Date.now();
    } else {
      requestAnimationFrame(look);
    }
  };
  requestAnimationFrame(look);
}""".replace("SETTLED", SETTLED)
#: In a page: note the time (ms) of its next click.
NOTE_CLICK = """() => {
  window.__clicked = null;
  document.addEventListener("click", () => { window.__clicked = Date.now(); },
                            {capture: true, once: true});
}"""


def measure_class(students: int = CLASS_STUDENTS, rounds: int = CLASS_ROUNDS
                  ) -> dict[str, float]:
    """Class mode: from the teacher's Next round to every phone showing the new round."""
    import re

    from playwright.sync_api import expect

    with served_browser() as (browser, url):
        teacher = browser.new_page(viewport={"width": 1600, "height": 1000})
        teacher.goto(f"{url}/class")
        teacher.get_by_role("slider").nth(0).focus()
        teacher.keyboard.press("End")   # as many rounds as allowed
        teacher.get_by_role("slider").nth(2).focus()
        teacher.keyboard.press("End")   # the longest deadline: rounds end on the click
        teacher.get_by_role("button", name="Open the class").click()
        expect(teacher).to_have_url(re.compile(r"[?&]key="), timeout=60_000)
        code = re.search(r"code=([A-Z0-9]+)", teacher.url).group(1)
        context = browser.new_context(viewport={"width": 390, "height": 844})
        phones = [context.new_page() for _ in range(students)]
        for i, phone in enumerate(phones):
            phone.bring_to_front()   # a page behind others gets its timers slowed
            phone.goto(f"{url}/join?code={code}")
            phone.get_by_label("Your name (the class sees it)").fill(f"student {i}")
            phone.get_by_role("button", name="Join").click()
        expect(teacher.get_by_text(f"{students} joined")).to_be_visible(timeout=120_000)
        teacher.get_by_role("button", name="Start").click()
        times = []
        for k in range(2, rounds + 2):
            for phone in phones:   # every phone settled on the round before
                expect(phone.get_by_text(re.compile(rf"^Round {k - 1} of"))
                       ).to_be_visible(timeout=60_000)
                phone.evaluate(NOTE_WHEN_SHOWN, f"Round {k} of")
            teacher.evaluate(NOTE_CLICK)
            teacher.get_by_role("button", name="Next round").click()
            shown = [phone.wait_for_function("window.__shown", timeout=60_000).json_value()
                     for phone in phones]
            times.append(max(shown) - teacher.evaluate("window.__clicked"))
    return {"class_students": students,
            "class_round_ms_median": round(statistics.median(times), 1),
            "class_round_ms_max": round(max(times), 1)}


if __name__ == "__main__":
    import sys

    print(json.dumps(measure_class() if "--class" in sys.argv[1:] else measure(), indent=2))
