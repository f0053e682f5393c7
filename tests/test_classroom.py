"""Class mode's shared state: join, decide, rounds on the clock, bots, separate classes."""

import threading
import time

import pytest

from ui.classroom import (
    CODE_LENGTH,
    CODE_LETTERS,
    LOG_COLUMNS,
    Choice,
    ClassError,
    Classes,
    run_figures,
)


@pytest.fixture
def classes():
    return Classes()


def opened(classes, names=("Ada", "Bram", "Chaima"), **settings):
    room = classes.open(**{"preset": "work", "rounds": 3, "round_weeks": 2,
                           "round_seconds": 60, **settings})
    tokens = [room.join(name).token for name in names]
    return room, tokens


def test_a_class_opens_with_a_code_students_can_type_and_a_teacher_key(classes):
    room = classes.open("care", rounds=4, round_weeks=1, round_seconds=30)
    assert len(room.code) == CODE_LENGTH and set(room.code) <= set(CODE_LETTERS)
    assert len(room.teacher_key) >= 20
    assert classes.find(f" {room.code.lower()} ") is room   # as a phone keyboard types it
    with pytest.raises(ClassError, match="no class has the code 'NOPE1'"):
        classes.find("nope1")


@pytest.mark.parametrize(("settings", "message"), [
    ({"preset": "../etc/passwd"}, "unknown scenario"),
    ({"rounds": 0}, "rounds must be between 1 and 60"),
    ({"round_weeks": 9}, "weeks a round must be between 1 and 8"),
    ({"round_seconds": 5}, "seconds a round must be between 15 and 900"),
    ({"lever": ("standardisation", 0.8, 7)}, "the lever changes in a round from 1 to 3"),
    ({"lever": ("warmup_weeks", 3, 2)}, "warmup_weeks"),
    ({"lever": ("standardisation", 3.0, 2)}, "standardisation"),
])
def test_bad_settings_are_refused_with_what_is_allowed(classes, settings, message):
    with pytest.raises(ClassError, match=message):
        classes.open(**{"preset": "care", "rounds": 3, "round_weeks": 1,
                        "round_seconds": 30, **settings})


def test_names_are_checked_and_a_reload_gets_the_same_student_back(classes):
    room, (ada, *_) = opened(classes)
    for bad, message in (("", "choose a name"), ("x" * 25, "at most 24"),
                         ("ada", "'ada' is taken"), ("a\x00b", "letters, digits")):
        with pytest.raises(ClassError, match=message):
            room.join(bad)
    assert room.student(ada).name == "Ada"
    with pytest.raises(ClassError, match="join again"):
        room.student("not-a-token")


def test_only_the_teacher_key_starts_and_each_student_plays_a_professional(classes):
    room, tokens = opened(classes)
    with pytest.raises(ClassError, match="not the teacher's"):
        room.start("guess")
    room.start(room.teacher_key)
    posts = [room.student(t).post for t in tokens]
    assert sorted(posts) == [0, 1, 2]
    assert len(room.model.posts) >= len(tokens) + 2   # bots besides the students
    assert room.state == "running" and room.round == 1 and room.week == 0


def test_a_round_plays_the_students_choices_and_bots_play_the_rest(classes):
    room, (ada, bram, _) = opened(classes, preset="work-network")
    room.start(room.teacher_key)
    granted = room.model.p.network_hours
    assert granted > 0   # this preset grants network time
    room.decide(ada, Choice(network_hours=0.0))
    mine = room.model.posts.agent[room.student(bram).post].clients
    room.decide(bram, Choice(see=tuple(c.serial for c in mine[:2])))
    assert room.decided() == 2
    room.next_round(room.teacher_key)
    assert room.round == 2 and room.week == 2
    assert room.model.week_hours["network"][room.student(ada).post] == 0.0
    rows = {row["student"]: row for row in room.log}
    assert rows["Ada"]["network_hours"] == 0.0 and rows["Chaima"]["decided"] is False
    assert rows["Bram"]["clients_skipped"] == rows["Bram"]["clients"] - 2
    # A choice lasts its round: in the next, undecided, Ada's post spends what is granted.
    room.next_round(room.teacher_key)
    assert room.model.week_hours["network"][room.student(ada).post] in (0.0, granted)
    assert room.model.posts.chosen_network[room.student(ada).post] != 0.0


def test_admin_a_student_lets_slide_gives_time_now_and_stays_owed(classes):
    room, (ada, bram, _) = opened(classes, round_weeks=1)
    room.start(room.teacher_key)
    room.decide(ada, Choice(admin=0.0))
    room.decide(bram, Choice(admin=1.0))   # all of it, as the bots
    room.next_round(room.teacher_key)
    ada_post, bram_post = room.student(ada).post, room.student(bram).post
    admin = room.model.week_hours["admin"]
    assert admin[ada_post] < admin[bram_post] / 2   # Ada only planned with her clients
    owed = room.me(room.student(ada))["arrears"]
    assert owed > 0.0 and room.me(room.student(bram))["arrears"] == 0.0
    rows = {row["student"]: row for row in room.log}
    assert rows["Ada"]["admin"] == 0.0 and rows["Ada"]["arrears"] == round(owed, 2)
    assert rows["Chaima"]["admin"] == "" and rows["Chaima"]["arrears"] == 0.0
    # Undecided next round, Ada's post keeps up again: this week's admin and what she owes.
    room.next_round(room.teacher_key)
    assert room.model.week_hours["admin"][ada_post] > owed
    assert room.me(room.student(ada))["arrears"] == 0.0


def test_protocol_questions_a_student_leaves_out_open_the_contact_and_are_owed(classes):
    room, (ada, bram, _) = opened(classes, preset="care", round_weeks=1)
    room.start(room.teacher_key)
    room.decide(ada, Choice(protocol=0.0))
    room.next_round(room.teacher_key)
    ada_post, bram_post = room.student(ada).post, room.student(bram).post
    assert room.me(room.student(ada))["status"] == "working"   # (a sick post asks nothing)
    scripted = room.model.week_hours["scripted"]
    assert scripted[ada_post] == 0.0 and scripted[bram_post] > 0.0
    assert room.me(room.student(ada))["arrears"] > 0.0
    assert {row["student"]: row["protocol"] for row in room.log} == {
        "Ada": 0.0, "Bram": "", "Chaima": ""}


def test_with_nobody_deciding_the_class_plays_exactly_as_the_bots(classes):
    room, _ = opened(classes)
    room.start(room.teacher_key)
    for _ in range(3):
        room.next_round(room.teacher_key)
    assert room.state == "ended"
    assert [o["class"] for o in room.outcomes] == [o["bots"] for o in room.outcomes]
    assert run_figures(room.model) == run_figures(room.bots)


def test_choices_out_of_bounds_or_outside_the_caseload_are_refused(classes):
    room, (ada, bram, _) = opened(classes)
    with pytest.raises(ClassError, match="no round to decide"):
        room.decide(ada, Choice(standard=0.5))
    room.start(room.teacher_key)
    with pytest.raises(ClassError, match="network hours must be between 0 and"):
        room.decide(ada, Choice(network_hours=99.0))
    with pytest.raises(ClassError, match="contact per client must be between 0 and"):
        room.decide(ada, Choice(standard=-1.0))
    with pytest.raises(ClassError, match="paperwork to keep up with must be between 0 and 100%"):
        room.decide(ada, Choice(admin=1.5))
    with pytest.raises(ClassError, match="protocol questions to ask must be between 0 and 100%"):
        room.decide(ada, Choice(protocol=-0.1))
    others = room.model.posts.agent[room.student(bram).post].clients
    with pytest.raises(ClassError, match="only choose among your own clients"):
        room.decide(ada, Choice(see=(others[0].serial,)))
    assert room.decided() == 0


def test_the_deadline_ends_a_round_without_the_teacher_and_pause_holds_it(classes):
    room, (ada, *_) = opened(classes, round_seconds=15)
    room.start(room.teacher_key)
    room.decide(ada, Choice(standard=0.5))
    room.tick(time.monotonic() + 1)
    assert room.round == 1   # not yet
    room.pause(room.teacher_key)
    room.tick(time.monotonic() + 60)
    assert room.round == 1 and room.state == "paused"   # the clock waits
    room.pause(room.teacher_key)
    room.tick(time.monotonic() + 16)
    assert room.round == 2 and room.log[0]["standard"] == 0.5


def test_two_classes_on_one_server_stay_apart(classes):
    one, (ada, *_) = opened(classes)
    two, _ = opened(classes)
    assert one.code != two.code
    with pytest.raises(ClassError, match="not the teacher's"):
        one.start(two.teacher_key)
    with pytest.raises(ClassError, match="join again"):
        two.student(ada)
    one.start(one.teacher_key)
    two.start(two.teacher_key)
    one.decide(ada, Choice(network_hours=0.0))
    one.next_round(one.teacher_key)
    assert two.round == 1 and not two.log


def test_thirty_students_deciding_at_once_are_all_counted(classes):
    names = [f"student {i}" for i in range(30)]
    room, tokens = opened(classes, names=names)
    room.start(room.teacher_key)
    threads = [threading.Thread(target=room.decide, args=(t, Choice(standard=0.5)))
               for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert room.decided() == 30
    room.next_round(room.teacher_key)
    assert sum(row["decided"] for row in room.log) == 30


def test_a_latecomer_takes_a_bot_until_none_is_left(classes):
    room, _ = opened(classes, names=("Ada",))
    room.start(room.teacher_key)
    posts = len(room.model.posts)
    late = [room.join(f"late {i}") for i in range(posts - 1)]
    assert sorted(s.post for s in late) == list(range(1, posts))
    with pytest.raises(ClassError, match="every professional in this class is taken"):
        room.join("one too many")


def test_the_teacher_downloads_the_log_and_nobody_else(classes):
    room, (ada, *_) = opened(classes, names=("Ada", "Bram", "=HYPERLINK(1)"),
                             lever=("admin_hours_per_client", 0.4, 2))
    room.start(room.teacher_key)
    room.decide(ada, Choice(standard=0.4))
    room.next_round(room.teacher_key)
    room.next_round(room.teacher_key)   # round 2 brings the lever, in both runs
    assert room.model.p.admin_hours_per_client == room.bots.p.admin_hours_per_client == 0.4
    text = room.log_csv(room.teacher_key)
    assert text.splitlines()[0] == ",".join(LOG_COLUMNS)
    assert "Ada" in text and len(text.splitlines()) == 1 + 2 * 3
    assert ",'=HYPERLINK(1)," in text   # a typed name is never a spreadsheet formula
    with pytest.raises(ClassError):
        room.log_csv("")


def test_the_dashboard_charts_the_class_against_the_bots_round_by_round(classes):
    from ui.charts import class_rounds_spec

    room, _ = opened(classes, lever=("standardisation", 0.8, 2))
    room.start(room.teacher_key)
    room.next_round(room.teacher_key)
    room.next_round(room.teacher_key)
    spec = class_rounds_spec(room.outcomes, "goals", "class_goals", "nl", room.lever[2])
    lines, lever = spec["layer"]
    assert {row["run"] for row in lines["data"]["values"]} == {"De klas", "Alleen bots"}
    assert [row["round"] for row in lines["data"]["values"]] == [1, 1, 2, 2]
    assert lever["data"]["values"] == [{"round": 1.5}]   # before the lever's round
    assert spec["title"] == "Behaalde doelen"
