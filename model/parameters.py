"""The closed parameter set of Verbinding: each parameter declared once.

Every parameter is one field of :class:`Parameters`, declared with :func:`param`:
its default, unit, allowed range, source (or stated assumption), a label in
English and Dutch and the group it belongs to. The app's sliders, the CLI's
``--set``, the scenario files and the parameter table in ``docs/ODD.md`` all read
these declarations; nothing else states a default.

Sources are cited by the keys of ``docs/ODD.md``: [000] Pugh, connective
labour; [001] Van der Horst, equal collaboration; [002] Blonk, *bejegening*,
JOBS; [003] Bosselaar, the networking professional; [004] connection at work.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

#: The file holding the calibrated parameters' defaults (see :class:`Prior`).
CALIBRATED_FILE = Path(__file__).with_name("calibrated.toml")
#: Default of each calibrated parameter (see the file's own note on where the values
#: come from). Kept out of the code so that the code's fingerprint, which a posterior
#: records, does not depend on them.
CALIBRATED: Mapping[str, float] = MappingProxyType(
    tomllib.loads(CALIBRATED_FILE.read_text(encoding="utf-8")))

#: Parameter groups, in the order the docs and the app show them.
GROUPS = ("levers", "organisation", "clients", "contact", "progress", "professionals")


@dataclass(frozen=True)
class Spec:
    """What is known about one parameter besides its default.

    Attributes:
        unit: Unit of the value, e.g. ``"h/week"``.
        low: Smallest allowed value (inclusive).
        high: Largest allowed value (inclusive).
        source: The source, or the assumption and its reasoning.
        en: Short English label.
        nl: Short Dutch label.
        group: One of :data:`GROUPS`.
        mid_run: Whether the value may change during a run (a scenario's events, see
            :mod:`model.events`, or ``VerbindingModel.change``); False for the few that
            hold for the whole run.
    """

    unit: str
    low: float
    high: float
    source: str
    en: str
    nl: str
    group: str
    mid_run: bool = True
    prior: Prior | None = None


@dataclass(frozen=True)
class Prior:
    """What is believed of an uncertain parameter before calibration.

    ``verbinding calibrate`` fits the parameters that have one to the empirical
    patterns, all at once (docs/ODD.md, section 8).

    Attributes:
        low: Smallest plausible value, in the parameter's unit.
        high: Largest plausible value.
        shape: ``"uniform"``, or ``"log-uniform"`` for a scale known only to its order
            of magnitude (every factor equally likely).
        why: The source of the range, or "Assumption: " and the reasoning.
    """

    low: float
    high: float
    shape: str
    why: str

    def __post_init__(self) -> None:
        if self.shape not in ("uniform", "log-uniform") or not self.low < self.high or (
                self.shape == "log-uniform" and self.low <= 0):
            raise ValueError(f"not a prior: {self}")


def param(default: Any, unit: str, low: float, high: float, source: str, en: str, nl: str,
          group: str, *, mid_run: bool = True, prior: Prior | None = None):
    """Declare one parameter (a dataclass field carrying its :class:`Spec`)."""
    return field(default=default, metadata={
        "spec": Spec(unit, low, high, source, en, nl, group, mid_run, prior)})


class ParameterError(ValueError):
    """A parameter name or value that is not allowed; the message says what is.

    Attributes:
        limit: The :class:`Limit` broken, when a combination of values is the problem.
    """

    def __init__(self, message: str, limit: Limit | None = None) -> None:
        super().__init__(message)
        self.limit = limit


@dataclass(frozen=True)
class Limit:
    """A combination that cannot be: ``low`` must stay below (or at) ``high``.

    Attributes:
        low: Name of the parameter that must not exceed the other.
        high: Name of the parameter that bounds it.
        strict: Whether ``low`` must be strictly below ``high``.
        en: Why, in English.
        nl: Why, in Dutch.
    """

    low: str
    high: str
    strict: bool
    en: str
    nl: str

    def broken(self, p: Parameters) -> bool:
        """Whether the parameters break this limit."""
        low, high = getattr(p, self.low), getattr(p, self.high)
        return low >= high if self.strict else low > high

    def message(self, p: Parameters) -> str:
        """The one-line refusal, naming both values."""
        relation = "must be below" if self.strict else "exceeds"
        return (f"{self.low}={getattr(p, self.low):g} {relation} {self.high}="
                f"{getattr(p, self.high):g}; {self.en}")


@dataclass(frozen=True)
class Parameters:
    """All inputs of one model run. Unknown names and out-of-range values are refused.

    Defaults describe the *standard municipal scenario*: a team of 100 professionals,
    about 3,000 clients in care at steady state. The domain presets in
    ``scenarios/`` override what differs per domain.
    """

    # --- levers (docs/ODD.md, section 8) -------------------------------------------------
    professionals: int = param(
        100, "persons", 1, 2000,
        "Assumption: size of the standard municipal team (the benchmark scenario).",
        "Professionals", "Professionals", "levers")
    caseload_cap: int = param(
        30, "clients/professional", 1, 500,
        "Assumption: 30 clients in active care per professional, about what a week's "
        "contact hours allow at the norm of contact per client.",
        "Caseload cap", "Maximale caseload", "levers")
    arrivals_per_week: float = param(
        CALIBRATED["arrivals_per_week"], "clients/week", 0, 10000,
        "Assumption: a busy team below its tipping point, held at a utilisation of 0.75 "
        "of its establishment (the hours its clients need at the norm, with every "
        "post's fixed hours, over all its posts' contract hours, with the team kept whole; "
        "Kuntz et al. 2015 place the tipping point past 92.5% occupancy), no lasting "
        "waiting list; the arrivals that give it with the calibrated parameters "
        "(docs/ODD.md, sections 5 and 8).",
        "Arrivals per week", "Instroom per week", "levers")
    hours_per_week: float = param(
        36.0, "h/week", 1, 60,
        "Assumption: the 36-hour full-time week common in Dutch public-sector collective "
        "agreements (CAOs).",
        "Contract hours per week", "Contracturen per week", "levers")
    admin_hours_fixed: float = param(
        5.0, "h/week", 0, 60,
        "Calibrated with admin_hours_per_client to about a third of time on administration "
        "(Berenschot: 34-35% in Dutch care 2019-2025; CBS 2025: 31%).",
        "Fixed admin hours", "Vaste administratie-uren", "levers")
    admin_hours_per_client: float = param(
        0.2, "h/client/week", 0, 5,
        "Assumption: records, reports and checks per client; see admin_hours_fixed.",
        "Admin hours per client", "Administratie per cliënt", "levers")
    standardisation: float = param(
        0.3, "0..1", 0, 1,
        "Share of the standard contact fixed by protocol; raises admin and lowers autonomy "
        "[000]. Assumption for the level.",
        "Standardisation", "Standaardisering", "levers")
    automation: float = param(
        0.0, "0..1", 0, 1,
        "Share of administration removed by automation. Lever; default none.",
        "Admin automation", "Automatisering administratie", "levers")
    automated_contact_share: float = param(
        0.0, "0..1", 0, 1,
        "Share of each contact's scripted, instrumental work (the protocol's items) that "
        "a program or chatbot carries instead of the professional [000]: it frees that "
        "human time, reaches only clients who engage that week and builds no bond. "
        "Lever; default none.",
        "Automated contact share", "Aandeel geautomatiseerd contact", "levers")
    network_hours: float = param(
        0.0, "h/week", 0, 40,
        "Hours per week granted for building ties with outside partners [003]. Lever.",
        "Network hours per week", "Netwerkuren per week", "levers")
    group_programme: bool = param(
        False, "on/off", 0, 1,
        "A JOBS-type group programme [002]. Lever.",
        "Group programme (JOBS)", "Groepsprogramma (JOBS)", "levers")
    group_instead_of_contact: bool = param(
        False, "on/off", 0, 1,
        "Whether a group session replaces the member's one-to-one contact that week (its "
        "slot goes to others) instead of coming on top. Lever; default on top, as JOBS "
        "was offered beside usual services (Vinokur et al. 1995).",
        "Group instead of one-to-one", "Groep in plaats van individueel", "levers")
    client_voice: float = param(
        0.3, "0..1", 0, 1,
        "How far the client's own goal leads (equal collaboration) [001][002]. Assumption: "
        "mostly imposed by default.",
        "Client voice", "Regie bij de cliënt", "levers")
    weeks: int = param(
        260, "weeks", 1, 2600,
        "Choice of the run: reported weeks, five years by default, long enough for "
        "turnover to show. They follow the warm-up, so a run is warmup_weeks + weeks "
        "steps; the metrics cover these weeks. "
        "Fixed for the run: it sets the run's length.",
        "Weeks reported", "Gerapporteerde weken", "levers", mid_run=False)

    # --- organisation ------------------------------------------------------------------
    group_size: int = param(
        15, "clients", 2, 40,
        "JOBS groups of about 15-20 job seekers (Vinokur et al. 1995) [002].",
        "Group size", "Groepsgrootte", "organisation")
    group_sessions: int = param(
        5, "sessions", 1, 20,
        "Five half-day sessions (JOBS as used in Finland and Michigan) [002].",
        "Group sessions per client", "Groepsbijeenkomsten per cliënt", "organisation")
    group_hours: float = param(
        4.0, "h/week", 0.5, 20,
        "One half-day session a week of professional time per running group: JOBS "
        "sessions last about four hours (Vinokur et al. 1995) [002].",
        "Group hours per week", "Groepsuren per week", "organisation")
    school_year_weeks: int = param(
        0, "weeks", 0, 52,
        "0: clients arrive and leave all year round (care, work). Above 0, the run is "
        "made of school years of this many teaching weeks: the year's pupils arrive "
        "together in its first week (arrivals_per_week x this many), and all leave after "
        "its last; a pupil reaches the goal by reaching the year's goals by then. A Dutch "
        "primary school year has about 40 teaching weeks: 52 less about 12 weeks of "
        "school holidays (Rijksoverheid's holiday dates, e.g. 2024-2025); holidays are "
        "not modelled (docs/ODD.md, section 7.9). Fixed for the run: it sets the "
        "calendar.",
        "School year (teaching weeks)", "Schooljaar (lesweken)", "organisation",
        mid_run=False)
    class_hours: float = param(
        0.0, "h/week", 0, 40,
        "Hours a week a professional teaches the whole caseload together (a class), "
        "before individual attention; each pupil who is there gets them as class_reach "
        "says, and learns from them through the bond with the teacher. 0 outside "
        "schools. The education preset's level is an assumption (docs/ODD.md, section "
        "7.9).",
        "Class teaching hours", "Uren klassikale les", "organisation")
    handover_overflow: float = param(
        0.2, "share of the cap", 0, 2,
        "Colleagues take over the clients of a professional who falls ill or leaves up "
        "to this share above the caseload cap before clients go back to the waiting list: "
        "those who stay carry the load (docs/ODD.md, section 7.8). Assumption.",
        "Overflow above the cap at handover", "Overloop boven de caseload bij overdracht",
        "organisation")
    hourly_cost: float = param(
        60.0, "EUR/h", 0, 500,
        "Assumption: loaded cost of a contract hour of a Dutch public-sector professional "
        "(holiday pay included), paid for every contract hour of employed staff (on sick "
        "leave too), for the overtime paid (overtime_paid_share) and for cover "
        "(cover_cost_share). In school years the contract hours are the teaching weeks' "
        "(a Dutch full-time year task is about 1,659 h, near 40 weeks of 40 h: CAO PO, "
        "not verified here). Fixed for the run: the costs price all of the run's hours "
        "at one rate.",
        "Hourly cost", "Kosten per uur", "organisation", mid_run=False)
    turnover_cost: float = param(
        20000.0, "EUR/quit", 0, 500000,
        "Direct cost of replacing a professional who quits: recruitment, selection and "
        "induction. Dutch practitioners' estimates put it at 30-50% of a year's salary "
        "(EUR 15,000-25,000 at EUR 50,000; Time to Hire 2025), 30-200% with the indirect "
        "costs (ABN AMRO 2025). The model runs the indirect part itself (the vacancy's "
        "load on colleagues and the waiting list, a new hire's inexperience; cover is "
        "cover_cost_share's), so only the direct part is priced; "
        "assumption: the middle of that range. Fixed for the run.",
        "Cost of a quit", "Kosten per vertrek", "organisation", mid_run=False)
    automation_licence: float = param(
        50.0, "EUR/professional/week", 0, 1000,
        "Assumption: what admin automation costs per employed professional-week at "
        "automation = 1, in proportion to the share automated (a licence of a few hundred "
        "euros a month per user for software taking over all of the paperwork); no "
        "source. Fixed for the run.",
        "Automation cost", "Kosten automatisering", "organisation", mid_run=False)
    automated_contact_cost: float = param(
        5.0, "EUR/h", 0, 500,
        "Assumption: what a program costs per hour of contact it carries (automated_hours): "
        "a tenth of a professional's hourly cost, for software used per client; no source. "
        "Fixed for the run.",
        "Cost of automated contact", "Kosten geautomatiseerd contact", "organisation",
        mid_run=False)
    overtime_paid_share: float = param(
        1.0, "share", 0, 1,
        "Share of overtime hours the employer pays, at hourly_cost. Assumption: all of "
        "them, as Dutch care's collective agreements compensate overtime in money or time "
        "off (not verified here). The education preset sets 0, also an assumption: "
        "teachers' hours beyond their task are not paid as overtime (AOb/ITS 2017 measured "
        "46.9 h a week worked at full time against a norm of 40). The overtime worked is "
        "in overtime_hours either way. Fixed for the run.",
        "Overtime paid", "Betaald overwerk", "organisation", mid_run=False)
    cover_cost_share: float = param(
        1.0, "share of contract pay", 0, 3,
        "Cover hired in for a post whose professional is not at work (on sick leave, or "
        "the post vacant), as a share of the post's contract pay, on top of a sick "
        "professional's own pay. Assumption: 1 (agency or interim staff, often dearer "
        "than the post; no source), so that neither a vacancy nor a burnout saves money; "
        "0: nobody is hired in and a vacancy saves its salary. The model gives the "
        "cover's work to nobody (the absent professional's clients wait or go to "
        "colleagues, section 7.8): with cover bought the bill is whole, but what cover "
        "would do for clients is left out. Fixed for the run.",
        "Cost of cover", "Kosten van vervanging", "organisation", mid_run=False)
    admin_arrears_carried: float = param(
        1.0, "0..1", 0, 1,
        "Share of the paperwork a professional leaves undone by choice (class mode: "
        "paperwork skipped, or protocol items not asked in contact and so recorded "
        "afterwards) that stays owed as arrears, done first in later weeks; the rest "
        "lapses. Assumption: records must be complete in the end (1); the sources give "
        "no rule for lagging admin. Only what a choice leaves undone is carried (admin "
        "a week has no hours for lapses, as ever), so the model's own runs never use it.",
        "Undone admin still owed", "Achterstallige administratie blijft staan",
        "organisation")
    sick_leave_weeks: float = param(
        26.0, "weeks", 1, 104,
        "Assumption: a mean burnout absence of about six months, a common length in Dutch "
        "occupational-health practice.",
        "Sick leave length", "Duur ziekteverzuim", "organisation")
    vacancy_weeks: float = param(
        12.0, "weeks", 0, 104,
        "Assumption: a vacancy in care or social work stays open about three months.",
        "Vacancy length", "Duur vacature", "organisation")
    warmup_weeks: int = param(
        52, "weeks", 0, 2600,
        "Weeks run before the reported weeks while the system fills from empty (burn-in): "
        "extra to weeks, excluded from the metrics, numbered 0 and below in the output. "
        "Set per preset by MSER-5 (White 1997) on the weekly series (docs/ODD.md, section "
        "5). Fixed for the run: it sets where the reported weeks begin.",
        "Warm-up weeks", "Inloopweken", "organisation", mid_run=False)

    # --- clients -----------------------------------------------------------------------
    need_hours: float = param(
        CALIBRATED["need_hours"], "h", 0.5, 1000,
        "Hours of well-attuned contact a typical client needs to reach the goal. Calibrated.",
        "Need (hours of good contact)", "Hulpvraag (uren goed contact)", "clients",
        prior=Prior(4.0, 36.0, "log-uniform",
                    "Assumption: from a few consultations' worth to weekly sessions for half a"
                    " year; known to its order of magnitude only."))
    need_spread: float = param(
        0.5, "coefficient of variation", 0, 3,
        "Assumption: clients differ in complexity (lognormal).",
        "Spread of need", "Spreiding hulpvraag", "clients")
    openness_mean: float = param(
        CALIBRATED["openness_mean"], "0..1", 0.01, 0.99,
        "Connection is interactive: no relationship without both sides [000]. Calibrated "
        "so that its uncertainty is carried (the Morris screen found it the strongest "
        "assumed constant for the mean bond); the patterns see it mostly through its "
        "product with bond_growth, so they barely pin it down.",
        "Mean openness", "Gemiddelde openheid", "clients",
        prior=Prior(0.3, 0.9, "uniform",
                    "Assumption: on average from rather guarded (sent rather than seeking "
                    "help) to open, never wholly closed or wholly open. No source measures "
                    "it on this scale."))
    motivation_mean: float = param(
        CALIBRATED["motivation_mean"], "0..1", 0.01, 0.99,
        "Motivation drives persistence [002]. Calibrated, though the patterns barely pin "
        "it down: progress, drop-out and showing up each have a calibrated parameter of "
        "their own acting much as it does; its prior's width is carried into every "
        "posterior result.",
        "Mean motivation at arrival", "Gemiddelde motivatie bij instroom", "clients",
        prior=Prior(0.4, 0.8, "uniform",
                    "Assumption: at arrival more motivated than not, short of certain, as "
                    "clients who seek help are; those sent (job seekers) may sit lower in "
                    "the range. No source measures it on this scale."))
    efficacy_mean: float = param(
        0.5, "0..1", 0.01, 0.99,
        "Self-efficacy, confidence in one's own ability [002]. Assumption.",
        "Mean self-efficacy at arrival", "Gemiddeld vertrouwen in eigen kunnen", "clients")
    trait_concentration: float = param(
        6.0, "Beta a + b", 0.5, 1000,
        "Openness, motivation and self-efficacy at arrival are Beta(m s, (1 - m) s) with "
        "the mean m of each and this concentration s (sd about 0.19 at m = 0.5). "
        "Assumption: clients differ widely; no source gives the spread.",
        "Spread of client traits (concentration)", "Spreiding cliëntkenmerken (concentratie)",
        "clients")
    employability_spread: float = param(
        0.0, "coefficient of variation", 0, 10,
        "How much clients differ in how near they stand to the labour market (health, "
        "language, work history, care at home): a lognormal factor, 1 on average, on "
        "each client's weekly chances of finding work, by their own route and by "
        "placement, and through employability_dropout_loading of leaving for other "
        "reasons. For job seekers it makes exits fall with time on the books, as those "
        "nearest the market leave first (the frailty of the mixed proportional hazard "
        "of unemployment duration: Lancaster 1979; Van den Berg 2001): of those on Dutch "
        "social assistance at the end of 2005, 22% of those on it under a year left in "
        "2006, 8% of those on it over three years (CBS 2008, all exits), and half the "
        "register has been on it five years or more (ESB 2023, citing CBS). Assumption "
        "for its size (0, everyone 1, in every preset: not yet fitted; "
        "docs/proposals/work-flows.md, section 9). Only with an own route "
        "(own_goal_rate above 0): the goal must be a job.",
        "Spread of employability", "Spreiding afstand tot werk", "clients")
    employability_dropout_loading: float = param(
        1.0, "exponent", 0, 3,
        "How much employability governs leaving the register for other reasons: a "
        "client's drop-out hazard is scaled by employability to this power (0: not at "
        "all; 1: as much as finding work). CBS counts all exits when it finds them "
        "falling with time on the books, and with the factor on work alone no spread "
        "tried met that (docs/proposals/work-flows.md, section 9); but who leaves for "
        "other reasons (a pension, a partner's income, disability benefit, a move) is "
        "not simply who finds work. Assumption: 1 until fitted to exits by reason and "
        "time on the books.",
        "Employability: weight on drop-out", "Afstand tot werk: gewicht bij uitval",
        "clients")
    waiting_motivation_loss: float = param(
        0.02, "1/week", 0, 1,
        "Waiting erodes motivation (docs/ODD.md, section 3). Assumption.",
        "Motivation lost per week waiting", "Motivatieverlies per week wachten", "clients")
    dropout_base: float = param(
        CALIBRATED["dropout_base"], "1/week", 0, 1,
        "Weekly drop-out hazard of a client with a good-enough bond and middling motivation and "
        "voice. Calibrated (drop-out share, Swift & Greenberg 2012: 19.7%).",
        "Base drop-out hazard", "Basiskans uitval", "clients",
        prior=Prior(0.003, 0.03, "log-uniform",
                    "Assumption: from about 10% to 50% drop-out over an episode, around the "
                    "20% of Swift & Greenberg 2012."))
    dropout_bond_effect: float = param(
        CALIBRATED["dropout_bond_effect"], "log-hazard per unit of the bond's benefit", 0, 20,
        "Weak bonds raise drop-out (Swift & Greenberg 2012): with no bond the hazard is e^(this) "
        "times that with a good-enough one. Calibrated.",
        "Drop-out: effect of bond", "Uitval: effect van de band", "clients",
        prior=Prior(0.0, 3.0, "uniform",
                    "Assumption: from no effect of the bond to a hazard 20 times higher with "
                    "no bond; the sources give the direction, not the size."))
    dropout_motivation_effect: float = param(
        2.0, "log-hazard per unit motivation", 0, 20,
        "Low motivation raises drop-out [002]. Assumption for the size.",
        "Drop-out: effect of motivation", "Uitval: effect van motivatie", "clients")
    dropout_voice_effect: float = param(
        1.0, "log-hazard per unit voice", 0, 20,
        "Unequal, imposed collaboration raises walking away [001]. Assumption for the size.",
        "Drop-out: effect of client voice", "Uitval: effect van regie", "clients")
    setback_rate: float = param(
        0.05, "1/week", 0, 1,
        "Weekly chance of a setback (for job seekers: a rejection) [002]. Assumption.",
        "Setback chance", "Kans op tegenslag", "clients")
    rejection_rate: float = param(
        0.3, "1/week", 0, 1,
        "Weekly chance that a client ready for the goal but not yet placed meets a "
        "rejection, a setback [002]. Assumption.",
        "Rejection chance when ready", "Kans op afwijzing", "clients")
    setback_loss: float = param(
        0.2, "share", 0, 1,
        "Share of motivation a setback takes, buffered by self-efficacy [002]. Assumption.",
        "Motivation lost per setback", "Motivatieverlies per tegenslag", "clients")

    # --- contact -----------------------------------------------------------------------
    contact_norm_hours: float = param(
        0.75, "h/client/week", 0.05, 20,
        "The weekly contact per client the organisation plans for: each professional's "
        "own standard starts here, and workload is felt against it. Assumption: three "
        "quarters of an hour a week for a client in active care (a consultation or home "
        "visit with what surrounds it).",
        "Standard contact per client", "Standaardcontact per cliënt", "contact")
    standard_erosion_weeks: float = param(
        13.0, "weeks", 1, 520,
        "Time for a professional's own standard of contact per client to fall to the "
        "contact actually given when that is less: standards erode toward what pressure "
        "allows (Oliva & Sterman 2001). Assumption: a quarter.",
        "Erosion time of the contact standard", "Erosietijd contactnorm", "contact")
    standard_recovery_weeks: float = param(
        52.0, "weeks", 1, 2600,
        "Time for an eroded standard to climb back toward contact_norm_hours when time "
        "allows: slower than erosion, the asymmetry that lets a shock outlast itself "
        "(Oliva & Sterman 2001). Assumption: a year.",
        "Recovery time of the contact standard", "Hersteltijd contactnorm", "contact")
    max_contact_hours: float = param(
        CALIBRATED["max_contact_hours"], "h/client/week", 0.1, 40,
        "The most one-to-one time a client can use in a week; time beyond it is slack. "
        "Calibrated (care and education; the work preset sets its own).",
        "Maximum contact per client", "Maximaal contact per cliënt", "contact",
        prior=Prior(0.75, 1.5, "uniform",
                    "Assumption: from the care norm itself (contact_norm_hours: no room "
                    "for more than is planned) to twice it (a second consultation or a "
                    "longer visit in a week); below the norm the planned contact could "
                    "not be given."))
    unhurried_hours: float = param(
        CALIBRATED["unhurried_hours"], "h", 0, 5,
        "Open time in a contact at which half its bond-building is lost to hurry: a 15-minute "
        "screening with a fixed questionnaire builds little [000]. Calibrated.",
        "Minimum unhurried time", "Minimale onafgebroken tijd", "contact",
        prior=Prior(0.08, 0.75, "log-uniform",
                    "Assumption: from five minutes to three quarters of an hour of open time "
                    "before a contact feels unhurried [000]."))
    voice_hours_per_client: float = param(
        0.1, "h/client/week", 0, 5,
        "Time plans made together with the client take at full client voice, beside the "
        "contact: equal collaboration takes time of its own [001]. Assumption: six "
        "minutes a week per client. Counted with admin.",
        "Time for joint planning", "Tijd voor samen plannen", "contact")
    show_floor: float = param(
        CALIBRATED["show_floor"], "probability", 0, 1,
        "Chance to show up with no bond and no motivation [000]. Calibrated, with the "
        "other terms of showing up, to the share of appointments missed (Parsons et al. "
        "2021: median 12.9% in primary care; pattern 10). Every miss in the model is "
        "disengagement: outside reasons that keep engaged clients away are not modelled.",
        "Show-up floor", "Minimale opkomst", "contact",
        prior=Prior(0.4, 0.85, "uniform",
                    "Assumption: clients with no bond and no motivation would miss between "
                    "15% and 60% of their appointments."))
    show_bond_weight: float = param(
        CALIBRATED["show_bond_weight"], "0..1", 0, 1,
        "Weight of the bond against motivation in showing up (the rest is motivation). "
        "Calibrated: the share of appointments missed in care constrains it jointly with "
        "show_floor, motivation_mean and the bond's level, which trade against each other.",
        "Show-up: weight of the bond", "Opkomst: gewicht van de band", "contact",
        prior=Prior(0.2, 0.8, "uniform",
                    "Assumption: both the bond with the professional and the client's own "
                    "motivation count in whether a client comes, neither alone."))
    standardisation_admin_uplift: float = param(
        0.5, "share", 0, 5,
        "Full standardisation adds this share to admin (forms, checklists) [000]. "
        "Assumption.",
        "Admin added by standardisation", "Extra administratie door standaardisering",
        "contact")
    max_overtime_hours: float = param(
        6.0, "h/week", 0, 40,
        "Assumption: the most overtime a professional works in a week.",
        "Maximum overtime", "Maximaal overwerk", "contact")

    # --- bond and progress -------------------------------------------------------------
    bond_initial: float = param(
        0.1, "0..1", 0, 1,
        "Bond at the start of care. Assumption.",
        "Initial bond", "Band bij start", "progress")
    bond_growth: float = param(
        CALIBRATED["bond_growth"], "1/week", 0, 1,
        "Largest weekly share of the remaining gap closed by open contact. Calibrated.",
        "Bond growth", "Groei van de band", "progress",
        prior=Prior(0.05, 0.6, "log-uniform",
                    "Assumption: a bond built in two to twenty weeks of open contact."))
    open_hours_scale: float = param(
        0.5, "h", 0.01, 10,
        "Open time in a contact giving 63% of its full bond-building (diminishing "
        "returns). Assumption: half an hour of real attention does most of a week's work.",
        "Open time scale", "Schaal open tijd", "progress")
    bond_decay: float = param(
        CALIBRATED["bond_decay"], "1/week", 0, 1,
        "Share of the bond lost in a week without contact. Calibrated.",
        "Bond decay", "Verval van de band", "progress",
        prior=Prior(0.02, 0.15, "log-uniform",
                    "Assumption: a bond left without contact halves in about four weeks "
                    "(0.15) to eight months (0.02), uncertain by a factor rather than an "
                    "amount. The same share is what a rupture costs the bond (section "
                    "7.3), so it also sets how much a rupture hurts."))
    handover_bond_loss: float = param(
        0.8, "share", 0, 1,
        "A handover mostly resets the bond (docs/ODD.md, section 7.3). Assumption.",
        "Bond lost at handover", "Bandverlies bij overdracht", "progress")
    rupture_rate: float = param(
        CALIBRATED["rupture_rate"], "1/contact", 0, 1,
        "Chance a contact that is all scripted questions closes off a client with no bond [000]; "
        "it falls with the open share of the contact and with the bond; ruptures are common in the "
        "alliance literature (Eubanks et al. 2018). Calibrated.",
        "Rupture chance", "Kans op breuk", "progress",
        prior=Prior(0.05, 0.6, "uniform",
                    "Assumption: a scripted contact closes off from one in twenty to more than"
                    " half of the clients with no bond [000]."))
    rupture_safe_bond: float = param(
        0.5, "0..1", 0.01, 1,
        "Bond at and above which a standard question no longer ruptures. Assumption.",
        "Safe bond", "Veilige band", "progress")
    rupture_openness_loss: float = param(
        0.3, "share", 0, 1,
        "Share of openness lost when a client closes off [000]. Assumption.",
        "Openness lost at rupture", "Verlies openheid bij breuk", "progress")
    voice_openness_gain: float = param(
        0.5, "share", 0, 1,
        "Full client voice closes this share of the openness gap [001][002]. Assumption "
        "for the size: half.",
        "Openness gained from voice", "Openheid door regie", "progress")
    bond_good_enough: float = param(
        CALIBRATED["bond_good_enough"], "0..1", 0.05, 1,
        "Bond at which its benefit to progress is full: good-enough seeing suffices, the "
        "bond need not reach 1 [000]. Calibrated (alliance-outcome correlation, "
        "Flückiger et al. 2018).",
        "Good-enough bond", "Goed-genoeg band", "progress",
        prior=Prior(0.3, 0.8, "uniform",
                    "Assumption: a moderate alliance gives most of its benefit [000]. Low "
                    "in the range, clients whose bond has grown already get all of it and "
                    "the bond matters only early in care and after a rupture; high in it, "
                    "only a near-perfect bond does."))
    early_bond_weeks: int = param(
        4, "weeks", 1, 52,
        "Week of care at which the early alliance is recorded for pattern 4: most studies "
        "in Flückiger et al. (2018) measure it in sessions 3-5.",
        "Week of the early bond", "Week van de vroege band", "progress")
    bond_weight: float = param(
        CALIBRATED["bond_weight"], "0..1", 0, 1,
        "How far progress depends on the bond: learning thanks to connection [000]. Calibrated "
        "(alliance-outcome correlation, Flückiger et al. 2018).",
        "Weight of the bond in progress", "Gewicht van de band", "progress",
        prior=Prior(0.3, 0.95, "uniform",
                    "Assumption: the bond matters, but progress rests neither on it alone nor "
                    "without it [000]."))
    motivation_bond_gain: float = param(
        0.05, "1/week", 0, 1,
        "Weekly rise of motivation with the bond [002]. Assumption.",
        "Motivation from bond", "Motivatie door de band", "progress")
    motivation_progress_gain: float = param(
        1.0, "per unit progress", 0, 10,
        "Progress feeds motivation and self-efficacy (mastery) [002]. Assumption.",
        "Motivation from progress", "Motivatie door vooruitgang", "progress")
    automated_efficacy: float = param(
        0.5, "share", 0, 1,
        "Instrumental yield of automated contact relative to attuned human contact; it "
        "builds no bond [000]. Assumption.",
        "Yield of automated contact", "Opbrengst geautomatiseerd contact", "progress")
    group_lift: float = param(
        0.15, "per session", 0, 1,
        "Share of the motivation and self-efficacy gap one JOBS session closes [002]; "
        "largest for the demoralised.",
        "Group lift per session", "Effect per groepsbijeenkomst", "progress")
    group_cohesion: float = param(
        0.5, "0..1", 0, 1,
        "A safe group stands in for the bond in group work, as if a bond of this "
        "strength [002]. Assumption.",
        "Group safety", "Veiligheid in de groep", "progress")
    group_peer_learning: float = param(
        CALIBRATED["group_peer_learning"], "share", 0, 1,
        "What a member gains from the rest of a session, as a share of the hours: members learn "
        "from each other, so a member gets group_hours x (1/members + this x (1 - 1/members)). "
        "Calibrated (groups about as good as one-to-one, Burlingame et al. 2016).",
        "Peer learning in a group", "Leren van elkaar in de groep", "progress",
        prior=Prior(0.005, 0.08, "log-uniform",
                    "Assumption: a member learns from each other member 0.5% to 8% of a "
                    "session; order of magnitude only."))
    class_reach: float = param(
        0.5, "share", 0, 1,
        "Share of a whole-class lesson that reaches every pupil whatever the size of the "
        "class: listening to instruction is not divided among the pupils, as a "
        "professional's attention in a group session is; a pupil gets class_hours x "
        "(1/pupils + this x (1 - 1/pupils)). Assumption: about half (the rest lost to "
        "attention, a pace that does not fit, waiting for help); not fitted: the class-"
        "size lever (docs/ODD.md, section 8) is held out to test it.",
        "Reach of a class lesson", "Bereik van een klassikale les", "progress")
    placement_base: float = param(
        1.0, "1/week", 0, 1,
        "Weekly chance that a client who is ready reaches the goal without network help; "
        "1 where readiness is the goal (care, school). The work preset's 0.035 is an "
        "assumption: a ready job seeker without help from the caseworker's network finds "
        "work in about 30 weeks (not calibrated).",
        "Placement chance", "Kans op plaatsing", "progress")
    placement_network_gain: float = param(
        0.0, "1/week per unit ties", 0, 1,
        "Extra weekly placement chance from the professional's network ties [003]; 0.05 "
        "in the work preset (assumption: full ties about double the placement rate).",
        "Placement from network", "Plaatsing via netwerk", "progress")
    own_goal_rate: float = param(
        0.0, "1/week", 0, 1,
        "Weekly chance that a client reaches the goal on their own, apart from the "
        "professional, at middling motivation and self-efficacy and no progress: 0 where "
        "the goal is reached only through care or school. Job seekers find most jobs "
        "themselves (SZW, Kamerstuk 28719 nr. 79, 2012); the work preset's 0.002 "
        "(about 10% a year) is an assumption within the 7.3% (2013) to 12% (2008, 2021) "
        "a year of the Dutch social-assistance stock finding work, all routes together "
        "(CBS). Not calibrated: a prior would vary it in care and school as well.",
        "Own route to the goal", "Eigen route naar het doel", "progress")
    own_goal_drive: float = param(
        1.0, "log-hazard per unit of (motivation + self-efficacy) / 2", 0, 5,
        "Motivation and self-efficacy carry the search for work [002]: a client at 0.8 "
        "finds their own way e^(0.6 x this) times as often as one at 0.2. Assumption for "
        "the size, kept modest because job-search intensity and finding work correlate "
        "only modestly (Van Hooft et al. 2021, r = 0.19 over 378 samples; search "
        "intensity, not motivation itself).",
        "Own route: effect of drive", "Eigen route: effect van drijfveer", "progress")
    own_goal_progress_gain: float = param(
        1.0, "multiplier at progress 1", 0, 10,
        "What contact adds to the own route: a client made ready (progress 1) reaches the "
        "goal on their own 1 + this times as often. Assumption: readiness doubles one's "
        "own chances (what a caseworker's whole effect may be is smaller: Rosholm et "
        "al. 2012, +10% employment over two years; Böheim et al. 2023, 31.1% to 34.7% "
        "in work within a year). Not calibrated: pattern 6, which would identify it, is "
        "held out (docs/ODD.md, section 8).",
        "Own route: effect of progress", "Eigen route: effect van voortgang", "progress")
    tie_gain: float = param(
        0.02, "1/h", 0, 1,
        "Ties built per network hour, saturating [003]. Assumption.",
        "Ties per network hour", "Netwerkbanden per uur", "progress")
    tie_decay: float = param(
        0.02, "1/week", 0, 1,
        "Weekly loss of unkept ties. Assumption.",
        "Tie decay", "Verval netwerk", "progress")

    # --- professionals -----------------------------------------------------------------
    starting_experience_weeks: float = param(
        470.0, "weeks", 0, 2600,
        "Mean experience of the starting team, exponentially spread: the tenure a team "
        "has when about 11% leave a year (52 / 0.11 weeks; CBS AZW 2023), so the team "
        "starts near the mix turnover keeps and does not drift.",
        "Mean experience of the starting team", "Gemiddelde ervaring startteam",
        "professionals")
    attunement_new: float = param(
        0.5, "0..1", 0, 1,
        "Attunement (connective skill) of a new hire. Assumption.",
        "Attunement of a new hire", "Afstemming nieuwe medewerker", "professionals")
    attunement_max: float = param(
        0.9, "0..1", 0, 1,
        "Attunement of a very experienced professional. Assumption.",
        "Attunement when experienced", "Afstemming ervaren", "professionals")
    learning_weeks: float = param(
        104.0, "weeks", 1, 2000,
        "Experience giving 63% of the gain in attunement. Assumption (about two years).",
        "Learning time", "Leertijd", "professionals")
    exhaustion_attunement_loss: float = param(
        0.5, "share at full stress", 0, 1,
        "Exhaustion blunts attunement (docs/ODD.md, section 2). Assumption.",
        "Attunement lost to exhaustion", "Afstemmingsverlies door uitputting",
        "professionals")
    stress_base: float = param(
        CALIBRATED["stress_base"], "0..1", 0, 1,
        "Stress of a professional whose week's requirement just fits the contract. "
        "Calibrated with quit_rate_base to the care preset's baseline (burnout complaints "
        "of about 14.5%, NEA 2014, Dutch care; about 11% leaving a year, CBS AZW 2023) "
        "and with the rest to overload (pattern 7).",
        "Base stress", "Basisstress", "professionals",
        prior=Prior(0.4, 0.8, "uniform",
                    "Assumption: a week that just fits the contract is neither restful nor "
                    "exhausting, between 0.4 and 0.8 on the 0..1 scale."))
    stress_workload: float = param(
        CALIBRATED["stress_workload"], "per unit workload", 0, 20,
        "Stress added per unit of the workload felt (the hours the week asks at the "
        "organisation's norm of contact, all admin due, over contract hours), negative "
        "below 1 (a light week relieves) [004]. Calibrated.",
        "Stress from workload", "Stress door werkdruk", "professionals",
        prior=Prior(0.1, 2.0, "log-uniform",
                    "Assumption: a week 10% over contract adds 0.01 to 0.2 to stress; order of"
                    " magnitude only [004]."))
    stress_autonomy: float = param(
        0.1, "per unit standardisation", 0, 5,
        "Stress from lost autonomy under standardisation [004]. Assumption: full "
        "standardisation adds a tenth of the stress scale.",
        "Stress from lost autonomy", "Stress door verlies autonomie", "professionals")
    stress_backlog: float = param(
        0.15, "per waiting client per place", 0, 10,
        "Stress added by the waiting list, per waiting client per place in care "
        "(professionals x cap): the backlog presses on the whole team (Homer 1985; Oliva & "
        "Sterman 2001), up to a waiting list as long as the places. Assumption.",
        "Stress from the waiting list", "Stress door de wachtlijst", "professionals")
    stress_connection_relief: float = param(
        CALIBRATED["stress_connection_relief"], "per unit bond", 0, 5,
        "Connection costs time but gives energy [004]: relief per unit mean bond. Calibrated.",
        "Energy from connection", "Energie uit verbinding", "professionals",
        prior=Prior(0.0, 0.4, "uniform",
                    "Assumption: from no relief to relief as large as the stress of a week 20%"
                    " over contract [004]."))
    stress_spread: float = param(
        CALIBRATED["stress_spread"], "sd", 0, 1,
        "Professionals differ in how much the same week weighs on them: each draws an "
        "offset to the stress level at hire. Calibrated (burnout and turnover, NEA; US "
        "GAO 2003).",
        "Spread in stress between professionals", "Spreiding stress tussen professionals",
        "professionals",
        prior=Prior(0.1, 0.3, "uniform",
                    "Assumption: wide enough that burnout prevalence rises gradually with "
                    "load, as it differs between Dutch sectors (NEA: 14-27%), narrow enough "
                    "that the load still decides who burns out."))
    stress_adaptation: float = param(
        0.1, "1/week", 0, 1,
        "Weekly share of the gap to the load-driven stress level closed (rest recovers). "
        "Assumption: stress follows a changed load over about ten weeks.",
        "Stress adaptation rate", "Aanpassingssnelheid stress", "professionals")
    stress_noise: float = param(
        0.03, "sd per week", 0, 1,
        "Week-to-week variation between professionals. Assumption.",
        "Stress noise", "Ruis in stress", "professionals")
    burnout_threshold: float = param(
        CALIBRATED["burnout_threshold"], "0..1", 0, 1,
        "Stress above which burnout can start (docs/ODD.md, section 7.8). Calibrated.",
        "Burnout threshold", "Drempel burn-out", "professionals",
        prior=Prior(0.5, 0.9, "uniform",
                    "Assumption: burnout starts somewhere in the upper half of the stress "
                    "scale."))
    burnout_hazard: float = param(
        0.05, "1/week", 0, 1,
        "Weekly burnout chance at full stress, rising linearly above the threshold. "
        "Assumption: a professional at full stress falls out within about five months.",
        "Burnout hazard", "Kans op burn-out", "professionals")
    quit_rate_base: float = param(
        CALIBRATED["quit_rate_base"], "1/year", 0, 1,
        "Annual turnover at or below base stress: ordinary staff turnover (moves, "
        "retirement). Calibrated with stress_base to about 11% a year in the care preset "
        "(CBS AZW 2023: 11% outflow from Dutch care).",
        "Base turnover", "Basisverloop", "professionals",
        prior=Prior(0.03, 0.15, "uniform",
                    "Assumption: ordinary turnover from 3% to 15% a year; the 11% outflow "
                    "of CBS AZW 2023 includes what stress adds."))
    quit_stress_effect: float = param(
        CALIBRATED["quit_stress_effect"], "log-hazard per unit stress", 0, 20,
        "Stress above base raises quitting: at full stress e^(this x 0.4) times the ordinary rate. "
        "Calibrated (turnover under overload, US GAO 2003).",
        "Turnover: effect of stress", "Verloop: effect van stress", "professionals",
        prior=Prior(2.0, 10.0, "uniform",
                    "Assumption: at full stress, quitting 2 to 55 times the ordinary rate "
                    "(e^(0.4 x 2) to e^(0.4 x 10))."))

    def __post_init__(self) -> None:
        for name, (_, kind, _) in specs().items():
            value = getattr(self, name)
            check_value(name, value)
            if kind is not bool:
                object.__setattr__(self, name, kind(value))  # 36 and 36.0 alike
        for limit in LIMITS:
            if limit.broken(self):
                raise ParameterError(limit.message(self), limit)
        if self.school_year_weeks and self.own_goal_rate:
            raise ParameterError(
                f"own_goal_rate={self.own_goal_rate:g} must be 0 in school years "
                f"(school_year_weeks={self.school_year_weeks}): pupils leave at the year's "
                "end, having reached its goals or not")
        if self.employability_spread and not self.own_goal_rate:
            raise ParameterError(
                f"employability_spread={self.employability_spread:g} needs an own route "
                "(own_goal_rate above 0): employability is distance to the labour market, "
                "for clients whose goal is a job")

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> Parameters:
        """Build parameters from defaults updated with ``values``.

        Raises:
            ParameterError: For an unknown name (with the closest known name) or a value
                of the wrong type or out of range.
        """
        for name in values:
            check_name(name)
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """The parameters as a plain ``{name: value}`` dict, in declaration order."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


#: The combinations of values that cannot be, checked whenever parameters are built.
LIMITS = (
    Limit("admin_hours_fixed", "hours_per_week", False,
          "fixed admin must fit in the contract week",
          "de vaste administratie moet binnen de contracturen passen"),
    Limit("class_hours", "hours_per_week", False,
          "class teaching must fit in the contract week",
          "de klassikale les moet binnen de contracturen passen"),
    Limit("attunement_new", "attunement_max", False,
          "new hires cannot be more attuned than veterans",
          "nieuwe medewerkers kunnen niet beter afgestemd zijn dan ervaren collega's"),
)


@cache
def specs() -> Mapping[str, tuple[Any, type, Spec]]:
    """Every parameter's ``(default, type, spec)`` by name, in declaration order.

    Built once (read-only): every parameter set checks its values against it.
    """
    kinds = {"int": int, "float": float, "bool": bool}
    return MappingProxyType({f.name: (f.default, kinds[f.type], f.metadata["spec"])
                             for f in fields(Parameters) if f.default is not MISSING})


def check_name(name: str) -> None:
    """Refuse an unknown parameter name, suggesting the closest known one.

    Raises:
        ParameterError: If ``name`` is not a declared parameter.
    """
    known = specs()
    if name not in known:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else "; see docs/ODD.md for the list"
        raise ParameterError(f"unknown parameter '{name}'{hint}")


def check_value(name: str, value: Any) -> None:
    """Refuse a value of the wrong type or outside the declared range.

    Raises:
        ParameterError: Naming the parameter, the value and what is allowed.
    """
    _, kind, spec = specs()[name]
    if kind is bool:
        if not isinstance(value, bool):
            raise ParameterError(f"{name}={value!r} must be true or false")
        return
    wrong_type = isinstance(value, bool) or not isinstance(value, int | float) or (
        kind is int and isinstance(value, float) and math.isfinite(value)
        and not value.is_integer())
    if wrong_type:
        expected = "a whole number" if kind is int else "a number"
        raise ParameterError(f"{name}={_shown(value)} must be {expected} in "
                             f"{_allowed(spec)}")
    if not spec.low <= value <= spec.high:  # exact for ints of any size; false for NaN
        raise ParameterError(f"{name}={_shown(value)} is out of range; allowed "
                             f"{_allowed(spec)}")


def _shown(value: Any) -> str:
    """A value as a message shows it: short, whatever its size or type."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        if value.bit_length() > 14_000:  # past Python's 4,300-digit limit for str()
            return "a whole number of over 4,000 digits"
        digits = str(abs(value))  # too large for a float: scientific notation by hand
        return f"{'-' if value < 0 else ''}{digits[0]}.{digits[1:4]}e+{len(digits) - 1}"
    if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
        return repr(value)  # all its digits: 104.0000000000001 is not shown as 104
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _allowed(spec: Spec) -> str:
    unit = "" if spec.unit == "0..1" else f" {spec.unit}"
    return f"[{spec.low:g}, {spec.high:g}]{unit}"


def parse_value(name: str, text: str) -> Any:
    """Convert the text of a ``--set NAME=VALUE`` to the parameter's type.

    Raises:
        ParameterError: If the name is unknown or the text is not of the right type.
    """
    check_name(name)
    _, kind, spec = specs()[name]
    lowered = text.strip().lower()
    if kind is bool:
        if lowered in ("true", "yes", "on", "1"):
            return True
        if lowered in ("false", "no", "off", "0"):
            return False
        raise ParameterError(f"{name}={text!r} must be true or false")
    try:
        number = float(lowered)
    except ValueError:
        raise ParameterError(f"{name}={text!r} must be a number in {_allowed(spec)}"
                             ) from None
    if kind is int and number.is_integer():
        return int(number)
    return number
