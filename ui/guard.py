"""A guard around every page: a failure shows a plain message, never a traceback."""

from __future__ import annotations

import logging

import solara

from ui.i18n import t


@solara.component
def Guarded(lang: str, children=()):
    """The page, or, if drawing it fails, a plain message: never a traceback.

    The traceback goes to the server's log, where whoever runs the app can read it.
    """
    error, _ = solara.use_exception()
    if error is None:
        solara.Column(children=children)
        return
    logging.getLogger("verbinding.app").error("a page failed", exc_info=error)
    solara.Error(t("page_failed", lang))  # (a retry button here made reacton loop)
