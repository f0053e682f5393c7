"""The Learn page: what the model is, how it works, and what to try in class.

The description is drawn from docs/ODD.md so it cannot drift; each exercise names the
preset to load.
"""

from __future__ import annotations

import re
from pathlib import Path

import solara

ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"

EXERCISES = {
    "en": """## Things to try in class

1. **Where does the time go?** Load `care`, press Play, and watch the time split: about
   a third goes to admin. Now load `care-admin-automation`. What happens to the bond and
   the waiting list?
2. **The tipping point.** In `care`, raise *arrivals per week* a little at a time and press
   Reset.
   Outcomes hold, then suddenly fall. Why does a small rise tip the system?
3. **Scripts and bonds.** Compare `care` with `care-standardised`. The same staff, more
   protocol: watch the open contact and the bond in one professional's week.
4. **Who looks after the carers?** Load `care-high-caseload`. Watch stress, burnout and the
   clients handed over when someone falls ill.
5. **Groups.** Compare `work` with `work-jobs` on the Compare page.
6. **Networks.** Compare `work` with `work-network`: four hours a week for employers.
""",
    "nl": """## Om in de klas te proberen

1. **Waar gaat de tijd heen?** Laad `care`, druk op Afspelen en kijk naar de tijdsbesteding:
   ongeveer een derde gaat naar administratie. Laad nu `care-admin-automation`. Wat gebeurt
   er met de band en de wachtlijst?
2. **Het kantelpunt.** Verhoog in `care` stap voor stap de *instroom per week* en druk op
   Opnieuw. De uitkomsten houden stand en vallen dan ineens terug. Waarom kantelt het systeem?
3. **Protocollen en de band.** Vergelijk `care` met `care-standardised`. Hetzelfde personeel, meer
   protocol: let op het open contact en de band in de week van één professional.
4. **Wie zorgt voor de zorgverleners?** Laad `care-high-caseload`. Let op stress, burn-out en
   cliënten die worden overgedragen als iemand uitvalt.
5. **Groepen.** Vergelijk `work` met `work-jobs` op de pagina Vergelijken.
6. **Netwerken.** Vergelijk `work` met `work-network`: vier uur per week voor werkgevers.
""",
}

INTRO = {
    "en": "The text below is the model's own description (docs/ODD.md, sections 1, 3 and "
          "the references).",
    "nl": "Hieronder staat de beschrijving van het model zelf (docs/ODD.md, in het Engels: "
          "doel, weekvolgorde en bronnen).",
}


def odd_sections(*numbers: str) -> str:
    """The ODD sections with these numbers (e.g. "1", "3") and the references."""
    text = ODD.read_text(encoding="utf-8")
    parts = re.split(r"(?m)^## ", text)
    keep = [p for p in parts if p.split(".", 1)[0] in numbers or p.startswith("References")]
    return "\n".join("## " + p for p in keep)


@solara.component
def Learn(lang: str):
    """The Learn page."""
    with solara.Column(style={"font-size": "18px", "max-width": "1000px", "padding": "12px"}):
        solara.Markdown(EXERCISES.get(lang, EXERCISES["en"]))
        solara.Markdown(f"*{INTRO.get(lang, INTRO['en'])}*")
        solara.Markdown(odd_sections("1", "3"))
