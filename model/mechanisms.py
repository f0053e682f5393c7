"""The mechanisms of MODEL.md as pure functions on arrays, one function each.

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
    posts = np.repeat(np.arange(len(room)), room)
    first_seat = np.repeat(np.cumsum(room) - room, room)
    level = np.arange(len(posts)) - first_seat + np.repeat(load, room)
    return posts[np.argsort(level * len(room) + tiebreak[posts])]


# --- 2. Time budget ------------------------------------------------------------------
class Budget(NamedTuple):
    """A week's hours (h/week) per post, from :func:`time_budget`.

    Each is an array over posts, or a single value for one post.

    Attributes:
        admin, network, group, contact, overtime: Hours of each kind.
        overload: Hours the caseload requires above the contract, as a share of it.
    """

    admin: np.ndarray
    network: np.ndarray
    group: np.ndarray
    contact: np.ndarray
    overtime: np.ndarray
    overload: np.ndarray


@jitable
def admin_hours(caseload: np.ndarray, p: Parameters) -> np.ndarray:
    """Administration a post's caseload demands, in hours per week.

    ``admin = (fixed + per_client * caseload) * (1 + uplift * standardisation)
    * (1 - automation)``: forms and checklists grow with standardisation [000];
    automation removes a share.
    """
    base = p.admin_hours_fixed + p.admin_hours_per_client * caseload
    return base * (1 + p.standardisation_admin_uplift * p.standardisation) * (1 - p.automation)


@jitable
def time_budget(caseload: np.ndarray, runs_group: np.ndarray, working: np.ndarray,
                p: Parameters) -> Budget:
    """Split each working professional's week over admin, network, group and contact.

    Admin comes first, then the granted network hours, then a running group session;
    contact gets the rest. The hours the caseload *requires* are these plus the
    minimum human contact per client; when they exceed the contract, overtime makes
    up the difference up to ``max_overtime_hours``. By construction
    ``admin + network + group + contact = hours_per_week + overtime``.

    Args:
        caseload: Clients in care per post (an array, or one post's number).
        runs_group: Whether the post runs a group session this week.
        working: Whether the post is filled by a working professional.
        p: Parameters.

    Returns:
        The hours per post, as a :class:`Budget`.
    """
    admin = admin_hours(caseload, p)
    group = p.group_hours * runs_group
    minimum_contact = caseload * p.minimum_contact_hours * (1 - p.automated_contact_share)
    required = admin + p.network_hours + group + minimum_contact
    beyond_contract = np.maximum(required - p.hours_per_week, 0.0)
    overtime = np.minimum(beyond_contract, p.max_overtime_hours)
    available = (p.hours_per_week + overtime) * working
    admin_done = np.minimum(admin, available)
    network_done = np.minimum(p.network_hours, available - admin_done)
    group_done = np.minimum(group, available - admin_done - network_done)
    return Budget(
        admin=admin_done,
        network=network_done,
        group=group_done,
        contact=available - admin_done - network_done - group_done,
        overtime=overtime * working,
        overload=beyond_contract * working / p.hours_per_week,
    )


# --- 3. Contact ----------------------------------------------------------------------
@jitable
def show_probability(bond: np.ndarray, motivation: np.ndarray, p: Parameters) -> np.ndarray:
    """Chance a client in care shows up: ``floor + (1 - floor) * (bond + motivation) / 2``."""
    return p.show_floor + (1 - p.show_floor) * 0.5 * (bond + motivation)


@jitable
def split_contact(hours: np.ndarray, p: Parameters) -> tuple[np.ndarray, np.ndarray]:
    """Split a client's human contact into scripted and open time.

    The protocol fixes ``standardisation * contact_norm_hours`` of scripted work per
    contact. Scripted, recorded work is kept when time runs short, so the open
    remainder is rationed first (Ball et al. 2014).

    Returns:
        ``(scripted, open)`` hours per client.
    """
    scripted = np.minimum(hours, p.standardisation * p.contact_norm_hours)
    return scripted, hours - scripted


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


# --- 4. Bond -------------------------------------------------------------------------
@jitable
def bond_growth(bond: np.ndarray, open_hours: np.ndarray, attune: np.ndarray,
                openness: np.ndarray, p: Parameters) -> np.ndarray:
    """Growth of the bond from one week's open contact.

    Only open time past the unhurried minimum counts, with diminishing returns:
    ``growth * (1 - exp(-max(open - unhurried, 0) / scale)) * attunement * openness
    * (1 - bond)``. The bond saturates below 1: good-enough seeing suffices [000].
    """
    unhurried = np.maximum(open_hours - p.unhurried_hours, 0.0)
    dose = 1 - np.exp(-unhurried / p.open_hours_scale)
    return p.bond_growth * dose * attune * openness * (1 - bond)


@jitable
def rupture_probability(bond: np.ndarray, scripted: np.ndarray, open_hours: np.ndarray,
                        p: Parameters) -> np.ndarray:
    """Chance an abrupt standard question makes the client close off [000].

    Only where there is scripted work, and more so the more standardised, the weaker
    the bond (below ``rupture_safe_bond``) and the less open time surrounds it:
    ``rate * standardisation * (1 - bond / safe)+ * (1 - open / norm)+``.
    """
    weak = np.maximum(1 - bond / p.rupture_safe_bond, 0.0)  # bond and hours are >= 0
    abrupt = np.maximum(1 - open_hours / p.contact_norm_hours, 0.0)
    return p.rupture_rate * p.standardisation * weak * abrupt * (scripted > 0)


# --- 5. Motivation and progress ------------------------------------------------------
@jitable
def progress_gain(human_hours: np.ndarray, bond: np.ndarray, motivation: np.ndarray,
                  group_hours: np.ndarray, need: np.ndarray, p: Parameters) -> np.ndarray:
    """Progress toward the goal from one week's work.

    Human contact works through the bond (learning thanks to connection [000]);
    automated contact and group sessions carry instrumental work without it:
    ``motivation * (human * (1 - w + w * bond) + automated * yield
    + group * cohesion) / need``, with ``w = bond_weight`` and
    ``automated = automated_contact_share * contact_norm_hours``.
    """
    automated = p.automated_contact_share * p.contact_norm_hours * p.automated_efficacy
    human = human_hours * (1 - p.bond_weight + p.bond_weight * bond)
    return motivation * (human + automated + group_hours * p.group_cohesion) / need


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
    """Weekly chance a ready client reaches the goal: ``base + gain * ties`` [003]."""
    return np.minimum(p.placement_base + p.placement_network_gain * ties, 1.0)


# --- 6. Exits ------------------------------------------------------------------------
@jitable
def dropout_hazard(bond: np.ndarray, motivation: np.ndarray, p: Parameters) -> np.ndarray:
    """Weekly drop-out chance, log-linear in bond, motivation and client voice.

    ``base * exp(kb * (0.5 - bond) + km * (0.5 - m) + kv * (0.5 - voice))``: an
    average client (0.5 on each) has the base hazard; weak bonds, low motivation and
    imposed goals raise it (Swift & Greenberg 2012 [001][002]).
    """
    log_ratio = (p.dropout_bond_effect * (0.5 - bond)
                 + p.dropout_motivation_effect * (0.5 - motivation)
                 + p.dropout_voice_effect * (0.5 - p.client_voice))
    return np.minimum(p.dropout_base * np.exp(log_ratio), 1.0)


# --- 7. Professional wellbeing -------------------------------------------------------
@jitable
def stress_target(overload: np.ndarray, connection: np.ndarray, p: Parameters) -> np.ndarray:
    """The stress level a professional's week pushes toward, 0..1 [004].

    ``base + k_over * overload + k_autonomy * standardisation - k_relief * connection``,
    where ``connection`` is the mean bond with the caseload: connection costs time
    but gives energy.
    """
    target = (p.stress_base + p.stress_overload * overload
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
    """Weekly chance to quit: ``base / 52 * exp(k * (stress - base_stress))``."""
    weekly = p.quit_rate_base / 52 * np.exp(p.quit_stress_effect * (stress - p.stress_base))
    return np.minimum(weekly, 1.0)


@jitable
def ties_change(ties: np.ndarray, network_hours: np.ndarray, p: Parameters) -> np.ndarray:
    """Network ties built by network hours, saturating, and lost when unkept [003]."""
    return p.tie_gain * network_hours * (1 - ties) - p.tie_decay * ties
