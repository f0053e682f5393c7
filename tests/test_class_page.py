"""A student's page in class mode, drawn without a browser: what a round's end changes."""

import re

import ipyvuetify as v
import solara

from ui.class_page import Play, client_table, debrief
from ui.classroom import Choice, Classes


def started_class(preset="work-network"):
    room = Classes().open(preset, rounds=3, round_weeks=2, round_seconds=60)
    ada = room.join("Ada")
    room.start(room.teacher_key)
    return room, ada


def student_page(room, student):
    """A student's page drawn as a browser would get it: its render context and page."""

    @solara.component
    def Page(version):  # noqa: N802 (a component, named as components are)
        Play(room, student, "en", version)

    _, rc = solara.render(Page(room.version), handle_error=False)
    return rc, Page


def test_a_rounds_end_changes_a_students_page_in_place_not_its_widgets():
    room, ada = started_class()

    rc, page = student_page(room, ada)
    sliders = rc.find(v.Slider).widgets
    lines, table = rc.find(solara.widgets.HTML).widgets
    before = table.unsafe_innerHTML
    sliders[1].v_model = 1.5   # network hours, set by the student in round 1
    sliders[2].v_model = 50    # half the paperwork kept up with: the rest stays owed
    sliders[3].v_model = 70    # most of the protocol's questions asked
    rc.find(v.Btn, children=["Decide"]).widget.click()
    room.next_round(room.teacher_key)
    rc.render(page(room.version))
    assert lines.unsafe_innerHTML.startswith("<div>Round 2 of 3 · week 2</div>")
    assert "<div>Last round, of your " in lines.unsafe_innerHTML
    assert "<div>Paperwork you still owe: " in lines.unsafe_innerHTML
    assert rc.find(v.Slider).widgets == sliders   # the same widgets, values kept
    assert [s.v_model for s in sliders[1:]] == [1.5, 50, 70]
    assert rc.find(solara.widgets.HTML).widgets == [lines, table]
    assert table.unsafe_innerHTML != before   # two more weeks of the clients
    rc.close()


def test_the_clients_table_escapes_what_it_shows_and_speaks_dutch():
    card = {"serial": 7, "initials": "<b>A.B.</b> (7)", "need": 1.25, "openness": 0.5,
            "bond": 0.333, "progress": 1.0, "weeks": 3}
    html = client_table([card], "nl")
    assert "&lt;b&gt;A.B.&lt;/b&gt; (7)" in html and "<b>" not in html
    assert "<th>behoefte</th>" in html and "<td>1,25</td>" in html
    assert "<td>33%</td><td>100%</td><td>3</td>" in html


def test_the_debrief_tells_each_way_of_working_and_what_followed():
    room, ada = started_class()
    bram = room.join("Bram")
    room.decide(ada.token, Choice(admin=0.0, protocol=0.5))
    room.next_round(room.teacher_key)
    room.decide(bram.token, Choice(admin=1.0))   # as the bots do
    room.next_round(room.teacher_key)
    room.next_round(room.teacher_key)
    lines = debrief(room, "en")
    assert any(re.match(r"Let paperwork slide \(1\): their clients' mean bond at the end "
                        r"\d+%;", line) for line in lines)   # in %, as on the phones
    assert any(re.match(r"Strongest bonds at the end: \w+ \(mean bond \d+%\)", line)
               for line in lines)
    assert any(line.startswith("Left protocol questions out (1): ") for line in lines)
    assert any(line.startswith("Worked as the bots do (1): ") for line in lines)
    assert not any(line.startswith("Saw only some clients") for line in lines)
    assert any(line.startswith("Lieten papierwerk liggen (1): gemiddelde band ")
               for line in debrief(room, "nl"))


def test_a_reloaded_page_starts_from_the_choices_the_student_sent():
    room, ada = started_class()

    rc, _ = student_page(room, ada)
    sliders = rc.find(v.Slider).widgets
    sliders[0].v_model, sliders[1].v_model = 0.5, 1.5
    sliders[2].v_model, sliders[3].v_model = 40, 0
    rc.find(v.Btn, children=["Decide"]).widget.click()
    rc.close()
    reloaded, _ = student_page(room, ada)   # a new page
    assert [s.v_model for s in reloaded.find(v.Slider).widgets] == [0.5, 1.5, 40, 0]
    reloaded.close()
