"""The mechanisms of the model (docs/ODD.md, section 7) as pure functions, one each.

Each function takes numpy arrays (one entry per client or per post) or single
values, and the run's :class:`~model.parameters.Parameters` ``p``, and returns new
values; none draws random numbers or changes its inputs, so each can be read, tested
and cited on its own. Called from Python they are plain numpy; the weekly loops of
:mod:`model.kernels` call the same functions compiled (``@jitable``).
``docs/ODD.md`` ("Submodels") gives the same equations with their sources. Hours are
per week; states (bond, motivation, ...) are on 0..1.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba.extending import register_jitable

from model.parameters import Parameters

#: Marks a mechanism as callable from compiled code too (inlined into the loops).
jitable = register_jitable(inline="always")


# --- 1. Assignment -------------------------------------------------------------------
@jitable
def seats_in_order(load: np.ndarray, room: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """The posts of all free seats, least-loaded first, for first-come first-served.

    A post with load ``l`` and room ``r`` offers seats at levels ``l, ..., l + r - 1``;
    seats are handed out level by level so the load evens out, with ``tiebreak`` (a
    permutation of the posts) deciding between posts at the same level.

    Args:
        load: Clients in care per post.
        room: Free seats per post (0 for posts not taking clients).
        tiebreak: Rank of each post among equals.

    Returns:
        Post index of each free seat, in the order seats are to be filled.
    """
    n = len(room)
    post_of_rank = np.empty(n, np.int64)
    for post in range(n):
        post_of_rank[tiebreak[post]] = post
    seats = np.empty(int(room.sum()), np.int64)
    if len(seats) == 0:
        return seats
    offering = room > 0
    filled = 0
    for level in range(load[offering].min(), (load + room)[offering].max()):
        for rank in range(n):  # a pass over the posts a level: no sort (it cost more)
            post = post_of_rank[rank]
            if load[post] <= level < load[post] + room[post]:
                seats[filled] = post
                filled += 1
    return seats


# --- 2. Time budget ------------------------------------------------------------------
class Budget(NamedTuple):
    """A week's hours (h/week) per post, from :func:`time_budget`.

    Each is an array over posts, or a single value for one post.

    Attributes:
        teaching, admin, network, group, contact, overtime: Hours of each kind.
        workload: Hours the week would require at the organisation's norm of contact
            (class teaching, all admin due, network, group, and the caseload at
            ``contact_norm_hours``) over the contract hours: the workload felt, 1 when it
            just fits the contract.
    """

    teaching: np.ndarray
    admin: np.ndarray
    network: np.ndarray
    group: np.ndarray
    contact: np.ndarray
    overtime: np.ndarray
    workload: np.ndarray


@jitable
def paperwork_hours(caseload: np.ndarray, p: Parameters) -> np.ndarray:
    """Records, forms and checks a post's caseload demands, in hours per week.

    ``(fixed + per_client * caseload) * (1 + uplift * standardisation) * (1 - automation)``:
    forms and checklists grow with standardisation [000]; automation removes a share.
    """
    base = p.admin_hours_fixed + p.admin_hours_per_client * caseload
    return base * (1 + p.standardisation_admin_uplift * p.standardisation) * (
        1 - p.automation)


@jitable
def planning_hours(caseload: np.ndarray, p: Parameters) -> np.ndarray:
    """Plans made together with clients, in hours per week: ``voice * voice_hours * caseload``.

    Equal collaboration takes time of its own, more the more the client's goal leads [001].
    """
    return p.client_voice * p.voice_hours_per_client * caseload


@jitable
def admin_hours(caseload: np.ndarray, p: Parameters) -> np.ndarray:
    """Administration and joint planning a post's caseload demands, in hours per week.

    :func:`paperwork_hours` plus :func:`planning_hours`.
    """
    return paperwork_hours(caseload, p) + planning_hours(caseload, p)


@jitable
def share_chosen(chosen: float) -> float:
    """A share a professional chose (of the paperwork due, of the protocol's items), 0..1.

    All of it, as the model's own professionals do, unless they chose less (``chosen``;
    NaN: no choice, section 7.10).
    """
    return 1.0 if np.isnan(chosen) else min(max(chosen, 0.0), 1.0)


@jitable
def paperwork_planned(paperwork: float, arrears: float, kept: float) -> float:
    """Paperwork a professional sets out to do this week (h): ``kept`` of all that is due.

    Due is the week's own paperwork plus the arrears, owed from earlier weeks and done
    first (section 7.10).
    """
    return (paperwork + arrears) * kept


@jitable
def arrears_after(paperwork: float, planning: float, arrears: float, kept: float,
                  admin_done: float, p: Parameters) -> float:
    """Paperwork still owed after a week (h), by a post that worked it.

    Of the admin done, joint planning comes first, then the arrears, then the week's own
    paperwork. What stays owed: the arrears not worked off, plus
    ``admin_arrears_carried`` of the week's own paperwork left undone by choice or
    pushed out by the arrears worked off. The rest of the week's own paperwork planned
    but left for want of hours lapses, as in the model's own weeks (section 7.10).

    Args:
        paperwork: The week's own paperwork (h; :func:`paperwork_hours`).
        planning: The week's joint planning with clients (h; :func:`planning_hours`).
        arrears: Paperwork owed from earlier weeks (h).
        kept: Share of the paperwork due the professional chose to do (:func:`share_chosen`).
        admin_done: Admin hours done this week (h; ``Budget.admin``).
        p: Parameters.
    """
    planned = paperwork_planned(paperwork, arrears, kept)
    paper_done = min(planned, max(admin_done - planning, 0.0))
    worked_off = min(arrears, paper_done)
    skipped = min(paperwork, (paperwork + arrears) * (1 - kept))   # by choice
    own_undone = max((planned - paper_done) - (arrears - worked_off), 0.0)  # planned
    pushed_out = min(own_undone, worked_off)
    return (arrears - worked_off) + p.admin_arrears_carried * (skipped + pushed_out)


@jitable
def human_share(p: Parameters) -> float:
    """Share of a standard contact the professional gives in person.

    A program carries ``automated_contact_share`` of the scripted part
    (``standardisation``) of every contact [000]; the rest stays human work.
    """
    return 1 - p.standardisation * p.automated_contact_share


@jitable
def network_spent(chosen: float, p: Parameters) -> float:
    """Network hours a professional spends this week (h).

    The hours the scenario grants (``network_hours``) [003], unless the professional
    chose fewer (:meth:`model.simulation.Simulation.decide`, NaN: no choice); never
    more than granted: network time is the organisation's to give.
    """
    return p.network_hours if np.isnan(chosen) else min(max(chosen, 0.0), p.network_hours)


@jitable
def time_budget(caseload: np.ndarray, standard: np.ndarray, runs_group: np.ndarray,
                working: np.ndarray, network: np.ndarray, arrears: np.ndarray,
                kept: np.ndarray, p: Parameters) -> Budget:
    """Split each working professional's week over teaching, admin, network, group, contact.

    Class teaching, timetabled, comes first (a post with pupils teaches its class
    ``class_hours``); then admin, then network hours (:func:`network_spent`), then a running group
    session; contact gets the rest. The hours the caseload *requires* are these plus the
    professional's own standard of contact per client (its human part); when they
    exceed the contract, overtime makes up the difference up to
    ``max_overtime_hours``. The workload *felt* is measured at the organisation's norm
    of contact and with all admin due: an eroded standard or admin left undone cuts
    the hours worked, not the sense of what the week asks. By construction
    ``teaching + admin + network + group + contact = hours_per_week + overtime``.

    Args:
        caseload: Clients in care per post (an array, or one post's number).
        standard: The professional's own standard of contact per client (h/week).
        runs_group: Whether the post runs a group session this week.
        working: Whether the post is filled by a working professional.
        network: Network hours the professional spends (h; :func:`network_spent`).
        arrears: Paperwork owed from earlier weeks (h; :func:`arrears_after`).
        kept: Share of the paperwork due the professional does (:func:`share_chosen`);
            joint planning with clients is always done.
        p: Parameters.

    Returns:
        The hours per post, as a :class:`Budget`.
    """
    paperwork = paperwork_hours(caseload, p)
    planning = planning_hours(caseload, p)
    admin = paperwork_planned(paperwork, arrears, kept) + planning
    due = paperwork + arrears + planning
    teaching = p.class_hours * (caseload > 0)
    group = p.group_hours * runs_group
    fixed = teaching + admin + network + group
    required = fixed + caseload * standard * human_share(p)
    at_norm = teaching + due + network + group + caseload * p.contact_norm_hours * human_share(p)
    beyond_contract = np.maximum(required - p.hours_per_week, 0.0)
    overtime = np.minimum(beyond_contract, p.max_overtime_hours)
    available = (p.hours_per_week + overtime) * working
    teaching_done = np.minimum(teaching, available)
    left = available - teaching_done
    admin_done = np.minimum(admin, left)
    network_done = np.minimum(network, left - admin_done)
    group_done = np.minimum(group, left - admin_done - network_done)
    return Budget(
        teaching=teaching_done,
        admin=admin_done,
        network=network_done,
        group=group_done,
        contact=left - admin_done - network_done - group_done,
        overtime=overtime * working,
        workload=at_norm * working / p.hours_per_week,
    )


# --- 3. Contact ----------------------------------------------------------------------
@jitable
def show_probability(bond: np.ndarray, motivation: np.ndarray, p: Parameters) -> np.ndarray:
    """Chance a client in care comes to this week's appointment.

    ``floor + (1 - floor) * (wb * bond + (1 - wb) * motivation)``, ``wb =
    show_bond_weight``.
    """
    engaged = p.show_bond_weight * bond + (1 - p.show_bond_weight) * motivation
    return p.show_floor + (1 - p.show_floor) * engaged


@jitable
def contact_length(contact_hours: np.ndarray, shown: np.ndarray, standard: np.ndarray,
                   p: Parameters) -> np.ndarray:
    """Length of each contact's human part (h): contact hours shared by those who came.

    Appointments go to those who show up; a no-show's time goes to the others, up to
    what a client can use in a week, ``max_contact_hours``, the program's part of the
    contact included (the rest is slack): a program's work replaces human time and
    never makes room for more of it; where it fills all a client can use, no human
    time is left.
    """
    room = np.maximum(p.max_contact_hours - program_hours(standard, p), 0.0)
    return np.minimum(contact_hours / np.maximum(shown, 1), room)


@jitable
def program_hours(standard: np.ndarray, p: Parameters) -> np.ndarray:
    """Hours of a contact's scripted items a program carries (h): ``s * standard * a``."""
    return p.standardisation * standard * p.automated_contact_share


@jitable
def split_contact(hours: np.ndarray, standard: np.ndarray, asked: np.ndarray,
                  p: Parameters) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split one contact into the professional's scripted and open time, and the program's.

    The protocol's items take ``standardisation`` of the professional's own standard
    contact; a program carries ``automated_contact_share`` of them. The items left to
    the professional are recorded and checked, so they are done first: when a contact
    is shorter than the standard, open time goes first (Ball et al. 2014). As the
    standard erodes toward the time actually given, the items shrink with it. A
    professional may choose to ask only a share of them in the contact (``asked``, 1
    for the model's own; the rest is recorded afterwards: :func:`items_skipped`).

    Returns:
        ``(scripted, open, automated)`` hours of the contact.
    """
    items = p.standardisation * standard
    scripted = np.minimum(hours, items * (1 - p.automated_contact_share) * asked)
    return scripted, hours - scripted, program_hours(standard, p)


@jitable
def items_skipped(hours: np.ndarray, standard: np.ndarray, asked: np.ndarray,
                  p: Parameters) -> np.ndarray:
    """Hours of the protocol's items a professional chose not to ask in a contact (h).

    What :func:`split_contact` would have scripted with every item asked, less what it
    scripts; 0 for the model's own professionals. The items are recorded work: left out
    of the contact, they are owed as paperwork (section 7.10).
    """
    left_to_professional = p.standardisation * standard * (1 - p.automated_contact_share)
    return np.minimum(hours, left_to_professional) - np.minimum(
        hours, left_to_professional * asked)


@jitable
def effective_openness(openness: np.ndarray, p: Parameters) -> np.ndarray:
    """Openness raised by client voice: ``o + voice * gain * (1 - o)`` [001][002]."""
    return openness + p.client_voice * p.voice_openness_gain * (1 - openness)


@jitable
def attunement(experience: np.ndarray, stress: np.ndarray, p: Parameters) -> np.ndarray:
    """Connective skill: grows with experience, blunted by exhaustion.

    ``(new + (max - new) * (1 - exp(-experience / learning_weeks)))
    * (1 - exhaustion_loss * stress)``.
    """
    skill = p.attunement_new + (p.attunement_max - p.attunement_new) * (
        1 - np.exp(-experience / p.learning_weeks))
    return skill * (1 - p.exhaustion_attunement_loss * stress)


@jitable
def standard_change(standard: np.ndarray, given: np.ndarray, p: Parameters) -> np.ndarray:
    """Weekly change of a professional's own standard of contact per client.

    The standard (a whole contact, the program's part included) follows what the human
    time per client on the books (``given``) allows, ``given / human_share``: down
    within about ``standard_erosion_weeks`` when less is given, back up toward
    ``contact_norm_hours`` only within ``standard_recovery_weeks`` when time allows.
    Standards erode faster than they recover (Oliva & Sterman 2001). With no human
    share (a program carries the whole contact) no time limits the standard: it moves
    toward the norm.
    """
    share = human_share(p)
    toward = np.minimum(given / share, p.contact_norm_hours) if share > 0 else (
        p.contact_norm_hours + 0 * given)  # the norm, shaped as ``given``
    eroding = toward < standard
    weeks = eroding * p.standard_erosion_weeks + (1 - eroding) * p.standard_recovery_weeks
    return (toward - standard) / weeks


@jitable
def standard_kept(standard: float, floor: float, p: Parameters) -> float:
    """A professional's standard with a floor they chose to keep (h/client/week).

    The standard follows the time given (:func:`standard_change`) but not below the
    floor, itself never above what a client can use (``max_contact_hours``): keeping a
    standard up asks for overtime while the caseload presses (section 7.10).
    """
    return max(standard, min(floor, p.max_contact_hours))


# --- 4. Bond -------------------------------------------------------------------------
@jitable
def unhurried_dose(open_hours: np.ndarray, p: Parameters) -> np.ndarray:
    """How far one contact's open time builds connection, 0..1.

    ``(1 - exp(-open / scale)) * open / (open + unhurried)``: diminishing returns on
    open time, and a hurried contact (open time well under ``unhurried_hours``) builds
    little [000]. Smooth, and per contact.
    """
    saturation = 1 - np.exp(-open_hours / p.open_hours_scale)
    return saturation * unhurried(open_hours, p)


@jitable
def unhurried(open_hours: np.ndarray, p: Parameters) -> np.ndarray:
    """How unhurried a contact with this much open time is, 0..1: ``open / (open + u)``.

    Half at ``unhurried_hours`` (a quarter of an hour): a hurried contact builds
    little [000].
    """
    return open_hours / np.maximum(open_hours + p.unhurried_hours, 1e-12)


@jitable
def bond_growth(bond: np.ndarray, open_hours: np.ndarray, attune: np.ndarray,
                openness: np.ndarray, p: Parameters) -> np.ndarray:
    """Growth of the bond from one contact's open time.

    ``growth * dose(open) * attunement * openness * (1 - bond)``, with the dose of
    :func:`unhurried_dose`: connection needs time, a skilled professional and a
    willing client [000]. The product of the professional's part
    (:func:`contact_pull`) and the client's (:func:`bond_growth_from_pull`).
    """
    return bond_growth_from_pull(contact_pull(open_hours, attune, p), openness, bond)


@jitable
def contact_pull(open_hours: np.ndarray, attune: np.ndarray, p: Parameters) -> np.ndarray:
    """The professional's part of a contact's bond growth: ``growth * dose(open) * attune``.

    The same for every client of a post who came this week (one length of contact).
    """
    return p.bond_growth * unhurried_dose(open_hours, p) * attune


@jitable
def bond_growth_from_pull(pull: np.ndarray, openness: np.ndarray,
                          bond: np.ndarray) -> np.ndarray:
    """The client's part of bond growth: ``pull * openness * (1 - bond)``."""
    return pull * openness * (1 - bond)


@jitable
def rupture_probability(bond: np.ndarray, scripted: np.ndarray, hours: np.ndarray,
                        p: Parameters) -> np.ndarray:
    """Chance that abrupt standard questions make the client close off [000].

    ``rate * (1 - bond / safe)+ * scripted / hours``: the more of the contact is
    scripted and the weaker the bond, the likelier (0 without scripted work).
    """
    weak = np.maximum(1 - bond / p.rupture_safe_bond, 0.0)  # bond and hours are >= 0
    return p.rupture_rate * weak * scripted / np.maximum(hours, 1e-12)


# --- 5. Motivation and progress ------------------------------------------------------
@jitable
def bond_benefit(bond: np.ndarray, p: Parameters) -> np.ndarray:
    """How much of the bond's help to progress a bond gives, 0..1, saturating.

    ``1 - (1 - min(bond / good_enough, 1))^2``: full at ``bond_good_enough`` and
    flat beyond it; good-enough seeing suffices [000].
    """
    short = 1 - np.minimum(bond / p.bond_good_enough, 1.0)
    return 1 - short * short


@jitable
def shared_dose(hours: np.ndarray, members: np.ndarray, reach: float) -> np.ndarray:
    """Hours of work one member gets from ``hours`` given to ``members`` clients at once.

    ``hours * (1 / members + reach * (1 - 1 / members))``: a member gets their own
    share of the professional's hours and ``reach`` of the rest.
    """
    own = 1 / np.maximum(members, 1)
    return hours * (own + reach * (1 - own))


@jitable
def group_dose(members: np.ndarray, p: Parameters) -> np.ndarray:
    """Hours of work one member gets from a JOBS session of ``members`` clients.

    The members share the professional's hours and learn a little from each other's
    part (``group_peer_learning``).
    """
    return shared_dose(p.group_hours, members, p.group_peer_learning)


@jitable
def class_dose(class_hours: np.ndarray, pupils: np.ndarray, p: Parameters) -> np.ndarray:
    """Hours of work one pupil gets from a week's whole-class lessons.

    Instruction to the class is heard by all, so most of it is not divided
    (``class_reach``); a larger class still gets less of it per pupil.
    """
    return shared_dose(class_hours, pupils, p.class_reach)


@jitable
def progress_gain(human_hours: np.ndarray, automated_hours: np.ndarray,
                  group_hours: np.ndarray, class_hours: np.ndarray, bond: np.ndarray,
                  motivation: np.ndarray, need: np.ndarray, p: Parameters) -> np.ndarray:
    """Progress toward the goal from one week's work.

    Human contact and class teaching work through the pupil's or client's bond with
    the professional (learning thanks to connection [000]); a program's work carries
    instruction without it; a group session counts the safe group in place of the
    bond [002]:
    ``motivation * ((human + class) * (1 - w + w * benefit(bond)) + automated * yield
    + group * (1 - w + w * benefit(cohesion))) / need``, ``w = bond_weight``.
    """
    through_bond = 1 - p.bond_weight + p.bond_weight * bond_benefit(bond, p)
    through_group = 1 - p.bond_weight + p.bond_weight * bond_benefit(p.group_cohesion, p)
    work = ((human_hours + class_hours) * through_bond
            + automated_hours * p.automated_efficacy + group_hours * through_group)
    return motivation * work / need


@jitable
def motivation_change(motivation: np.ndarray, efficacy: np.ndarray, bond: np.ndarray,
                      progress: np.ndarray, setback: np.ndarray,
                      p: Parameters) -> np.ndarray:
    """Motivation rises with bond and progress and falls with setbacks [002].

    ``(gain_bond * bond + gain_progress * progress) * (1 - m)
    - setback * loss * m * (1 - efficacy)``: self-efficacy buffers setbacks.
    """
    rise = (p.motivation_bond_gain * bond + p.motivation_progress_gain * progress)
    return rise * (1 - motivation) - setback * p.setback_loss * motivation * (1 - efficacy)


@jitable
def efficacy_change(efficacy: np.ndarray, progress: np.ndarray, setback: np.ndarray,
                    p: Parameters) -> np.ndarray:
    """Self-efficacy grows with mastery (progress) and erodes with setbacks [002]."""
    return (p.motivation_progress_gain * progress * (1 - efficacy)
            - setback * p.setback_loss * efficacy)


@jitable
def group_lift(state: np.ndarray, p: Parameters) -> np.ndarray:
    """Rise of motivation or self-efficacy from one JOBS session [002].

    ``lift * (1 - state)``: largest for the demoralised.
    """
    return p.group_lift * (1 - state)


@jitable
def placement_probability(ties: np.ndarray, p: Parameters) -> np.ndarray:
    """Weekly chance a ready client reaches the goal: ``base + gain * ties`` [003].

    For a client of employability 1; the contact week scales it by each client's
    employability (capped at 1).
    """
    return np.minimum(p.placement_base + p.placement_network_gain * ties, 1.0)


# --- 6. Exits ------------------------------------------------------------------------
#: Motivation and client voice of the client whose weekly drop-out hazard is
#: ``dropout_base`` (with a good-enough bond): a choice of origin, not an assumption
#: (any other value rescales ``dropout_base``); the middle of each 0..1 scale.
REFERENCE_CLIENT = 0.5


@jitable
def dropout_hazard(bond: np.ndarray, motivation: np.ndarray, p: Parameters) -> np.ndarray:
    """Weekly drop-out chance, log-linear in the bond's benefit, motivation and voice.

    ``base * exp(kb * (1 - benefit(bond)) + km * (0.5 - m) + kv * (0.5 - voice))``:
    a client with a good-enough bond and middling motivation and voice has the base
    hazard; weak bonds, low motivation and imposed goals raise it (Swift & Greenberg
    2012 [001][002]). The bond counts through :func:`bond_benefit`, as in progress: a
    good-enough bond holds a client as well as a perfect one.
    """
    log_ratio = (p.dropout_bond_effect * (1 - bond_benefit(bond, p))
                 + p.dropout_motivation_effect * (REFERENCE_CLIENT - motivation)
                 + p.dropout_voice_effect * (REFERENCE_CLIENT - p.client_voice))
    return np.minimum(p.dropout_base * np.exp(log_ratio), 1.0)


@jitable
def employability_on_dropout(employability: float, p: Parameters) -> float:
    """Employability's factor on the drop-out hazard: to its loading's power.

    ``employability ** employability_dropout_loading``; 1 for a client of employability
    1 (without a spread, everyone: then no power is taken).
    """
    if employability == 1.0:
        return 1.0
    return employability ** p.employability_dropout_loading


@jitable
def own_goal_probability(progress: float, motivation: float, efficacy: float,
                         employability: float, p: Parameters) -> float:
    """Weekly chance a client reaches the goal on their own, apart from the professional.

    ``rate * employability * exp(drive * ((m + e) / 2 - 0.5)) * (1 + gain *
    min(progress, 1))``: job seekers find most jobs themselves (SZW 2012; CBS 2014),
    the more so with motivation and self-efficacy [002], with the readiness that
    contact built (``progress``) and the nearer they stand to the labour market
    (``employability``, 1 on average); the reference client (both traits at the middle
    of their scale, no progress, employability 1) has ``own_goal_rate``. Waiting
    clients search too (progress 0). 0 where the goal is reached only through the
    professional (care, school: ``own_goal_rate`` 0).
    """
    drive = p.own_goal_drive * ((motivation + efficacy) / 2 - REFERENCE_CLIENT)
    ready = min(progress, 1.0)
    chance = p.own_goal_rate * employability * np.exp(drive)
    return min(chance * (1 + p.own_goal_progress_gain * ready), 1.0)


# --- 7. Professional wellbeing -------------------------------------------------------
@jitable
def stress_target(workload: np.ndarray, backlog: float, connection: np.ndarray,
                  p: Parameters) -> np.ndarray:
    """The stress level a professional's week pushes toward, 0..1 [004].

    ``base + k_work * (workload - 1) + k_backlog * backlog + k_autonomy *
    standardisation - k_relief * connection``: the workload felt (hours the week asks
    at the norm of contact, all admin due, over the contract: less stress below 1, more
    above), the waiting list per place
    (``backlog``, saturating: half its weight at a list as long as the places) that
    presses on the whole team (Homer 1985), lost autonomy, and the mean bond with the
    caseload (connection costs time but gives energy).
    """
    target = (p.stress_base + p.stress_workload * (workload - 1)
              + p.stress_backlog * backlog / (1 + backlog)
              + p.stress_autonomy * p.standardisation
              - p.stress_connection_relief * connection)
    return np.minimum(np.maximum(target, 0.0), 1.0)


@jitable
def burnout_probability(stress: np.ndarray, p: Parameters) -> np.ndarray:
    """Weekly burnout chance: ``hazard * (stress - threshold)+ / (1 - threshold)``."""
    excess = np.maximum(stress - p.burnout_threshold, 0.0)
    return p.burnout_hazard * excess / max(1 - p.burnout_threshold, 1e-9)


@jitable
def quit_probability(stress: np.ndarray, p: Parameters) -> np.ndarray:
    """Weekly chance to quit: ``base / weeks a year * exp(k * (stress - base_stress)+)``.

    Below base stress people still leave at the ordinary rate (moves, retirement).
    """
    excess = np.maximum(stress - p.stress_base, 0.0)
    weekly = p.quit_rate_base / weeks_per_year(p) * np.exp(p.quit_stress_effect * excess)
    return np.minimum(weekly, 1.0)


@jitable
def weeks_per_year(p: Parameters) -> int:
    """Model weeks in a year: 52, or in school years the teaching weeks of one."""
    return p.school_year_weeks if p.school_year_weeks > 0 else 52


@jitable
def ties_change(ties: np.ndarray, network_hours: np.ndarray, p: Parameters) -> np.ndarray:
    """Network ties built by network hours, saturating, and lost when unkept [003]."""
    return p.tie_gain * network_hours * (1 - ties) - p.tie_decay * ties


# --- 8. Observation ------------------------------------------------------------------
@jitable
def hours_needed(clients: float, working: float, p: Parameters) -> float:
    """Hours a week the clients waiting or in care need of the working team.

    Each working professional's class teaching, fixed admin and granted network hours,
    plus per client the admin and the human part of the organisation's standard contact
    (``contact_norm_hours``): what the team would spend if everyone were served at the
    norm. Over the team's contract hours it is the *utilisation*.
    """
    fixed = p.class_hours + admin_hours(0.0, p) + p.network_hours
    per_client = admin_hours(1.0, p) - admin_hours(0.0, p) + p.contact_norm_hours * human_share(p)
    return working * fixed + clients * per_client
