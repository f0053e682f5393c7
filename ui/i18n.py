"""Every piece of UI text in English and Dutch.

Parameter labels come from their declaration in :mod:`model.parameters`, metric labels
from :mod:`model.metrics`.
"""

from __future__ import annotations

import re

from experiments.compare import WEEKLY_PANELS, WORDS
from experiments.handout import TEXTS as HANDOUT_EN
from model.metrics import METRICS
from model.parameters import LIMITS, specs

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
    "week_warmup": ("Week (up to {n}: warm-up)", "Week (t/m {n}: inloop)"),
    "reported_week": ("Reported week (after the warm-up)", "Gerapporteerde week (na de inloop)"),
    "outcomes": ("Clients and professionals", "Cliënten en professionals"),
    "panel_bond": ("Bond and motivation (0..1)", "Band en motivatie (0..1)"),
    "panel_exits": ("Goals and drop-outs per week", "Doelen en uitval per week"),
    "panel_queue": ("Waiting and in care", "Wachtend en in zorg"),
    "panel_staff": ("Stress and burnout (0..1)", "Stress en burn-out (0..1)"),
    "click_hint": ("Click a professional or a client to inspect it.",
                   "Klik op een professional of cliënt om die te bekijken."),
    "network_shows": ("It shows the first {shown} of {total} professionals.",
                      "Het toont de eerste {shown} van {total} professionals."),
    "client": ("Client", "Cliënt"),
    "bond": ("bond", "band"),
    "kind": ("time for", "tijd voor"),
    "hours": ("hours", "uren"),
    "hours_unit": ("h", "uur"),
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
    "goal": ("goal reached", "doel bereikt"),
    "dropout": ("dropped out", "uitgevallen"),
    "year_end": ("year ended short of its goals", "jaar geëindigd zonder de doelen"),
    "client_left": ("has left: {reason}", "is vertrokken: {reason}"),
    "time_split": ("Hours per professional per week", "Uren per professional per week"),
    "network": ("Professionals and their clients", "Professionals en hun cliënten"),
    "one_week": ("One professional's week", "De week van één professional"),
    "inspect": ("Inspect a professional", "Bekijk een professional"),
    "mean_bond": ("mean bond", "gemiddelde band"),
    "mean_motivation": ("mean motivation", "gemiddelde motivatie"),
    "goals": ("goals reached (per week)", "doel bereikt (per week)"),
    "dropouts": ("drop-outs (per week)", "uitvallers (per week)"),
    "year_ends": ("goals missed (per week)", "doelen gemist (per week)"),
    "waiting": ("waiting", "wachtend"),
    "in_care": ("in care", "in zorg"),
    "mean_stress": ("mean stress", "gemiddelde stress"),
    "burnout_share": ("burnout (share of staff)", "burn-out (aandeel)"),
    "admin": ("admin", "administratie"),
    "network_hours": ("network", "netwerk"),
    "open": ("open contact", "open contact"),
    "scripted": ("scripted contact", "gescript contact"),
    "group": ("group", "groep"),
    "teaching": ("class teaching", "klassikale les"),
    "slack": ("unused", "onbenut"),
    "overtime": ("of which overtime", "waarvan overwerk"),
    "working": ("working", "werkt"),
    "sick": ("on sick leave", "ziek"),
    "vacant": ("vacant", "vacature"),
    "controls": ("Controls", "Bediening"),
    "settings": ("Settings", "Instellingen"),
    "monitor_waiting": ("waiting now", "wachten nu"),
    "monitor_goal_share": ("of leavers reached their goal", "van wie vertrok bereikte het doel"),
    "monitor_burnout": ("of staff burnt out now", "van het personeel nu opgebrand"),
    "apply_now": ("Apply from the next week", "Toepassen vanaf de volgende week"),
    "only_on_reset": ("{names} can change only with Reset", "{names} kan alleen met Opnieuw "
                      "veranderen"),
    "learn_try": ("Things to try in class", "Om in de klas te proberen"),
    "learn_open_explore": ("Open {names} in Explore", "Open {names} in Verkennen"),
    "learn_open_compare": ("Compare {names}", "Vergelijk {names}"),
    "learn_odd": ("The model's full technical description (ODD protocol, in English) is "
                  "docs/ODD.md, which ships with the model. The sources it rests on:",
                  "De volledige technische beschrijving van het model (ODD-protocol, in het "
                  "Engels) is docs/ODD.md, dat bij het model hoort. De bronnen waarop het "
                  "rust:"),
    "presentation": ("Presentation mode", "Presentatiemodus"),
    "leave_presentation": ("Leave presentation mode", "Presentatiemodus verlaten"),
    "run_ended": ("The run has ended: all its weeks are done. Reset to run again.",
                  "De run is klaar: alle weken zijn gedaan. Opnieuw om weer te starten."),
    "waiting_for_reset": ("Waiting for Reset", "Wacht op Opnieuw"),
    "model_runs": ("running", "nu"),
    "not_a_number": ("not a number", "geen getal"),
    "allowed": ("allowed", "toegestaan"),
    "classroom_size": ("Runs here at classroom size: {professionals} of its {own} "
                       "professionals, {arrivals} of its {own_arrivals} arrivals a week. "
                       "Compare and the command line run it at full size.",
                       "Draait hier op klasgrootte: {professionals} van de {own} "
                       "professionals, {arrivals} van de {own_arrivals} aanmeldingen per "
                       "week. Vergelijken en de opdrachtregel draaien het op ware grootte."),
    "changes_kept": ("The changes made mid-run are kept as events from the week they "
                     "took effect ({kept}); those made in the warm-up are not ({warmup}).",
                     "De wijzigingen tijdens de run worden bewaard als gebeurtenissen vanaf de "
                     "week waarin ze ingingen ({kept}); die in de inloop niet ({warmup})."),
    "saved_full_size": ("Saved at full size (ten times the team and arrivals here).",
                        "Bewaard op ware grootte (tien keer het team en de aanmeldingen hier)."),
    "settings_hint": ("New settings take effect at the next Reset.",
                      "Nieuwe instellingen gelden vanaf de volgende keer Opnieuw."),
    "reset": ("Reset", "Opnieuw"),
    "play": ("Play", "Afspelen"),
    "pause": ("Pause", "Pauze"),
    "step": ("Step", "Stap"),
    "pause_ms": ("Pause between steps (ms)", "Pauze tussen stappen (ms)"),
    "weeks_per_step": ("Weeks per step", "Weken per stap"),
    "not_started": ("Not started", "Niet gestart"),
    "must_be_below": ("must be below", "moet lager zijn dan"),
    "exceeds": ("exceeds", "is hoger dan"),
    "scenarios": ("Scenarios (the first is the base)", "Scenario's (de eerste is de basis)"),
    "replicates": ("Replicates", "Herhalingen"),
    "unsure": ("Include what the model is unsure of", "Neem mee wat het model niet zeker weet"),
    "unsure_explained": (
        "Each replicate ran with other plausible values of the model's uncertain "
        "parameters (drawn from its calibration, the same in every scenario), twice. The "
        "intervals hold both what the model does not know and chance, and say how much of "
        "the spread is the former: more replicates would not narrow that part. Only values "
        "with which the preset teams stay busy but below their tipping point are drawn.",
        "Elke herhaling liep met andere aannemelijke waarden van de onzekere parameters van "
        "het model (getrokken uit de kalibratie, in elk scenario dezelfde), twee keer. De "
        "intervallen bevatten zowel wat het model niet weet als toeval, en zeggen hoeveel "
        "van de spreiding het eerste is: meer herhalingen maken dat deel niet smaller. "
        "Alleen waarden waarmee de teams van de presets druk zijn maar onder hun kantelpunt "
        "blijven, worden getrokken."),
    "unsure_few": (
        "With fewer than {least} replicates the intervals assume the effects spread evenly "
        "about their mean, so a lopsided effect's interval may reach values no run gives; "
        "{default} replicates read each interval off the runs' own effects.",
        "Met minder dan {least} herhalingen gaan de intervallen ervan uit dat de effecten "
        "gelijk rond hun gemiddelde spreiden, zodat het interval van een scheef effect "
        "waarden kan bereiken die geen run geeft; met {default} herhalingen komt elk "
        "interval uit de effecten van de runs zelf."),
    "unsure_missing": ("No calibration ships with this copy: the intervals hold chance only.",
                       "Bij deze versie hoort geen kalibratie: de intervallen bevatten "
                       "alleen toeval."),
    "weeks": ("Weeks", "Weken"),
    "run": ("Run comparison", "Vergelijking starten"),
    "cancel": ("Cancel", "Annuleren"),
    "running": ("Running", "Bezig"),
    "cancelled": ("Cancelled.", "Geannuleerd."),
    "pick": ("Pick 2 to 4 scenarios.", "Kies 2 tot 4 scenario's."),
    "address_number": ("The page address asks for {name} = '{value}'; allowed are whole "
                       "numbers from {low} to {high}. Using {used}.",
                       "Het paginaadres vraagt om {name} = '{value}'; toegestaan zijn hele "
                       "getallen van {low} tot {high}. Gebruikt wordt {used}."),
    "address_scenario": ("The page address names '{name}', which is no shipped or saved "
                         "scenario; it is left out.",
                         "Het paginaadres noemt '{name}', geen meegeleverd of bewaard "
                         "scenario; het blijft weg."),
    "address_link": ("The scenarios carried by this link cannot be read: {why}",
                     "De scenario's in deze link zijn niet te lezen: {why}"),
    "page_failed": ("Something went wrong while drawing this page. Reload it, or go back "
                    "to the previous page.",
                    "Er ging iets mis bij het tekenen van deze pagina. Laad haar opnieuw, "
                    "of ga terug naar de vorige pagina."),
    "upload_failed": ("the file could not be received; try again",
                      "het bestand kwam niet aan; probeer het opnieuw"),
    "link_damaged": ("the link is damaged or cut short", "de link is beschadigd of afgekapt"),
    "link_too_large": ("they would unpack to more than {n} KiB", "ze zouden uitpakken tot meer "
                       "dan {n} KiB"),
    "metric": ("Outcome", "Uitkomst"),
    "difference": ("Difference from the base (paired 95% interval)",
                   "Verschil met de basis (gepaard 95%-interval)"),
    "download_csv": ("Download table (CSV)", "Tabel downloaden (CSV)"),
    "save_png": ("Save as PNG", "Opslaan als PNG"),
    "save_svg": ("Save as SVG", "Opslaan als SVG"),
    "download_png": ("Download chart (PNG)", "Grafiek downloaden (PNG)"),
    "what_if": ("What if ...", "Wat als ..."),
    "what_if_hint": ("Make a scenario on top of one you have by changing levers; it is "
                     "added to the comparison and to the page address.",
                     "Maak een scenario op basis van een bestaand door hendels te "
                     "veranderen; het komt in de vergelijking en in het paginaadres."),
    "what_if_base": ("On top of", "Op basis van"),
    "what_if_lever": ("Lever", "Hendel"),
    "what_if_value": ("New value (now {now})", "Nieuwe waarde (nu {now})"),
    "what_if_add": ("Change", "Verander"),
    "what_if_week": ("From reported week (empty: from the start)",
                     "Vanaf gerapporteerde week (leeg: vanaf het begin)"),
    "from_week": ("from reported week {week}", "vanaf gerapporteerde week {week}"),
    "what_if_make": ("Make this scenario", "Maak dit scenario"),
    "what_if_clear": ("Clear", "Wissen"),
    "instead_of": ("{label} {value} instead of {before}", "{label} {value} in plaats van {before}"),
    "changes_from_base": ("What each changes from the base",
                          "Wat elk verandert ten opzichte van de basis"),
    "with_events": ("{n} change(s) from a given week", "{n} wijziging(en) vanaf een week"),
    "nothing": ("nothing", "niets"),
    "download_report": ("Download report (HTML)", "Rapport downloaden (HTML)"),
    "share": ("Link to this comparison", "Link naar deze vergelijking"),
    "upload": ("Upload a scenario file (TOML)", "Scenariobestand uploaden (TOML)"),
    "download_scenario": ("Download these settings as a scenario (TOML)",
                          "Deze instellingen downloaden als scenario (TOML)"),
    "these_settings": ("These settings as a scenario", "Deze instellingen als scenario"),
    "scenario_name": ("Scenario name", "Naam van het scenario"),
    "save_for_compare": ("Save for Compare", "Bewaren voor Vergelijken"),
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
    "fig_mean_bond": ("Mean bond (clients in care)", "Gemiddelde band (cliënten in zorg)"),
    "fig_goals": ("Goals reached per week", "Doelen bereikt per week"),
    "fig_waiting": ("Clients waiting", "Wachtende cliënten"),
    "fig_mean_stress": ("Mean stress (working professionals)",
                        "Gemiddelde stress (werkende professionals)"),
    "fig_burnout_share": ("Burnout (share of staff)", "Burn-out (aandeel personeel)"),
    "fig_connective_hours": ("Connective hours per week", "Verbindende uren per week"),
    # Class mode (ui/classroom.py, ui/class_page.py)
    "class_ended": ("this class has ended", "deze klas is afgelopen"),
    "name_taken": ("the name '{name}' is taken in this class; choose another",
                   "de naam '{name}' is in deze klas al gekozen; kies een andere"),
    "class_full": ("this class is full ({n} students)", "deze klas is vol ({n} leerlingen)"),
    "all_taken": ("every professional in this class is taken",
                  "alle professionals in deze klas zijn al bezet"),
    "unknown_student": ("this page's student is not in the class; join again",
                        "deze pagina hoort bij niemand in de klas; meld je opnieuw aan"),
    "no_round": ("there is no round to decide for now",
                 "er is nu geen ronde om over te beslissen"),
    "network_range": ("network hours must be between 0 and {high}",
                      "netwerkuren moeten tussen 0 en {high} liggen"),
    "standard_range": ("contact per client must be between 0 and {high} hours",
                       "contact per cliënt moet tussen 0 en {high} uur liggen"),
    "admin_range": ("the share of paperwork to keep up with must be between 0 and 100%",
                    "het deel van het papierwerk dat je bijhoudt moet tussen 0 en 100% "
                    "liggen"),
    "protocol_range": ("the share of protocol questions to ask must be between 0 and 100%",
                       "het deel van de protocolvragen dat je stelt moet tussen 0 en 100% "
                       "liggen"),
    "own_clients": ("you can only choose among your own clients",
                    "je kunt alleen kiezen uit je eigen cliënten"),
    "not_teacher": ("this page is not the teacher's of this class",
                    "deze pagina is niet die van de docent van deze klas"),
    "started": ("this class has started already", "deze klas is al begonnen"),
    "no_name": ("choose a name to show the class", "kies een naam die de klas te zien krijgt"),
    "long_name": ("a name has at most {n} characters", "een naam heeft hoogstens {n} tekens"),
    "bad_name": ("a name has letters, digits and punctuation only",
                 "een naam bestaat alleen uit letters, cijfers en leestekens"),
    "unknown_preset": ("unknown scenario '{name}'", "onbekend scenario '{name}'"),
    "trace_previous": ("Faded lines: the run before the last Reset.",
                       "Vage lijnen: de run van voor de laatste keer Opnieuw."),
    "trace_changes": ("Dashed line: a setting put in force from the next week.",
                      "Stippellijn: een instelling die vanaf de volgende week geldt."),
    "preset_instead": ("The address asks for an unknown scenario '{name}': the care "
                       "preset opens instead.", "Het adres vraagt om een onbekend scenario "
                       "'{name}': de zorgpraktijk opent in plaats daarvan."),
    "rounds_range": ("rounds must be between {low} and {high}",
                     "het aantal rondes ligt tussen {low} en {high}"),
    "weeks_range": ("weeks a round must be between {low} and {high}",
                    "weken per ronde liggen tussen {low} en {high}"),
    "seconds_range": ("seconds a round must be between {low} and {high}",
                      "seconden per ronde liggen tussen {low} en {high}"),
    "lever_round": ("the lever changes in a round from 1 to {n}",
                    "de knop verandert in een ronde van 1 tot {n}"),
    "lever_refused": ("{reason}", "{reason}"),
    "server_full": ("this server holds as many classes as it can; end one first",
                    "deze server heeft al zoveel klassen als hij aankan; beëindig er eerst een"),
    "no_class": ("no class has the code '{code}': check it with your teacher",
                 "geen klas heeft de code '{code}': vraag het je docent"),
    "class_mode": ("Class mode", "Klassikaal spel"),
    "learn_class": ("**Play it as a class.** Each student plays a professional from their "
                    "phone and chooses, round by round, how much time each client gets, "
                    "whom to see, how much paperwork to keep up with and how many protocol "
                    "questions to ask; bots play the rest. The projector shows the class's run "
                    "against the bots'.",
                    "**Speel het met de klas.** Elke leerling speelt vanaf de telefoon een "
                    "professional en kiest per ronde hoeveel tijd elke cliënt krijgt, wie "
                    "hij of zij ziet, hoeveel papierwerk bijgehouden wordt en hoeveel "
                    "protocolvragen gesteld worden; bots spelen de rest. Het scherm toont "
                    "de run van de klas tegen die van de bots."),
    "learn_open_class": ("Open a class", "Een klas openen"),
    "class_intro": ("Every student plays one professional of one shared simulation, from "
                    "their phone: each round they choose how much time to give each client, "
                    "whom to see, how much paperwork to keep up with (what they leave stays "
                    "owed), how many protocol questions to ask, and (where the scenario "
                    "grants it) their network time. "
                    "Bots play everyone else, and anyone who has not decided by the "
                    "deadline. Beside the class's run, the same scenario runs with bots "
                    "only, so you see what the class's choices changed.",
                    "Elke leerling speelt vanaf de telefoon één professional in één gedeelde "
                    "simulatie: per ronde kiezen ze hoeveel tijd elke cliënt krijgt, wie ze "
                    "zien, hoeveel papierwerk ze bijhouden (wat blijft liggen, blijft "
                    "staan), hoeveel protocolvragen ze stellen en (waar het scenario het "
                    "toestaat) hun netwerktijd. Bots spelen "
                    "de rest, en iedereen die voor de deadline niet koos. Naast de run van "
                    "de klas loopt hetzelfde scenario met alleen bots: zo ziet u wat de "
                    "keuzes van de klas veranderden."),
    "class_rounds": ("Rounds", "Rondes"),
    "class_weeks": ("Weeks a round", "Weken per ronde"),
    "class_seconds": ("Seconds to decide", "Seconden om te kiezen"),
    "class_lever": ("Change halfway", "Halverwege veranderen"),
    "class_no_lever": ("nothing", "niets"),
    "class_lever_value": ("New value", "Nieuwe waarde"),
    "class_lever_round": ("From round", "Vanaf ronde"),
    "class_open": ("Open the class", "Klas openen"),
    "class_code": ("Code", "Code"),
    "class_joined": ("{n} joined", "{n} aangemeld"),
    "class_start": ("Start", "Starten"),
    "class_decided": ("{n} of {of} have decided", "{n} van {of} hebben gekozen"),
    "class_pause": ("Pause", "Pauze"),
    "class_resume": ("Go on", "Verder"),
    "class_next": ("Next round", "Volgende ronde"),
    "class_end": ("End the game", "Spel beëindigen"),
    "class_download": ("Download the decisions (CSV)", "Keuzes downloaden (CSV)"),
    "class_over": ("The game is over (week {week})", "Het spel is voorbij (week {week})"),
    "class_round": ("Round {round} of {rounds} · week {week}",
                    "Ronde {round} van {rounds} · week {week}"),
    "class_left": ("{s} s to decide", "nog {s} s om te kiezen"),
    "class_paused": ("paused", "gepauzeerd"),
    "class_figure": ("So far", "Tot nu toe"),
    "class_round_axis": ("After round", "Na ronde"),
    "class_class": ("The class", "De klas"),
    "class_bots": ("Bots only", "Alleen bots"),
    "class_against_bots": ("The class's run against the same scenario played by bots alone "
                           "(same seed):", "De run van de klas tegen hetzelfde scenario "
                           "met alleen bots (dezelfde seed):"),
    "class_lever_note": ("{lever} changed to {value} from round {round}.",
                         "{lever} veranderd naar {value} vanaf ronde {round}."),
    "class_strategies": ("Last round {decided} of {of} decided: {fewer} saw only some of "
                         "their clients, {no_network} skipped their network time, {kept} kept "
                         "their contact per client up (at least {standard} h on average), "
                         "{behind} let paperwork slide, {off_script} left protocol questions out.",
                         "Vorige ronde kozen {decided} van {of}: {fewer} zagen maar een deel "
                         "van hun cliënten, {no_network} sloegen hun netwerktijd over, {kept} "
                         "hielden hun contact per cliënt op peil (gemiddeld minstens "
                         "{standard} uur), {behind} lieten papierwerk liggen, {off_script} lieten "
                         "protocolvragen weg."),
    "class_debrief": ("Debrief", "Nabespreking"),
    "class_best_bond": ("Strongest bonds at the end: {name} (mean bond {bond}).",
                        "Sterkste banden aan het eind: {name} (gemiddelde band {bond})."),
    "class_strained": ("On sick leave, gone, or at burnout's edge (stress at its threshold) "
                       "at the end: {names}.",
                       "Ziek, vertrokken of op de rand van een burn-out (stress op de "
                       "drempel) aan het eind: {names}."),
    "class_way": ("{way} ({n}): their clients' mean bond at the end {bond}; {strained} "
                  "on sick leave, gone or at burnout's edge.",
                  "{way} ({n}): gemiddelde band met hun cliënten aan het eind {bond}; "
                  "{strained} ziek, vertrokken of op de rand van een burn-out."),
    "class_local_address": ("Phones cannot open a 'localhost' address. Serve the app on the "
                            "network (make app HOST=0.0.0.0) and open this page at this "
                            "computer's network address, so the code and QR code hold an "
                            "address phones can reach.",
                            "Telefoons kunnen een 'localhost'-adres niet openen. Start de "
                            "app op het netwerk (make app HOST=0.0.0.0) en open deze pagina "
                            "via het netwerkadres van deze computer, zodat de code en de "
                            "QR-code een adres bevatten dat telefoons bereiken."),
    "class_way_fewer": ("Saw only some clients", "Zagen maar een deel van hun cliënten"),
    "class_way_no_network": ("Skipped network time", "Sloegen netwerktijd over"),
    "class_way_standard": ("Kept their contact per client up",
                           "Hielden hun contact per cliënt op peil"),
    "class_way_paperwork": ("Let paperwork slide", "Lieten papierwerk liggen"),
    "class_way_protocol": ("Left protocol questions out", "Lieten protocolvragen weg"),
    "class_way_own": ("Worked as the bots do", "Werkten zoals de bots"),
    "class_end_goals": ("Goals reached: the class {ours}, bots alone {bots}.",
                        "Behaalde doelen: de klas {ours}, alleen bots {bots}."),
    "class_goals": ("Goals reached", "Behaalde doelen"),
    "class_dropouts": ("Drop-outs", "Uitvallers"),
    "class_bond": ("Mean bond", "Gemiddelde band"),
    "class_stress": ("Stress now", "Stress nu"),
    "class_burnouts": ("Burnouts", "Burn-outs"),
    "class_quits": ("Quits", "Vertrokken"),
    "class_join_title": ("Join the class", "Meedoen met de klas"),
    "class_name": ("Your name (the class sees it)", "Je naam (de klas ziet die)"),
    "class_join": ("Join", "Meedoen"),
    "class_wait_start": ("You are in. Waiting for the teacher to start ({n} joined).",
                         "Je doet mee. Wachten tot de docent start ({n} aangemeld)."),
    "class_you": ("You: {status}, stress {stress}%", "Jij: {status}, stress {stress}%"),
    "class_arrears": ("Paperwork you still owe: {hours} h (done first, before this week's)",
                      "Papierwerk dat nog openstaat: {hours} uur (gaat voor dat van deze "
                      "week)"),
    "class_status_working": ("at work", "aan het werk"),
    "class_status_sick": ("on sick leave (burnout)", "ziek thuis (burn-out)"),
    "class_status_vacant": ("your post is vacant", "je plek is vacant"),
    "class_status_left": ("you quit", "je bent vertrokken"),
    "class_last_round": ("Last round, of your {clients} clients: {goals} reached their goal, "
                         "{dropouts} dropped out.",
                         "Vorige ronde, je cliënten: {clients}; doel gehaald: {goals}; "
                         "uitgevallen: {dropouts}."),
    "class_thanks": ("The game is over: look at the projector.",
                     "Het spel is voorbij: kijk naar het scherm."),
    "class_not_working": ("You are not at work this round: the model looks after your "
                          "clients.", "Je bent deze ronde niet aan het werk: het model zorgt "
                          "voor je cliënten."),
    "class_standard": ("Keep my contact per client at least (hours a week; 0: as my time "
                       "allows)", "Mijn contact per cliënt minstens (uur per week; 0: zoals "
                       "mijn tijd het toelaat)"),
    "class_network": ("Network hours a week", "Netwerkuren per week"),
    "class_admin": ("Paperwork I keep up with (%; what I leave stays owed)",
                    "Papierwerk dat ik bijhoud (%; wat blijft liggen, blijft staan)"),
    "class_admin_part": ("Paperwork I keep up with (%; of what I leave, {share}% stays "
                         "owed)", "Papierwerk dat ik bijhoud (%; van wat blijft liggen, "
                         "blijft {share}% staan)"),
    "class_protocol": ("Protocol questions I ask in my contacts (%; those I leave out I "
                       "record afterwards, as paperwork)", "Protocolvragen die ik stel in "
                       "mijn contacten (%; wat ik weglaat, leg ik achteraf vast als "
                       "papierwerk)"),
    "class_protocol_lapses": ("Protocol questions I ask in my contacts (%; in this "
                              "scenario those I leave out lapse)", "Protocolvragen die ik "
                              "stel in mijn contacten (%; in dit scenario vervalt wat ik "
                              "weglaat)"),
    "class_admin_lapses": ("Paperwork I keep up with (%; in this scenario what I leave "
                           "lapses)", "Papierwerk dat ik bijhoud (%; in dit scenario vervalt "
                           "wat blijft liggen)"),
    "class_clients": ("My {n} clients (need: 1 is a typical client's):",
                      "Mijn {n} cliënten (behoefte: 1 is die van een gewone cliënt):"),
    "class_table_head": ("client|need|openness|bond|progress|weeks",
                         "cliënt|behoefte|openheid|band|voortgang|weken"),
    "class_skip": ("Not seen this round (no appointment)",
                   "Niet gezien deze ronde (geen afspraak)"),
    "class_decide": ("Decide", "Kiezen"),
    "class_decide_again": ("Change my choice", "Keuze wijzigen"),
    "class_sent": ("Your choices for this round are in; you can change them until the "
                   "deadline.", "Je keuzes voor deze ronde staan; je kunt ze wijzigen tot "
                   "de deadline."),
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
    "EUR/h": "euro/uur", "EUR/quit": "euro per vertrek",
    "EUR/professional/week": "euro per professional per week", "share": "aandeel",
    "share of contract pay": "aandeel van het contractloon",
    "share of the cap": "aandeel van de caseload", "1/year": "per jaar",
    "1/week": "per week", "probability": "kans", "on/off": "aan/uit",
}


def number(value: float, lang: str) -> str:
    """A figure for a table: three significant digits, or whole and grouped from 1,000.

    Dutch writes a decimal comma and groups thousands with points.
    """
    text = f"{value:,.0f}" if abs(value) >= 999.5 else f"{value:.3g}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "nl" else text


def decimal_mark(sentence: str, lang: str) -> str:
    """A sentence's numbers with the language's decimal mark.

    Only for sentences whose points are all decimal points, such as Explore's state lines.
    """
    return sentence.replace(".", ",") if lang == "nl" else sentence


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


#: Optional "file: " before a parameter's refusal inside a scenario file's refusal.
_IN = r"(?P<file>(?:[^:]+: )?)"
#: Dutch for the messages that refuse a scenario file or a setting, matched on their
#: English wording (the way gettext keys translations on the original text). A test
#: produces every kind, so a reworded English message cannot slip through untranslated.
DUTCH_REFUSALS = tuple((re.compile(pattern), dutch) for pattern, dutch in (
    (r"(?P<file>[^:]+): larger than (?P<n>\d+) KiB", "{file}: groter dan {n} KiB"),
    (r"(?P<file>.+): malformed TOML: .*\(at line (?P<line>\d+), column (?P<column>\d+)\)",
     "{file}: geen geldige TOML op regel {line}, kolom {column}"),
    (r"(?P<file>.+): malformed TOML: .*", "{file}: geen geldige TOML"),
    (r"(?P<file>.+): not UTF-8 text", "{file}: geen UTF-8-tekst"),
    (r"scenario '(?P<name>[^']*)' not found; give a \.toml path or one of: (?P<names>.*)",
     "scenario '{name}' niet gevonden; geef een .toml-bestand of een van: {names}"),
    (r"(?P<file>[^:]+): scenario extends itself \((?P<cycle>.*)\)",
     "{file}: het scenario bouwt op zichzelf voort ({cycle})"),
    (r"(?P<file>[^:]+): unknown key '(?P<key>[^']*)'; allowed keys are (?P<keys>.*)",
     "{file}: onbekende sleutel '{key}'; toegestaan zijn {keys}"),
    (r"(?P<file>[^:]+): '(?P<key>[^']*)' must be a table \(\[[^]]*\]\)",
     "{file}: '{key}' moet een tabel zijn ([{key}])"),
    (r"(?P<file>[^:]+): '(?P<key>[^']*)' must be a non-empty string(?: \(.*\))?",
     "{file}: '{key}' moet een niet-lege tekst zijn"),
    (r"(?P<file>[^:]+): name '(?P<name>.*)' is not allowed; use .*",
     "{file}: de naam '{name}' kan niet; gebruik letters, cijfers, spaties en - _ . , ' ( ) "
     "+, hoogstens 80 tekens, beginnend met een letter of cijfer"),
    (r"scenario '(?P<name>.*)' is not a regular file; give a \.toml file or a shipped "
     r"scenario's name",
     "scenario '{name}' is geen gewoon bestand; geef een .toml-bestand of de naam van een "
     "meegeleverd scenario"),
    (r"(?P<file>[^:]+): 'extends' must be a scenario's name",
     "{file}: 'extends' moet de naam van een scenario zijn"),
    (r"(?P<file>[^:]+): extends '(?P<name>.*)', but an uploaded or shared scenario can "
     r"extend only a shipped one: (?P<names>.*)",
     "{file}: bouwt voort op '{name}', maar een geüpload of gedeeld scenario kan alleen "
     "voortbouwen op een meegeleverd scenario: {names}"),
    (r"(?P<file>[^:]+): description\.(?P<lang>\w+) holds control characters; plain text only",
     "{file}: description.{lang} bevat stuurtekens; alleen gewone tekst"),
    (r"unknown scenario '(?P<name>.*)'; shipped: (?P<names>.*)",
     "onbekend scenario '{name}'; meegeleverd zijn: {names}"),
    (r"(?P<file>[^:]+): (?P<name>\w+)=(?P<value>\S+) is more than the app runs \(at most "
     r"(?P<most>\S+)\); use the command line",
     "{file}: {name}={value} is meer dan de app draait (hoogstens {most}); gebruik de "
     "opdrachtregel"),
    (r"'(?P<name>.*)' is the name of a shipped scenario; give yours another name",
     "'{name}' is de naam van een meegeleverd scenario; geef het uwe een andere naam"),
    (r"(?P<file>[^:]+): domain must be one of (?P<domains>.*), not (?P<value>.*)",
     "{file}: het domein moet een van {domains} zijn, niet {value}"),
    (r"(?P<file>[^:]+): description languages are en and nl, not '(?P<lang>[^']*)'",
     "{file}: beschrijvingen zijn er in en en nl, niet in '{lang}'"),
    (r"(?P<file>[^:]+): description\.(?P<lang>\w+) must be a string",
     "{file}: description.{lang} moet tekst zijn"),
    (r"the seed must be a whole number of 0 or more, not (?P<value>.*)",
     "het startgetal moet een geheel getal van 0 of meer zijn, niet {value}"),
    (_IN + r"unknown parameter '(?P<name>[^']*)'; did you mean '(?P<close>[^']*)'\?",
     "{file}onbekende parameter '{name}'; bedoelt u '{close}'?"),
    (_IN + r"unknown parameter '(?P<name>[^']*)'; see docs/ODD\.md for the list",
     "{file}onbekende parameter '{name}'; de lijst staat in docs/ODD.md"),
    (_IN + r"(?P<name>\w+)=(?P<value>.*) must be true or false",
     "{file}{name}={value} moet true of false zijn"),
    (_IN + r"(?P<name>\w+)=(?P<value>.*) must be a whole number in (?P<allowed>.*)",
     "{file}{name}={value} moet een geheel getal zijn in {allowed}"),
    (_IN + r"(?P<name>\w+)=(?P<value>.*) must be a number in (?P<allowed>.*)",
     "{file}{name}={value} moet een getal zijn in {allowed}"),
    (_IN + r"(?P<name>\w+)=(?P<value>\S*) is out of range; allowed (?P<allowed>.*)",
     "{file}{name}={value} valt buiten het bereik; toegestaan is {allowed}"),
    (_IN + r"(?P<low>\w+)=(?P<a>\S+) (?:exceeds|must be below) (?P<high>\w+)=(?P<b>\S+); .*",
     "{file}{low}={a} {relation} {high}={b}: {why}"),
))


def refusal(error: Exception | str, lang: str) -> str:
    """Why a model, a setting or a scenario file was refused, in the page's language.

    A broken :class:`~model.parameters.Limit` is explained with the sliders' labels and
    its declared reason; other refusals are put in Dutch by :data:`DUTCH_REFUSALS`.
    """
    limit = getattr(error, "limit", None)
    if limit is not None:
        relation = t("must_be_below" if limit.strict else "exceeds", lang)
        return (f"{parameter_label(limit.low, lang)} {relation} "
                f"{parameter_label(limit.high, lang)}: "
                f"{limit.nl if lang == 'nl' else limit.en}")
    text = str(error)
    return _in_dutch(text) if lang == "nl" else text


def _in_dutch(text: str) -> str:
    for pattern, dutch in DUTCH_REFUSALS:
        found = pattern.fullmatch(text)
        if found:
            return dutch.format(**_dutch_fields(found.groupdict()))
    return text


def _dutch_fields(fields: dict[str, str]) -> dict[str, str]:
    """Units in an allowed range, and a broken limit's relation and reason, in Dutch."""
    if "allowed" in fields:
        bounds, _, unit = fields["allowed"].partition("] ")
        fields["allowed"] = f"{bounds}] {UNITS_NL.get(unit, unit)}" if unit else bounds
    if "low" in fields:
        limit = next(x for x in LIMITS if (x.low, x.high) == (fields["low"], fields["high"]))
        fields["relation"] = t("must_be_below" if limit.strict else "exceeds", "nl")
        fields["why"] = limit.nl
    return fields


#: The plain words of a comparison (``experiments.compare.in_words``) per language.
COMPARISON_WORDS = {
    "en": WORDS,
    "nl": {"more": "meer", "less": "minder", "interval": "95%-interval", "to": "tot",
           "unclear": "geen duidelijk verschil", "single": "één herhaling: geen interval",
           "unknown": "van de spreiding komt van parameters die de gegevens niet "
                      "vastleggen",
           "missing": "n.v.t.", "better": "beter", "worse": "slechter",
           "cost_more": "kost {amount} per jaar meer", "cost_less": "bespaart {amount} per jaar",
           "cost_same": "kost per jaar ongeveer evenveel",
           "goals_more": "haalt per jaar {count} doelen meer",
           "goals_less": "haalt per jaar {count} doelen minder",
           "goals_same": "haalt per jaar ongeveer evenveel doelen", "and": "en",
           "per_goal": "ongeveer {amount} per extra behaald doel",
           "money": "Wat het kost en wat het oplevert", "thousands": ".", "decimal": ",",
           "higher": "hoger", "lower": "lager",
           "sets": "{direction} in {count} van de {n} parametersets",
           "same": "in geen enkele run verschillend"},
}


def figure_headings(lang: str) -> dict[str, str]:
    """The panel headings of the weekly comparison figure, by figure name."""
    return {name: t(f"fig_{name}", lang) for name, _ in WEEKLY_PANELS}


#: The handed-out report's own words (:data:`experiments.handout.TEXTS`), per language.
HANDOUT_TEXTS = {
    "en": HANDOUT_EN,
    "nl": {"lang": "nl", "title": "Verbinding: vergelijking", "made": "Gemaakt",
           "by": "door Verbinding", "model_code": "modelcode", "seed": "startgetal (seed)",
           "replicates": "herhalingen per scenario, gepaard (dezelfde startgetallen in elk "
                         "scenario)",
           "weeks": "gerapporteerde weken na een inloop van", "weeks_unit": "weken",
           "again": "Opnieuw maken",
           "scenarios": "Scenario's", "scenario": "scenario", "what": "wat het is",
           "changes": "wat het verandert ten opzichte van de basis", "base": "de basis",
           "nothing": "niets", "events": "vanaf week", "until": "tot",
           "posterior": "Elke herhaling draaide met een trekking van de gekalibreerde "
                        "parameters uit de posterior (tenzij de opdracht --every-draw "
                        "zegt, alleen uit de trekkingen waarmee de teams van de presets "
                        "onder hun kantelpunt blijven), dezelfde in elk scenario, en nog eens "
                        "met andere startgetallen: de intervallen bevatten wat het model niet "
                        "weet én toeval.",
           "posterior_few": "Met minder dan {least} herhalingen gaan deze intervallen "
                            "ervan uit dat de effecten gelijk rond hun gemiddelde spreiden, "
                            "zodat het interval van een scheef effect waarden kan bereiken "
                            "die geen run geeft; met {default} herhalingen komen ze uit de "
                            "effecten van de runs zelf.",
           "noise": "De intervallen bevatten alleen toeval (variatie tussen herhalingen) bij "
                    "de gekalibreerde standaardwaarden, niet wat het model niet weet; voeg "
                    "--posterior toe daarvoor.",
           "figures": "Grafieken", "differences": "Verschillen met de basis",
           "outcome": "uitkomst", "base_value": "basis", "files": "Scenariobestanden",
           "files_note": "Bewaar een bestand als NAAM.toml om het met de opdracht hierboven "
                         "te draaien.",
           "weekly_title": t("weekly_title", "nl"), "week": t("reported_week", "nl"),
           "headings": figure_headings("nl"),
           "difference_axis": "verschil met {base}, % van het gemiddelde daar (gepaard "
                              "95%-interval; logaritmische schaal voorbij 10%)"},
}
