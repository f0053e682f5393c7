"""Class mode in the browser: the teacher's page (``/class``) and a student's (``/join``).

The class itself lives in :mod:`ui.classroom`, shared by every tab of the server; a
page holds only its address: the teacher's has the join code and the teacher key, a
student's the join code and their token, so a reload finds the same class and the same
professional. Each page waits on its class in a thread of its own and draws anew when
the class changes (a student joins or decides, a round ends); the round's clock counts
down in the browser (``ui/countdown.vue``), so thirty phones cost the server nothing
between changes. A round's end redraws every page: a student's form stays and takes
the new round's values (no new widgets), and their clients are a plain HTML table.
"""

from __future__ import annotations

import threading
import time
from html import escape
from urllib.parse import urlencode, urlsplit

import segno
import solara
import solara.lab

from experiments.scenarios import available, load_shipped
from ui.charts import class_rounds_spec
from ui.classroom import (
    CLASSES,
    ROUND_SECONDS,
    ROUND_WEEKS,
    ROUNDS,
    Choice,
    ClassError,
    Classroom,
    Student,
)
from ui.explore import chart
from ui.i18n import number, parameter_label, refusal, t

#: Seconds between a page's checks, while its class does not change, that it is open.
WATCH_SECONDS = 3.0
#: Levers a teacher may change halfway: those the model takes mid-run and that do not
#: depend on the class's size (a change of professionals could close a student's post).
LEVERS = ("standardisation", "admin_hours_per_client", "admin_hours_fixed", "caseload_cap",
          "automation", "automated_contact_share", "network_hours", "client_voice")
BIG = {"font-size": "20px"}


def use_class(room: Classroom | None) -> int:
    """Redraw the calling page whenever ``room`` changes.

    Returns:
        The class's version: pass it on to the components that show the class (a
        component is drawn anew only when what it is given changes, and the class is
        the same object throughout).
    """
    seen, set_seen = solara.use_state(room.version if room else 0)

    def watch(cancel: threading.Event) -> None:
        version = seen
        while room is not None and not cancel.is_set():
            changed = room.wait(version, WATCH_SECONDS)
            if changed != version and not cancel.is_set():
                version = changed
                set_seen(changed)

    solara.use_thread(watch, [room.code if room else None], intrusive_cancel=False)
    return seen


def join_address(code: str, lang: str) -> str:
    """The address students open to join, from the address the teacher's page came by."""
    headers = solara.lab.headers.value or {}
    host = (headers.get("x-forwarded-host") or headers.get("host") or ["localhost:8765"])[0]
    scheme = (headers.get("x-forwarded-proto") or ["http"])[0]
    return f"{scheme}://{host}/join?{urlencode({'code': code, 'lang': lang})}"


def qr_svg(text: str) -> str:
    """A QR code of ``text`` as inline SVG (segno), big enough for a projector."""
    return segno.make(text, error="m").svg_inline(scale=8, border=2)


def seconds_left(room: Classroom) -> float:
    """Seconds to the round's deadline (its clock stopped while paused)."""
    if room.state == "paused":
        return room.left
    return max(0.0, room.deadline - time.monotonic())


@solara.component_vue("countdown.vue")
def Countdown(seconds: float, running: bool, text: str, stamp: int):
    """``text`` with ``{s}`` the whole seconds left, counted down in the browser.

    Counts from ``seconds`` while ``running``; a new ``stamp`` (the class's version)
    starts the count again from the ``seconds`` given with it.
    """


@solara.component
def Clock(room: Classroom, lang: str, version: int):
    """The round's clock, or nothing between rounds."""
    if room.state in ("running", "paused"):
        running = room.state == "running"
        paused = "" if running else f" · {t('class_paused', lang)}"
        Countdown(seconds=seconds_left(room), running=running, stamp=version,
                  text=t("class_left", lang) + paused)


# --- The teacher ------------------------------------------------------------------------
@solara.component
def Teacher(lang: str, query: dict):
    """``/class``: open a class, or, with its code and key in the address, run it."""
    room, problem = None, None
    if query.get("code"):
        try:
            room = CLASSES.find(query["code"])
            room.check_key(query.get("key", ""))
        except ClassError as error:
            room, problem = None, error.text(lang)
    version = use_class(room)
    with solara.Column(style={**BIG, "padding": "12px"}):
        solara.Markdown(f"## {t('class_mode', lang)}")
        if problem:
            solara.Error(problem)
        if room is None:
            OpenForm(lang)
        else:
            Dashboard(room, query["key"], lang, version)


@solara.component
def OpenForm(lang: str):
    """The teacher's choices: a preset, rounds and their length, a lever halfway."""
    router = solara.use_router()
    preset = solara.use_reactive("care")
    rounds = solara.use_reactive(6)
    weeks = solara.use_reactive(4)
    seconds = solara.use_reactive(90)
    lever = solara.use_reactive("")
    value = solara.use_reactive(0.0)
    at = solara.use_reactive(4)
    problem = solara.use_reactive("")

    def open_class() -> None:
        try:
            room = CLASSES.open(preset.value, rounds.value, weeks.value, seconds.value,
                                (lever.value, value.value, at.value) if lever.value else None)
        except ClassError as error:
            problem.set(refusal(error.fields["reason"], lang) if error.key == "lever_refused"
                        else error.text(lang))
            return
        address = {"lang": lang, "code": room.code, "key": room.teacher_key}
        router.push(f"/class?{urlencode(address)}")

    solara.Markdown(t("class_intro", lang))
    solara.Select(t("scenario", lang), values=available(), value=preset)
    description = load_shipped(preset.value).description
    solara.Text(description.get(lang) or description.get("en", ""))
    with solara.Column(style={"padding-top": "32px", "gap": "24px"}):   # room for values
        solara.SliderInt(t("class_rounds", lang), value=rounds, min=ROUNDS[0], max=20,
                         thumb_label="always")
        solara.SliderInt(t("class_weeks", lang), value=weeks, min=ROUND_WEEKS[0],
                         max=ROUND_WEEKS[1], thumb_label="always")
        solara.SliderInt(t("class_seconds", lang), value=seconds, min=ROUND_SECONDS[0],
                         max=300, step=15, thumb_label="always")
    labels = {"": t("class_no_lever", lang)} | {n: parameter_label(n, lang) for n in LEVERS}

    def pick(label: str) -> None:   # a lever starts from the preset's own value
        name = next(k for k, v in labels.items() if v == label)
        lever.set(name)
        if name:
            value.set(float(getattr(load_shipped(preset.value).parameters(), name)))
    with solara.Row():
        solara.Select(t("class_lever", lang), values=[labels[k] for k in labels],
                      value=labels[lever.value],
                      on_value=pick)
        if lever.value:
            solara.InputFloat(t("class_lever_value", lang), value=value)
            solara.InputInt(t("class_lever_round", lang), value=at)
    if problem.value:
        solara.Error(problem.value)
    solara.Button(t("class_open", lang), on_click=open_class, color="primary")


@solara.component
def Dashboard(room: Classroom, key: str, lang: str, version: int):
    """The join code and QR for the projector; the game's controls and outcomes."""
    problem = solara.use_reactive("")

    def act(action) -> None:
        try:
            action(key)
            problem.set("")
        except ClassError as error:
            problem.set(error.text(lang))

    address = join_address(room.code, lang)
    if room.state == "open":
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.HTML(tag="div", unsafe_innerHTML=qr_svg(address))
            with solara.Column():
                solara.Markdown(f"# {t('class_code', lang)}: {room.code}")
                solara.Text(address, classes=["join-address"])
                if urlsplit(address).hostname in ("localhost", "127.0.0.1", "::1"):
                    solara.Warning(t("class_local_address", lang))
                solara.Markdown(f"### {t('class_joined', lang).format(n=len(room.students))}")
                solara.Text(", ".join(s.name for s in room.students.values()))
        solara.Button(t("class_start", lang), on_click=lambda: act(room.start),
                      color="primary", disabled=not room.students)
    else:
        solara.Markdown(f"### {status_line(room, lang)}")
        with solara.Column(style={"font-size": "36px", "font-weight": "bold"}):
            Clock(room, lang, version)   # big: the class reads it on the projector
        solara.Text(f"{t('class_code', lang)}: {room.code} · "
                    f"{t('class_joined', lang).format(n=len(room.students))}")
        if room.state in ("running", "paused"):
            solara.Text(t("class_decided", lang).format(n=room.decided(),
                                                       of=len(room.students)))
            with solara.Row():
                solara.Button(t("class_resume" if room.state == "paused" else "class_pause",
                                lang), on_click=lambda: act(room.pause))
                solara.Button(t("class_next", lang), on_click=lambda: act(room.next_round),
                              color="primary")
                solara.Button(t("class_end", lang), on_click=lambda: act(room.end))
        Outcomes(room, lang, version)
        if room.log:
            solara.FileDownload(lambda: room.log_csv(key).encode("utf-8"),
                                filename=f"class-{room.code}.csv",
                                label=t("class_download", lang))
    if problem.value:
        solara.Error(problem.value)


def status_line(room: Classroom, lang: str) -> str:
    """Round and week, or the game's end, in a line (the clock is :func:`Clock`)."""
    if room.state == "ended":
        return t("class_over", lang).format(week=room.week)
    return t("class_round", lang).format(round=room.round, rounds=room.rounds, week=room.week)


#: The figures the dashboard compares, class against bots: (key, text key, better high).
FIGURES = (("goals", "class_goals", True), ("dropouts", "class_dropouts", False),
           ("mean_bond", "class_bond", True), ("stress", "class_stress", False),
           ("burnouts", "class_burnouts", False), ("quits", "class_quits", False))
#: Figures on a 0..1 scale, shown as percentages, as the students' phones show them.
SHARES = {"mean_bond", "stress"}


def figure_text(name: str, value, lang: str) -> str:
    """A figure as the class reads it: a share as a whole percentage, else a number."""
    if value == "" or value is None:
        return "–"
    return f"{round(100 * value)}%" if name in SHARES else number(value, lang)


@solara.component
def Outcomes(room: Classroom, lang: str, version: int):
    """The class's run against the bots' (same seed), the lever, the strategies."""
    if not room.outcomes:
        return
    last = room.outcomes[-1]
    rows = [f"| {t('class_figure', lang)} | {t('class_class', lang)} | "
            f"{t('class_bots', lang)} |", "|---|---|---|"]
    for name, label, _ in FIGURES:
        rows.append(f"| {t(label, lang)} | {figure_text(name, last['class'][name], lang)} | "
                    f"{figure_text(name, last['bots'][name], lang)} |")
    solara.Markdown(t("class_against_bots", lang) + "\n\n" + "\n".join(rows))
    with solara.Row(style={"flex-wrap": "wrap"}):
        for name, label in (("goals", "class_goals"), ("mean_bond", "class_bond"),
                            ("stress", "class_stress")):
            with solara.Column(style={"min-width": "300px", "flex": "1"}):
                chart(class_rounds_spec(room.outcomes, name, label, lang,
                                        room.lever[2] if room.lever else None,
                                        share=name in SHARES))
    if room.lever:
        name, value, at = room.lever
        solara.Text(t("class_lever_note", lang).format(
            lever=parameter_label(name, lang), value=number(value, lang), round=at))
    solara.Markdown(strategies(room, lang))
    if room.state == "ended":
        solara.Markdown(f"### {t('class_debrief', lang)}")
        for line in debrief(room, lang):   # text, never Markdown: names are typed
            solara.Text(line)


#: Ways of working a student may have chosen in a round, told apart in the debrief.
WAYS = {
    "class_way_fewer": lambda row: row["clients_skipped"] > 0,
    "class_way_no_network": lambda row: row["network_hours"] == 0,
    "class_way_standard": lambda row: row["standard"] not in ("", 0),
    "class_way_paperwork": lambda row: row["admin"] not in ("", 1),
    "class_way_protocol": lambda row: row["protocol"] not in ("", 1),
}


def strategies(room: Classroom, lang: str) -> str:
    """How the students chose in the last round, in a few lines."""
    log = list(room.log)   # a copy: the clock may be adding the next round's rows
    last = [row for row in log if row["round"] == room.outcomes[-1]["round"]]
    if not last:
        return ""
    decided = [r for r in last if r["decided"]]

    def count(way: str) -> int:
        return sum(1 for r in decided if WAYS[way](r))

    standards = [r["standard"] for r in decided if WAYS["class_way_standard"](r)]
    return t("class_strategies", lang).format(
        decided=len(decided), of=len(last), fewer=count("class_way_fewer"),
        no_network=count("class_way_no_network"), behind=count("class_way_paperwork"),
        off_script=count("class_way_protocol"), kept=len(standards),
        standard=number(sum(standards) / len(standards), lang) if standards else "–")


def debrief(room: Classroom, lang: str) -> list[str]:
    """After the game: which ways of working kept bonds, and who burnt out.

    Plain lines, shown as text: they hold names students typed.
    """
    log = list(room.log)
    final = {}
    for row in log:
        final[row["student"]] = row
    bonds = [(r["mean_bond"], name) for name, r in final.items() if r["mean_bond"] != ""]
    strained = [name for name, r in final.items() if r["status"] != "working"
                or r["stress"] >= room.model.p.burnout_threshold]
    lines = []
    if bonds:
        best = max(bonds)
        lines.append(t("class_best_bond", lang).format(
            name=best[1], bond=figure_text("mean_bond", best[0], lang)))
    lines.append(t("class_strained", lang).format(names=", ".join(strained) or "–"))
    lines += ways_of_working(log, final, set(strained), lang)
    last = room.outcomes[-1]
    lines.append(t("class_end_goals", lang).format(
        ours=number(last["class"]["goals"], lang), bots=number(last["bots"]["goals"], lang)))
    return lines


def ways_of_working(log: list[dict], final: dict[str, dict], strained: set[str],
                    lang: str) -> list[str]:
    """A line per way of working chosen in some round: by whom, and what followed.

    Each line: how many students chose it, their clients' mean bond at the end, and
    how many of them ended burnt out, sick or gone.
    """
    chose = {key: {r["student"] for r in log if r["decided"] and way(r)}
             for key, way in WAYS.items()}
    chose["class_way_own"] = set(final).difference(*chose.values())   # as the bots
    lines = []
    for key, names in chose.items():
        if not names:
            continue
        bonds = [final[n]["mean_bond"] for n in names if final[n]["mean_bond"] != ""]
        lines.append(t("class_way", lang).format(
            way=t(key, lang), n=len(names), strained=len(names & strained),
            bond=figure_text("mean_bond", sum(bonds) / len(bonds) if bonds else "", lang)))
    return lines


# --- A student --------------------------------------------------------------------------
@solara.component
def StudentPage(lang: str, query: dict):
    """``/join``: join with the code and a name; then play one professional."""
    room, student, problem = None, None, None
    if query.get("me"):
        try:
            room = CLASSES.find(query.get("code", ""))
            student = room.student(query["me"])
        except ClassError as error:
            room, problem = None, error.text(lang)
    version = use_class(room)
    solara.Style(CLIENTS_CSS)
    with solara.Column(style={**BIG, "padding": "12px", "max-width": "640px"}):
        if problem:
            solara.Error(problem)
        if student is None:
            JoinForm(query.get("code", ""), lang)
        else:
            Play(room, student, lang, version)


@solara.component
def JoinForm(code: str, lang: str):
    """The join code (from the address, if the QR code brought it) and a name."""
    router = solara.use_router()
    typed = solara.use_reactive(code)
    name = solara.use_reactive("")
    problem = solara.use_reactive("")

    def join() -> None:
        try:
            room = CLASSES.find(typed.value)
            student = room.join(name.value)
        except ClassError as error:
            problem.set(error.text(lang))
            return
        router.push(f"/join?{urlencode({'lang': lang, 'code': room.code, 'me': student.token})}")

    solara.Markdown(f"## {t('class_join_title', lang)}")
    solara.InputText(t("class_code", lang), value=typed)
    solara.InputText(t("class_name", lang), value=name)
    if problem.value:
        solara.Error(problem.value)
    solara.Button(t("class_join", lang), on_click=join, color="primary")


@solara.component
def Play(room: Classroom, student: Student, lang: str, version: int):
    """One professional: their state, their clients, and the round's choices."""
    solara.Text(student.name, style={"font-size": "28px", "font-weight": "bold"})  # as typed
    if room.state == "open":
        solara.Info(t("class_wait_start", lang).format(n=len(room.students)))
        return
    mine = room.me(student)
    status = mine["status"]
    # The round's lines in one block: at a round's end each page is one update, not four.
    lines = [status_line(room, lang),
             t("class_you", lang).format(status=t(f"class_status_{status}", lang),
                                         stress=round(100 * mine["stress"]))]
    if mine["arrears"] > 0:
        lines.append(t("class_arrears", lang).format(hours=number(mine["arrears"], lang)))
    if student.last_round:
        lines.append(t("class_last_round", lang).format(**student.last_round))
    solara.HTML(tag="div", unsafe_innerHTML="".join(f"<div>{escape(line)}</div>"
                                                    for line in lines),
                classes=["class-lines"])
    Clock(room, lang, version)
    if room.state == "ended":
        solara.Info(t("class_thanks", lang))
        return
    if status != "working":
        solara.Warning(t("class_not_working", lang))
        return
    # Keyed: whatever comes and goes above it, the form stays the same widgets.
    Choices(room, student, lang, room.round, student.choice is not None).key("choices")


def use_value_for(context, default):
    """A form's value that starts again from ``default`` whenever ``context`` changes.

    Returns:
        The value and its setter.
    """
    state = solara.use_reactive((context, default))
    value = state.value[1] if state.value[0] == context else default
    return value, lambda new: state.set((context, new))


@solara.component
def Choices(room: Classroom, student: Student, lang: str, round_no: int, decided: bool):
    """The round's choices: contact per client, network hours, admin, protocol, whom to see.

    Drawn anew only when the round changes or the student decides; the form stays from
    round to round (the floor of contact and network hours as the student last set
    them; whom to skip empty again), so a round's end changes values, not widgets.
    A choice sent can be changed until the deadline.
    """
    mine = room.me(student)
    p = mine["p"]
    cards = room.caseload(student)
    granted = float(p.network_hours)   # a teacher's lever may change it
    sent = student.sent or Choice()   # the form starts from the last choice sent
    standard = solara.use_reactive(sent.standard or 0.0)   # 0: as the time allows
    network, set_network = use_value_for(granted, granted if sent.network_hours is None
                                         else min(sent.network_hours, granted))
    admin = solara.use_reactive(percent(sent.admin))   # of the paperwork due
    protocol = solara.use_reactive(percent(sent.protocol))   # of the protocol's items
    skipped, set_skipped = use_value_for(round_no, frozenset())
    problem, set_problem = use_value_for(round_no, "")

    def decide() -> None:
        see = tuple(c["serial"] for c in cards if c["serial"] not in skipped)
        try:
            room.decide(student.token, Choice(
                network_hours=network if granted > 0 else None,
                standard=standard.value or None,
                admin=admin.value / 100 if admin.value < 100 else None,
                protocol=protocol.value / 100 if protocol.value < 100 else None,
                see=see if len(see) < len(cards) else None))
            set_problem("")
        except ClassError as error:
            set_problem(error.text(lang))

    # Labels above their sliders, with the value: a phone is too narrow for both on a line.
    solara.Text(f"{t('class_standard', lang)}: {number(standard.value, lang)}")
    solara.SliderFloat("", value=standard, min=0.0, max=float(p.max_contact_hours),
                       step=0.05)
    if granted > 0:
        solara.Text(f"{t('class_network', lang)}: {number(network, lang)}")
        solara.SliderFloat("", value=network, on_value=set_network, min=0.0, max=granted,
                           step=0.5)
    carried = p.admin_arrears_carried   # the scenario's rule for paperwork left
    lapses = carried == 0
    owed = t("class_admin_lapses" if lapses else "class_admin" if carried == 1
             else "class_admin_part", lang).format(share=number(100 * carried, lang))
    solara.Text(f"{owed}: {admin.value}")
    solara.SliderInt("", value=admin, min=0, max=100, step=10)
    if p.standardisation > 0:   # a protocol to follow
        asked = t("class_protocol_lapses" if lapses else "class_protocol", lang)
        solara.Text(f"{asked}: {protocol.value}")
        solara.SliderInt("", value=protocol, min=0, max=100, step=10)
    # One table and one list to pick from, not a widget per client.
    solara.HTML(tag="div", unsafe_innerHTML=client_table(cards, lang),
                classes=["class-clients"])
    by_name = {c["initials"]: c["serial"] for c in cards}
    solara.SelectMultiple(t("class_skip", lang), all_values=list(by_name),
                          values=[name for name, serial in by_name.items()
                                  if serial in skipped],
                          on_value=lambda names: set_skipped(
                              frozenset(by_name[name] for name in names)))
    if problem:
        solara.Error(problem)
    solara.Button(t("class_decide_again" if decided else "class_decide", lang),
                  on_click=decide, color="primary")
    if decided:
        solara.Success(t("class_sent", lang))


def percent(share: float | None) -> int:
    """A chosen share as its slider shows it, in per cent (None: all, as the bots)."""
    return 100 if share is None else round(100 * share)


#: How a student's page looks: the round's line in bold; the table of clients within a
#: phone's width and under half its height (else it scrolls, its head kept in view), so
#: the choices below it stay near.
CLIENTS_CSS = """
.class-lines div:first-child { font-weight: bold; }
.class-clients { overflow: auto; max-width: 100%; max-height: 45vh; }
.class-clients th { position: sticky; top: 0; background: white; }
.class-clients > div { padding: 4px 0; }
.class-clients table { border-collapse: collapse; font-size: 15px; }
.class-clients th, .class-clients td { padding: 2px 5px; border-bottom: 1px solid #ddd;
                                       white-space: nowrap; }
.class-clients td { text-align: right; }
.class-clients td:first-child, .class-clients th:first-child { text-align: left; }
"""


def client_table(cards: list[dict], lang: str) -> str:
    """A student's clients (:meth:`Classroom.caseload`) as an HTML table."""
    def row(cells, tag: str) -> str:
        return "<tr>" + "".join(f"<{tag}>{escape(str(c))}</{tag}>" for c in cells) + "</tr>"

    head = row(t("class_table_head", lang).split("|"), "th")
    body = [row((c["initials"], number(c["need"], lang), f"{round(100 * c['openness'])}%",
                 f"{round(100 * c['bond'])}%", f"{round(100 * c['progress'])}%", c["weeks"]),
                "td") for c in cards]
    caption = escape(t("class_clients", lang).format(n=len(cards)))
    return (f"<div>{caption}</div><table><thead>{head}</thead>"
            f"<tbody>{''.join(body)}</tbody></table>")
