"""Every piece of UI text in English and Dutch.

Parameter labels come from their declaration in :mod:`model.parameters`, metric labels
from :mod:`model.metrics`.
"""

from __future__ import annotations

from experiments.compare import WEEKLY_PANELS, WORDS
from model.metrics import METRICS
from model.parameters import specs

LANGUAGES = ("en", "nl")

TEXT = {
    "title": ("Verbinding: workload versus connection", "Verbinding: werkdruk versus verbinding"),
    "explore": ("Explore", "Verkennen"),
    "compare": ("Compare", "Vergelijken"),
    "learn": ("Learn", "Uitleg"),
    "language": ("Nederlands", "English"),
    "preset": ("Preset", "Voorinstelling"),
    "seed": ("Seed", "Startgetal (seed)"),
    "week": ("Week", "Week"),
    "outcomes": ("Clients and professionals", "Cliënten en professionals"),
    "panel_bond": ("Bond and motivation (0..1)", "Band en motivatie (0..1)"),
    "panel_exits": ("Goals and drop-outs per week", "Doelen en uitval per week"),
    "panel_queue": ("Waiting and in care", "Wachtend en in zorg"),
    "panel_staff": ("Stress and burnout (0..1)", "Stress en burn-out (0..1)"),
    "click_hint": ("Click a professional or a client to inspect it.",
                   "Klik op een professional of cliënt om die te bekijken."),
    "client": ("Client", "Cliënt"),
    "professional_state": ("stress {stress:.2f}, {weeks:.0f} weeks of experience, {clients} "
                           "clients, {burnouts} burnout(s)",
                           "stress {stress:.2f}, {weeks:.0f} weken ervaring, {clients} "
                           "cliënten, {burnouts} keer burn-out"),
    "client_state": ("bond {bond:.2f}, motivation {motivation:.2f}, self-efficacy "
                     "{efficacy:.2f}, openness {openness:.2f}, progress {progress:.2f}, "
                     "handovers {handovers}",
                     "band {bond:.2f}, motivatie {motivation:.2f}, vertrouwen in eigen "
                     "kunnen {efficacy:.2f}, openheid {openness:.2f}, voortgang "
                     "{progress:.2f}, overdrachten {handovers}"),
    "client_left": ("has left: {reason}", "is vertrokken: {reason}"),
    "staff": ("Professionals", "Professionals"),
    "time_split": ("Hours per professional per week", "Uren per professional per week"),
    "network": ("Professionals and their clients", "Professionals en hun cliënten"),
    "one_week": ("One professional's week", "De week van één professional"),
    "inspect": ("Inspect a professional", "Bekijk een professional"),
    "mean_bond": ("mean bond", "gemiddelde band"),
    "mean_motivation": ("mean motivation", "gemiddelde motivatie"),
    "goals": ("goals reached (per week)", "doel bereikt (per week)"),
    "dropouts": ("drop-outs (per week)", "uitvallers (per week)"),
    "waiting": ("waiting", "wachtend"),
    "in_care": ("in care", "in zorg"),
    "mean_stress": ("mean stress", "gemiddelde stress"),
    "burnout_share": ("burnout (share of staff)", "burn-out (aandeel)"),
    "admin": ("admin", "administratie"),
    "network_hours": ("network", "netwerk"),
    "open": ("open contact", "open contact"),
    "scripted": ("scripted contact", "gescript contact"),
    "group": ("group", "groep"),
    "slack": ("unused", "onbenut"),
    "overtime": ("of which overtime", "waarvan overwerk"),
    "working": ("working", "werkt"),
    "sick": ("on sick leave", "ziek"),
    "vacant": ("vacant", "vacature"),
    "no_model": ("Press Reset to start.", "Druk op Opnieuw om te beginnen."),
    "controls": ("Controls", "Bediening"),
    "settings": ("Settings", "Instellingen"),
    "settings_hint": ("New settings take effect at the next Reset.",
                      "Nieuwe instellingen gelden vanaf de volgende keer Opnieuw."),
    "reset": ("Reset", "Opnieuw"),
    "play": ("Play", "Afspelen"),
    "pause": ("Pause", "Pauze"),
    "step": ("Step", "Stap"),
    "pause_ms": ("Pause between steps (ms)", "Pauze tussen stappen (ms)"),
    "weeks_per_step": ("Weeks per step", "Weken per stap"),
    "not_started": ("Not started", "Niet gestart"),
    "bad_seed": ("the seed must be a whole number of 0 or more",
                 "het startgetal moet een geheel getal van 0 of meer zijn"),
    "must_be_below": ("must be below", "moet lager zijn dan"),
    "exceeds": ("exceeds", "is hoger dan"),
    "scenarios": ("Scenarios (the first is the base)", "Scenario's (de eerste is de basis)"),
    "replicates": ("Replicates", "Herhalingen"),
    "weeks": ("Weeks", "Weken"),
    "run": ("Run comparison", "Vergelijking starten"),
    "cancel": ("Cancel", "Annuleren"),
    "running": ("Running", "Bezig"),
    "cancelled": ("Cancelled.", "Geannuleerd."),
    "pick": ("Pick 2 to 4 scenarios.", "Kies 2 tot 4 scenario's."),
    "metric": ("Outcome", "Uitkomst"),
    "difference": ("Difference from the base (paired 95% interval)",
                   "Verschil met de basis (gepaard 95%-interval)"),
    "download_csv": ("Download table (CSV)", "Tabel downloaden (CSV)"),
    "download_png": ("Download chart (PNG)", "Grafiek downloaden (PNG)"),
    "share": ("Link to this comparison", "Link naar deze vergelijking"),
    "upload": ("Upload a scenario file (TOML)", "Scenariobestand uploaden (TOML)"),
    "download_scenario": ("Download these settings as a scenario (TOML)",
                          "Deze instellingen downloaden als scenario (TOML)"),
    "save_as": ("Save these settings for Compare as",
                "Bewaar deze instellingen voor Vergelijken als"),
    "saved": ("Saved as scenario", "Bewaard als scenario"),
    "error": ("Problem", "Probleem"),
    "nothing_to_compare": ("Without the base and one other scenario there is nothing to "
                           "compare; the comparison shown before (if any) is kept.",
                           "Zonder de basis en nog een scenario valt er niets te "
                           "vergelijken; de vorige vergelijking (als die er was) blijft "
                           "staan."),
    "scenario": ("Scenario", "Scenario"),
    "value": ("Value", "Waarde"),
    "base": ("base", "basis"),
    "missing": ("n/a", "n.v.t."),
    "fig_mean_bond": ("Mean bond (clients in care)", "Gemiddelde band (cliënten in zorg)"),
    "fig_goals": ("Goals reached per week", "Doelen bereikt per week"),
    "fig_waiting": ("Clients waiting", "Wachtende cliënten"),
    "fig_mean_stress": ("Mean stress (working professionals)",
                        "Gemiddelde stress (werkende professionals)"),
    "fig_burnout_share": ("Burnout (share of staff)", "Burn-out (aandeel personeel)"),
    "fig_connective_hours": ("Connective hours per week", "Verbindende uren per week"),
    "weekly_title": ("Weekly medians with 50% and 90% bands over replicates",
                     "Wekelijkse medianen met 50%- en 90%-banden over herhalingen"),
}


def t(key: str, lang: str) -> str:
    """The text ``key`` in ``lang`` (English if the language is unknown)."""
    english, dutch = TEXT[key]
    return dutch if lang == "nl" else english


#: Units in Dutch, for those the app shows (the levers' units); others stay as declared.
UNITS_NL = {
    "persons": "personen", "clients": "cliënten", "clients/professional": "cliënten per "
    "professional", "clients/week": "cliënten/week", "h": "uur", "h/week": "uur/week",
    "h/client/week": "uur per cliënt per week", "weeks": "weken", "sessions": "sessies",
    "EUR/h": "euro/uur",
}


def parameter_label(name: str, lang: str) -> str:
    """A parameter's label with its unit, from its declaration."""
    _, _, spec = specs()[name]
    if spec.unit in ("on/off", "0..1"):
        return spec.nl if lang == "nl" else spec.en
    if lang == "nl":
        return f"{spec.nl} ({UNITS_NL.get(spec.unit, spec.unit)})"
    return f"{spec.en} ({spec.unit})"


def metric_label(name: str, lang: str) -> str:
    """A metric's label, from its declaration."""
    metric = next(m for m in METRICS if m.name == name)
    return metric.nl if lang == "nl" else metric.en


def refusal(error: ValueError, lang: str) -> str:
    """Why a model could not be built from the settings, in the page's language.

    A broken :class:`~model.parameters.Limit` is explained with the sliders' labels and
    its declared reason; other messages are shown as the model gives them (in English).
    """
    limit = getattr(error, "limit", None)
    if limit is None:
        return str(error)
    relation = t("must_be_below" if limit.strict else "exceeds", lang)
    return (f"{parameter_label(limit.low, lang)} {relation} "
            f"{parameter_label(limit.high, lang)}: {limit.nl if lang == 'nl' else limit.en}")


#: The plain words of a comparison (``experiments.compare.in_words``) per language.
COMPARISON_WORDS = {
    "en": WORDS,
    "nl": {"more": "meer", "less": "minder", "interval": "95%-interval", "to": "tot",
           "unclear": "geen duidelijk verschil", "single": "één herhaling: geen interval",
           "missing": "n.v.t."},
}


def figure_headings(lang: str) -> dict[str, str]:
    """The panel headings of the weekly comparison figure, by figure name."""
    return {name: t(f"fig_{name}", lang) for name, _ in WEEKLY_PANELS}
