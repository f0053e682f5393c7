"""Class mode in a real browser: a teacher's screen and students' phones, on loopback."""

import re
import time
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Browser, Page, expect

WAIT = 30_000
#: How long the last of thirty phones that load at once may take to show its page (ms):
#: on a slow 2-core machine that was seen to pass 30 s while the server built them all.
CLASS_LOAD = 120_000
PHONE = {"width": 390, "height": 844}


def open_class(page: Page, url: str, seconds: int | None = None, lang: str = "en") -> str:
    """The teacher opens a class (the care preset, 6 rounds); returns its join code."""
    page.goto(f"{url}/class?lang={lang}")
    button = "Open the class" if lang == "en" else "Klas openen"
    expect(page.get_by_role("button", name=button)).to_be_visible(timeout=WAIT)
    if seconds is not None:   # the deadline slider, from its smallest (15 s) up
        page.get_by_role("slider").nth(2).focus()
        page.keyboard.press("Home")
        for _ in range((seconds - 15) // 15):
            page.keyboard.press("ArrowRight")
        expect(page.get_by_role("slider").nth(2)).to_have_attribute("aria-valuenow",
                                                                   str(seconds))
    page.get_by_role("button", name=button).click()
    expect(page).to_have_url(re.compile(r"[?&]key="), timeout=WAIT)
    return parse_qs(urlparse(page.url).query)["code"][0]


def join(browser: Browser, url: str, code: str, name: str, lang: str = "en") -> Page:
    """A student joins from a phone, by the address the QR code holds."""
    phone = browser.new_page(viewport=PHONE)
    phone.goto(f"{url}/join?code={code}&lang={lang}")
    phone.get_by_label(re.compile("Your name|Je naam")).fill(name)
    phone.get_by_role("button", name=re.compile("^(Join|Meedoen)$")).click()
    expect(phone).to_have_url(re.compile(r"[?&]me="), timeout=WAIT)
    return phone


def test_a_class_plays_from_joining_to_the_debrief(page: Page, app_url, browser, shoot):
    page.set_viewport_size({"width": 1280, "height": 800})
    code = open_class(page, app_url)
    expect(page.get_by_text(f"Code: {code}")).to_be_visible()
    assert page.locator("svg").count() >= 1   # the QR code of the join address
    expect(page.get_by_text(re.compile(rf"/join\?code={code}"))).to_be_visible()
    ada, bram = join(browser, app_url, code, "Ada"), join(browser, app_url, code, "Bram")
    expect(page.get_by_text("2 joined")).to_be_visible(timeout=WAIT)
    shoot(page, "class-lobby")
    page.get_by_role("button", name="Start").click()
    expect(ada.get_by_text(re.compile(r"^Round 1 of 6"))).to_be_visible(timeout=WAIT)
    clock = ada.get_by_text(re.compile(r"^\d+ s to decide$"))   # counted in the browser
    first = int(clock.text_content().split()[0])
    expect(clock).not_to_have_text(f"{first} s to decide", timeout=5_000)
    assert int(clock.text_content().split()[0]) < first
    ada.locator(".v-select__selections").click()   # Ada skips a client this round
    ada.get_by_role("option").first.click()
    ada.keyboard.press("Escape")
    ada.get_by_role("button", name="Decide").click()
    expect(ada.get_by_text(re.compile("Your choices for this round are in"))).to_be_visible(
        timeout=WAIT)
    shoot(ada, "class-student")
    expect(page.get_by_text("1 of 2 have decided")).to_be_visible(timeout=WAIT)
    page.get_by_role("button", name="Next round").click()
    for phone in (ada, bram):   # Bram did not decide: a bot played his week
        expect(phone.get_by_text(re.compile(r"^Round 2 of 6"))).to_be_visible(timeout=WAIT)
    expect(ada.get_by_text(re.compile(r"^Last round, of your \d+ clients"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"Last round 1 of 2 decided: 1 saw only some"))
           ).to_be_visible(timeout=WAIT)
    ada.reload()   # a reload gets the same professional back
    expect(ada.get_by_text("Ada", exact=True)).to_be_visible(timeout=WAIT)
    expect(ada.get_by_text(re.compile(r"^Round 2 of 6"))).to_be_visible()
    page.get_by_role("button", name="End the game").click()
    expect(page.get_by_text("Debrief")).to_be_visible(timeout=WAIT)
    expect(ada.get_by_text("The game is over: look at the projector.")).to_be_visible(
        timeout=WAIT)
    shoot(page, "class-debrief")
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("Download the decisions")).click()
    log = download.value.path().read_text(encoding="utf-8").splitlines()
    assert log[0].startswith("round,week,student,post,decided")
    assert any(line.startswith("1,4,Ada,") and ",True," in line for line in log)


def test_a_student_cannot_reach_the_teachers_controls_or_another_class(page: Page, app_url,
                                                                        browser):
    code = open_class(page, app_url)
    other = browser.new_page()
    other_code = open_class(other, app_url)
    ada = join(browser, app_url, code, "Ada")
    token = parse_qs(urlparse(ada.url).query)["me"][0]
    ada.goto(f"{app_url}/class?code={code}&key={token}&lang=en")   # a guessed address
    expect(ada.get_by_text("this page is not the teacher's of this class")).to_be_visible(
        timeout=WAIT)
    expect(ada.get_by_role("button", name="Start")).to_have_count(0)
    ada.goto(f"{app_url}/join?code={other_code}&me={token}&lang=en")   # the other class
    expect(ada.get_by_text(re.compile("not in the class; join again"))).to_be_visible(
        timeout=WAIT)
    ada.goto(f"{app_url}/join?lang=nl")
    ada.get_by_label("Code").fill("ZZZZZ")
    ada.get_by_label("Je naam (de klas ziet die)").fill("Ada")
    ada.get_by_role("button", name="Meedoen").click()
    expect(ada.get_by_text("geen klas heeft de code 'ZZZZZ': vraag het je docent")
           ).to_be_visible(timeout=WAIT)
    expect(other.get_by_text("0 joined")).to_be_visible()   # nothing reached the other


def test_thirty_students_play_and_the_round_ends_on_its_deadline(page: Page, app_url,
                                                                 browser, shoot):
    code = open_class(page, app_url, seconds=15)
    context = browser.new_context(viewport=PHONE)
    phones = [context.new_page() for _ in range(30)]
    for phone in phones:   # all load at once, as in a classroom
        phone.goto(f"{app_url}/join?code={code}&lang=en", wait_until="commit")
    for i, phone in enumerate(phones):
        phone.bring_to_front()   # as each student holds their own phone (a page behind
        # others in one browser gets its timers slowed, and Playwright waits on them)
        name = phone.get_by_label("Your name (the class sees it)")
        expect(name).to_be_visible(timeout=CLASS_LOAD)
        name.fill(f"student {i:02d}")
        phone.get_by_role("button", name="Join").click()
    expect(page.get_by_text("30 joined")).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="Start").click()
    started = time.monotonic()
    decided = 0
    for phone in phones:   # five decide (those at work); bots play the rest
        phone.bring_to_front()
        ready = phone.get_by_role("button", name="Decide").or_(
            phone.get_by_text(re.compile("You are not at work this round")))
        expect(ready).to_be_visible(timeout=WAIT)
        if phone.get_by_role("button", name="Decide").count():
            phone.get_by_role("button", name="Decide").click()
            expect(phone.get_by_text(re.compile("Your choices for this round are in"))
                   ).to_be_visible(timeout=WAIT)
            decided += 1
        if decided == 5:
            break
    expect(page.get_by_text("5 of 30 have decided")).to_be_visible(timeout=WAIT)
    # Nobody presses Next round: the deadline ends the round, bots playing the undecided.
    expect(page.get_by_text(re.compile(r"^Round 2 of 6"))).to_be_visible(timeout=90_000)
    assert time.monotonic() - started >= 14
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_text(re.compile(r"Last round 5 of 30 decided"))).to_be_visible(
        timeout=WAIT)
    for phone in phones:
        expect(phone.get_by_text(re.compile(r"^Round 2 of 6"))).to_be_visible(timeout=WAIT)
        expect(phone.get_by_text(re.compile(r"s to decide · paused$"))).to_be_visible(
            timeout=WAIT)
    shoot(page, "class-thirty")
    context.close()
