"""The app in a real browser, as a teacher or a policy maker would use it."""

import math
import re
import time
from urllib.parse import unquote_plus

from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError

from ui.charts import FEW_WEEKS
from ui.explore import SETTLED

WAIT = 30_000
#: English that must not show on the Dutch page (the defaults of SolaraViz and Vega menus).
ENGLISH_ONLY = ("Controls", "Play Interval", "Render Interval", "Use Threads",
                "Model Parameters", "Time:", "Page 0", "Step", "Reset", "Save as",
                "View Source", "Open in Vega Editor")


def open_explore(page: Page, url: str, lang: str = "en") -> None:
    page.goto(f"{url}/?lang={lang}")
    expect(page.get_by_role("button", name="Step", exact=True)).to_be_enabled(timeout=WAIT)


def step(page: Page, times: int, reached: int | None = None) -> None:
    """Click Step ``times`` times, then wait for week ``reached`` (``times`` if None)."""
    for _ in range(times):
        page.get_by_role("button", name="Step", exact=True).click()
    expect(page.locator("nav").get_by_text(f"Week {reached or times}", exact=True)).to_be_visible(
        timeout=WAIT)


def test_explore_steps_redraws_and_resets(page: Page, app_url, shoot):
    open_explore(page, app_url)
    charts = page.locator(".live-part .vega-embed")
    expect(charts.first).to_be_visible(timeout=WAIT)
    before = charts.first.screenshot()
    step(page, 3)
    assert changes_from(charts.first, before)  # the charts follow the model
    shoot(page, "explore-after-3-steps")
    expect(page.get_by_text("Faded lines: the run before the last Reset.")).to_have_count(0)
    page.get_by_role("button", name="Reset", exact=True).click()
    expect(page.locator("nav").get_by_text("Week 0", exact=True)).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("Faded lines: the run before the last Reset.")).to_be_visible()


def settled(page: Page) -> None:
    """Wait until no chart is still redrawing."""
    page.wait_for_function(SETTLED, polling="raf", timeout=WAIT)


def changes_from(element, before: bytes, seconds: float = WAIT / 1000) -> bool:
    """Whether ``element`` comes to look other than ``before`` within ``seconds``.

    A chart's update can arrive after the week's number has shown.
    """
    deadline = time.monotonic() + seconds
    while element.screenshot() == before:
        if time.monotonic() > deadline:
            return False
        element.page.wait_for_timeout(100)
    return True


#: Whether a chart holds a week's rows and has drawn them: its component (Vue 2) keeps
#: the specification it was last sent, and ``data-pending`` stays until that is drawn.
DRAWN_WEEK = """([plot, week]) => !plot.dataset.pending && plot.__vue__
    && new RegExp(`"week":${week}[,}]`).test(JSON.stringify(plot.__vue__.spec))"""


def wait_for_week_drawn(page: Page, chart, week: int) -> None:
    """Wait until ``chart`` has drawn ``week``: its number can show before its update."""
    page.wait_for_function(DRAWN_WEEK, arg=[chart.element_handle(), week], polling="raf",
                           timeout=WAIT)


def test_a_step_updates_the_charts_drawn_already_with_the_new_week(page: Page, app_url):
    """Over the first weeks each week is a tick of its own, so a Step draws a chart anew
    with the new week's tick; from then on the chart drawn already takes the new week."""
    open_explore(page, app_url)
    hours = page.locator(".live-part .vega-embed").nth(1)
    step(page, 3)  # past the first weeks, which are drawn as points
    wait_for_week_drawn(page, hours, 3)
    hours.locator("canvas").evaluate("canvas => canvas.dataset.drawnAt = 'week 3'")
    step(page, 1, reached=4)
    wait_for_week_drawn(page, hours, 4)
    assert hours.locator("canvas").get_attribute("data-drawn-at") is None  # a new tick: anew
    step(page, FEW_WEEKS + 1 - 4, reached=FEW_WEEKS + 1)
    wait_for_week_drawn(page, hours, FEW_WEEKS + 1)
    hours.locator("canvas").evaluate("canvas => canvas.dataset.drawnAt = 'week 11'")
    before = hours.screenshot()
    step(page, 1, reached=FEW_WEEKS + 2)
    assert changes_from(hours, before)  # the new week is shown ...
    assert hours.locator("canvas").get_attribute("data-drawn-at") == "week 11"  # ... in place


def test_play_runs_weeks_until_paused(page: Page, app_url):
    open_explore(page, app_url)
    page.get_by_role("button", name="Play", exact=True).click()
    expect(page.locator("nav").get_by_text(re.compile(r"^Week ([3-9]|\d\d+)$"))).to_be_visible(
        timeout=WAIT)
    expect(page.get_by_role("button", name="Step", exact=True)).to_be_disabled()
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.get_by_role("button", name="Step", exact=True)).to_be_enabled(timeout=WAIT)
    page.wait_for_timeout(300)  # a week already under way may still land
    week = page.locator("nav").get_by_text(re.compile(r"^Week \d+$")).inner_text()
    page.wait_for_timeout(1000)  # a few play intervals: nothing moves while paused
    assert page.locator("nav").get_by_text(re.compile(r"^Week \d+$")).inner_text() == week


def test_big_numbers_show_the_waiting_list_goals_and_burnout(page: Page, app_url):
    open_explore(page, app_url)
    expect(page.locator(".monitor-goal_share")).to_have_text("–")
    step(page, 1)
    for key in ("waiting", "burnout"):
        expect(page.locator(f".monitor-{key}")).to_have_text(re.compile(r"^\d+%?$"))
    expect(page.get_by_text("of staff burnt out now")).to_be_visible()


def test_the_end_of_a_run_is_said(page: Page, app_url):
    open_explore(page, app_url)
    page.locator(".typed-weeks input").fill("1")
    page.locator(".typed-weeks input").press("Enter")
    page.get_by_role("button", name="Reset", exact=True).click()
    per_step = page.get_by_role("slider", name="Weeks per step")
    per_step.focus()
    page.keyboard.press("End")
    expect(per_step).to_have_attribute("aria-valuenow", "52", timeout=WAIT)
    expect(page.locator("nav").get_by_text("The run has ended", exact=False)).to_have_count(0)
    for _ in range(3):   # the warm-up and the one reported week
        if page.get_by_role("button", name="Step", exact=True).is_enabled():
            page.get_by_role("button", name="Step", exact=True).click()
            page.wait_for_timeout(1500)
    expect(page.locator("nav").get_by_text("The run has ended", exact=False)).to_be_visible(
        timeout=WAIT)
    expect(page.get_by_role("button", name="Step", exact=True)).to_be_disabled()


def test_a_slider_changes_the_model_after_reset(page: Page, app_url):
    open_explore(page, app_url)
    slider = page.get_by_role("slider").nth(2)  # play interval, render interval, then levers
    value = slider.get_attribute("aria-valuenow")
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(slider).not_to_have_attribute("aria-valuenow", value, timeout=WAIT)
    page.get_by_role("button", name="Reset", exact=True).click()
    step(page, 1)


def professionals_in_the_model(page: Page) -> int:
    """How many professionals the inspect list offers: the model's team size."""
    page.locator(".v-select__selections").last.click()
    expect(page.get_by_role("option").first).to_be_visible(timeout=WAIT)
    page.wait_for_timeout(300)
    count = page.get_by_role("option").count()
    page.keyboard.press("Escape")
    return count


def choose_preset(page: Page, name: str) -> None:
    """Pick a preset in Explore and make its model (Reset)."""
    page.locator(".v-select__selections").first.click()
    page.get_by_role("option", name=name, exact=True).click()
    expect(page.locator("nav").get_by_text("Week 0", exact=True)).to_be_visible(timeout=WAIT)
    page.get_by_role("button", name="Reset", exact=True).click()
    page.wait_for_timeout(500)


def test_another_preset_and_its_sliders_make_the_model_on_reset(page: Page, app_url):
    open_explore(page, app_url)
    choose_preset(page, "work")
    assert professionals_in_the_model(page) == 5  # the work preset at classroom size
    team = page.get_by_role("slider", name="Professionals (persons)")
    team.focus()
    page.keyboard.press("ArrowRight")
    expect(team).to_have_attribute("aria-valuenow", "6", timeout=WAIT)
    page.get_by_role("button", name="Reset", exact=True).click()
    page.wait_for_timeout(500)
    assert professionals_in_the_model(page) == 6


def settled_slider(page: Page, name: str):
    """The slider of this name, once the settings have been drawn again (a redraw briefly
    shows the old controls beside the new)."""
    slider = page.get_by_role("slider", name=name)
    expect(slider).to_have_count(1, timeout=WAIT)
    return slider


def test_a_typed_setting_shows_on_its_slider_waits_for_reset_and_then_runs(page: Page,
                                                                          app_url):
    open_explore(page, app_url)
    page.locator(".typed-professionals input").fill("7")
    page.locator(".typed-professionals input").press("Enter")
    expect(page.get_by_text(re.compile(r"Waiting for Reset"))).to_be_visible(timeout=WAIT)
    team = settled_slider(page, "Professionals (persons)")
    expect(team).to_have_attribute("aria-valuenow", "7", timeout=WAIT)
    expect(page.get_by_text(re.compile(r"Waiting for Reset: Professionals \(persons\) 7 "
                                       r"\(running 10\)"))).to_be_visible(timeout=WAIT)
    page.get_by_role("button", name="Reset", exact=True).click()
    expect(page.get_by_text("Waiting for Reset", exact=False)).to_have_count(0, timeout=WAIT)
    assert professionals_in_the_model(page) == 7
    page.locator(".typed-professionals input").fill("100000")
    page.locator(".typed-professionals input").press("Enter")
    expect(page.get_by_text(re.compile(r"Professionals \(persons\): allowed 1 \.\. "))
           ).to_be_visible(timeout=WAIT)
    expect(settled_slider(page, "Professionals (persons)")).to_have_attribute(
        "aria-valuenow", "7")


def test_switching_language_keeps_the_run_and_the_settings(page: Page, app_url):
    open_explore(page, app_url)
    step(page, 3)
    team = page.get_by_role("slider", name="Professionals (persons)")
    team.focus()
    page.keyboard.press("ArrowRight")
    expect(team).to_have_attribute("aria-valuenow", "11", timeout=WAIT)
    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator("nav").get_by_text("Week 3", exact=True)).to_be_visible(timeout=WAIT)
    expect(settled_slider(page, "Professionals (personen)")).to_have_attribute(
        "aria-valuenow", "11", timeout=WAIT)
    expect(page.get_by_text(re.compile(r"Wacht op Opnieuw: Professionals"))).to_be_visible()


def test_education_runs_in_school_years_with_class_teaching(page: Page, app_url):
    open_explore(page, app_url)
    choose_preset(page, "education")
    expect(page.get_by_text(re.compile("a class for the school year"))).to_be_visible()
    charts = page.locator(".live-part .vega-embed")
    before = charts.nth(1).screenshot()  # hours per professional: class teaching first
    step(page, 2)
    assert changes_from(charts.nth(1), before)


def test_settings_saved_in_explore_can_be_compared(page: Page, app_url):
    open_explore(page, app_url)
    name = page.get_by_label("Scenario name")
    name.fill("our-pilot")
    name.press("Enter")
    page.get_by_role("button", name="Save for Compare").click()
    expect(page.get_by_text("Saved as scenario: our-pilot")).to_be_visible(timeout=WAIT)
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.get_by_role("button", name="Run comparison")).to_be_visible(timeout=WAIT)
    page.locator(".v-select__selections").first.click()
    expect(page.get_by_role("option", name="our-pilot")).to_be_visible(timeout=WAIT)


def test_switching_to_dutch_shows_dutch_labels(page: Page, app_url, shoot):
    open_explore(page, app_url)
    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_text("Contracturen per week (uur/week)")).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("button", name="Verkennen")).to_be_visible()
    assert "lang=nl" in page.url
    for control in ("Opnieuw", "Afspelen", "Stap"):
        expect(page.get_by_role("button", name=control, exact=True)).to_be_visible()
    page.get_by_role("button", name="Stap", exact=True).click()
    expect(page.locator("nav").get_by_text("Week 1", exact=True)).to_be_visible(timeout=WAIT)
    page.wait_for_timeout(1000)  # the charts redraw after the step
    shoot(page, "explore-dutch")
    page.locator(".live-part .vega-embed details summary").first.click()  # a chart's menu
    expect(page.get_by_text("Opslaan als PNG").first).to_be_visible()
    shown = page.locator("body").inner_text()
    for english in ENGLISH_ONLY:
        assert english not in shown
    page.get_by_role("button", name="Vergelijken", exact=True).click()
    expect(page.get_by_role("button", name="Vergelijking starten")).to_be_visible(
        timeout=WAIT)
    assert "lang=nl" in page.url
    page.get_by_role("button", name="Uitleg").click()
    expect(page.get_by_text("Om in de klas te proberen")).to_be_visible(timeout=WAIT)
    assert "lang=nl" in page.url
    shoot(page, "learn-dutch")


def test_a_comparison_runs_to_the_end_and_a_shared_link_restores_it(page: Page, app_url,
                                                                     shoot, browser: Browser):
    link = f"{app_url}/compare?lang=en&s=care,care-admin-automation&r=2&w=30&u=0&run=1"
    page.goto(link)
    expect(page.get_by_text("Difference from the base")).to_be_visible(timeout=60_000)
    expect(page.get_by_text(re.compile(r"Clients reaching their goal"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"95% interval")).first).to_be_visible()
    expect(page.get_by_role("button", name="Download table (CSV)")).to_be_visible()
    expect(page.get_by_text("What it costs and what it buys")).to_be_visible()
    money = page.locator(".money li").inner_text()
    assert re.match(r"care-admin-automation (costs|saves) .*€ .* goals a year", money), money
    expect(page.get_by_role("button", name="Run comparison")).to_be_enabled(timeout=WAIT)
    shoot(page, "compare")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download report (HTML)").click()
    handed_out = download.value.path().read_text(encoding="utf-8")
    for part in ("<h2>Scenarios</h2>", "automation 0 → 0.5", "Clients reaching their goal",
                 "What it costs and what it buys", "Cost per year",
                 "verbinding compare care care-admin-automation --replicates 2 --seed 1 "
                 "--weeks 30"):
        assert part in handed_out, part
    assert handed_out.count("<svg") == 2 and "<script" not in handed_out
    first = page.locator("table").inner_text()
    other = browser.new_page()   # someone opening the shared link
    other.goto(link)
    expect(other.get_by_text("Difference from the base")).to_be_visible(timeout=60_000)
    assert other.locator("table").inner_text() == first
    other.close()


def test_a_comparison_includes_what_the_model_is_unsure_of_unless_unticked(page: Page,
                                                                           app_url, shoot):
    page.goto(f"{app_url}/compare?lang=en&s=care,care-standardised&r=2&w=26&run=1")
    expect(page.get_by_text(re.compile(r"^Each replicate ran with other plausible values"))
           ).to_be_visible(timeout=90_000)
    assert "parameters the evidence does not pin down" in page.locator("table").inner_text()
    expect(page.get_by_text(re.compile(r"With fewer than 39 replicates the intervals assume"))
           ).to_be_visible()   # two replicates: said what their intervals assume
    shoot(page, "compare-unsure")
    box = page.get_by_role("checkbox", name="Include what the model is unsure of")
    expect(box).to_be_checked()
    page.get_by_text("Include what the model is unsure of").click()  # as a user does
    expect(box).not_to_be_checked()
    page.get_by_role("button", name="Run comparison").click()
    expect(page.get_by_text(re.compile(r"^Each replicate ran with other plausible values"))
           ).to_be_hidden(timeout=90_000)
    assert "the evidence does not pin down" not in page.locator("table").inner_text()


def test_an_unknown_scenario_in_the_address_is_left_out_and_the_rest_compared(page: Page,
                                                                             app_url):
    page.goto(f"{app_url}/compare?lang=en&s=care,gone,care-admin-automation&r=2&w=30&u=0&run=1")
    expect(page.get_by_text("Difference from the base")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("The page address names 'gone', which is no shipped or saved "
                            "scenario; it is left out.")).to_be_visible()
    expect(page.locator("table").get_by_text("care-admin-automation").first).to_be_visible()
    page.goto(f"{app_url}/?lang=nl&preset=../../etc/passwd")   # Explore says so too
    expect(page.get_by_text("Het adres vraagt om een onbekend scenario '../../etc/passwd': "
                            "de zorgpraktijk opent in plaats daarvan.")).to_be_visible(
        timeout=WAIT)
    expect(page.locator("nav").get_by_text("Week 0", exact=True)).to_be_visible()


def test_a_comparison_reads_in_dutch_on_a_phone(page: Page, app_url, shoot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{app_url}/compare?lang=nl&s=care,care-admin-automation&r=2&w=30&u=0&run=1")
    expect(page.get_by_text("Verschil met de basis (gepaard 95%-interval)")).to_be_visible(
        timeout=60_000)
    expect(page.get_by_text(re.compile(r"^care-admin-automation: De helft van de admin"))
           ).to_be_visible()  # what each scenario is, in Dutch
    table = page.locator("table").inner_text()
    assert "Cliënten die hun doel halen" in table and "95%-interval" in table
    for english in (" more ", " less ", "(95% interval", "not clearly", "Value"):
        assert english not in table
    expect(page.get_by_text("Wat het kost en wat het oplevert")).to_be_visible()
    money = page.locator(".money li").inner_text()
    assert re.match(r"care-admin-automation (kost|bespaart) .*€ .*doelen", money), money
    expect(page.get_by_role("button", name="Vergelijking starten")).to_be_enabled(timeout=WAIT)
    # Nothing wider than the phone: a row is a block, its difference in words in view.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    table_box = page.locator(".differences").bounding_box()
    assert table_box["x"] >= 0 and table_box["x"] + table_box["width"] <= 390
    assert page.locator(".differences").evaluate("e => e.scrollWidth <= e.clientWidth")
    said = page.locator(".differences tbody tr").first.locator("td").last
    box = said.bounding_box()
    assert "95%-interval" in said.inner_text() and box["x"] + box["width"] <= 390
    weekly = page.locator(".weekly-figure img")   # six panels: readable, scrolled within
    assert weekly.evaluate("e => e.getBoundingClientRect().width") >= 600
    assert page.locator(".weekly-figure").evaluate("e => e.clientWidth <= 390")
    value = page.locator(".differences tbody td:nth-child(4)").first
    assert value.evaluate("e => getComputedStyle(e, '::before').content") == '"waarde: "'
    said.scroll_into_view_if_needed()
    shoot(page, "compare-dutch")


def upload(page: Page, path) -> None:
    page.locator("input[type=file]").set_input_files(str(path))


def test_a_bad_scenario_upload_shows_the_error_in_the_page(page: Page, app_url, tmp_path,
                                                             shoot):
    open_explore(page, app_url)
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\ndomain = "care"\n[parameters]\ncaseload = 5\n')
    upload(page, bad)
    expect(page.get_by_text(re.compile("unknown parameter 'caseload'"))).to_be_visible(
        timeout=WAIT)
    shoot(page, "explore-bad-upload")
    step(page, 1)  # the session goes on


def test_an_upload_is_refused_by_its_size_before_it_is_sent(page: Page, app_url, tmp_path):
    open_explore(page, app_url)
    big = tmp_path / "huge.toml"
    big.write_bytes(b"#" * 30_000_000)
    upload(page, big)
    expect(page.get_by_text("Problem: huge: larger than 64 KiB")).to_be_visible(timeout=WAIT)
    step(page, 1)  # the connection held
    expect(page.get_by_text(re.compile("Connection lost|reconnecting"))).to_have_count(0)


def test_an_uploaded_scenario_extends_only_a_shipped_one(page: Page, app_url, tmp_path):
    open_explore(page, app_url)
    for target in ("/etc/passwd", "../pyproject.toml", "/proc/kmsg"):
        sneaky = tmp_path / "sneaky.toml"
        sneaky.write_text(f'name = "sneaky"\ndomain = "care"\nextends = "{target}"\n')
        upload(page, sneaky)
        expect(page.get_by_text(f"Problem: sneaky: extends '{target}', but an uploaded or "
                                "shared scenario can extend only a shipped one",
                                exact=False)).to_be_visible(timeout=WAIT)
    fine = tmp_path / "fine.toml"
    fine.write_text('name = "pilot"\nextends = "care"\n[parameters]\ncaseload_cap = 25\n')
    upload(page, fine)
    expect(page.get_by_text("Saved as scenario: pilot")).to_be_visible(timeout=WAIT)
    assert not list(tmp_path.parent.glob("sneaky*"))  # nothing written where a name points


def test_a_crafted_compare_address_reads_no_file_and_shows_no_traceback(page: Page,
                                                                        app_url, shoot):
    page.goto(f"{app_url}/compare?lang=en&s=care,/etc/passwd,pyproject.toml&r=abc&w=2600")
    expect(page.get_by_text("The page address names '/etc/passwd', which is no shipped or "
                            "saved scenario; it is left out.")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("The page address names 'pyproject.toml'", exact=False)
           ).to_be_visible()
    expect(page.get_by_text("Replicates = 'abc'; allowed are whole numbers from 2 to 40. "
                            "Using 40.", exact=False)).to_be_visible()   # unsure: 40
    expect(page.get_by_text("Weeks = '2600'", exact=False)).to_be_visible()
    body = page.locator("body").inner_text()
    for leak in ("Traceback", "malformed TOML", "not found", "root:", "build-system"):
        assert leak not in body
    weeks = page.get_by_role("slider").nth(1)
    expect(weeks).to_have_attribute("aria-valuenow", "260")
    shoot(page, "compare-crafted-address")


def test_markup_in_a_linked_scenario_is_shown_as_text_never_run(page: Page, app_url):
    import base64
    import json
    import zlib

    trap = '<img src=x onerror="document.title=1"> **bold** [link](javascript:alert(1))'
    scenario = f'name = "pilot"\nextends = "care"\n[description]\nen = \'{trap}\'\n'
    link = base64.urlsafe_b64encode(zlib.compress(json.dumps([scenario]).encode())).decode()
    page.goto(f"{app_url}/compare?lang=en&s=care,pilot&x={link}")
    expect(page.get_by_text(trap, exact=False)).to_be_visible(timeout=WAIT)
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.title() != "1"


def test_a_link_that_would_unpack_to_gigabytes_is_refused(page: Page, app_url):
    import base64
    import zlib

    bomb = base64.urlsafe_b64encode(zlib.compress(b"\0" * 10**7, 9)).decode()
    page.goto(f"{app_url}/compare?lang=nl&s=care,work&x={bomb}")
    expect(page.get_by_text("De scenario's in deze link zijn niet te lezen: ze zouden "
                            "uitpakken tot meer dan 260 KiB")).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("button", name="Vergelijking starten")).to_be_enabled()


def test_five_sessions_keep_independent_models(browser: Browser, app_url):
    contexts = [browser.new_context() for _ in range(5)]
    pages = [c.new_page() for c in contexts]
    for page in pages:
        open_explore(page, app_url)
    for k, page in enumerate(pages, start=1):
        for _ in range(k):
            page.get_by_role("button", name="Step", exact=True).click()
    for k, page in enumerate(pages, start=1):
        expect(page.locator("nav").get_by_text(f"Week {k}", exact=True)).to_be_visible(timeout=WAIT)
    for context in contexts:
        context.close()


def test_an_impossible_combination_is_explained_and_the_session_goes_on(page: Page,
                                                                        app_url, shoot):
    open_explore(page, app_url)
    hours = page.get_by_role("slider").nth(5)  # pause, weeks per step, then the levers
    expect(page.get_by_text("Contract hours per week (h/week)")).to_be_visible()
    hours.focus()
    page.keyboard.press("Home")  # 1 contract hour, less than the fixed admin
    expect(hours).to_have_attribute("aria-valuenow", "1", timeout=WAIT)
    page.get_by_role("button", name="Reset", exact=True).click()
    expect(page.get_by_text("Not started: Fixed admin hours (h/week) exceeds Contract hours "
                            "per week (h/week): fixed admin must fit in the contract week")
           ).to_be_visible(timeout=WAIT)
    shoot(page, "explore-impossible")
    step(page, 1)  # the model shown before keeps running


def network_canvas(page: Page):
    """The network chart's canvas and its box, once it has settled after a Step."""
    # the four outcome panels, the hours per professional, then the network
    canvas = page.locator(".live-part .vega-embed").nth(5).locator("canvas")
    for _ in range(5):  # the charts are redrawn after each Step: wait until it settles
        page.wait_for_timeout(500)
        try:
            canvas.scroll_into_view_if_needed(timeout=WAIT)
            box = canvas.bounding_box()
            break
        except PlaywrightError:
            continue
    else:
        raise AssertionError("the network chart kept being redrawn")
    return box


def click_a_professional(page: Page, box) -> tuple[float, float]:
    """Click the network view until a professional is hit; where it was hit."""
    inspected = page.locator(".v-select__selection").last
    assert inspected.inner_text() == "0"
    # Professionals sit on a ring; sweep a band across its left half until one is hit.
    for fx in [i / 40 for i in range(2, 20)]:
        for fy in (0.40, 0.45, 0.50, 0.55):
            x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
            page.mouse.click(x, y)
            page.wait_for_timeout(80)  # the click goes to the server and back
            if inspected.inner_text() != "0":
                return x, y
    raise AssertionError("no click on the network view changed the inspected professional")


def test_clicking_a_professional_or_a_client_in_the_network_view_inspects_it(
        page: Page, app_url, shoot):
    page.set_viewport_size({"width": 1600, "height": 1000})
    open_explore(page, app_url)
    step(page, 8)  # a few weeks of arrivals: every professional has clients around them
    x, y = click_a_professional(page, network_canvas(page))
    client = page.get_by_text(re.compile(r"^Client \d+: bond \d\.\d\d"))
    # Its clients sit around it, outside its own disc: sweep rings around the hit point.
    for radius in (24, 30, 36, 20):
        for k in range(16):
            angle = 2 * math.pi * k / 16
            page.mouse.click(x + radius * math.cos(angle), y + radius * math.sin(angle))
            page.wait_for_timeout(80)
            if client.count():
                shoot(page, "explore-inspect-client")
                return
    raise AssertionError("no click around a professional selected one of its clients")


def test_a_shared_link_restores_a_scenario_saved_in_another_session(page: Page, app_url):
    from experiments.scenarios import Scenario, load
    from ui.compare_page import encode_saved, saved_scenarios

    mine = Scenario("our-pilot", "care", {"en": "Saved from Explore."},
                    {**load("care").overrides, "client_voice": 0.9})
    saved_scenarios.set({"our-pilot": mine})
    page.goto(f"{app_url}/compare?lang=en&s=care,our-pilot&r=2&w=30&u=0&run=1"
              f"&x={encode_saved(['care', 'our-pilot'])}")
    expect(page.get_by_text("Difference from the base")).to_be_visible(timeout=60_000)
    expect(page.locator("table").get_by_text("our-pilot").first).to_be_visible()


def test_the_server_fetches_no_asset_a_visitor_names(app_url):
    import urllib.error
    import urllib.request

    from solara.server.settings import assets

    for path in ("evil@1.0.0/x.js", "vega@5.30.0/../../../../etc/passwd"):
        try:
            urllib.request.urlopen(f"{app_url}/_solara/cdn/{path}", timeout=10)
            raise AssertionError(f"{path} was served")
        except urllib.error.HTTPError as error:
            assert error.code == 404
    assert not (assets.proxy_cache_dir / "evil@1.0.0").exists()


def test_on_a_phone_every_page_and_the_charts_can_be_reached(page: Page, app_url, shoot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{app_url}/?lang=nl")
    expect(page.locator("nav").get_by_text("Week 0", exact=True)).to_be_visible(timeout=WAIT)
    for name in ("Verkennen", "Vergelijken", "Uitleg", "English"):   # none cut off
        box = page.get_by_role("button", name=name, exact=True).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, name
    page.mouse.click(375, 420)    # beside the sidebar: it closes
    expect(page.get_by_text("wachten nu")).to_be_in_viewport(timeout=WAIT)
    expect(page.locator(".live-part .vega-embed").first).to_be_in_viewport()
    stap = page.get_by_role("button", name="Stap", exact=True)   # above the charts
    expect(stap).to_have_count(1)
    expect(stap).to_be_in_viewport()
    stap.click()
    expect(page.get_by_role("main").get_by_text("Week 1", exact=True)).to_be_in_viewport(
        timeout=WAIT)
    shoot(page, "explore-phone")
    page.get_by_role("button", name="Vergelijken", exact=True).click()
    expect(page.get_by_role("button", name="Vergelijking starten")).to_be_in_viewport(
        timeout=WAIT)
    expect(page.get_by_role("button", name="English", exact=True)).to_be_in_viewport()


def test_a_what_if_scenario_is_made_in_compare_and_survives_a_reload(page: Page, app_url):
    page.goto(f"{app_url}/compare?lang=en&s=care,care-high-caseload")
    expect(page.get_by_text("What if ...")).to_be_visible(timeout=WAIT)
    page.locator(".v-input", has=page.get_by_text("Lever", exact=True)).locator(
        ".v-select__selections").click()
    page.get_by_role("option", name="Admin hours per client", exact=False).first.click()
    page.get_by_label(re.compile(r"New value \(now 0.2\)")).fill("0.16")
    page.get_by_role("button", name="Change", exact=True).click()
    page.get_by_role("button", name="Make this scenario").click()
    made = "care + admin_hours_per_client 0.16"
    expect(page.get_by_text(re.compile(r"^care \+ admin_hours_per_client 0\.16: Admin hours "
                                       r"per client .* 0\.2 → 0\.16"))).to_be_visible(
        timeout=WAIT)
    expect(page).to_have_url(re.compile(r"[?&]x="), timeout=WAIT)   # the address holds it
    assert made in unquote_plus(page.url)
    page.reload()
    expect(page.get_by_text(made, exact=True).first).to_be_visible(timeout=WAIT)
    expect(page.get_by_text(re.compile(r"0\.16 instead of 0\.2")).first).to_be_visible()


def test_a_lever_changed_mid_run_applies_from_the_next_week(page: Page, app_url):
    open_explore(page, app_url)
    step(page, 2)
    team = page.get_by_role("slider", name="Professionals (persons)")
    team.focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_text(re.compile(r"Waiting for Reset: Professionals"))).to_be_visible(
        timeout=WAIT)
    page.get_by_role("button", name="Apply from the next week").click()
    expect(page.get_by_text(re.compile(r"Waiting for Reset"))).to_have_count(0, timeout=WAIT)
    expect(page.locator("nav").get_by_text("Week 2", exact=True)).to_be_visible()   # goes on
    expect(page.get_by_text("Dashed line: a setting put in force from the next week.")
           ).to_be_visible()
    assert professionals_in_the_model(page) == 11
    expect(page.get_by_text(re.compile(r"kept as events .*\(0\); those made in the warm-up "
                                       r"are not \(1\)"))).to_be_visible()   # week 2 of 52
    page.locator(".typed-weeks input").fill("30")   # reported weeks: only with Reset
    page.locator(".typed-weeks input").press("Enter")
    page.get_by_role("button", name="Apply from the next week").click()
    expect(page.get_by_text(re.compile(r"can change only with Reset"))).to_be_visible(
        timeout=WAIT)


def test_an_exercise_opens_its_preset_in_explore(page: Page, app_url):
    page.goto(f"{app_url}/learn?lang=nl")
    expect(page.get_by_text("Hoe het model werkt")).to_be_visible(timeout=WAIT)
    page.get_by_role("button", name="Open care-high-caseload in Verkennen").click()
    expect(page.get_by_text(re.compile(r"^Bezuiniging: dezelfde patiënten"))).to_be_visible(
        timeout=WAIT)
    expect(page.locator("nav").get_by_text("Week 0", exact=True)).to_be_visible()


def test_presentation_mode_hides_the_controls_and_keeps_step(page: Page, app_url, shoot):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_explore(page, app_url)
    page.get_by_role("button", name="Presentation mode").click()
    expect(page.get_by_role("button", name="Leave presentation mode")).to_be_visible(
        timeout=WAIT)
    expect(page.get_by_role("slider", name="Professionals (persons)")).to_be_hidden()
    main = page.get_by_role("main")
    for _ in range(2):
        main.get_by_role("button", name="Step", exact=True).click()
    expect(main.get_by_text("Week 2", exact=True)).to_be_visible(timeout=WAIT)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920  # nothing sideways
    shoot(page, "explore-presentation")
    main.get_by_role("button", name="Play", exact=True).click()
    page.get_by_role("button", name="Leave presentation mode").click()
    expect(page.get_by_role("button", name="Presentation mode")).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("button", name="Leave presentation mode")).to_have_count(0)
    nav = page.locator("nav")
    nav.get_by_role("button", name="Pause", exact=True).click()   # the same run, playing
    expect(nav.get_by_role("button", name="Play", exact=True)).to_be_visible(timeout=WAIT)
    week = int(nav.get_by_text(re.compile(r"^Week \d+$")).inner_text().split()[1])
    assert week > 2
