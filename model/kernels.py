"""The weekly passes over clients and posts, compiled to machine code with numba.

The equations are the functions of :mod:`model.mechanisms`; the loops below apply
them client by client and post by post, in the weekly order of
:meth:`model.model.VerbindingModel.step`, which calls them. A week touches every
client a few dozen times: one compiled loop does that in microseconds, where one
numpy expression per equation costs a Python call each (README, "Performance").

Random numbers are drawn by the model's own numpy generators and passed in, so a
seed gives the same run whatever runs it. The parameters come as a one-row numpy
record (:func:`packed`), which the loops read by name like :class:`Parameters`.
Set ``NUMBA_DISABLE_JIT=1`` to run the loops as plain Python (slow, debuggable).

The machine code is kept on disk (``model/__pycache__``), so only the first run after
an install or an edit of a compiled source compiles (a few seconds).
"""

from __future__ import annotations

import hashlib
from dataclasses import fields
from pathlib import Path

import numba
import numpy as np

from model import mechanisms as mech
from model.parameters import Parameters
from model.state import DROPOUT, GOAL, IN_CARE, SICK, VACANT, WAITING, WORKING, YEAR_END

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
compiled = numba.njit(cache=True)


@compiled
def _unit(x: float) -> float:
    return min(max(x, 0.0), 1.0)


# --- 0. Staffing ---------------------------------------------------------------------
@compiled
def staffing(status, weeks_left):
    """Count down sick leave and vacancies; the sick whose leave is over return.

    Returns:
        The vacant posts whose vacancy is over (to be filled by a new hire).
    """
    hires = []
    for k in range(len(status)):
        if status[k] == WORKING:
            continue
        weeks_left[k] -= 1
        if weeks_left[k] <= 0:
            if status[k] == SICK:
                status[k] = WORKING
            else:
                hires.append(k)
    return hires


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

    Returns:
        A :class:`model.mechanisms.Budget` of arrays over posts.
    """
    p = params[0]
    hours = np.zeros((7, len(staff.status)))
    for k in range(len(staff.status)):
        week = mech.time_budget(caseload[k], staff.standard[k], runs_group[k],
                                staff.status[k] == WORKING, p)
        for kind in range(7):
            hours[kind, k] = week[kind]
    return mech.Budget(hours[0], hours[1], hours[2], hours[3], hours[4], hours[5],
                       hours[6])


# --- 3-5. Contact, bond, progress ----------------------------------------------------
@compiled
def contact_week(params, clients, staff, contact_hours, class_hours, member,
                 group_members, early_bond, uniforms, placed, totals):
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
        totals: Shape ``(5, posts)``, incremented per post by the contact hours
            given, their open and scripted parts, the program's hours and the clients'
            new bonds.

    Returns:
        Open hours given, each weighted by how unhurried its contact was (the week's
        connective hours, h; :func:`model.mechanisms.unhurried`).
    """
    p = params[0]
    # Who comes: every client in care has an appointment, unless a group session
    # replaces it this week.
    comes = np.zeros(len(clients.status), np.bool_)
    shown, booked = np.zeros(len(staff.status)), np.zeros(len(staff.status))
    in_class = np.zeros(len(staff.status))
    i = 0
    for r in range(len(clients.status)):
        if clients.status[r] != IN_CARE:
            continue
        in_class[clients.post[r]] += 1
        if not (member[r] and p.group_instead_of_contact):
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
    connective = 0.0
    i = 0
    for r in range(len(clients.status)):
        if clients.status[r] != IN_CARE:
            continue
        k, b, m, e = clients.post[r], clients.bond[r], clients.motivation[r], clients.efficacy[r]
        hours = length[k] if comes[r] else 0.0
        scripted, open_hours, automated = mech.split_contact(hours, staff.standard[k], p)
        if not comes[r]:
            automated = 0.0  # the program reaches those who engage
        if comes[r] and scripted > 0 and uniforms[1, i] < mech.rupture_probability(
                b, scripted, hours, p):
            clients.openness[r] *= 1 - p.rupture_openness_loss
            new_bond = _unit(b * (1 - p.bond_decay))
        elif comes[r]:
            openness_now = mech.effective_openness(clients.openness[r], p)
            new_bond = _unit(b + mech.bond_growth(b, open_hours, attune[k], openness_now, p))
        elif member[r]:
            new_bond = b  # seen in the group: the bond holds
        else:
            new_bond = _unit(b * (1 - p.bond_decay))
        group = dose[k] if member[r] else 0.0
        taught = lesson[k] if comes[r] else 0.0
        gain = mech.progress_gain(hours, automated, group, taught, new_bond, m,
                                  clients.need[r], p)
        clients.progress[r] = min(clients.progress[r] + gain, ceiling)
        ready = clients.progress[r] >= 1.0
        placed[r] = ready and uniforms[2, i] < placement[k]
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
        connective += open_hours * mech.unhurried(open_hours, p)
        i += 1
    for k in range(len(staff.status)):
        if staff.status[k] == WORKING and booked[k] > 0:
            per_client = contact_hours[k] / booked[k]
            staff.standard[k] += mech.standard_change(staff.standard[k], per_client, p)
    return connective


# --- 6. Exits ------------------------------------------------------------------------
@compiled
def exits(params, status, bond, motivation, progress, placed, year_end, uniforms):
    """Placed clients reach their goal; others drop out at their weekly hazard.

    In school years (``school_year_weeks`` > 0) pupils stay in their class all year:
    at its end (``year_end``) every pupil leaves, having reached the year's goals
    (progress 1) or not (``YEAR_END``); before it, pupils only drop out. Updates
    ``status`` in place (waiting clients have no bond to hold them).

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
        if uniforms[r] < mech.dropout_hazard(b, motivation[r], p):
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
