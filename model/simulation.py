"""The model's state and weeks on arrays: what :class:`~model.model.VerbindingModel` runs.

A :class:`Simulation` holds the parameters in force, the four random streams, the
clients (:class:`~model.state.ClientTable`) and the posts (:class:`~model.state.Posts`),
and runs weeks with :func:`model.kernels.run_weeks`: the whole weekly order (the
module docstring of :mod:`model.model`) compiled, many weeks in one call.

:class:`~model.model.VerbindingModel` runs one week at a time and keeps the Mesa
agents in step with the arrays (who was hired, arrived, left or quit). Where nobody
looks at agents (sweeps, calibration, sensitivity analyses), :meth:`Simulation.run`
runs the same weeks without them, from one event to the next in one call: the same
seed gives the same weekly figures and client records (a test compares both over
every shipped scenario), much faster for small organisations.
"""

from __future__ import annotations

import numpy as np

from model import kernels
from model.events import check_events, check_mid_run, schedule
from model.parameters import ParameterError, Parameters
from model.state import VACANT, ClientTable, Posts


def _seed(rng) -> int:
    """A recordable integer seed from what the caller passed as ``rng``.

    A seed box in the browser passes text; None draws a fresh seed from entropy.

    Raises:
        ValueError: For text that is not a whole number, or a negative seed.
        TypeError: For anything else that is not an integer.
    """
    if rng is None:
        return int(np.random.SeedSequence().entropy % 2**63)
    if isinstance(rng, str):
        text = rng.strip()
        if not (text.isascii() and text.isdigit() and len(text) <= MAX_SEED_DIGITS):
            shown = repr(text) if len(text) <= 20 else repr(text[:17] + "...")
            raise ValueError(f"the seed must be a whole number of 0 or more, not {shown}")
        return int(text)
    if isinstance(rng, bool) or not isinstance(rng, int | np.integer):
        raise TypeError(f"rng must be an integer seed or None, not {type(rng).__name__}")
    if rng < 0:
        raise ValueError(f"the seed must be a whole number of 0 or more, not {rng}")
    return int(rng)


#: Longest seed accepted as text (digits): more says nothing a shorter one cannot, and
#: Python refuses to read integers of over 4,300 digits.
MAX_SEED_DIGITS = 40


#: The longest a professional may hold a client back from appointments (weeks).
MAX_HOLD_WEEKS = 520


class Simulation:
    """One run's state on arrays, and its weeks.

    Args:
        seed: The integer seed of the run.
        p: The run's parameters.
        events: The run's events, as given to :class:`~model.model.VerbindingModel`.

    :meth:`create` takes the arguments of :class:`~model.model.VerbindingModel`.

    Raises:
        ParameterError: For an event that cannot be.

    Attributes:
        p: The parameters in force (the scenario's, changed by events in force).
        scenario_parameters: The run's own :class:`Parameters`, as given.
        events: The run's events (:class:`~model.events.Event`).
        seed: The integer seed.
        clients: The clients' state and records.
        posts: The professionals' state.
        steps: Weeks run so far.
        week_hours: Shape ``(9, posts)``: this week's hours per post by kind
            (:attr:`~model.state.Posts.HOUR_KINDS`).
        week_status: Status of each post when this week's hours were planned.
        weekly: ``{figure: [value per week run]}`` (:data:`kernels.WEEKLY_FIGURES`),
            as the model's DataCollector has them: counts as integers.
    """

    @classmethod
    def create(cls, rng=None, events=(), **params) -> Simulation:
        """A simulation from a seed, events and parameter overrides, as the model takes.

        Raises:
            ParameterError: For an unknown parameter, a value out of range or an event
                that cannot be.
        """
        p = Parameters.from_mapping(params)
        return cls(_seed(rng), p, events)

    def __init__(self, seed: int, p: Parameters, events=()) -> None:
        self.events = check_events(events, p)
        self._changes_at = schedule(self.events, p)  # by reported week
        self.p = self.scenario_parameters = p
        self.since: list[tuple[int, Parameters]] = [(1, p)]   # (from step, in force)
        self.packed = kernels.packed(p)
        self.seed = seed
        # Separate streams, so scenarios run with the same seed share their arrivals
        # and client traits (common random numbers).
        # (Spawned children follow their index: the first four are those of the four
        # streams before employability had its own, so their runs are as they were.)
        streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)]
        (self.arrival_rng, self.trait_rng, self.contact_rng, self.staff_rng,
         self.employability_rng) = streams
        self._rngs = kernels.streams(*streams)  # the same five, as one compiled argument
        self.clients = ClientTable(
            capacity=int(p.arrivals_per_week * (p.warmup_weeks + p.weeks) * 1.2) + 64)
        self.posts = Posts(p.professionals)
        self.steps = 0
        self._handovers_since = 0  # clients handed over by a change, for the next week
        experience = self.staff_rng.exponential(p.starting_experience_weeks, p.professionals)
        self._hire(np.arange(p.professionals), experience)
        self.week_hours = np.zeros((len(Posts.HOUR_KINDS), p.professionals))
        self.week_status = self.posts.status.copy()
        self.weekly: dict[str, list] = {name: [] for name in kernels.WEEKLY_FIGURES}

    def __getstate__(self) -> dict:
        """For pickling and deep copies: the generators' compiled bundle is made anew."""
        state = self.__dict__.copy()
        del state["_rngs"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._rngs = kernels.streams(self.arrival_rng, self.trait_rng, self.contact_rng,
                                     self.staff_rng, self.employability_rng)

    @property
    def total_steps(self) -> int:
        """Weeks of a whole run: the warm-up and the reported weeks."""
        return self.p.warmup_weeks + self.p.weeks

    def in_force(self, name: str, steps: np.ndarray) -> np.ndarray:
        """The value of parameter ``name`` in force at each of model ``steps`` (1 first).

        The scenario's value, or the one an event or a change between steps put in force.
        """
        starts = np.array([step for step, _ in self.since])
        values = np.array([getattr(p, name) for _, p in self.since], float)
        return values[np.searchsorted(starts, steps, side="right") - 1]

    def changes_at(self, step: int) -> dict | None:
        """The parameter changes events make at the start of model step ``step``."""
        return self._changes_at.get(step - self.p.warmup_weeks) if self._changes_at else None

    def run_weeks(self, last: int,
                  figures: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Run the next weeks up to model step ``last - 1``, with no event among them.

        Args:
            last: The step after the last to run.
            figures: At least ``last - steps - 1`` rows of ``len(WEEKLY_FIGURES)``
                columns: its first rows are filled with each week's figures.

        Returns:
            The last week's hired posts, leavers' serial numbers and quit posts.
        """
        start = step = self.steps + 1
        rows, width = last - start, len(kernels.WEEKLY_FIGURES)
        if figures.ndim != 2 or figures.shape[0] < rows or figures.shape[1] != width:
            raise ValueError(f"figures must have {rows} rows or more of {width} figures "
                             f"for steps {start} to {last - 1}, not shape {figures.shape}")
        pending = -1
        while True:
            step, pending, hired, left, quits = kernels.run_weeks(
                self.packed, self.clients.buffers(), self.clients.records(),
                self.clients.sizes, self.posts.columns(), self.week_hours,
                self.week_status, step, last, pending, self._rngs, figures[step - start:])
            if step == last:
                break
            self.clients.reserve(pending)  # arrivals found no room: make it, go on
        self.clients.refresh()
        figures[0, kernels.WEEKLY_FIGURES.index("handovers")] += self._handovers_since
        self._handovers_since = 0
        self.steps = last - 1
        return hired, left, quits

    def run(self) -> Simulation:
        """Run every week left, from one event to the next; returns self for chaining.

        The weeks' figures are added to :attr:`weekly`.
        """
        start, total = self.steps + 1, self.total_steps
        figures = np.empty((max(total - self.steps, 0), len(kernels.WEEKLY_FIGURES)))
        first = start
        while first <= total:
            changes = self.changes_at(first)
            if changes:
                self.change(**changes)
            last = first + 1
            while last <= total and not self.changes_at(last):
                last += 1
            self.run_weeks(last, figures[first - start:])
            first = last
        for name, column in zip(kernels.WEEKLY_FIGURES, figures.T, strict=True):
            self.weekly[name] += (column.astype(np.int64) if name in kernels.COUNTS
                                  else column).tolist()
        return self

    def checked(self, values: dict) -> Parameters:
        """The parameters in force changed by ``values``, checked; nothing changes here.

        Raises:
            ParameterError: For an unknown parameter, one that cannot change during a
                run (declared ``mid_run=False``), a value out of range or an impossible
                combination.
        """
        for name in values:
            check_mid_run(name)
        return Parameters.from_mapping({**self.p.to_dict(), **values})

    def decide(self, post: int, **choices: float | None) -> None:
        """A professional's own choices for the weeks to come, made from outside.

        The model's professionals spend the network hours the scenario grants, let
        their standard of contact follow the time they can give, set out to do all
        their admin and ask every question of the protocol (sections 7.1-7.2, 7.10). A
        choice made here (a student's in class mode) replaces that for the post from the
        next week on, for whoever holds it, until changed; ``None`` gives it back to the
        model.

        Args:
            post: The post (a professional's ``post``).
            **choices: ``network_hours``: network hours a week (h), 0 up to those the
                scenario grants (more are not spent); ``standard``: the least contact
                per client to keep giving (h/week), 0 up to ``max_contact_hours``: the
                standard still follows the time given, but not below it; ``admin``: the
                share of the paperwork due (the week's own and arrears) to do each
                week, 0 to 1: ``admin_arrears_carried`` of the week's own left undone
                stays owed as arrears, done first (section 7.10); ``protocol``: the
                share of the protocol's items to ask in contact, 0 to 1: those not
                asked are recorded afterwards, owed as paperwork as above.

        Raises:
            ParameterError: For an unknown post or choice, or a value out of range.
        """
        columns = {"network_hours": (self.posts.chosen_network, self.p.network_hours),
                   "standard": (self.posts.chosen_standard, self.p.max_contact_hours),
                   "admin": (self.posts.chosen_admin, 1.0),
                   "protocol": (self.posts.chosen_protocol, 1.0)}
        if not 0 <= post < len(self.posts):
            raise ParameterError(f"no post {post}: posts are 0 to {len(self.posts) - 1}")
        for name, value in choices.items():
            if name not in columns:
                raise ParameterError(f"unknown choice '{name}'; a professional chooses "
                                     f"{', '.join(columns)}")
            high = columns[name][1]
            if value is not None and not 0 <= value <= high:
                raise ParameterError(f"{name} must be between 0 and {high:g}, not {value}")
        for name, value in choices.items():
            columns[name][0][post] = np.nan if value is None else value

    def hold_appointments(self, post: int, serials, weeks: int = 1) -> None:
        """The professional at ``post`` gives these clients no appointment for a while.

        They see others instead: the week's contact hours go to those who come (section
        7.2), while the clients held back go without individual contact, as at a missed
        appointment (a pupil still comes to the class lesson). The hold is the
        professional's: a client handed over to someone else is booked as ever.

        Args:
            post: The professional's post.
            serials: Client serial numbers (a client's ``serial``).
            weeks: How many weeks, from the next; 0 books them again from the next.

        Raises:
            ParameterError: For an unknown post, a serial never seen or weeks out of
                range.
        """
        serials = np.asarray(serials, np.int64).reshape(-1)
        if not 0 <= post < len(self.posts):
            raise ParameterError(f"no post {post}: posts are 0 to {len(self.posts) - 1}")
        if not 0 <= weeks <= MAX_HOLD_WEEKS:
            raise ParameterError(f"weeks must be 0 to {MAX_HOLD_WEEKS}, not {weeks}")
        if len(serials) and not (serials.min() >= 0 and serials.max() < self.clients.count):
            raise ParameterError(f"client serials are 0 to {self.clients.count - 1}")
        self.clients.record["no_appointment_until"][serials] = self.steps + weeks
        self.clients.record["no_appointment_post"][serials] = post

    def change(self, **values) -> np.ndarray:
        """Change parameters from now on (see :meth:`apply`); returns the posts opened."""
        return self.apply(self.checked(values))

    def apply(self, p: Parameters) -> np.ndarray:
        """Put checked parameters in force; returns the posts opened (hired into).

        A change of ``professionals`` opens or closes posts at once: new posts are
        filled at once by new hires with no experience, as vacancies are; posts are
        closed last first, their clients handed over as at a quit. Those handovers count
        in the next week's ``handovers`` (the week an event starts, or the week after a
        change between steps).
        """
        self.p = p
        self.since.append((self.steps + 1, p))
        self.packed = kernels.packed(p)
        old, n = len(self.posts), p.professionals
        if n == old:
            return np.zeros(0, np.int64)
        posts = self.posts
        if n < old:
            posts.status[n:] = VACANT  # no client is assigned to a closing post
            self._handovers_since += kernels.hand_over(
                self.packed, self.clients.columns(), posts.columns(), np.arange(old) >= n,
                self.contact_rng)
            home = self.clients.live["home"]
            home[home >= n] = -1  # a closed class is gone: nobody goes back to its post
        posts.resize(n)
        grow = max(n - old, 0)  # this week's hours and status: none for a new post
        self.week_hours = np.concatenate(
            [self.week_hours[:, :n], np.zeros((len(Posts.HOUR_KINDS), grow))], axis=1)
        self.week_status = np.concatenate(
            [self.week_status[:n], np.full(grow, VACANT, np.int8)])
        opened = np.arange(old, n)
        self._hire(opened, np.zeros(grow))
        return opened

    def _hire(self, posts: np.ndarray, experience: np.ndarray) -> None:
        kernels.hire(self.packed, self.posts.columns(), posts, experience, self.staff_rng)
