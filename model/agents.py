"""The two agent kinds: professionals and their clients.

Both are real Mesa agents, registered with the model and found in
``model.agents_by_type``. Their state lives in the model's arrays (see
:mod:`model.state`) so a week's maths runs on all of them at once; an agent reads
and writes its own row. Behaviour is in :mod:`model.mechanisms`, the weekly order
in :meth:`model.model.VerbindingModel.step`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from model.state import CLIENT_STATUS, POST_STATUS, Posts

if TYPE_CHECKING:
    from model.model import VerbindingModel


class Professional(mesa.Agent):
    """A teacher, GP or nurse, or re-integration caseworker holding one post.

    Attributes:
        post: Index of the post held (the row in ``model.posts``).
        hired_week: Week of hire (0 for the starting staff).
        left_week: Week the professional quit, or None while employed.
        final_hours: Hours by kind since hire, frozen when the professional leaves.
        final_burnouts: Burnout episodes, frozen when the professional leaves.
    """

    def __init__(self, model: VerbindingModel, post: int) -> None:
        super().__init__(model)
        self.post = post
        self.hired_week = model.steps
        self.left_week: int | None = None
        self.final_hours: dict[str, float] | None = None
        self.final_burnouts: int | None = None

    @property
    def status(self) -> str:
        """``working``, ``sick`` or ``left``."""
        if self.left_week is not None:
            return "left"
        return POST_STATUS[self.model.posts.status[self.post]]

    @property
    def stress(self) -> float:
        """Stress / exhaustion, 0..1."""
        return float(self.model.posts.stress[self.post])

    @property
    def experience_weeks(self) -> float:
        """Weeks of experience."""
        return float(self.model.posts.experience[self.post])

    @property
    def network_ties(self) -> float:
        """Ties with outside partners, 0..1 [003]."""
        return float(self.model.posts.ties[self.post])

    @property
    def admin_arrears(self) -> float:
        """Paperwork the post still owes (h), left by choice (section 7.10)."""
        return float(self.model.posts.arrears[self.post])

    @property
    def hours(self) -> dict[str, float]:
        """Hours since hire by kind (see ``Posts.HOUR_KINDS``)."""
        if self.final_hours is not None:
            return self.final_hours
        row = self.model.posts.hours[self.post]
        return {kind: float(h) for kind, h in zip(Posts.HOUR_KINDS, row, strict=True)}

    @property
    def burnout_episodes(self) -> int:
        """Burnout episodes since hire."""
        if self.final_burnouts is not None:
            return self.final_burnouts
        return int(self.model.posts.burnouts[self.post])

    @property
    def clients(self) -> list[Client]:
        """The clients currently in this professional's care."""
        if self.left_week is not None:
            return []
        live = self.model.clients.live
        rows = (live["post"] == self.post) & (live["status"] == 1)
        return [self.model.clients.agents[s] for s in live["serial"][rows].tolist()]

    def decide(self, **choices: float | None) -> None:
        """Make this professional's own choices from the next week on (a student's).

        ``network_hours``, ``standard``, ``admin`` and ``protocol``, as
        :meth:`model.simulation.Simulation.decide` takes them; ``None`` gives a choice
        back to the model.
        """
        self.model.sim.decide(self.post, **choices)

    def see_only(self, clients: list[Client], weeks: int = 1) -> None:
        """See only ``clients`` of those in care in the next ``weeks`` weeks.

        The others get no appointment (:meth:`model.simulation.Simulation.
        hold_appointments`); those seen share the contact hours. Clients not in this
        professional's care are passed over.
        """
        chosen = {client.serial for client in clients}
        others = [c.serial for c in self.clients if c.serial not in chosen]
        booked = [c.serial for c in self.clients if c.serial in chosen]
        self.model.sim.hold_appointments(self.post, booked, 0)
        self.model.sim.hold_appointments(self.post, others, weeks)

    def leave(self, week: int) -> None:
        """Quit: freeze the record and leave the model."""
        self.final_hours = self.hours
        self.final_burnouts = self.burnout_episodes
        self.left_week = week
        self.remove()


class Client(mesa.Agent):
    """A pupil, patient or job seeker, from arrival until goal or drop-out.

    Attributes:
        serial: The client's serial number (row of ``model.clients.record``).
    """

    def __init__(self, model: VerbindingModel, serial: int) -> None:
        super().__init__(model)
        self.serial = serial

    def _get(self, column: str):
        row = self.model.clients.row_of(self.serial)
        return None if row is None else self.model.clients.live[column][row]

    def _set(self, column: str, value: float) -> None:
        row = self.model.clients.row_of(self.serial)
        if row is None:
            raise ValueError(f"client {self.serial} has left; its state is final")
        self.model.clients.live[column][row] = value

    @property
    def status(self) -> str:
        """``waiting``, ``in_care``, ``goal`` or ``dropout``."""
        row = self.model.clients.row_of(self.serial)
        if row is None:
            return CLIENT_STATUS[self.model.clients.record["exit_reason"][self.serial]]
        return CLIENT_STATUS[self.model.clients.live["status"][row]]

    @property
    def professional(self) -> Professional | None:
        """The professional in charge, or None while waiting or after leaving."""
        post = self._get("post")
        return None if post is None or post < 0 else self.model.posts.agent[post]

    @property
    def bond(self) -> float:
        """Bond (working alliance) with the current professional, 0..1."""
        value = self._get("bond")
        return float(self.model.clients.record["final_bond"][self.serial]
                     if value is None else value)

    @bond.setter
    def bond(self, value: float) -> None:
        self._set("bond", value)

    @property
    def motivation(self) -> float | None:
        """Motivation, 0..1 (None once the client has left)."""
        value = self._get("motivation")
        return None if value is None else float(value)

    @motivation.setter
    def motivation(self, value: float) -> None:
        self._set("motivation", value)

    @property
    def self_efficacy(self) -> float | None:
        """Self-efficacy, 0..1 (None once the client has left)."""
        value = self._get("efficacy")
        return None if value is None else float(value)

    @property
    def employability(self) -> float | None:
        """How near the client stands to the labour market, 1 on average (None once left).

        Lognormal with coefficient of variation ``employability_spread``.
        """
        value = self._get("employability")
        return None if value is None else float(value)

    @property
    def openness(self) -> float | None:
        """Openness (willingness to engage), 0..1 (None once the client has left)."""
        value = self._get("openness")
        return None if value is None else float(value)

    @property
    def progress(self) -> float | None:
        """Progress toward the client's own goal, 0..1 (None once left)."""
        value = self._get("progress")
        return None if value is None else float(value)

    @property
    def handovers(self) -> int:
        """Number of handovers to another professional so far."""
        value = self._get("handovers")
        return int(self.model.clients.record["handovers"][self.serial]
                   if value is None else value)
