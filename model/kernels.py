"""The weekly passes over clients and posts, compiled to machine code with numba.

The equations are the functions of :mod:`model.mechanisms`; the loops below apply
them client by client and post by post, in the weekly order written in the docstring
of :mod:`model.model`. :func:`week` runs one whole week on the arrays and
:func:`run_weeks` many weeks in one call; :class:`model.simulation.Simulation` calls it.
A week touches every client a few dozen times: compiled loops do that in microseconds,
where one numpy expression per equation costs a Python call each (README,
"Performance").

Random numbers are drawn inside the loops from the model's own numpy generators (numba
implements numpy's algorithms: with the pinned numba and numpy of ``constraints.txt``
the numbers are the same as numpy's, which the reference outputs check), so a seed gives
the same run whatever runs it. The parameters come as a one-row numpy record
(:func:`packed`), which the loops read by name like :class:`Parameters`. Set
``NUMBA_DISABLE_JIT=1`` to run the loops as plain Python (slow, debuggable).

The machine code is kept on disk (``model/__pycache__``), so only the first run after
an install or an edit of a compiled source compiles (about a minute: the week is one
large function).
"""

from __future__ import annotations

import hashlib
from dataclasses import fields
from pathlib import Path
from typing import NamedTuple

import numba
import numpy as np
from numba.core import types
from numba.experimental import structref
from numba.np.random.random_methods import random_interval

from model import mechanisms as mech
from model.parameters import Parameters
from model.state import (
    COUNT,
    DEPARTED,
    DROPOUT,
    GOAL,
    IN_CARE,
    ROWS,
    SICK,
    VACANT,
    WAITING,
    WORKING,
    YEAR_END,
    LiveClients,
)

#: Source files compiled into the loops below.
SOURCES = ("kernels.py", "mechanisms.py", "state.py")
_DTYPES = {"bool": np.bool_, "int": np.int64, "float": np.float64}
_RECORD = np.dtype([(f.name, _DTYPES[f.type]) for f in fields(Parameters)])


def packed(p: Parameters) -> np.ndarray:
    """The parameters as a one-row record array: the form the compiled loops take."""
    record = np.array([tuple(p.to_dict().values())], dtype=_RECORD)
    # Run as plain Python (NUMBA_DISABLE_JIT=1), fields read as attributes need a
    # recarray, which compiled code takes more slowly.
    return record.view(np.recarray) if numba.config.DISABLE_JIT else record


def warm_up() -> None:
    """Compile (or load from disk) every loop below, with a short run of a small team."""
    from model.model import VerbindingModel

    VerbindingModel(rng=0, professionals=10, arrivals_per_week=10.0, weeks=60).run()


def cache_folder(folder: Path = Path(__file__).parent) -> Path:
    """Where numba keeps the machine code of the loops defined in ``folder``.

    Beside the sources, or under ``NUMBA_CACHE_DIR`` when that is set.
    """
    if not numba.config.CACHE_DIR:
        return folder / "__pycache__"
    from numba.core.caching import UserProvidedCacheLocator

    return Path(UserProvidedCacheLocator(warm_up, str(folder / "kernels.py")).get_cache_path())


def _forget_stale_machine_code(folder: Path = Path(__file__).parent) -> None:
    """Delete cached machine code compiled from other versions of :data:`SOURCES`.

    Numba checks only the file a compiled function is defined in; the mechanisms
    and status codes compiled into these loops live in other files. A fingerprint of
    all of them, kept beside the cache, tells when the cache no longer fits.
    """
    cache = cache_folder(folder)
    digest = hashlib.sha256(b"".join((folder / name).read_bytes() for name in SOURCES))
    stamp = cache / "kernels.sources"
    if stamp.is_file() and stamp.read_text() == digest.hexdigest():
        return
    try:
        cache.mkdir(parents=True, exist_ok=True)
        for old in cache.glob("kernels.*.nb[ci]"):
            old.unlink(missing_ok=True)
        stamp.write_text(digest.hexdigest())
    except OSError:  # a read-only install: numba then caches elsewhere, per version
        pass


_forget_stale_machine_code()
# numpy's error model: divisions are not checked for zero, which makes the loops faster;
# a division by zero would give inf or NaN, as in the interpreted loops (numpy scalars);
# where a divisor can be zero the code checks it (as standard_change checks the human share).
compiled = numba.njit(cache=True, error_model="numpy")


@compiled
def _unit(x: float) -> float:
    return min(max(x, 0.0), 1.0)


def _numpy_permutation(n, rng):
    return rng.permutation(n)


@compiled
def _permutation(n, rng):
    """``rng.permutation(n)`` as numpy draws it: Fisher-Yates from the end.

    Numba's own ``permutation`` goes through its general ``shuffle``, which took ten
    of the weekly loop's seventy seconds to compile; this draws the same numbers
    (numba's ``random_interval`` is numpy's; a test checks the permutations agree).
    """
    order = np.arange(n)
    for i in range(n - 1, 0, -1):
        j = np.int64(random_interval(rng.bit_generator, i))
        order[i], order[j] = order[j], order[i]
    return order


#: A random permutation of ``range(n)``: plain numpy when the loops run as Python.
permutation = _numpy_permutation if numba.config.DISABLE_JIT else _permutation


# --- The generators, in one argument ---------------------------------------------------
@structref.register
class _StreamsType(types.StructRef):
    def preprocess_fields(self, fields):
        return tuple((name, types.unliteral(kind)) for name, kind in fields)


class _CompiledStreams(structref.StructRefProxy):
    """The model's five generators as one compiled object (see :func:`streams`)."""


structref.define_proxy(_CompiledStreams, _StreamsType,
                       ["arrival", "trait", "contact", "staff", "employability"])


class _PlainStreams(NamedTuple):
    arrival: np.random.Generator
    trait: np.random.Generator
    contact: np.random.Generator
    staff: np.random.Generator
    employability: np.random.Generator


@compiled
def _bundle(arrival, trait, contact, staff, employability):
    return _CompiledStreams(arrival, trait, contact, staff, employability)


def streams(arrival, trait, contact, staff, employability):
    """The model's generators for arrivals, traits, contact, staff and employability.

    As one argument: handing a numpy generator to compiled code costs 15-20
    microseconds a call (numba looks up its C functions each time), so five of them
    cost more than a small week; bundled once, they pass for about one. The generators
    keep their state in one place: draws made here and from Python follow each other.
    """
    bundle = _PlainStreams if numba.config.DISABLE_JIT else _bundle
    return bundle(arrival, trait, contact, staff, employability)


# --- 0. Staffing ---------------------------------------------------------------------
@compiled
def staffing(status, weeks_left):
    """Count down sick leave and vacancies; the sick whose leave is over return.

    Returns:
        The vacant posts whose vacancy is over (to be filled by a new hire).
    """
    hires = np.zeros(len(status), np.bool_)
    for k in range(len(status)):
        if status[k] == WORKING:
            continue
        weeks_left[k] -= 1
        if weeks_left[k] <= 0:
            if status[k] == SICK:
                status[k] = WORKING
            else:
                hires[k] = True
    return np.flatnonzero(hires)


@compiled
def hire(params, staff, posts, experience, rng):
    """New professionals take up ``posts``, with ``experience`` (weeks) each.

    They start at base stress with their own strain (a draw of ``rng``), no network ties,
    the organisation's norm as their standard of contact, and no hours or burnouts yet.
    """
    p = params[0]
    for i in range(len(posts)):
        k = posts[i]
        staff.status[k] = WORKING
        staff.stress[k] = p.stress_base
        staff.strain[k] = rng.normal(0.0, p.stress_spread)
        staff.experience[k] = experience[i]
        staff.ties[k] = 0.0
        staff.standard[k] = p.contact_norm_hours  # trained to the norm
        staff.hours[k, :] = 0.0
        staff.burnouts[k] = 0


# --- 1. Assignment -------------------------------------------------------------------
@compiled
def census(status, post, n_posts):
    """The number of clients waiting, and the caseload (clients in care) of each post."""
    load = np.zeros(n_posts, np.int64)
    waiting = 0
    for r in range(len(status)):
        if status[r] == IN_CARE:
            load[post[r]] += 1
        elif status[r] == WAITING:
            waiting += 1
    return waiting, load


@compiled
def assign(status, post, home, serial, start_week, load, seats, week):
    """Give ``seats`` (posts, in :func:`model.mechanisms.seats_in_order`) to the waitlist.

    The longest waiting first. The post a client is given is their ``home``: the
    class a pupil goes back to after a colleague took it over (:func:`back_to_class`).

    Updates ``status``, ``post``, ``home``, ``load`` and the record ``start_week`` in
    place.

    Returns:
        The number of clients starting care for the first time (the others come back
        after a handover).
    """
    given, started = 0, 0
    for r in range(len(status)):
        if given == len(seats):
            break
        if status[r] != WAITING:
            continue
        k = seats[given]
        given += 1
        status[r], post[r], home[r] = IN_CARE, k, k
        load[k] += 1
        if start_week[serial[r]] < 0:
            start_week[serial[r]] = week
            started += 1
    return started


@compiled
def back_to_class(params, clients, post_status):
    """In school years, pupils whom colleagues took over go back to their own class.

    As soon as their home post is staffed again (its teacher back from sick leave, or a
    new hire in the vacancy), pupils in care elsewhere return to it: a handover, with
    its loss of bond. Updates ``post``, ``bond`` and ``handovers`` in place.

    Returns:
        The number of pupils who went back.
    """
    p = params[0]
    moved = 0
    for r in range(len(clients.status)):
        k = clients.home[r]
        if (clients.status[r] == IN_CARE and 0 <= k < len(post_status)
                and clients.post[r] != k and post_status[k] == WORKING):
            clients.post[r] = k
            clients.bond[r] *= 1 - p.handover_bond_loss
            clients.handovers[r] += 1
            moved += 1
    return moved


@compiled
def wait(status, weeks_waiting, motivation, motivation_loss):
    """A week on the waitlist: counted, and a share of motivation lost.

    Returns:
        The number of clients waiting.
    """
    waiting = 0
    for r in range(len(status)):
        if status[r] == WAITING:
            weeks_waiting[r] += 1
            motivation[r] *= 1 - motivation_loss
            waiting += 1
    return waiting


# --- 2. Time budget -----------------------------------------------------------------
@compiled
def time_budget(params, caseload, runs_group, staff):
    """:func:`model.mechanisms.time_budget` of every post, by its status this week.

    Each working post's arrears of paperwork (``staff.arrears``) are updated in place
    (:func:`model.mechanisms.arrears_after`).

    Returns:
        A :class:`model.mechanisms.Budget` of arrays over posts.
    """
    p = params[0]
    hours = np.zeros((7, len(staff.status)))
    for k in range(len(staff.status)):
        kept = mech.share_chosen(staff.chosen_admin[k])
        week = mech.time_budget(caseload[k], staff.standard[k], runs_group[k],
                                staff.status[k] == WORKING,
                                mech.network_spent(staff.chosen_network[k], p),
                                staff.arrears[k], kept, p)
        for kind in range(7):
            hours[kind, k] = week[kind]
        if staff.status[k] == WORKING:  # paperwork left undone by choice stays owed
            staff.arrears[k] = mech.arrears_after(
                mech.paperwork_hours(caseload[k], p), mech.planning_hours(caseload[k], p),
                staff.arrears[k], kept, week[1], p)
    return mech.Budget(hours[0], hours[1], hours[2], hours[3], hours[4], hours[5],
                       hours[6])


# --- 3-5. Contact, bond, progress ----------------------------------------------------
@compiled
def contact_week(params, clients, staff, contact_hours, class_hours, member,
                 group_members, early_bond, uniforms, placed, totals, records, step):
    """Steps 3-5 for every client in care: contact, bond, progress and motivation.

    Args:
        params: :func:`packed` parameters.
        clients: :class:`model.state.LiveClients`; bond, motivation, efficacy,
            openness, progress, sessions and care weeks are updated in place.
        staff: :class:`model.state.Staff`; each post's standard follows the contact
            time per client on its books (no-shows' time goes to those who came).
        contact_hours: Per post, hours for one-to-one contact this week (h).
        class_hours: Per post, hours of class teaching this week (h): shared by the
            post's clients in care who come that week.
        member: Per live row, whether the client attends a group session this week.
        group_members: Per post, the members of this week's group session.
        early_bond: Record by serial: gets the bond of clients in their
            ``early_bond_weeks``-th week of care.
        uniforms: Shape ``(4, clients in care)``: draws for coming to the appointment,
            rupture, placement and setback.
        placed: Per live row, set true for clients placed (goal reached) this week.
        totals: Shape ``(7, posts)``, incremented per post by the contact hours
            given, their open and scripted parts, the program's hours, the clients'
            new bonds, the appointments booked and those missed (no-shows).
        records: The client records: ``no_appointment_until`` and
            ``no_appointment_post`` say which clients their professional holds back
            from appointments, until which step (a choice from outside,
            :meth:`model.simulation.Simulation.hold_appointments`).
        step: The model step being run.

    Returns:
        Open hours given, each weighted by how unhurried its contact was (the week's
        connective hours, h; :func:`model.mechanisms.unhurried`).
    """
    p = params[0]
    # Who comes: every client in care has an appointment, unless a group session
    # replaces it this week or their professional chose to see others this week.
    comes = np.zeros(len(clients.status), np.bool_)
    at_school = np.zeros(len(clients.status), np.bool_)  # held back, yet in class
    shown, booked = np.zeros(len(staff.status)), np.zeros(len(staff.status))
    in_class = np.zeros(len(staff.status))
    i = 0
    for r in range(len(clients.status)):
        if clients.status[r] != IN_CARE:
            continue
        in_class[clients.post[r]] += 1
        held = (records.no_appointment_until[clients.serial[r]] >= step
                and records.no_appointment_post[clients.serial[r]] == clients.post[r])
        if held:   # no individual time; a pupil still comes to the class lesson
            at_school[r] = uniforms[0, i] < mech.show_probability(
                clients.bond[r], clients.motivation[r], p)
        elif not (member[r] and p.group_instead_of_contact):
            booked[clients.post[r]] += 1
            comes[r] = uniforms[0, i] < mech.show_probability(
                clients.bond[r], clients.motivation[r], p)
            shown[clients.post[r]] += comes[r]
        i += 1
    length = mech.contact_length(contact_hours, shown, staff.standard, p)
    attune = mech.attunement(staff.experience, staff.stress, p)
    placement = mech.placement_probability(staff.ties, p)
    dose = mech.group_dose(group_members, p)
    # Progress stops at the goal, except a pupil's: learning goes on past the year's
    # goals, so the year's end measures attainment as a test would.
    ceiling = np.inf if p.school_year_weeks > 0 else 1.0
    lesson = mech.class_dose(class_hours, in_class, p)
    # A post's contacts this week all have one length, hence one split and one pull
    # on the bond: worked out once a post, not once a client.
    asked = np.empty(len(staff.status))   # share of the protocol's items asked, by post
    for k in range(len(staff.status)):
        asked[k] = mech.share_chosen(staff.chosen_protocol[k])
    scripted_at, open_at, automated_at = mech.split_contact(length, staff.standard, asked, p)
    pull = mech.contact_pull(open_at, attune, p)
    connective_at = open_at * mech.unhurried(open_at, p)
    connective = 0.0
    i = 0
    for r in range(len(clients.status)):
        if clients.status[r] != IN_CARE:
            continue
        k, b, m, e = clients.post[r], clients.bond[r], clients.motivation[r], clients.efficacy[r]
        if comes[r]:
            hours, scripted = length[k], scripted_at[k]
            open_hours, automated = open_at[k], automated_at[k]
        else:  # the program reaches those who engage
            hours, scripted, open_hours, automated = 0.0, 0.0, 0.0, 0.0
        if comes[r] and scripted > 0 and uniforms[1, i] < mech.rupture_probability(
                b, scripted, hours, p):
            clients.openness[r] *= 1 - p.rupture_openness_loss
            new_bond = _unit(b * (1 - p.bond_decay))
        elif comes[r]:
            openness_now = mech.effective_openness(clients.openness[r], p)
            new_bond = _unit(b + mech.bond_growth_from_pull(pull[k], openness_now, b))
        elif member[r]:
            new_bond = b  # seen in the group: the bond holds
        else:
            new_bond = _unit(b * (1 - p.bond_decay))
        group = dose[k] if member[r] else 0.0
        taught = lesson[k] if comes[r] or at_school[r] else 0.0
        gain = mech.progress_gain(hours, automated, group, taught, new_bond, m,
                                  clients.need[r], p)
        clients.progress[r] = min(clients.progress[r] + gain, ceiling)
        ready = clients.progress[r] >= 1.0
        placed[r] = ready and uniforms[2, i] < min(placement[k] * clients.employability[r], 1.0)
        setback = uniforms[3, i] < (p.rejection_rate if ready and not placed[r]
                                    else p.setback_rate)
        new_m = m + mech.motivation_change(m, e, new_bond, gain, setback, p)
        new_e = e + mech.efficacy_change(e, gain, setback, p)
        if member[r]:
            new_m += mech.group_lift(new_m, p)
            new_e += mech.group_lift(new_e, p)
            clients.sessions[r] += 1
        clients.bond[r], clients.motivation[r] = new_bond, _unit(new_m)
        clients.efficacy[r] = _unit(new_e)
        clients.care_weeks[r] += 1
        if clients.care_weeks[r] == p.early_bond_weeks:
            early_bond[clients.serial[r]] = new_bond
        totals[0, k] += hours
        totals[1, k] += open_hours
        totals[2, k] += scripted
        totals[3, k] += automated
        totals[4, k] += new_bond
        connective += connective_at[k] if comes[r] else 0.0
        i += 1
    skipped = mech.items_skipped(length, staff.standard, asked, p)
    totals[5] += booked
    totals[6] += booked - shown
    for k in range(len(staff.status)):   # items not asked are owed as paperwork
        staff.arrears[k] += p.admin_arrears_carried * skipped[k] * shown[k]
        if staff.status[k] == WORKING and booked[k] > 0:
            per_client = contact_hours[k] / booked[k]
            staff.standard[k] += mech.standard_change(staff.standard[k], per_client, p)
        if not np.isnan(staff.chosen_standard[k]):
            staff.standard[k] = mech.standard_kept(staff.standard[k], staff.chosen_standard[k], p)
    return connective


# --- 6. Exits ------------------------------------------------------------------------
@compiled
def exits(params, status, bond, motivation, efficacy, employability, progress, placed,
          year_end, uniforms, serial, own_route):
    """Placed clients reach their goal; others reach it on their own or drop out.

    Reaching the goal on one's own and dropping out are competing weekly risks drawn
    from one uniform per client: below the own route's chance the client reaches the
    goal (``own_route``, a record by ``serial`` number, marks them), within the next
    ``(1 - own) * dropout`` they drop out; each client's employability scales the own
    route (as it scales placement) and, to ``employability_dropout_loading``'s power,
    drop-out (each capped at 1). With ``own_goal_rate`` 0 (always in school
    years) the draw and its outcome are exactly those of drop-out alone. In school
    years (``school_year_weeks`` > 0) pupils stay in their class all year: at its end
    (``year_end``) every pupil leaves, having reached the year's goals (progress 1) or
    not (``YEAR_END``); before it, pupils only drop out. Updates ``status`` in place
    (waiting clients have no bond to hold them).

    Returns:
        A boolean mask of the live rows leaving this week, the number reaching their
        goal, the number dropping out and the number leaving at the year's end short
        of their goal.
    """
    p = params[0]
    school = p.school_year_weeks > 0
    leaving = np.zeros(len(status), np.bool_)
    goals, dropouts, short = 0, 0, 0
    for r in range(len(status)):
        if status[r] > IN_CARE:
            continue
        if year_end:
            leaving[r] = True
            if progress[r] >= 1.0:
                status[r] = GOAL
                goals += 1
            else:
                status[r] = YEAR_END
                short += 1
            continue
        if placed[r] and not school:
            status[r], leaving[r] = GOAL, True
            goals += 1
            continue
        b = bond[r] if status[r] == IN_CARE else 0.0
        own = 0.0 if p.own_goal_rate == 0 else mech.own_goal_probability(
            progress[r], motivation[r], efficacy[r], employability[r], p)   # (0 in school years)
        if uniforms[r] < own:
            status[r], leaving[r], own_route[serial[r]] = GOAL, True, True
            goals += 1
        elif uniforms[r] < own + (1 - own) * min(
                mech.dropout_hazard(b, motivation[r], p)
                * mech.employability_on_dropout(employability[r], p), 1.0):
            status[r], leaving[r] = DROPOUT, True
            dropouts += 1
    return leaving, goals, dropouts, short


# --- 7. Professional wellbeing -------------------------------------------------------
@compiled
def wellbeing(params, staff, workload, backlog, network, connection, noise, u_burnout,
              u_quit, burnout, quits):
    """Stress, experience and network ties of every post; who burns out or quits.

    Updates the posts' columns in place: working professionals who burn out go on
    sick leave (``burnout`` marks them, ``burnouts`` counts their episodes); working
    or sick professionals who quit leave their post vacant (``quits`` marks them).

    Args:
        params: :func:`packed` parameters.
        staff: :class:`model.state.Staff`.
        workload: Per post, the week's felt workload (:class:`model.mechanisms.Budget`).
        backlog: Clients waiting per place in care (one number for the team).
        network: Per post, network hours this week.
        connection: Per post, the mean bond with this week's caseload.
        noise: Per post, this week's stress noise.
        u_burnout: Per post, a uniform draw for burning out.
        u_quit: Per post, a uniform draw for quitting.
        burnout: Per post, set true for those who burn out.
        quits: Per post, set true for those who quit.

    Returns:
        The number of burnouts and of quits.
    """
    p = params[0]
    status, stress = staff.status, staff.stress
    n_burnout, n_quit = 0, 0
    for k in range(len(status)):
        if status[k] == VACANT:
            stress[k], staff.ties[k] = 0.0, 0.0
            continue
        working = status[k] == WORKING
        if working:
            target = mech.stress_target(workload[k], backlog, connection[k], p) + staff.strain[k]
            stress[k] = stress[k] + p.stress_adaptation * (target - stress[k]) + noise[k]
        else:  # sick leave is rest
            stress[k] = stress[k] + p.stress_adaptation * (p.stress_base - stress[k])
        stress[k] = _unit(stress[k])
        staff.experience[k] += working
        staff.ties[k] += mech.ties_change(staff.ties[k], network[k], p)
        if working and u_burnout[k] < mech.burnout_probability(stress[k], p):
            burnout[k], status[k] = True, SICK
            staff.burnouts[k] += 1
            n_burnout += 1
        if u_quit[k] < mech.quit_probability(stress[k], p):
            quits[k], status[k] = True, VACANT
            n_quit += 1
    return n_burnout, n_quit


# --- 8. Observation ------------------------------------------------------------------
@compiled
def client_totals(status, bond, motivation):
    """Clients waiting and in care, and the sums of bond and motivation in care."""
    waiting, in_care, bond_sum, motivation_sum = 0, 0, 0.0, 0.0
    for r in range(len(status)):
        if status[r] == WAITING:
            waiting += 1
        elif status[r] == IN_CARE:
            in_care += 1
            bond_sum += bond[r]
            motivation_sum += motivation[r]
    return waiting, in_care, bond_sum, motivation_sum


@compiled
def post_totals(status, stress, burnout_threshold):
    """Posts working, sick and vacant; the working's summed stress; the strained.

    Strained are the sick and the working at or above the burnout threshold.
    """
    working, sick, stress_sum, strained = 0, 0, 0.0, 0
    for k in range(len(status)):
        if status[k] == WORKING:
            working += 1
            stress_sum += stress[k]
            strained += stress[k] >= burnout_threshold
        elif status[k] == SICK:
            sick += 1
            strained += 1
    return working, sick, len(status) - working - sick, stress_sum, strained


# --- Records and the table's rows ----------------------------------------------------
@compiled
def close_records(clients, records, rows):
    """Write the state of the clients at live ``rows`` (a mask) into their records."""
    for r in range(len(clients.status)):
        if rows[r]:
            s = clients.serial[r]
            records.exit_reason[s] = clients.status[r]
            records.final_bond[s] = clients.bond[r]
            records.final_progress[s] = clients.progress[r]
            records.handovers[s] = clients.handovers[r]
            records.weeks_waiting[s] = clients.weeks_waiting[r]


@compiled
def _rows(buffers, n):
    """The first ``n`` rows of the live buffers: the live columns."""
    b = buffers
    return LiveClients(b.serial[:n], b.status[:n], b.post[:n], b.need[:n], b.openness[:n],
                       b.bond[:n], b.motivation[:n], b.efficacy[:n], b.employability[:n],
                       b.progress[:n],
                       b.sessions[:n], b.handovers[:n], b.weeks_waiting[:n],
                       b.care_weeks[:n], b.home[:n])


@compiled
def _compact(buffers, sizes):
    """Drop the rows of departed clients, keeping arrival order."""
    kept = 0
    for r in range(sizes[ROWS]):
        if buffers.status[r] > IN_CARE:
            continue
        if kept != r:
            for column in (buffers.need, buffers.openness, buffers.bond, buffers.motivation,
                           buffers.efficacy, buffers.employability, buffers.progress):
                column[kept] = column[r]
            buffers.serial[kept] = buffers.serial[r]
            buffers.status[kept] = buffers.status[r]
            buffers.post[kept] = buffers.post[r]
            buffers.sessions[kept] = buffers.sessions[r]
            buffers.handovers[kept] = buffers.handovers[r]
            buffers.weeks_waiting[kept] = buffers.weeks_waiting[r]
            buffers.care_weeks[kept] = buffers.care_weeks[r]
            buffers.home[kept] = buffers.home[r]
        kept += 1
    sizes[ROWS], sizes[DEPARTED] = kept, 0


# --- The calendar --------------------------------------------------------------------
@compiled
def school_week(params, week):
    """Teaching week within the school year, 0 first (-1 outside school years).

    Reported week 1 begins a school year, so the warm-up ends with a whole year.
    """
    p = params[0]
    year = p.school_year_weeks
    return (week - p.warmup_weeks - 1) % year if year > 0 else -1


@compiled
def arrivals_due(params, week, rng):
    """How many clients arrive this week: a Poisson number a week, or a school year's.

    In school years the year's pupils (``arrivals_per_week x school_year_weeks`` on
    average) all arrive in its first week; no draw is made in the other weeks.
    """
    p = params[0]
    if p.school_year_weeks > 0:
        if school_week(params, week) != 0:
            return 0
        return rng.poisson(p.arrivals_per_week * p.school_year_weeks)
    return rng.poisson(p.arrivals_per_week)


# --- 1. Arrivals ---------------------------------------------------------------------
@compiled
def arrive(params, buffers, records, sizes, n, week, rng, employability_rng):
    """``n`` new clients join the waitlist, with traits drawn from ``rng``.

    Need is lognormal around ``need_hours``; openness, motivation and self-efficacy are
    beta-distributed around their means (all need first, then each state in turn).
    Employability is lognormal around 1, from a stream of its own and only where it
    varies (``employability_spread`` > 0): runs with any spread share their other
    traits (common random numbers), and runs without it draw what they always did.
    The buffers and records must have room (:meth:`model.state.ClientTable.reserve`).
    """
    p = params[0]
    first, serial = sizes[ROWS], sizes[COUNT]
    sigma = np.sqrt(np.log1p(p.need_spread**2))
    for i in range(n):
        buffers.need[first + i] = p.need_hours * rng.lognormal(-0.5 * sigma**2, sigma)
    strength = p.trait_concentration
    for column, mean in ((buffers.openness, p.openness_mean),
                         (buffers.motivation, p.motivation_mean),
                         (buffers.efficacy, p.efficacy_mean)):
        for i in range(n):
            column[first + i] = rng.beta(mean * strength, (1 - mean) * strength)
    spread = np.sqrt(np.log1p(p.employability_spread**2))
    for i in range(n):
        buffers.employability[first + i] = (
            1.0 if spread == 0 else employability_rng.lognormal(-0.5 * spread**2, spread))
    for i in range(n):
        r = first + i
        buffers.serial[r], buffers.status[r] = serial + i, WAITING
        buffers.post[r], buffers.home[r] = -1, -1
        buffers.bond[r], buffers.progress[r] = p.bond_initial, 0.0
        buffers.sessions[r], buffers.handovers[r] = 0, 0
        buffers.weeks_waiting[r], buffers.care_weeks[r] = 0, 0
        records.arrival_week[serial + i] = week
        records.initial_motivation[serial + i] = buffers.motivation[r]
    sizes[ROWS] += n
    sizes[COUNT] += n


@compiled
def _free_seats(staff, load, limit):
    """The free seats up to ``limit`` clients a working post, in the order to fill them."""
    room = np.zeros(len(load), np.int64)
    for k in range(len(load)):
        if staff.status[k] == WORKING:
            room[k] = max(limit - load[k], 0)
    return room


@compiled
def assign_waitlist(params, clients, records, staff, week, rng):
    """Assign waiting clients to seats under the caseload cap (step 1).

    Returns:
        The caseload per post afterwards, and the number of clients starting care.
    """
    p = params[0]
    waiting, load = census(clients.status, clients.post, len(staff.status))
    room = _free_seats(staff, load, p.caseload_cap)
    if waiting == 0 or room.sum() == 0:
        return load, 0
    seats = mech.seats_in_order(load, room, permutation(len(staff.status), rng))
    started = assign(clients.status, clients.post, clients.home, clients.serial,
                     records.start_week, load, seats, week)
    return load, started


# --- 2. Group sessions ---------------------------------------------------------------
#: A group session needs at least two members: a group of one is one-to-one contact
#: (a definition, not an assumption).
MIN_GROUP = 2


@compiled
def group_members(params, clients, post_status):
    """The members of each post's JOBS session this week (0: none), and who attends.

    Clients in care who have not yet had all sessions join their working professional's
    group, earliest arrivals first, up to ``group_size``; a group of fewer than
    :data:`MIN_GROUP` does not meet.
    """
    p = params[0]
    size = np.zeros(len(post_status), np.int64)
    members = np.zeros(len(clients.status), np.bool_)
    if not p.group_programme:
        return size, members
    for r in range(len(clients.status)):
        k = clients.post[r]
        if (clients.status[r] == IN_CARE and clients.sessions[r] < p.group_sessions
                and post_status[k] == WORKING and size[k] < p.group_size):
            members[r] = True
            size[k] += 1
    for k in range(len(size)):
        if size[k] < MIN_GROUP:
            size[k] = 0
    for r in range(len(clients.status)):
        if members[r] and size[clients.post[r]] == 0:
            members[r] = False
    return size, members


# --- 7. Handovers --------------------------------------------------------------------
@compiled
def hand_over(params, clients, staff, leaving_posts, rng):
    """Hand the clients of professionals who left or fell ill over.

    They go to working colleagues, least loaded first, even above the caseload cap
    up to ``handover_overflow`` of it (those who stay carry the load); the rest go
    back to the waiting list, in arrival order. Most of their bond is lost.

    Returns:
        The number of clients handed over.
    """
    p = params[0]
    rows = np.zeros(len(clients.status), np.bool_)
    moved = 0
    for r in range(len(clients.status)):  # others than those in care may hold stale posts
        if clients.status[r] == IN_CARE and leaving_posts[clients.post[r]]:
            rows[r] = True
            clients.bond[r] *= 1 - p.handover_bond_loss
            clients.handovers[r] += 1
            moved += 1
    if moved == 0:
        return 0
    _, load = census(clients.status, clients.post, len(staff.status))
    for k in range(len(load)):
        if leaving_posts[k]:
            load[k] = 0
    limit = int(p.caseload_cap * (1 + p.handover_overflow))
    seats = mech.seats_in_order(load, _free_seats(staff, load, limit),
                                permutation(len(staff.status), rng))
    given = 0
    for r in range(len(clients.status)):
        if not rows[r]:
            continue
        if given < len(seats):
            clients.post[r] = seats[given]
            given += 1
        else:
            clients.status[r], clients.post[r] = WAITING, -1
    return moved


# --- The whole week ------------------------------------------------------------------
#: Model-level figures of a week, in the order :func:`week` writes them.
WEEKLY_FIGURES = (
    "arrivals", "started", "goals", "dropouts", "year_ends", "waiting", "in_care",
    "working", "sick", "vacant", "burnouts", "quits", "handovers", "appointments", "no_shows",
    "mean_bond", "mean_motivation", "mean_stress", "burnout_share",
    "admin_hours", "network_hours", "contact_hours", "group_hours", "teaching_hours",
    "open_hours", "scripted_hours", "automated_hours", "connective_hours", "slack_hours",
    "overtime_hours", "paid_hours", "mean_standard", "utilisation",
)
#: The figures that count (whole numbers).
COUNTS = WEEKLY_FIGURES[:WEEKLY_FIGURES.index("no_shows") + 1]


@compiled
def _block_sum(values, first, n):
    """The sum numpy gives of up to 128 values: in eight running sums, then pairwise."""
    if n < 8:
        total = -0.0
        for i in range(first, first + n):
            total += values[i]
        return total if n else 0.0
    part = values[first:first + 8].copy()
    i = 8
    while i < n - n % 8:
        for j in range(8):
            part[j] += values[first + i + j]
        i += 8
    total = ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5])
                                                             + (part[6] + part[7]))
    for j in range(i, n):
        total += values[first + j]
    return total


@compiled
def _sum(values):
    """Numpy's sum of ``values``, to the last bit: halves of blocks of 128, pairwise.

    Reported totals are summed as numpy sums them, so the weekly figures stay those
    of the numpy version of the model. Written without recursion (numba cannot cache
    recursive functions reliably): an explicit stack, halves left first.
    """
    first, size, combine = np.empty(128, np.int64), np.empty(128, np.int64), np.empty(128, np.bool_)
    sums = np.empty(128)
    tasks, done = 1, 0
    first[0], size[0], combine[0] = 0, len(values), False
    while tasks:
        tasks -= 1
        f, n = first[tasks], size[tasks]
        if combine[tasks]:
            done -= 1
            sums[done - 1] += sums[done]
        elif n <= 128:
            sums[done] = _block_sum(values, f, n)
            done += 1
        else:
            half = n // 2 - n // 2 % 8
            for g, m, c in ((f, n, True), (f + half, n - half, False), (f, half, False)):
                first[tasks], size[tasks], combine[tasks] = g, m, c
                tasks += 1
    return 0.0 + sums[0]  # numpy's sum starts from +0.0: a sum of -0.0s is 0.0


@compiled
def _durations(staff, posts, mean_weeks, rng):
    """Weeks of sick leave or vacancy for ``posts`` (a mask): geometric with the mean."""
    for k in range(len(posts)):
        if posts[k]:
            staff.weeks_left[k] = rng.geometric(min(1.0, 1.0 / mean_weeks)) if mean_weeks > 0 else 0


@compiled
def week(params, buffers, records, sizes, staff, week_hours, week_status, n_arrivals, step,
         trait_rng, contact_rng, staff_rng, employability_rng, figures):
    """One week, steps 0 to 8 of the weekly order (:mod:`model.model`), on arrays.

    Args:
        params: :func:`packed` parameters in force.
        buffers: The live client buffers (:meth:`model.state.ClientTable.buffers`),
            with room for ``n_arrivals`` more rows.
        records: The client records, with room for ``n_arrivals`` more clients.
        sizes: The table's sizes (:data:`model.state.ROWS`, ...), updated in place.
        staff: The posts' columns.
        week_hours: Shape ``(9, posts)``: set to this week's hours per post, by kind
            (:attr:`model.state.Posts.HOUR_KINDS`).
        week_status: Set to each post's status when the week's hours were planned.
        n_arrivals: Clients arriving this week (:func:`arrivals_due`).
        step: The model step (week) being run.
        trait_rng: The generator of client traits.
        contact_rng: The generator of contact, assignment and exits.
        staff_rng: The generator of staff: new hires' strain, stress noise, burnout,
            quitting and the weeks of leave and vacancies.
        employability_rng: The generator of clients' employability.
        figures: Set to the week's :data:`WEEKLY_FIGURES`.

    Returns:
        The posts filled by new hires, the serial numbers of the clients who left and
        the posts whose professionals quit, each in the order it happened.
    """
    p = params[0]
    n_posts = len(staff.status)
    hired = staffing(staff.status, staff.weeks_left)                    # 0
    hire(params, staff, hired, np.zeros(len(hired)), staff_rng)
    arrive(params, buffers, records, sizes, n_arrivals, step, trait_rng,  # 1
           employability_rng)
    clients = _rows(buffers, sizes[ROWS])
    handovers = 0
    if p.school_year_weeks > 0:
        handovers += back_to_class(params, clients, staff.status)
    caseload, started = assign_waitlist(params, clients, records, staff, step, contact_rng)
    waiting_now = wait(clients.status, clients.weeks_waiting, clients.motivation,
                       p.waiting_motivation_loss)
    group_size, members = group_members(params, clients, staff.status)  # 2
    week_status[:] = staff.status
    for k in range(n_posts):   # a standard kept up by choice (Simulation.decide)
        if not np.isnan(staff.chosen_standard[k]):
            staff.standard[k] = mech.standard_kept(staff.standard[k], staff.chosen_standard[k], p)
    budget = time_budget(params, caseload, group_size > 0, staff)
    uniforms = contact_rng.random((4, caseload.sum()))                  # 3-5
    totals = np.zeros((7, n_posts))
    placed = np.zeros(len(clients.status), np.bool_)
    connective = contact_week(params, clients, staff, budget.contact, budget.teaching,
                              members, group_size.astype(np.float64), records.early_bond,
                              uniforms, placed, totals, records, step)
    kinds = (budget.admin, budget.network, totals[0] + budget.group + budget.teaching,
             totals[1], totals[2], budget.group, budget.teaching, budget.contact - totals[0],
             budget.overtime)
    for i in range(len(kinds)):
        week_hours[i, :] = kinds[i]
        for k in range(n_posts):
            staff.hours[k, i] += kinds[i][k]
    year = p.school_year_weeks                                          # 6
    year_end = year > 0 and school_week(params, step) == year - 1
    leaving, goals, dropouts, year_ends = exits(
        params, clients.status, clients.bond, clients.motivation, clients.efficacy,
        clients.employability, clients.progress, placed, year_end,
        contact_rng.random(len(clients.status)), clients.serial, records.own_route)
    left = clients.serial[leaving].copy()
    close_records(clients, records, leaving)
    records.exit_week[left] = step
    sizes[DEPARTED] += len(left)
    if 4 * sizes[DEPARTED] > sizes[ROWS]:
        _compact(buffers, sizes)
        clients = _rows(buffers, sizes[ROWS])
    noise = np.empty(n_posts)                                           # 7
    for k in range(n_posts):
        noise[k] = staff_rng.normal(0.0, p.stress_noise)
    u = staff_rng.random((2, n_posts))
    burnout, quits = np.zeros(n_posts, np.bool_), np.zeros(n_posts, np.bool_)
    working = 0
    for k in range(n_posts):
        working += staff.status[k] == WORKING
    places = working * p.caseload_cap
    backlog = waiting_now / places if places else 1.0
    bond_sum = totals[4]
    connection = bond_sum / np.maximum(caseload, 1)
    burnouts, n_quits = wellbeing(params, staff, budget.workload, backlog, budget.network,
                                  connection, noise, u[0], u[1], burnout, quits)
    if burnouts:
        _durations(staff, burnout, p.sick_leave_weeks, staff_rng)
    if n_quits:
        _durations(staff, quits, p.vacancy_weeks, staff_rng)
    if burnouts or n_quits:
        handovers += hand_over(params, clients, staff, burnout | quits, contact_rng)
    _observe(params, clients, staff, week_hours, figures, n_arrivals, started, goals,
             dropouts, year_ends, burnouts, n_quits, handovers, int(totals[5].sum()),
             int(totals[6].sum()), _sum(totals[3]), connective)        # 8
    return hired, left, np.flatnonzero(quits)


@compiled
def _observe(params, clients, staff, week_hours, figures, arrivals, started, goals, dropouts,
             year_ends, burnouts, quits, handovers, appointments, no_shows, automated,
             connective):
    """Step 8: the week's :data:`WEEKLY_FIGURES`, into ``figures``."""
    p = params[0]
    waiting, in_care, bond_sum, motivation_sum = client_totals(
        clients.status, clients.bond, clients.motivation)
    working, sick, vacant, stress_sum, strained = post_totals(staff.status, staff.stress,
                                                              p.burnout_threshold)
    employed = working + sick
    hours = np.empty(len(week_hours))
    for i in range(len(week_hours)):
        hours[i] = _sum(week_hours[i])
    admin, network, contact, open_h, scripted, group, teaching, slack, overtime = (
        hours[0], hours[1], hours[2], hours[3], hours[4], hours[5], hours[6], hours[7],
        hours[8])
    standards = staff.standard[staff.status == WORKING]
    contract = working * p.hours_per_week
    needed = mech.hours_needed(in_care + waiting, working, p)
    counts = (arrivals, started, goals, dropouts, year_ends, waiting, in_care, working, sick,
              vacant, burnouts, quits, handovers, appointments, no_shows)
    for i in range(len(counts)):
        figures[i] = counts[i]
    rest = (
        # with nobody in care (a school year's end) there is no mean: NaN, not 0
        bond_sum / in_care if in_care else np.nan,
        motivation_sum / in_care if in_care else np.nan,
        stress_sum / working if working else 0.0,
        strained / employed if employed else 0.0,
        admin, network, contact, group, teaching, open_h, scripted, automated, connective,
        slack, overtime, employed * p.hours_per_week + overtime,
        _sum(standards) / len(standards) if working else 0.0,
        needed / contract if contract else 0.0,
    )
    for i in range(len(rest)):
        figures[len(counts) + i] = rest[i]


@compiled
def run_weeks(params, buffers, records, sizes, staff, week_hours, week_status, first, last,
              pending, rngs, figures):
    """Run the weeks ``first`` to ``last - 1`` (model steps) in one compiled loop.

    Stops early, before a week whose arrivals find no room in the buffers or records
    (the caller makes room, :meth:`model.state.ClientTable.reserve`, and goes on with
    ``pending`` set to those arrivals, already drawn).

    Args:
        params: :func:`packed` parameters in force.
        buffers: The live client buffers.
        records: The client records.
        sizes: The table's sizes, updated in place.
        staff: The posts' columns.
        week_hours: The last week's hours per post, by kind.
        week_status: Each post's status when the last week's hours were planned.
        first: The first step to run.
        last: The step after the last to run.
        pending: The first week's arrivals if already drawn, else -1.
        rngs: The generators of arrivals, client traits, contact and staff
            (:func:`streams`).
        figures: Shape ``(last - first, figures)``: each week's :data:`WEEKLY_FIGURES`.

    Returns:
        The step to go on from (``last`` when done), its arrivals if drawn (else -1),
        and the last week's hires, leavers and quits (:func:`week`).
    """
    empty = np.zeros(0, np.int64)
    hired, left, quit_posts = empty, empty, empty
    for step in range(first, last):
        n = pending if pending >= 0 else arrivals_due(params, step, rngs.arrival)
        pending = -1
        if sizes[ROWS] + n > len(buffers.serial) or sizes[COUNT] + n > len(records.arrival_week):
            return step, n, hired, left, quit_posts
        hired, left, quit_posts = week(params, buffers, records, sizes, staff, week_hours,
                                       week_status, n, step, rngs.trait, rngs.contact,
                                       rngs.staff, rngs.employability,
                                       figures[step - first])
    return last, -1, hired, left, quit_posts
