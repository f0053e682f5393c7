"""Array state behind the agents: clients as rows of a table, professionals as posts.

The model's weekly maths runs on whole arrays at once (numpy); each Mesa agent is a
thin view on its row. Clients who are waiting or in care live in :class:`ClientTable`
(compacted when they leave); what users need afterwards is kept per client in a
record indexed by the client's serial number. Professionals occupy the posts of
:class:`Posts`: a post is filled by a working or sick professional, or vacant.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

# Client status codes (also the exit reasons of the client records). YEAR_END: the
# school year ended before the pupil reached its goals (runs in school years only).
WAITING, IN_CARE, GOAL, DROPOUT, YEAR_END = 0, 1, 2, 3, 4
CLIENT_STATUS = ("waiting", "in_care", "goal", "dropout", "year_end")

# Post status codes.
WORKING, SICK, VACANT = 0, 1, 2
POST_STATUS = ("working", "sick", "vacant")

_LIVE = {
    "serial": np.int64, "status": np.int8, "post": np.int32, "need": np.float64,
    "openness": np.float64, "bond": np.float64, "motivation": np.float64,
    "efficacy": np.float64, "employability": np.float64, "progress": np.float64,
    "sessions": np.int16,
    "handovers": np.int32, "weeks_waiting": np.int32, "care_weeks": np.int32,
    "home": np.int32,
}
_RECORD = {
    "arrival_week": (np.int32, -1), "start_week": (np.int32, -1),
    "exit_week": (np.int32, -1), "exit_reason": (np.int8, WAITING),
    "handovers": (np.int32, 0), "initial_motivation": (np.float64, np.nan),
    "final_bond": (np.float64, np.nan), "final_progress": (np.float64, np.nan),
    "early_bond": (np.float64, np.nan),
    "weeks_waiting": (np.int32, 0),
    "no_appointment_until": (np.int32, -1),
    "no_appointment_post": (np.int32, -1),
    "own_route": (np.bool_, False),
}


class LiveClients(NamedTuple):
    """The live client columns as one argument of the compiled loops (see ``_LIVE``)."""

    serial: np.ndarray
    status: np.ndarray
    post: np.ndarray
    need: np.ndarray
    openness: np.ndarray
    bond: np.ndarray
    motivation: np.ndarray
    efficacy: np.ndarray
    employability: np.ndarray
    progress: np.ndarray
    sessions: np.ndarray
    handovers: np.ndarray
    weeks_waiting: np.ndarray
    care_weeks: np.ndarray
    home: np.ndarray


class ClientRecords(NamedTuple):
    """The record columns as one argument of the compiled loops (see ``_RECORD``)."""

    arrival_week: np.ndarray
    start_week: np.ndarray
    exit_week: np.ndarray
    exit_reason: np.ndarray
    handovers: np.ndarray
    initial_motivation: np.ndarray
    final_bond: np.ndarray
    final_progress: np.ndarray
    early_bond: np.ndarray
    weeks_waiting: np.ndarray
    no_appointment_until: np.ndarray
    no_appointment_post: np.ndarray
    own_route: np.ndarray


class Staff(NamedTuple):
    """The posts' columns as one argument of the compiled loops (see :class:`Posts`)."""

    status: np.ndarray
    stress: np.ndarray
    strain: np.ndarray
    experience: np.ndarray
    ties: np.ndarray
    standard: np.ndarray
    burnouts: np.ndarray
    weeks_left: np.ndarray
    hours: np.ndarray
    chosen_network: np.ndarray
    chosen_standard: np.ndarray
    chosen_admin: np.ndarray
    chosen_protocol: np.ndarray
    arrears: np.ndarray


#: Where :class:`ClientTable`'s sizes sit in its ``sizes`` array, which the compiled week
#: updates in place: live rows in use, clients so far, rows of departed clients not yet
#: compacted away.
ROWS, COUNT, DEPARTED = 0, 1, 2


class ClientTable:
    """Live clients (waiting or in care) as columns, plus a record per client ever seen.

    The compiled week (:func:`model.kernels.run_weeks`) appends arrivals to the columns'
    buffers, closes the records of those who leave and compacts the rows; its sizes are
    kept in ``sizes`` (:data:`ROWS`, :data:`COUNT`, :data:`DEPARTED`), and
    :meth:`reserve` makes room beforehand.

    Attributes:
        live: Column name to array, one row per client in arrival order; rows of
            clients who left (status ``GOAL``, ``DROPOUT`` or ``YEAR_END``) linger until compaction,
            so select rows by status.
        record: Column name to array indexed by serial number (grown as needed).
        sizes: Live rows in use, clients so far and departed rows not yet compacted.
        agents: The Mesa agent of each client by serial number, None once the client
            has left. A list, not an object column: numpy arrays are invisible to
            Python's cycle collector, so agents (which refer to their model) held in
            one would keep every finished model in memory.
    """

    def __init__(self, capacity: int) -> None:
        self.record = {name: np.full(max(capacity, 16), fill, dtype)
                       for name, (dtype, fill) in _RECORD.items()}
        self.sizes = np.zeros(3, np.int64)
        self.agents: list[object | None] = []
        self._buffer = {name: np.empty(1024, dtype) for name, dtype in _LIVE.items()}
        self._live: dict[str, np.ndarray] | None = None

    @property
    def live(self) -> dict[str, np.ndarray]:
        """Column name to the rows in use of its buffer (views; see the class docstring).

        Made when first read after the rows changed (:meth:`refresh`): the Mesa model's
        step refreshes every week, and most weeks nobody reads the columns in Python.
        """
        if self._live is None:
            rows = len(self)
            self._live = {name: column[:rows] for name, column in self._buffer.items()}
        return self._live

    def __len__(self) -> int:
        return int(self.sizes[ROWS])

    def __getstate__(self) -> dict:
        """The table to pickle, without ``live`` (made again from the buffers when read).

        Pickled views would be copies cut off from the buffers they look into, so writes
        through them after unpickling would be lost.
        """
        return {**self.__dict__, "_live": None}

    @property
    def count(self) -> int:
        """Number of clients that have arrived so far (the next serial number)."""
        return int(self.sizes[COUNT])

    def columns(self) -> LiveClients:
        """The live columns, grouped for the compiled loops (views, not copies)."""
        return LiveClients(**self.live)

    def buffers(self) -> LiveClients:
        """The live columns' whole buffers (rows in use first), for the compiled week."""
        return LiveClients(**self._buffer)

    def records(self) -> ClientRecords:
        """The record columns, grouped for the compiled loops."""
        return ClientRecords(**self.record)

    def refresh(self) -> None:
        """Point ``live`` at the rows in use of the (larger) column buffers, when next read."""
        self._live = None

    def reserve(self, n: int) -> None:
        """Make room for ``n`` more clients in the live buffers and the records."""
        rows, count = len(self), self.count
        if rows + n > len(self._buffer["serial"]):
            size = 2 * (rows + n)
            for name, column in self._buffer.items():
                grown = np.empty(size, column.dtype)
                grown[:rows] = column[:rows]
                self._buffer[name] = grown
            self.refresh()
        size = len(self.record["arrival_week"])
        if count + n > size:
            new_size = max(count + n, 2 * size)
            for name, (dtype, fill) in _RECORD.items():
                grown = np.full(new_size, fill, dtype)
                grown[:size] = self.record[name]
                self.record[name] = grown

    def final_records(self) -> dict[str, np.ndarray]:
        """Records of every client so far, with live clients' current state filled in."""
        from model.kernels import close_records

        final = {name: column[: self.count].copy() for name, column in self.record.items()}
        close_records(self.columns(), ClientRecords(**final), self.live["status"] <= IN_CARE)
        return final

    def row_of(self, serial: int) -> int | None:
        """The live row of a client, or None once the client has left."""
        serials = self.live["serial"]
        row = int(np.searchsorted(serials, serial))
        found = row < len(serials) and serials[row] == serial
        return row if found and self.live["status"][row] <= IN_CARE else None


class Posts:
    """The professional posts of the organisation, as columns indexed by post.

    Attributes:
        status: ``WORKING``, ``SICK`` or ``VACANT``.
        stress: Stress / exhaustion, 0..1.
        strain: The holder's own offset to the stress a week brings (people differ
            in how much a load weighs on them).
        experience: Weeks of experience of the current holder.
        ties: Network ties with outside partners, 0..1 [003].
        standard: The holder's own standard of contact per client (h/week): starts at
            the organisation's norm and erodes under pressure.
        weeks_left: Weeks until a sick professional returns or a vacancy is filled.
        hours: Hours of the current holder since hire, by kind (``HOUR_KINDS``),
            shape ``(posts, 9)``. Contact includes its open and scripted parts, group
            sessions and class teaching; admin + network + contact + slack = contract + overtime.
        burnouts: Burnout episodes of the current holder.
        chosen_network: Network hours a week the holder chose to spend, within those
            the scenario grants (h); NaN: the granted hours, as the model's own
            professionals spend them (:meth:`model.simulation.Simulation.decide`).
        chosen_standard: The least standard of contact per client the holder chose to
            keep (h/week): the standard follows the time given as ever, but not below
            this; NaN: no floor.
        chosen_admin: Share of the paperwork due the holder chose to do each week,
            0..1; NaN: all of it, as the model's own professionals do.
        chosen_protocol: Share of the protocol's items the holder chose to ask in their
            contacts, 0..1 (the rest is recorded afterwards, owed as paperwork); NaN:
            all of them.
        arrears: Paperwork the post still owes (h): left undone by choice, or protocol
            items not asked in contact; done first. The post's records: a new holder
            takes them over.
        agent: The :class:`~model.agents.Professional` holding each post, or None.
            A list, not an object array: numpy arrays are invisible to Python's cycle
            collector, so agents (which refer to their model) held in one would keep
            every finished model in memory.
    """

    HOUR_KINDS = ("admin", "network", "contact", "open", "scripted", "group", "teaching",
                  "slack", "overtime")

    def __init__(self, n: int) -> None:
        self.status = np.full(n, VACANT, np.int8)
        self.stress = np.zeros(n)
        self.strain = np.zeros(n)
        self.experience = np.zeros(n)
        self.ties = np.zeros(n)
        self.standard = np.zeros(n)
        self.weeks_left = np.zeros(n, np.int32)
        self.hours = np.zeros((n, len(self.HOUR_KINDS)))
        self.burnouts = np.zeros(n, np.int32)
        self.chosen_network = np.full(n, np.nan)
        self.chosen_standard = np.full(n, np.nan)
        self.chosen_admin = np.full(n, np.nan)
        self.chosen_protocol = np.full(n, np.nan)
        self.arrears = np.zeros(n)
        self.agent: list = [None] * n

    def __len__(self) -> int:
        return len(self.status)

    def columns(self) -> Staff:
        """The posts' columns, grouped for the compiled loops (views, not copies)."""
        return Staff(self.status, self.stress, self.strain, self.experience, self.ties,
                     self.standard, self.burnouts, self.weeks_left, self.hours,
                     self.chosen_network, self.chosen_standard, self.chosen_admin,
                     self.chosen_protocol, self.arrears)

    def resize(self, n: int) -> None:
        """Keep the first ``n`` posts, or add vacant posts up to ``n``.

        Closing posts is the caller's work (their holders leave, their clients are
        handed over); here every column, the agent list included, gets length ``n``.
        """
        old = len(self)
        grow = max(n - old, 0)

        def fit(column: np.ndarray, fill) -> np.ndarray:
            extra = np.full((grow, *column.shape[1:]), fill, column.dtype)
            return np.concatenate([column[:n], extra])

        self.status = fit(self.status, VACANT)
        for name in ("stress", "strain", "experience", "ties", "standard", "weeks_left",
                     "hours", "burnouts", "arrears"):
            setattr(self, name, fit(getattr(self, name), 0))
        for name in ("chosen_network", "chosen_standard", "chosen_admin", "chosen_protocol"):
            setattr(self, name, fit(getattr(self, name), np.nan))
        self.agent = self.agent[:n] + [None] * grow
