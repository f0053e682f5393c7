"""The Learn page: what the model is, how it works, and what to try in class.

In English and Dutch, in plain words (no parameter or code names); each exercise has a
button that opens its preset in Explore or its comparison in Compare. The reference
list is drawn from docs/ODD.md, so every source the model cites is in it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import solara

from ui.i18n import t

ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"

#: Exercises for class: (title, what to do and ask, the page and scenarios to open).
EXERCISES = {
    "en": (
        ("Where does the time go?", "Press Play and watch the hours per professional: "
         "about a third goes to administration. Then open the care practice with half "
         "its admin automated. What happens to the bond and the waiting list?",
         ("explore", ["care"])),
        ("The tipping point", "Raise the arrivals per week a little at a time and press "
         "Reset each time. Outcomes hold, then suddenly fall. Why does a small rise tip "
         "the system?", ("explore", ["care"])),
        ("Scripts and bonds", "The same staff with more protocol: compare the two and "
         "look at open contact and the bond.", ("compare", ["care", "care-standardised"])),
        ("Who looks after the carers?", "A fifth fewer staff for the same patients: watch "
         "stress, burnout and the patients handed over when someone falls ill.",
         ("explore", ["care-high-caseload"])),
        ("Groups", "A JOBS group on top of one-to-one help for job seekers: who gains most?",
         ("compare", ["work", "work-jobs"])),
        ("Networks", "Four hours a week for employers: sooner placements, at what cost in "
         "contact?", ("compare", ["work", "work-network"])),
        ("What does it cost, what does it buy?", "Software that takes over half the "
         "paperwork has a price. Compare the two practices and read the line on money: "
         "does the time it gives back pay for itself in patients helped, or only in less "
         "overtime?", ("compare", ["care", "care-admin-automation"])),
    ),
    "nl": (
        ("Waar gaat de tijd heen?", "Druk op Afspelen en kijk naar de uren per "
         "professional: ongeveer een derde gaat naar administratie. Open daarna de "
         "praktijk waar de helft van de administratie is geautomatiseerd. Wat gebeurt er "
         "met de band en de wachtlijst?", ("explore", ["care"])),
        ("Het kantelpunt", "Verhoog stap voor stap de instroom per week en druk telkens op "
         "Opnieuw. De uitkomsten houden stand en vallen dan ineens terug. Waarom kantelt "
         "het systeem?", ("explore", ["care"])),
        ("Protocollen en de band", "Hetzelfde personeel, meer protocol: vergelijk de twee "
         "en let op het open contact en de band.", ("compare", ["care", "care-standardised"])),
        ("Wie zorgt voor de zorgverleners?", "Een vijfde minder personeel voor dezelfde "
         "patiënten: let op stress, burn-out en patiënten die worden overgedragen als "
         "iemand uitvalt.", ("explore", ["care-high-caseload"])),
        ("Groepen", "Een JOBS-groep bovenop de begeleiding van werkzoekenden: wie heeft er "
         "het meeste aan?", ("compare", ["work", "work-jobs"])),
        ("Netwerken", "Vier uur per week voor werkgevers: sneller aan het werk, maar wat "
         "kost het aan contact?", ("compare", ["work", "work-network"])),
        ("Wat kost het, wat levert het op?", "Software die de helft van het papierwerk "
         "overneemt kost geld. Vergelijk de twee praktijken en lees de regel over geld: "
         "betaalt de teruggegeven tijd zich terug in geholpen patiënten, of alleen in "
         "minder overwerk?", ("compare", ["care", "care-admin-automation"])),
    ),
}

#: How the model works, in plain words.
HOW_IT_WORKS = {
    "en": """## How the model works

Each professional (a GP or nurse, a teacher, a caseworker) has a week of contract hours
and a caseload of clients (patients, pupils, job seekers). Every simulated week:

1. New clients arrive and wait until a professional has room for them.
2. The professional's hours go first to administration, then to the network of
   employers and other services, then to contact with clients.
3. In each contact the standard questions and forms come first; only the time left
   is open, unhurried contact.
4. Only open, unhurried contact builds the bond between client and professional;
   without contact it fades, and an abrupt standard question can break a weak one.
5. A good bond makes a client progress, stay motivated and stay on: clients with
   weak bonds drop out more often.
6. A professional whose week does not fit grows stressed; connection with clients
   relieves stress; too much stress means burnout and sick leave, or leaving the job.
   Their clients are then handed over to colleagues, who get busier still.

That is why caseload, paperwork, protocols, automation and group programmes all end up
in the same place: the unhurried time a professional has for each client. The model's
parameters that no source fixes were fitted to what studies report (about a third of
time on administration, one in five clients dropping out, turnover and burnout in
care, and more); the model says how sure it is of each result.
""",
    "nl": """## Hoe het model werkt

Elke professional (een huisarts of verpleegkundige, een leraar, een klantmanager) heeft
een week met contracturen en een caseload van cliënten (patiënten, leerlingen,
werkzoekenden). Elke gesimuleerde week:

1. Nieuwe cliënten melden zich aan en wachten tot een professional plek heeft.
2. De uren van de professional gaan eerst naar administratie, dan naar het netwerk
   van werkgevers en andere diensten, dan naar contact met cliënten.
3. In elk contact komen eerst de standaardvragen en formulieren; alleen de tijd die
   overblijft is open, onverhaast contact.
4. Alleen open, onverhaast contact bouwt de band tussen cliënt en professional; zonder
   contact vervaagt die, en een abrupte standaardvraag kan een zwakke band breken.
5. Een goede band laat een cliënt vooruitgaan, gemotiveerd blijven en blijven:
   cliënten met een zwakke band vallen vaker uit.
6. Een professional bij wie de week niet past, raakt gestrest; verbinding met cliënten
   verlicht stress; te veel stress betekent burn-out en ziekteverzuim, of vertrek.
   Hun cliënten gaan dan naar collega's, die het nog drukker krijgen.

Daarom komen caseload, administratie, protocollen, automatisering en
groepsprogramma's allemaal op hetzelfde uit: de onverhaaste tijd die een professional
per cliënt heeft. De parameters van het model die geen bron vastlegt, zijn afgestemd
op wat onderzoek laat zien (ongeveer een derde van de tijd administratie, een op de
vijf cliënten die uitvalt, verloop en burn-out in de zorg, en meer); het model zegt
bij elk resultaat hoe zeker het is.
""",
}


def odd_sections(*numbers: str) -> str:
    """The ODD sections with these numbers (e.g. "1", "3") and the references."""
    text = ODD.read_text(encoding="utf-8")
    parts = re.split(r"(?m)^## ", text)
    keep = [p for p in parts if p.split(".", 1)[0] in numbers or p.startswith("References")]
    return "\n".join("## " + p for p in keep)


def exercise_address(page: str, scenarios: list[str], lang: str) -> str:
    """The page address that opens an exercise's preset or comparison."""
    if page == "explore":
        return "/?" + urlencode({"lang": lang, "preset": scenarios[0]})
    return "/compare?" + urlencode({"lang": lang, "s": ",".join(scenarios), "run": 1})


@solara.component
def Learn(lang: str):
    """The Learn page."""
    router = solara.use_router()
    with solara.Column(style={"font-size": "18px", "max-width": "1000px", "padding": "12px"}):
        solara.Markdown(f"## {t('learn_try', lang)}")
        for number, (title, text, (page, scenarios)) in enumerate(
                EXERCISES.get(lang, EXERCISES["en"]), start=1):
            address = exercise_address(page, scenarios, lang)
            with solara.Column(style={"gap": "4px", "margin-bottom": "12px"}):
                solara.Markdown(f"**{number}. {title}** {text}")
                solara.Button(t(f"learn_open_{page}", lang).format(
                    names=" / ".join(scenarios)), text=True, color="primary",
                    on_click=lambda address=address: router.push(address))
        with solara.Column(style={"gap": "4px", "margin-bottom": "12px"}):
            solara.Markdown(t("learn_class", lang))
            solara.Button(t("learn_open_class", lang), text=True, color="primary",
                          on_click=lambda: router.push(f"/class?lang={lang}"))
        solara.Markdown(HOW_IT_WORKS.get(lang, HOW_IT_WORKS["en"]))
        solara.Markdown(f"*{t('learn_odd', lang)}*")
        solara.Markdown(odd_sections())
