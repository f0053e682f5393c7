"""Class mode's shared state: the classes on this server, their students and rounds.

A class is one simulation shared by a teacher's screen and every student's phone.
Solara's reactive variables live per browser tab, so a class lives here instead, in
the server process (:data:`CLASSES`), each behind a lock of its own: students decide
at the same moment, and the clock (:func:`Classes.tick`) ends rounds while they do.

Each student plays one professional of the model (:mod:`model`, section 7.10 of
``docs/ODD.md``): for each round they choose their network hours (where the scenario
grants any), the contact they aim to give each client, and whom to see. Every other
professional, and a student who did not decide before the round's deadline, follows
the model's own rules. Beside the class's run, the same scenario runs with the same
seed with nobody choosing (common random numbers): the teacher sees what the class's
choices changed.

Nothing about students is kept beyond the class: a student is the name they chose and
a token in their page address; a class nobody has touched for :data:`IDLE_SECONDS` is
dropped with its log, which only the teacher can download.
"""

from __future__ import annotations

import csv
import io
import math
import secrets
import threading
import time
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from experiments.output import shown
from experiments.scenarios import available, load_shipped
from model import VerbindingModel
from model.events import check_mid_run
from model.parameters import ParameterError, Parameters
from model.state import DROPOUT, GOAL
from ui.i18n import t

#: Letters of a join code: no 0/O or 1/I/L, which a class misreads from a projector.
CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 5
#: Classes one server holds at once, and students one class holds.
MAX_CLASSES, MAX_STUDENTS = 40, 60
#: Longest name a student may choose (characters).
MAX_NAME = 24
#: A class nobody has touched for this long (seconds) is dropped.
IDLE_SECONDS = 4 * 3600
#: Allowed settings: weeks a round, seconds a round has before its deadline, rounds.
ROUND_WEEKS, ROUND_SECONDS, ROUNDS = (1, 8), (15, 900), (1, 60)
#: Professionals of a class besides its students' (bots: the model's own), at least.
MIN_BOTS = 2
#: Seed of every class's run (a class is a lesson, not an experiment: the same scenario
#: plays out the same way for every class, so classes can be compared).
CLASS_SEED = 1


class ClassError(ValueError):
    """What a teacher or student asked cannot be done; the message says why.

    Args:
        key: The message's key in :data:`ui.i18n.TEXT` (English and Dutch).
        **fields: Values the message names.
    """

    def __init__(self, key: str, **fields) -> None:
        self.key, self.fields = key, fields
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        """The message in ``lang``."""
        return t(self.key, lang).format(**self.fields)


@dataclass
class Choice:
    """A student's choices for one round (None: the model's own rule).

    Attributes:
        network_hours: Network hours a week, 0 up to the hours granted.
        standard: Contact to aim for per client a week (h).
        admin: Share of the paperwork due to keep up with, 0..1 (what is left undone
            stays owed, as the scenario's ``admin_arrears_carried`` says).
        protocol: Share of the protocol's items to ask in contact, 0..1 (those left
            out are recorded afterwards, owed as paperwork).
        see: Serial numbers of the clients to see this round (None: everyone).
    """

    network_hours: float | None = None
    standard: float | None = None
    admin: float | None = None
    protocol: float | None = None
    see: tuple[int, ...] | None = None


@dataclass(eq=False)
class Student:
    """One student: a chosen name, the token of their page, the post they play."""

    name: str
    token: str
    post: int = -1
    choice: Choice | None = None   # for the round under way; None: not decided yet
    sent: Choice | None = None   # the last choice sent, in any round: the form starts there
    last_round: dict[str, int] = field(default_factory=dict)   # what became of clients


@dataclass(eq=False)   # one class is itself: pages compare it by identity, cheaply
class Classroom:
    """One class: its settings, students, the two runs and the log of decisions.

    Attributes:
        code: The join code students type.
        teacher_key: The secret in the teacher's page address.
        preset: The shipped scenario played.
        rounds: Rounds in the game.
        round_weeks: Weeks simulated a round.
        round_seconds: Seconds from a round's start to its deadline.
        lever: ``(name, value, round)``: a parameter the teacher changes from the
            start of that round, or None.
        state: ``open`` (joining), ``running``, ``paused`` or ``ended``.
    """

    code: str
    teacher_key: str
    preset: str
    rounds: int
    round_weeks: int
    round_seconds: float
    lever: tuple[str, float, int] | None = None
    state: str = "open"
    round: int = 0
    deadline: float = math.inf
    left: float = 0.0   # seconds of the round left while paused
    students: dict[str, Student] = field(default_factory=dict)
    model: VerbindingModel | None = None
    bots: VerbindingModel | None = None
    log: list[dict] = field(default_factory=list)
    outcomes: list[dict] = field(default_factory=list)
    version: int = 0
    touched: float = field(default_factory=time.monotonic)
    lock: threading.Condition = field(default_factory=threading.Condition, repr=False)

    # --- students -------------------------------------------------------------------
    def join(self, name: str) -> Student:
        """A student joins under ``name``; in a running class they take a bot's post.

        Raises:
            ClassError: For a bad or taken name, an ended or full class.
        """
        name = checked_name(name)
        with self.lock:
            if self.state == "ended":
                raise ClassError("class_ended")
            if any(s.name.casefold() == name.casefold() for s in self.students.values()):
                raise ClassError("name_taken", name=name)
            if len(self.students) >= MAX_STUDENTS:
                raise ClassError("class_full", n=MAX_STUDENTS)
            student = Student(name, secrets.token_urlsafe(12))
            if self.model is not None:
                free = self._bot_posts()
                if not free:
                    raise ClassError("all_taken")
                student.post = free[0]
            self.students[student.token] = student
            self._changed()
            return student

    def student(self, token: str) -> Student:
        """The student with this token (a page reloaded gets its professional back).

        Raises:
            ClassError: If no student of this class has the token.
        """
        with self.lock:
            if token not in self.students:
                raise ClassError("unknown_student")
            self.touched = time.monotonic()
            return self.students[token]

    def decide(self, token: str, choice: Choice) -> None:
        """A student's choices for the round under way (until its deadline).

        Raises:
            ClassError: If the class is not running, or a choice is out of bounds.
        """
        with self.lock:
            student = self.student(token)
            if self.state not in ("running", "paused"):
                raise ClassError("no_round")
            p = self.model.p
            if choice.network_hours is not None and not (
                    0 <= choice.network_hours <= p.network_hours):
                raise ClassError("network_range", high=f"{p.network_hours:g}")
            if choice.standard is not None and not 0 <= choice.standard <= p.max_contact_hours:
                raise ClassError("standard_range", high=f"{p.max_contact_hours:g}")
            if choice.admin is not None and not 0 <= choice.admin <= 1:
                raise ClassError("admin_range")
            if choice.protocol is not None and not 0 <= choice.protocol <= 1:
                raise ClassError("protocol_range")
            if choice.see is not None:
                mine = {c.serial for c in self._clients(student)}
                if not set(choice.see) <= mine:
                    raise ClassError("own_clients")
            student.choice = student.sent = choice
            self._changed()

    # --- the teacher ------------------------------------------------------------------
    def check_key(self, key: str) -> None:
        """Raises ClassError unless ``key`` is this class's teacher key."""
        if not secrets.compare_digest(str(key), self.teacher_key):
            raise ClassError("not_teacher")

    def start(self, key: str) -> None:
        """Start the game: the model at the class's size, students on their posts.

        Raises:
            ClassError: For a wrong key, a class already started, or nobody joined.
        """
        self.check_key(key)
        with self.lock:
            if self.state != "open":
                raise ClassError("started")
            values = class_values(self.preset, len(self.students))
            self.model = VerbindingModel(rng=CLASS_SEED, **values)
            self.bots = VerbindingModel(rng=CLASS_SEED, **values)
            for model in (self.model, self.bots):   # the warm-up, as in Explore
                for _ in range(model.p.warmup_weeks):
                    model.step()
            for post, student in enumerate(self.students.values()):
                student.post = post
            self.state, self.round = "running", 1
            self.deadline = time.monotonic() + self.round_seconds
            self._changed()

    def pause(self, key: str) -> None:
        """Stop the round's clock (the deadline waits), or start it again."""
        self.check_key(key)
        with self.lock:
            if self.state == "running":
                self.state, self.left = "paused", self.deadline - time.monotonic()
            elif self.state == "paused":
                self.state = "running"
                self.deadline = time.monotonic() + max(self.left, 0.0)
            self._changed()

    def next_round(self, key: str) -> None:
        """End the round now: what was decided is played, bots play the rest."""
        self.check_key(key)
        with self.lock:
            if self.state in ("running", "paused"):
                self._play_round()

    def end(self, key: str) -> None:
        """End the game where it is."""
        self.check_key(key)
        with self.lock:
            self.state, self.deadline = "ended", math.inf
            self._changed()

    def tick(self, now: float) -> None:
        """Play the round if its deadline has passed (the server's clock calls this)."""
        with self.lock:
            if self.state == "running" and now >= self.deadline:
                self._play_round()

    # --- what the pages show ----------------------------------------------------------
    def wait(self, version: int, timeout: float) -> int:
        """Block until the class changes from ``version`` (or ``timeout`` s); the version."""
        with self.lock:
            self.lock.wait_for(lambda: self.version != version, timeout)
            return self.version

    def me(self, student: Student) -> dict:
        """The student's professional now, read under the class's lock (never mid-round).

        Returns:
            ``status``, ``stress``, ``standard`` (h a client a week), ``arrears``
            (paperwork owed, h) and the parameters in force, ``p``.
        """
        with self.lock:
            professional = self._professional(student)
            return {"status": professional.status if professional is not None else "vacant",
                    "stress": professional.stress if professional is not None else 0.0,
                    "standard": float(self.model.posts.standard[student.post]),
                    "arrears": float(self.model.posts.arrears[student.post]),
                    "p": self.model.p}

    def caseload(self, student: Student) -> list[dict]:
        """The student's clients in care, as their phone shows them.

        Each: ``serial``, ``initials`` (made up from the serial, the same every round),
        ``need`` (relative to the scenario's typical client, 1), ``openness``, ``bond``,
        ``progress`` (0..1) and ``weeks`` in care.
        """
        with self.lock:
            if self.model is None:
                return []
            live = self.model.clients.live
            cards = []
            for client in sorted(self._clients(student), key=lambda c: c.serial):
                row = self.model.clients.row_of(client.serial)
                cards.append({"serial": client.serial, "initials": initials(client.serial),
                              "need": float(live["need"][row] / self.model.p.need_hours),
                              "openness": client.openness, "bond": client.bond,
                              "progress": client.progress,
                              "weeks": int(live["care_weeks"][row])})
            return cards

    def decided(self) -> int:
        """How many students have decided this round."""
        return sum(s.choice is not None for s in self.students.values())

    def log_csv(self, key: str) -> str:
        """The decision log as CSV, for the teacher to download."""
        self.check_key(key)
        with self.lock:
            out = io.StringIO()
            columns = list(LOG_COLUMNS)
            writer = csv.DictWriter(out, columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()}
                             for row in self.log)
            return out.getvalue()

    # --- inside -----------------------------------------------------------------------
    def _professional(self, student: Student):
        """The professional on the student's post; None while the post is vacant."""
        return self.model.posts.agent[student.post]

    def _clients(self, student: Student) -> list:
        professional = self._professional(student)
        return professional.clients if professional is not None else []

    def _bot_posts(self) -> list[int]:
        taken = {s.post for s in self.students.values()}
        return [k for k in range(len(self.model.posts)) if k not in taken]

    def _play_round(self) -> None:
        """Apply the round's choices, run its weeks in both runs, log, next round."""
        for student in self.students.values():
            apply_choice(self.model, student.post, student.choice, self.round_weeks)
        if self.lever and self.lever[2] == self.round:
            name, value, _ = self.lever
            for model in (self.model, self.bots):
                model.change(**{name: value})
        before = {token: [c.serial for c in self._clients(s)]
                  for token, s in self.students.items()}
        for model in (self.model, self.bots):
            for _ in range(self.round_weeks):
                model.step()
        record = self.model.clients.record
        for token, serials in before.items():
            reasons = record["exit_reason"][serials][record["exit_week"][serials] >= 0]
            self.students[token].last_round = {
                "clients": len(serials), "goals": int((reasons == GOAL).sum()),
                "dropouts": int((reasons == DROPOUT).sum())}
        self.log.extend(self._log_rows(before))
        self.outcomes.append({"round": self.round, "week": self.week,
                              "class": run_figures(self.model),
                              "bots": run_figures(self.bots)})
        for student in self.students.values():
            student.choice = None
        if self.round >= self.rounds:
            self.state, self.deadline = "ended", math.inf
        else:
            self.round += 1
            self.deadline = time.monotonic() + self.round_seconds
            if self.state == "paused":
                self.left = self.round_seconds
        self._changed()

    def _log_rows(self, before: dict[str, list[int]]) -> list[dict]:
        """A row per student for the round just played (``before``: their caseloads)."""
        rows = []
        for token, student in self.students.items():
            professional = self._professional(student)
            choice = student.choice
            clients = self._clients(student)
            rows.append({
                "round": self.round, "week": self.week, "student": student.name,
                "post": student.post, "decided": choice is not None,
                "network_hours": "" if choice is None or choice.network_hours is None
                else choice.network_hours,
                "standard": "" if choice is None or choice.standard is None
                else choice.standard,
                "admin": "" if choice is None or choice.admin is None else choice.admin,
                "protocol": "" if choice is None or choice.protocol is None
                else choice.protocol,
                "arrears": round(float(self.model.posts.arrears[student.post]), 2),
                "clients": len(before[token]),
                "clients_skipped": 0 if choice is None or choice.see is None
                else len(before[token]) - len(choice.see),
                "status": professional.status if professional is not None else "vacant",
                "stress": round(professional.stress, 3) if professional is not None else "",
                "mean_bond": round(float(np.mean([c.bond for c in clients])), 3)
                if clients else ""})
        return rows

    @property
    def week(self) -> int:
        """The reported week the class's run has reached (0 before it starts)."""
        if self.model is None:
            return 0
        return self.model.steps - self.model.p.warmup_weeks

    def _changed(self) -> None:
        self.version += 1
        self.touched = time.monotonic()
        self.lock.notify_all()


#: Columns of the decision log (:meth:`Classroom.log_csv`).
LOG_COLUMNS = ("round", "week", "student", "post", "decided", "network_hours", "standard",
               "admin", "protocol", "arrears", "clients", "clients_skipped", "status",
               "stress", "mean_bond")


def apply_choice(model: VerbindingModel, post: int, choice: Choice | None, weeks: int) -> None:
    """A student's choice (None: not decided) as the model's choices for their post."""
    professional = model.posts.agent[post]
    choice = choice or Choice()
    model.sim.decide(post, network_hours=choice.network_hours, standard=choice.standard,
                     admin=choice.admin, protocol=choice.protocol)
    if professional is None:   # a vacant post: nobody to see anyone
        return
    if choice.see is None:
        model.sim.hold_appointments(post, [c.serial for c in professional.clients], 0)
    else:
        wanted = set(choice.see)
        professional.see_only([c for c in professional.clients if c.serial in wanted], weeks)


def run_figures(model: VerbindingModel) -> dict[str, float]:
    """What the teacher's dashboard compares, over the run's reported weeks so far."""
    weekly = model.weekly
    start = model.p.warmup_weeks
    reported = {name: np.asarray(values[start:], float) for name, values in weekly.items()}
    in_care = reported["in_care"]
    return {
        "goals": float(reported["goals"].sum()),
        "dropouts": float(reported["dropouts"].sum()),
        "mean_bond": float(np.nanmean(reported["mean_bond"])) if len(in_care) else math.nan,
        "stress": float(reported["mean_stress"][-1]) if len(in_care) else math.nan,
        "burnouts": float(reported["burnouts"].sum()),
        "quits": float(reported["quits"].sum()),
    }


def class_values(preset: str, students: int) -> dict:
    """The preset at the size of a class: a post per student and some bots.

    At least the preset's classroom size (a tenth, as in Explore); the arrivals keep
    the preset's load per professional.
    """
    p = load_shipped(preset).parameters()
    values = p.to_dict()
    size = max(round(p.professionals / 10), students + MIN_BOTS, math.ceil(students * 1.25))
    values["professionals"] = size
    values["arrivals_per_week"] = round(p.arrivals_per_week * size / p.professionals, 2)
    return values


def spreadsheet_safe(value):
    """A value for a CSV cell that no spreadsheet reads as a formula (names are typed)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def initials(serial: int) -> str:
    """Made-up initials for a client (students see people, not numbers)."""
    letters = "ABCDEFGHIJKLMNOPRSTVWZ"
    return f"{letters[serial * 7 % 22]}.{letters[serial * 13 // 5 % 22]}. ({serial})"


def checked_name(name: str) -> str:
    """A student's name, trimmed; ClassError for an empty, long or unprintable one."""
    name = " ".join(str(name).split())
    if not name:
        raise ClassError("no_name")
    if len(name) > MAX_NAME:
        raise ClassError("long_name", n=MAX_NAME)
    if any(unicodedata.category(ch)[0] == "C" for ch in name):
        raise ClassError("bad_name")
    return name


class Classes:
    """Every class on this server, by join code; a clock ends their rounds on time."""

    def __init__(self) -> None:
        self._classes: dict[str, Classroom] = {}
        self._lock = threading.Lock()
        self._clock: threading.Thread | None = None

    def open(self, preset: str, rounds: int, round_weeks: int, round_seconds: float,
             lever: tuple[str, float, int] | None = None) -> Classroom:
        """A new class (and its teacher key), checked.

        Raises:
            ClassError: For an unknown preset, settings out of range, a lever the model
                cannot take mid-run, or a server already holding :data:`MAX_CLASSES`.
        """
        if preset not in available():
            raise ClassError("unknown_preset", name=shown(preset))
        for key, value, (low, high) in (("rounds_range", rounds, ROUNDS),
                                        ("weeks_range", round_weeks, ROUND_WEEKS),
                                        ("seconds_range", round_seconds, ROUND_SECONDS)):
            if not low <= value <= high:
                raise ClassError(key, low=low, high=high)
        if lever is not None:
            name, value, at = lever
            if not 1 <= at <= rounds:
                raise ClassError("lever_round", n=rounds)
            try:
                check_mid_run(name)
                Parameters.from_mapping({**class_values(preset, 0), name: value})
            except ParameterError as error:
                raise ClassError("lever_refused", reason=str(error)) from None
        with self._lock:
            self._drop_idle()
            if len(self._classes) >= MAX_CLASSES:
                raise ClassError("server_full")
            code = self._new_code()
            room = Classroom(code, secrets.token_urlsafe(16), preset, rounds, round_weeks,
                             round_seconds, lever)
            self._classes[code] = room
            self._start_clock()
            return room

    def find(self, code: str) -> Classroom:
        """The class with this join code (any case, spaces ignored).

        Raises:
            ClassError: If there is none (a wrong code, or a class that has gone).
        """
        code = "".join(str(code).split()).upper()[:CODE_LENGTH + 1]
        with self._lock:
            room = self._classes.get(code)
        if room is None:
            raise ClassError("no_class", code=shown(code))
        return room

    def tick(self) -> None:
        """Play every round whose deadline has passed; drop classes left idle."""
        now = time.monotonic()
        with self._lock:
            rooms = list(self._classes.values())
            self._drop_idle()
        for room in rooms:
            room.tick(now)

    def _drop_idle(self) -> None:
        now = time.monotonic()
        for code in [c for c, r in self._classes.items() if now - r.touched > IDLE_SECONDS]:
            del self._classes[code]

    def _new_code(self) -> str:
        while True:
            code = "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))
            if code not in self._classes:
                return code

    def _start_clock(self) -> None:
        if self._clock is None or not self._clock.is_alive():
            self._clock = threading.Thread(target=self._run_clock, name="class clock",
                                           daemon=True)
            self._clock.start()

    def _run_clock(self) -> None:
        while True:
            time.sleep(0.2)
            self.tick()


#: The classes of this server process.
CLASSES = Classes()
