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
   is measured at the organisation's norm.
3. Contact: every client in care has an appointment (unless a group session replaces
   it); those who come share the professional's class lesson and contact time; within
   each contact the scripted items come first and only the open rest builds
   connection; a program can carry part of the items; abrupt scripted questions can
   rupture weak bonds.
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

from model import kernels
from model import mechanisms as mech
from model.agents import Client, Professional
from model.events import check_events, check_mid_run, schedule
from model.parameters import Parameters
from model.state import IN_CARE, VACANT, WAITING, WORKING, ClientTable, Posts

#: Model-level figures collected every week (attribute names of the model).
WEEKLY_FIGURES = (
    "arrivals", "started", "goals", "dropouts", "year_ends", "waiting", "in_care",
    "working", "sick", "vacant", "burnouts", "quits", "handovers",
    "mean_bond", "mean_motivation", "mean_stress", "burnout_share",
    "admin_hours", "network_hours", "contact_hours", "group_hours", "teaching_hours",
    "open_hours", "scripted_hours", "automated_hours", "connective_hours", "slack_hours",
    "overtime_hours", "paid_hours", "mean_standard", "utilisation",
)

#: A group session needs at least two members: a group of one is one-to-one contact
#: (a definition, not an assumption).
MIN_GROUP = 2


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
        self.events = check_events(events, p)
        self._changes_at = schedule(self.events, p)  # by reported week
        seed = _seed(rng)
        super().__init__(rng=seed)
        self._quiet_signal: str | None = None  # see _quiet_while
        self.p = self.scenario_parameters = p
        self.packed = kernels.packed(p)
        self.seed = seed
        # Separate streams, so scenarios run with the same seed share their arrivals
        # and client traits (common random numbers).
        streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)]
        self.arrival_rng, self.trait_rng, self.contact_rng, self.staff_rng = streams

        self.clients = ClientTable(
            capacity=int(p.arrivals_per_week * (p.warmup_weeks + p.weeks) * 1.2) + 64)
        self.posts = Posts(p.professionals)
        self.professionals_ever: list[Professional] = []
        experience = self.staff_rng.exponential(p.starting_experience_weeks, p.professionals)
        for post in range(p.professionals):
            self._hire(post, experience[post])

        self.week_hours = {kind: np.zeros(p.professionals) for kind in Posts.HOUR_KINDS}
        self.week_status = self.posts.status.copy()
        for name in WEEKLY_FIGURES:
            setattr(self, name, 0)
        self.datacollector = DataCollector(model_reporters={n: n for n in WEEKLY_FIGURES})
        self._waiting_now = 0  # clients waiting this week (step 1)
        self.running = True

    # ----------------------------------------------------------------- the week
    def step(self) -> None:
        """Advance one week, in the order given in the module docstring."""
        week = self.steps
        self._reset_counts()
        if self._changes_at:  # events starting or ending this reported week
            changes = self._changes_at.get(week - self.p.warmup_weeks)
            if changes:
                self.change(**changes)
        self._staffing()                                        # 0
        self._arrive(week)                                      # 1
        if self.p.school_year_weeks:
            self.handovers += kernels.back_to_class(self.packed, self.clients.columns(),
                                                    self.posts.status)
        caseload = self._assign(week)
        self._wait()
        group_members, members = self._group_members()          # 2
        self.week_status = self.posts.status.copy()
        budget = kernels.time_budget(self.packed, caseload, group_members > 0,
                                     self.posts.columns())
        placed, connection = self._contact(budget, members, group_members, caseload)  # 3-5
        self._exit(placed, week)                                # 6
        self._wellbeing(budget, connection, week)               # 7
        self._observe()                                         # 8
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
        ``professionals`` opens or closes posts at once (:meth:`_resize_team`).

        Raises:
            ParameterError: For an unknown parameter, one that cannot change during a
                run (declared ``mid_run=False``), a value out of range or an impossible
                combination; nothing is changed then.
        """
        for name in values:
            check_mid_run(name)
        p = Parameters.from_mapping({**self.p.to_dict(), **values})
        before, self.p = self.p, p
        self.packed = kernels.packed(p)
        if p.professionals != before.professionals:
            self._resize_team(p.professionals)

    def _resize_team(self, n: int) -> None:
        """Open or close posts at once, for a change of ``professionals`` mid-run.

        New posts are filled at once by new hires with no experience, as vacancies are.
        Posts are closed last first: their professionals leave this week (as at a quit)
        and their clients are handed over as at a quit (:meth:`_hand_over`).
        """
        posts, old, week = self.posts, len(self.posts), self.steps
        if n < old:
            for post in range(n, old):
                if posts.agent[post] is not None:
                    posts.agent[post].leave(week)
                    posts.agent[post] = None
            posts.status[n:] = VACANT  # no client is assigned to a closing post
            closing = np.arange(old) >= n
            self._hand_over(closing)
            home = self.clients.live["home"]
            home[home >= n] = -1  # a closed class is gone: nobody goes back to its post
        posts.resize(n)
        grow = max(n - old, 0)  # this week's hours and status: none for a new post
        self.week_hours = {kind: np.concatenate([h[:n], np.zeros(grow)])
                           for kind, h in self.week_hours.items()}
        self.week_status = np.concatenate([self.week_status[:n],
                                           np.full(grow, VACANT, np.int8)])
        for post in range(old, n):
            self._hire(post, 0.0)

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

    # ----------------------------------------------------------------- 0 staffing
    def _staffing(self) -> None:
        for post in kernels.staffing(self.posts.status, self.posts.weeks_left):
            self._hire(post, 0.0)

    def _hire(self, post: int, experience: float) -> None:
        posts = self.posts
        posts.status[post] = WORKING
        posts.stress[post] = self.p.stress_base
        posts.strain[post] = self.staff_rng.normal(0.0, self.p.stress_spread)
        posts.experience[post] = experience
        posts.ties[post] = 0.0
        posts.standard[post] = self.p.contact_norm_hours  # trained to the norm
        posts.hours[post] = 0.0
        posts.burnouts[post] = 0
        professional = Professional(self, post)
        posts.agent[post] = professional
        self.professionals_ever.append(professional)

    # ----------------------------------------------------------------- 1 arrivals
    def _school_week(self, week: int) -> int:
        """Teaching week within the school year, 0 first (-1 outside school years).

        Reported week 1 begins a school year, so the warm-up ends with a whole year.
        """
        year = self.p.school_year_weeks
        return (week - self.p.warmup_weeks - 1) % year if year else -1

    def _arrive(self, week: int) -> None:
        """New clients join the waitlist: a Poisson number a week, or a school year's.

        In school years the year's pupils (``arrivals_per_week x school_year_weeks`` on
        average) all arrive in its first week.
        """
        if self.p.school_year_weeks:
            if self._school_week(week) != 0:
                return
            mean = self.p.arrivals_per_week * self.p.school_year_weeks
        else:
            mean = self.p.arrivals_per_week
        n = int(self.arrival_rng.poisson(mean))
        self.arrivals = n
        if n == 0:
            return
        traits = self._draw_traits(n)
        serials = self.clients.append(traits, week)
        with self._quiet_while(ModelSignals.AGENT_ADDED):
            self.clients.agents.update((serial, Client(self, serial))
                                       for serial in serials.tolist())

    def _draw_traits(self, n: int) -> dict[str, np.ndarray]:
        """Client traits at arrival: lognormal need, beta-distributed states."""
        p, rng = self.p, self.trait_rng
        sigma = np.sqrt(np.log1p(p.need_spread**2))
        need = p.need_hours * rng.lognormal(-0.5 * sigma**2, sigma, n)
        means = np.array([[p.openness_mean], [p.motivation_mean], [p.efficacy_mean]])
        strength = p.trait_concentration
        openness, motivation, efficacy = rng.beta(means * strength, (1 - means) * strength,
                                                  (3, n))
        return {"need": need, "bond": np.full(n, p.bond_initial), "openness": openness,
                "motivation": motivation, "efficacy": efficacy}

    def _assign(self, week: int) -> np.ndarray:
        """Assign waiting clients to seats; returns the caseload per post afterwards."""
        live, posts = self.clients.live, self.posts
        waiting, load = kernels.census(live["status"], live["post"], len(posts))
        room = np.where(posts.status == WORKING, np.maximum(self.p.caseload_cap - load, 0), 0)
        if waiting == 0 or not room.any():
            return load
        seats = mech.seats_in_order(load, room, self.contact_rng.permutation(len(posts)))
        self.started += kernels.assign(live["status"], live["post"], live["home"],
                                       live["serial"], self.clients.record["start_week"],
                                       load, seats, week)
        return load

    def _wait(self) -> None:
        live = self.clients.live
        self._waiting_now = kernels.wait(live["status"], live["weeks_waiting"],
                                         live["motivation"], self.p.waiting_motivation_loss)

    # ----------------------------------------------------------------- 2 time budget
    def _group_members(self) -> tuple[np.ndarray, np.ndarray]:
        """The members of each post's JOBS session this week (0: none), and who attends.

        Clients in care who have not yet had all sessions join their professional's
        group, earliest arrivals first, up to ``group_size``.
        """
        n_posts = len(self.posts)
        live = self.clients.live
        if not self.p.group_programme:
            return np.zeros(n_posts, np.int64), np.zeros(len(live["status"]), bool)
        eligible = np.flatnonzero((live["status"] == IN_CARE)
                                  & (live["sessions"] < self.p.group_sessions)
                                  & (self.posts.status[live["post"]] == WORKING))
        posts = live["post"][eligible]
        order = np.argsort(posts, kind="stable")
        sorted_posts = posts[order]
        rank = np.arange(len(order)) - np.searchsorted(sorted_posts, sorted_posts)
        seated = eligible[order[rank < self.p.group_size]]
        size = np.bincount(live["post"][seated], minlength=n_posts)
        size[size < MIN_GROUP] = 0
        members = np.zeros(len(live["status"]), bool)
        members[seated[size[live["post"][seated]] > 0]] = True
        return size, members

    # ----------------------------------------------------------------- 3-5 contact
    def _contact(self, budget: mech.Budget, members: np.ndarray, group_members: np.ndarray,
                 caseload: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Contact, bond, progress and motivation for every client in care.

        Args:
            budget: This week's hours per post (:func:`mechanisms.time_budget`).
            members: Live rows attending a group session this week.
            group_members: Per post, the members of its group session (0: none).
            caseload: Clients in care per post.

        Returns:
            A boolean mask over live rows of the clients placed (goal reached) this
            week, and per post the mean bond with the clients in care this week (the
            connection that gives a professional energy [004]).
        """
        clients, posts = self.clients.columns(), self.posts
        uniforms = self.contact_rng.random((4, int(caseload.sum())))
        totals = np.zeros((5, len(posts)))  # hours given, open, scripted, automated; bonds
        placed = np.zeros(len(clients.status), bool)
        self.connective_hours = kernels.contact_week(
            self.packed, clients, posts.columns(), budget.contact, budget.teaching, members,
            group_members.astype(float), self.clients.record["early_bond"], uniforms,
            placed, totals)
        given, open_given, scripted_given, automated, bond_sum = totals
        self.automated_hours = float(automated.sum())
        self._account_hours(budget, given, open_given, scripted_given)
        return placed, bond_sum / np.maximum(caseload, 1)

    def _account_hours(self, budget: mech.Budget, given: np.ndarray,
                       open_given: np.ndarray, scripted_given: np.ndarray) -> None:
        """Record the week's hours per post (``week_hours``) and add them to the totals.

        ``contact`` counts one-to-one time given plus group sessions and class
        teaching; ``slack`` is
        contact time nobody used (no-shows, or more time than clients can take). The
        week's figures ``admin_hours``, ``network_hours``, ... are the sums over posts.
        """
        self.week_hours = {
            "admin": budget.admin, "network": budget.network,
            "contact": given + budget.group + budget.teaching, "open": open_given,
            "scripted": scripted_given, "group": budget.group, "teaching": budget.teaching,
            "slack": budget.contact - given, "overtime": budget.overtime,
        }
        hours = np.array([self.week_hours[k] for k in Posts.HOUR_KINDS])
        self.posts.hours += hours.T
        for kind, total in zip(Posts.HOUR_KINDS, hours.sum(axis=1).tolist(), strict=True):
            setattr(self, f"{kind}_hours", total)

    # ----------------------------------------------------------------- 6 exits
    def _exit(self, placed: np.ndarray, week: int) -> None:
        live = self.clients.live
        status = live["status"]
        year = self.p.school_year_weeks
        year_end = bool(year) and self._school_week(week) == year - 1
        leaving, self.goals, self.dropouts, self.year_ends = kernels.exits(
            self.packed, status, live["bond"], live["motivation"], live["progress"], placed,
            year_end, self.contact_rng.random(len(status)))
        with self._quiet_while(ModelSignals.AGENT_REMOVED):
            for serial in live["serial"][leaving].tolist():
                self.clients.agents.pop(serial).remove()
        self.clients.remove(leaving, week)

    # ----------------------------------------------------------------- 7 wellbeing
    def _wellbeing(self, budget: mech.Budget, connection: np.ndarray,
                   week: int) -> None:
        p, posts = self.p, self.posts
        n_posts = len(posts)
        noise = self.staff_rng.normal(0.0, p.stress_noise, n_posts)
        u_burnout, u_quit = self.staff_rng.random((2, n_posts))
        burnout, quits = np.zeros(n_posts, bool), np.zeros(n_posts, bool)
        self.burnouts, self.quits = kernels.wellbeing(
            self.packed, posts.columns(), budget.workload, self._backlog(), budget.network,
            connection, noise, u_burnout, u_quit, burnout, quits)
        if self.burnouts:
            posts.weeks_left[burnout] = self._duration(p.sick_leave_weeks, self.burnouts)
        if self.quits:
            for post in np.flatnonzero(quits):
                posts.agent[post].leave(week)
                posts.agent[post] = None
            posts.weeks_left[quits] = self._duration(p.vacancy_weeks, self.quits)
        if self.burnouts or self.quits:
            self._hand_over(burnout | quits)

    def _backlog(self) -> float:
        """Clients waiting this week per place in care (working professionals x cap)."""
        places = int((self.posts.status == WORKING).sum()) * self.p.caseload_cap
        return self._waiting_now / places if places else 1.0

    def _duration(self, mean_weeks: float, n: int) -> np.ndarray:
        """Weeks of sick leave or vacancy: geometric with the given mean (0 if 0)."""
        if mean_weeks <= 0:
            return np.zeros(n, np.int32)
        return self.staff_rng.geometric(min(1.0, 1.0 / mean_weeks), n)

    def _hand_over(self, leaving_posts: np.ndarray) -> None:
        """Hand the clients of professionals who left or fell ill over.

        They go to working colleagues, least loaded first, even above the caseload cap
        up to ``handover_overflow`` of it (those who stay carry the load); the rest go
        back to the waiting list, in arrival order. Most of their bond is lost.
        """
        live = self.clients.live
        in_care = np.flatnonzero(live["status"] == IN_CARE)  # others may hold stale posts
        rows = in_care[leaving_posts[live["post"][in_care]]]
        if not len(rows):
            return
        live["bond"][rows] *= 1 - self.p.handover_bond_loss
        live["handovers"][rows] += 1
        self.handovers += len(rows)
        _, load = kernels.census(live["status"], live["post"], len(self.posts))
        load[leaving_posts] = 0
        limit = int(self.p.caseload_cap * (1 + self.p.handover_overflow))
        room = np.where(self.posts.status == WORKING, np.maximum(limit - load, 0), 0)
        seats = mech.seats_in_order(load, room, self.contact_rng.permutation(len(self.posts)))
        taken = min(len(rows), len(seats))
        live["post"][rows[:taken]] = seats[:taken]
        live["status"][rows[taken:]] = WAITING
        live["post"][rows[taken:]] = -1

    # ----------------------------------------------------------------- 8 observation
    def _reset_counts(self) -> None:
        self.arrivals = self.started = self.goals = self.dropouts = self.year_ends = 0
        self.burnouts = self.quits = self.handovers = 0

    def _observe(self) -> None:
        p, posts, live = self.p, self.posts, self.clients.live
        self.waiting, self.in_care, bond_sum, motivation_sum = kernels.client_totals(
            live["status"], live["bond"], live["motivation"])
        # with nobody in care (a school year's end) there is no mean: NaN, not 0
        self.mean_bond = bond_sum / self.in_care if self.in_care else np.nan
        self.mean_motivation = motivation_sum / self.in_care if self.in_care else np.nan
        self.working, self.sick, self.vacant, stress_sum, strained = kernels.post_totals(
            posts.status, posts.stress, p.burnout_threshold)
        employed = self.working + self.sick
        self.mean_stress = stress_sum / self.working if self.working else 0.0
        self.burnout_share = strained / employed if employed else 0.0
        self.paid_hours = employed * p.hours_per_week + self.overtime_hours
        working = posts.status == WORKING
        self.mean_standard = float(posts.standard[working].mean()) if self.working else 0.0
        needed = mech.hours_needed(self.in_care + self.waiting, self.working, p)
        contract = self.working * p.hours_per_week
        self.utilisation = needed / contract if contract else 0.0
        self.datacollector.collect(self)

