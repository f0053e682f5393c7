"""Verbinding in the browser: Explore, Compare and Learn, in English and Dutch.

Serve with ``make app`` (http://localhost:8765). The pages live in :mod:`ui`; this file
only routes and switches the language, which the page address keeps (``?lang=nl``).
"""

from urllib.parse import parse_qsl, urlencode

import solara

from model.kernels import warm_up
from ui.assets import serve_cache_only
from ui.class_page import StudentPage, Teacher
from ui.compare_page import Compare
from ui.explore import Explore
from ui.guard import Guarded
from ui.i18n import LANGUAGES, t
from ui.learn import Learn

warm_up()  # the model's compiled loops in memory before the first Step in class
serve_cache_only()  # page assets from the offline cache; nothing fetched on request


def query_of(router) -> dict:
    """The page address's query as a dict."""
    return dict(parse_qsl(router.search or ""))


#: Phones and tablets: the page tabs and the language switch fit the app bar (the title
#: gives way), and the sidebar opens below the app bar, whose menu button closes it,
#: leaving a strip of the page in view. Wide content stays within the page: Compare's
#: table of differences becomes one block a row (the outcome in bold, then the
#: scenario, the two values and the difference in words, its header the legend), its
#: figure of six weekly panels keeps a readable width and scrolls sideways within its
#: box, other pictures shrink, a long button label wraps.
PHONE_CSS = """
@media (max-width: 700px) {
  .differences table, .differences thead, .differences tbody, .differences tr,
  .differences th, .differences td { display: block; width: auto; }
  .differences th, .differences td { text-align: left !important; border: none !important;
                                     padding: 1px 0 !important; }
  .differences tr { padding: 8px 0; border-bottom: 1px solid #ddd; text-align: left !important; }
  .differences thead { color: #555; font-style: italic; }
  .differences td:first-child { font-weight: bold; }
  .differences td:nth-child(3), .differences td:nth-child(4) { display: inline-block;
                                                               margin-right: 1.5em; }
  .v-main img { max-width: 100%; height: auto; }
  .weekly-figure { overflow-x: auto; max-width: 100%; }
  .weekly-figure img { max-width: none; width: 640px; }
  .v-app-bar .v-toolbar__title { display: none; }
  .v-app-bar .v-btn { font-size: 14px !important; padding: 0 6px !important;
                      min-width: 0 !important; letter-spacing: 0; }
  .v-navigation-drawer--is-mobile { min-width: 0 !important; width: 82vw !important;
                                    top: 56px !important;
                                    height: calc(100vh - 56px) !important; }
  .v-content .v-btn:not(.v-btn--icon) { max-width: 100%; height: auto !important;
                                        min-height: 36px; }
  .v-content .v-btn:not(.v-btn--icon) .v-btn__content { white-space: normal; }
}
"""


@solara.component
def Layout(children=()):
    """App bar with the page tabs and the language switch."""
    router = solara.use_router()
    query = query_of(router)
    lang = query.get("lang", "en") if query.get("lang") in LANGUAGES else "en"
    other = "nl" if lang == "en" else "en"
    page = router.path.strip("/")
    solara.Style(PHONE_CSS)
    with solara.AppLayout(title=t("title", lang), children=[Guarded(lang, children)],
                          navigation=False), solara.AppBar():
        solara.AppBarTitle(t("title", lang))
        for name, path in (("explore", ""), ("compare", "compare"), ("learn", "learn")):
            solara.Button(t(name, lang), text=True, style={"font-size": "18px"},
                          on_click=lambda path=path: router.push(
                              f"/{path}?{urlencode({'lang': lang})}"))
        solara.Button(t("language", lang), text=True, style={"font-size": "18px"},
                      on_click=lambda: router.push(
                          f"/{page}?{urlencode({**query, 'lang': other})}"))


@solara.component
def ExplorePage():
    """The Explore page in the address's language, with the preset it names if any."""
    query = query_of(solara.use_router())
    Explore(query.get("lang", "en"), query.get("preset"))


@solara.component
def ComparePage():
    """The Compare page, restored from the address."""
    query = query_of(solara.use_router())
    Compare(query.get("lang", "en"), query)


@solara.component
def LearnPage():
    """The Learn page."""
    Learn(query_of(solara.use_router()).get("lang", "en"))


@solara.component
def ClassPage():
    """Class mode, the teacher's page: open a class, then run it (code and key kept)."""
    query = query_of(solara.use_router())
    Teacher(query.get("lang", "en"), query)


@solara.component
def JoinPage():
    """Class mode, a student's page: join, then play (code and token kept)."""
    query = query_of(solara.use_router())
    StudentPage(query.get("lang", "en"), query)


routes = [
    solara.Route(path="/", component=ExplorePage, label="Explore", layout=Layout),
    solara.Route(path="compare", component=ComparePage, label="Compare"),
    solara.Route(path="learn", component=LearnPage, label="Learn"),
    solara.Route(path="class", component=ClassPage, label="Class"),
    solara.Route(path="join", component=JoinPage, label="Join"),
]
