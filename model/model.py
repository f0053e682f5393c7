"""Verbinding: an agent-based model of workload versus connection.

Professionals (teachers, GPs and nurses, re-integration caseworkers) spend their
week on administration, network and contact; only unhurried, open contact builds
the relationship through which clients progress. The model follows the conceptual
model described in ``docs/ODD.md``, which rests on Pugh's connective labour [000],
Van der Horst on equal collaboration [001], Blonk on *bejegening* and JOBS [002],
Bosselaar on the networking professional [003] and connection at work [004]. The
formal description is ``docs/ODD.md``.

One step is one week. The weekly order, the only place it is written down:

0. Staffing: sick professionals whose leave is over return; vacancies whose time
   is up are filled by new hires with little experience. Events (parameter changes
   from a given reported week) apply before this.
1. Arrivals and assignment: new clients join the waitlist (in school years, the
   year's pupils all in its first week, and pupils whom colleagues took over go back
   to their own class once its teacher is back); the waitlist, oldest first, is
   assigned to working professionals with room under the caseload cap, least loaded
   first. Clients still waiting lose motivation.
2. Time budget: per professional, class teaching first (in schools), then admin,
   then network, then a group session, then contact; overtime when the caseload at
   the professional's own standard needs more than the contract. The workload felt
   is measured at the organisation's norm. Paperwork a professional chose to leave
   (class mode) is owed as arrears, done first in later weeks.
3. Contact: every client in care has an appointment (unless a group session replaces
   it, or their professional chose to see others that week); those who come share the
   professional's class lesson and contact time; within each contact the scripted
   items come first and only the open rest builds connection; a program can carry
   part of the items; abrupt scripted questions can rupture weak bonds. Items a
   professional chose not to ask are owed as paperwork.
4. Bond: grows with unhurried open time x attunement x openness; decays without
   contact (handover losses happen in step 7).
5. Motivation and progress: progress from human contact through the bond, a
   program's work and group sessions; motivation and self-efficacy follow bond,
   progress, setbacks and group sessions; ready clients are placed with help of
   network ties. Each professional's standard follows the time they could give.
6. Exits: placed clients reach their goal; others drop out at a hazard rising with
   weak bonds, low motivation and imposed goals. In school years pupils stay the
   year and all leave after its last week, having reached its goals or not.
7. Professional wellbeing: stress moves toward a level set by workload, the waiting
   list, autonomy and connection; burnout sends a professional on sick leave and
   stress makes professionals quit; their clients are handed over to colleagues,
   above the cap up to the overflow, or back to the waitlist. Experience and network
   ties are updated.
8. Observation: the week's model-level figures are collected.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import mesa
import numpy as np
from mesa import Model
from mesa.datacollection import DataCollector
from mesa.model import ModelSignals, _mesa_logger

from model.agents import Client, Professional
from model.kernels import COUNTS, WEEKLY_FIGURES
from model.parameters import Parameters
from model.simulation import Simulation, _seed
from model.state import Posts


class VerbindingModel(Model):
    """Professionals and clients, one week per step.

    Args:
        rng: Integer seed (or its text, or None for a fresh one). The seed is kept
            in ``self.seed``; the same seed and parameters give the same run.
        scenario: Ignored. Mesa's SolaraViz passes an empty ``mesa`` Scenario when it
            rebuilds a model; Verbinding's parameters come as keywords.
        events: Parameter changes from given reported weeks: :class:`~model.events.Event`
            or mappings ``{"week", "until" (optional), "parameters"}``; checked here
            (:func:`~model.events.check_events`) and applied at the start of their weeks.
        **params: Parameter overrides by name; see :class:`Parameters`.

    Raises:
        ParameterError: For an unknown parameter or a value out of range, or an event
            that cannot be.

    Attributes:
        p: The parameters in force (the scenario's, changed by events in force).
        scenario_parameters: The run's own :class:`Parameters`, as given.
        events: The run's events (:class:`~model.events.Event`).
        seed: The integer seed of the run.
        clients: :class:`ClientTable` with the clients' state and records.
        posts: :class:`Posts` with the professionals' state.
        professionals_ever: Every :class:`Professional` ever hired, in hiring order.
        datacollector: Weekly model-level figures (:data:`WEEKLY_FIGURES`).
        week_hours: This week's hours per post by kind (admin, network, contact,
            open, scripted, group, teaching, slack, overtime): one professional's week.
        week_status: Status of each post when this week's hours were planned.
    """

    def __init__(self, rng=None, scenario=None, events=(), **params) -> None:
        del scenario  # Mesa's SolaraViz passes its own (empty) Scenario on reset
        p = Parameters.from_mapping(params)
        seed = _seed(rng)
        self.sim = Simulation(seed, p, events)
        super().__init__(rng=seed)
        self._quiet_signal: str | None = None  # see _quiet_while
        self.seed = seed
        self.clients, self.posts = self.sim.clients, self.sim.posts
        self.professionals_ever: list[Professional] = []
        for post in range(p.professionals):
            self._welcome(post)
        for name in WEEKLY_FIGURES:
            setattr(self, name, 0)
        self.datacollector = WeeklyFigures()
        self._figures = np.empty((1, len(WEEKLY_FIGURES)))
        self.running = True

    @property
    def p(self) -> Parameters:
        """The parameters in force (the scenario's, changed by events in force)."""
        return self.sim.p

    @property
    def scenario_parameters(self) -> Parameters:
        """The run's own parameters, as given."""
        return self.sim.scenario_parameters

    @property
    def events(self) -> tuple:
        """The run's events (:class:`~model.events.Event`)."""
        return self.sim.events

    @property
    def weekly(self) -> dict[str, list]:
        """``{figure: [value per week]}``: the DataCollector's model-level figures."""
        return self.datacollector.model_vars

    @property
    def week_hours(self) -> dict[str, np.ndarray]:
        """This week's hours per post, by kind (``Posts.HOUR_KINDS``).

        Views of arrays the next week overwrites: copy them to keep a week's hours.
        """
        return dict(zip(Posts.HOUR_KINDS, self.sim.week_hours, strict=True))

    @property
    def week_status(self) -> np.ndarray:
        """Status of each post when this week's hours were planned (overwritten weekly)."""
        return self.sim.week_status

    # ----------------------------------------------------------------- the week
    def step(self) -> None:
        """Advance one week, in the order given in the module docstring.

        The arrays run the week (:meth:`Simulation.run_weeks`); then the agents follow
        in the order it happened: new hires and arrivals join the model, clients who
        left and professionals who quit leave it.
        """
        week = self.steps
        changes = self.sim.changes_at(week)  # events starting or ending this week
        if changes:
            self.change(**changes)
        known = self.clients.count
        hired, left, quits = self.sim.run_weeks(week + 1, self._figures)
        for post in hired.tolist():
            self._welcome(post)
        self._admit(range(known, self.clients.count))
        self._dismiss(left.tolist())
        for post in quits.tolist():
            self.posts.agent[post].leave(week)
            self.posts.agent[post] = None
        self._observe()
        if week >= self.p.warmup_weeks + self.p.weeks:
            self.running = False

    def run(self) -> VerbindingModel:
        """Run the warm-up and the ``weeks`` reported weeks; returns the model for chaining.

        Python's cycle collector is paused meanwhile. The weeks create no reference
        cycles (a test checks it), so it would find nothing, but it rescans every live
        object, agents included, as agents come and go: at 30,000 clients that was
        up to a quarter of the run (README, "Performance").
        """
        collecting = gc.isenabled()
        gc.disable()
        try:
            while self.running:
                self.step()
        finally:
            if collecting:
                gc.enable()
        return self

    def change(self, **values) -> None:
        """Change parameters from now on: at an event's week, or between steps.

        The parameters in force become ``self.p`` updated with ``values``. A change of
        ``professionals`` opens or closes posts at once (:meth:`Simulation.apply`):
        the professionals of closed posts leave, new hires take the new ones.

        Raises:
            ParameterError: For an unknown parameter, one that cannot change during a
                run (declared ``mid_run=False``), a value out of range or an impossible
                combination; nothing is changed then.
        """
        p = self.sim.checked(values)
        for post in range(p.professionals, len(self.posts)):  # closing, last first
            if self.posts.agent[post] is not None:
                self.posts.agent[post].leave(self.steps)
                self.posts.agent[post] = None
        for post in self.sim.apply(p).tolist():
            self._welcome(post)

    # ----------------------------------------------------------------- Mesa plumbing
    def register_agent(self, agent: mesa.Agent) -> None:
        """Register an agent as Mesa does, without a signal nobody hears.

        Mesa wraps registration in an ``agent_added`` signal and a debug log line; when
        nobody subscribes to the signal, no signal batch is open and debug logging is
        off, both do nothing but cost about 4 microseconds an agent, a fifth of a run.
        Then the same state changes are made here; otherwise Mesa's own method runs.
        A test checks that both give the same agents, ids and runs.
        """
        kind = type(agent)
        if kind not in self._agents_by_type or self._heard(ModelSignals.AGENT_ADDED):
            super().register_agent(agent)
            return
        self._all_agents.add(agent)
        agent.unique_id = self.agent_id_counter
        self.agent_id_counter += 1
        self._agents_by_type[kind].add(agent)

    def deregister_agent(self, agent: mesa.Agent) -> None:
        """Deregister an agent as Mesa does, without a signal nobody hears (see above)."""
        if self._heard(ModelSignals.AGENT_REMOVED):
            super().deregister_agent(agent)
            return
        self._agents_by_type[type(agent)].remove(agent)
        self._all_agents.remove(agent)

    def _heard(self, signal: str) -> bool:
        """Whether Mesa's registration would tell anyone: a subscriber, a batch, a log.

        While the week adds or removes clients (:meth:`_quiet_while`), asked once for all.
        """
        if self._quiet_signal == signal:
            return False
        return (("agents", signal) in self.subscribers or self._batch_context is not None
                or _mesa_logger.isEnabledFor(logging.DEBUG))

    @contextmanager
    def _quiet_while(self, signal: str) -> Iterator[None]:
        """Ask once whether anyone hears ``signal``, for the many agents that follow.

        Nothing the model does meanwhile subscribes, opens a batch or changes logging.
        """
        self._quiet_signal = None if self._heard(signal) else signal
        try:
            yield
        finally:
            self._quiet_signal = None

    # ----------------------------------------------------------------- the agents
    def _welcome(self, post: int) -> None:
        """The professional hired into ``post`` joins the model."""
        professional = Professional(self, post)
        self.posts.agent[post] = professional
        self.professionals_ever.append(professional)

    def _admit(self, serials: range) -> None:
        """This week's arrivals (their ``serials``) join the model as Mesa agents.

        When nobody would hear of it (:meth:`_lean`), they are made and registered all
        at once: each gets what Mesa's ``Agent.__init__`` gives an agent (its model, the
        next ``unique_id``, no position), set attribute by attribute in that order (so
        Python keeps them compactly, as for an agent Mesa made), and joins
        ``model.agents`` and ``agents_by_type`` as Mesa 3.5's registration does, without
        a call per agent. A test checks this against Mesa's own path.
        """
        if not self._lean(ModelSignals.AGENT_ADDED):
            with self._quiet_while(ModelSignals.AGENT_ADDED):
                self.clients.agents.extend(Client(self, s) for s in serials)
            return
        arrived, unique_id = [], self.agent_id_counter
        for serial in serials:
            agent = object.__new__(Client)
            agent.model, agent.unique_id, agent.pos = self, unique_id, None
            agent.serial = serial
            arrived.append(agent)
            unique_id += 1
        self.agent_id_counter = unique_id
        joined = dict.fromkeys(arrived)
        self._all_agents._agents.update(joined)
        self._agents_by_type[Client]._agents.update(joined)
        self.clients.agents.extend(arrived)

    def _dismiss(self, serials: list[int]) -> None:
        """The clients who left this week leave the model (as ``Agent.remove`` does)."""
        agents = self.clients.agents
        if not self._lean(ModelSignals.AGENT_REMOVED):
            with self._quiet_while(ModelSignals.AGENT_REMOVED):
                for serial in serials:
                    agents[serial].remove()
                    agents[serial] = None
            return
        everyone, clients = self._all_agents._agents, self._agents_by_type[Client]._agents
        for serial in serials:  # as Agent.remove, an agent removed already is no error
            agent, agents[serial] = agents[serial], None
            everyone.pop(agent, None)
            clients.pop(agent, None)

    def _lean(self, signal: str) -> bool:
        """Whether clients may join or leave all at once: nobody would hear of it.

        No subscriber, batch or debug log for ``signal`` (:meth:`_heard`), no Mesa
        dataset tracking clients, and a client set already made by Mesa itself.
        """
        return (Client in self._agents_by_type and not Client._datasets
                and not self._heard(signal))

    def _observe(self) -> None:
        """Step 8: the week's figures, as the model's attributes, to the DataCollector."""
        values = self._figures[0].tolist()
        values[:len(COUNTS)] = map(int, values[:len(COUNTS)])
        vars(self).update(zip(WEEKLY_FIGURES, values, strict=True))
        self.datacollector.collect(self)


class WeeklyFigures(DataCollector):
    """Mesa's DataCollector of the week's figures (:data:`WEEKLY_FIGURES`), uncopied.

    Mesa's ``collect`` deep-copies every value it reads, lest a later step change a
    list it was given; the figures are plain ints and floats, which nothing can
    change, and copying them took about 6% of a standard run. So they are appended as
    read. With any other reporter (added later, or agent reporters) Mesa's own
    ``collect`` runs, copies and all.
    """

    def __init__(self) -> None:
        super().__init__(model_reporters=dict(_FIGURE_REPORTERS))
        self._columns = [self.model_vars[name] for name in WEEKLY_FIGURES]

    def collect(self, model: Model) -> None:
        """Append the model's weekly figures to :attr:`model_vars` (Mesa's, if others)."""
        if (self.model_reporters != _FIGURE_REPORTERS or self.agent_reporters
                or self.agenttype_reporters):
            super().collect(model)
            return
        self._collection_steps.append(model.time)
        for column, name in zip(self._columns, WEEKLY_FIGURES, strict=True):
            column.append(getattr(model, name))


#: Each weekly figure reported from the model attribute of its name.
_FIGURE_REPORTERS = {name: name for name in WEEKLY_FIGURES}
