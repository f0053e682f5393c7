"""Charts of a running model as Vega-Lite specifications, drawn by the browser.

Building a specification is a few milliseconds of Python, so a Step redraws quickly.
Sized and styled to be read from the back of a classroom: large type, thick lines,
colour-blind-safe colours (Okabe-Ito).
"""

from __future__ import annotations

import copy

import numpy as np

from model.state import IN_CARE, SICK, VACANT, WAITING
from ui.i18n import number, t

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
CONFIG = {"axis": {"labelFontSize": 14, "titleFontSize": 15, "gridOpacity": 0.4},
          "legend": {"labelFontSize": 14, "titleFontSize": 14, "orient": "bottom",
                     "columns": 3, "symbolStrokeWidth": 4, "symbolOpacity": 1,
                     "labelLimit": 400},   # Vega's 160 px cut labels in large text
          "header": {"labelFontSize": 15, "titleFontSize": 15},
          "title": {"fontSize": 17}, "view": {"stroke": None}}
#: Presentation mode: charts this much taller, their text this much larger.
PRESENTED_HEIGHT, PRESENTED_TEXT = 1.6, 1.3
#: Numbers on Dutch axes: a decimal comma, points between thousands.
DUTCH_NUMBERS = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]}
#: Colours of the kinds of hours.
HOUR_COLOURS = {"admin": "#E69F00", "network_hours": "#56B4E9", "open": "#009E73",
                "scripted": "#0072B2", "group": "#CC79A7", "teaching": "#D55E00",
                "slack": "#BBBBBB"}
#: The four panels of the outcomes chart: title key and the weekly figures drawn
#: (year ends only in runs made of school years).
PANELS = (("panel_bond", ("mean_bond", "mean_motivation")),
          ("panel_exits", ("goals", "dropouts", "year_ends")),
          ("panel_queue", ("waiting", "in_care")),
          ("panel_staff", ("mean_stress", "burnout_share")))
#: Professionals in the network view: at work dark blue, sick a light orange with a
#: dashed ring, a vacant post grey (told apart by colour, brightness and outline).
STATUS_COLOURS = {"working": "#003f7f", "sick": "#F5B041", "vacant": "#BBBBBB"}
#: The selected professional or client is ringed in this colour.
SELECTED = "#D81B60"


def weekly(model, name: str) -> np.ndarray:
    """One weekly figure of the model so far."""
    return np.asarray(model.datacollector.model_vars.get(name, []), float)


#: Up to this many weeks, a weekly chart marks every week.
FEW_WEEKS = 10


def week_axis(lang: str, warmup: int = 0, weeks: int = 0) -> dict:
    """The x encoding of a weekly chart: whole weeks only, its title naming the warm-up.

    The live model's weeks count from its start, like the week shown by the controls;
    the first ``warmup`` of them are the warm-up, before the reported weeks. Over the
    first few ``weeks`` every week is a tick (Vega's own ticks would fall between weeks
    and print "1 2 2 3").
    """
    title = t("week_warmup", lang).format(n=warmup) if warmup else t("week", lang)
    axis = {"format": "d", "tickMinStep": 1}
    if 0 < weeks <= FEW_WEEKS:
        axis["values"] = list(range(1, weeks + 1))
    return {"field": "week", "type": "quantitative", "title": title, "axis": axis}



def _spec(title: str, body: dict, lang: str) -> dict:
    """A whole chart: its title, the shared look and a menu that only saves the picture.

    The menu speaks the page's language; Vega's other entries need the internet or show
    code. Every dataset has a name: when a Step changes only the data, the browser
    updates them in the chart drawn already instead of drawing it anew
    (``ui/vegachart.vue``).
    """
    menu = {"export": True, "source": False, "compiled": False, "editor": False}
    words = {"PNG_ACTION": t("save_png", lang), "SVG_ACTION": t("save_svg", lang)}
    config = {**CONFIG, "locale": {"number": DUTCH_NUMBERS}} if lang == "nl" else CONFIG
    spec = {"$schema": SCHEMA, "title": title, "config": config,
            "usermeta": {"embedOptions": {"actions": menu, "i18n": words}}, **body}
    if body.get("width") == "container":
        # Laid out anew when the width or the data change; else a legend that wraps
        # onto a second row is cut off.
        spec["autosize"] = {"type": "fit-x", "contains": "padding", "resize": True}
    return spec


#: Each weekly series' colour, the same in every language and panel (Okabe-Ito).
SERIES_COLOURS = {"mean_bond": "#0072B2", "mean_motivation": "#56B4E9",
                  "goals": "#009E73", "dropouts": "#D55E00", "year_ends": "#CC79A7",
                  "waiting": "#E69F00", "in_care": "#0072B2",
                  "mean_stress": "#000000", "burnout_share": "#D55E00"}


def outcome_specs(model, lang: str, previous: dict | None = None,
                  changes: tuple[int, ...] = ()) -> list[dict]:
    """Four charts as wide as their place, each with its own legend.

    Bond and motivation, goals and drop-outs, waiting and in care, stress and burnout;
    with ``previous`` (the weekly figures of the run before the last Reset) that run
    faded behind this one, and a dashed line after each week in ``changes`` (settings
    put in force mid-run).
    """
    return [panel_spec(model, panel, [n for n in shown
                                      if n != "year_ends" or model.p.school_year_weeks],
                       lang, previous, changes) for panel, shown in PANELS]


def _rows(series: dict, names: list[str], lang: str) -> list[dict]:
    return [{"week": week, "value": round(float(v), 4) if v == v else None,
             "series": t(name, lang)}
            for name in names for week, v in enumerate(series.get(name, []), start=1)]


def panel_spec(model, panel: str, names: list[str], lang: str, previous: dict | None = None,
               changes: tuple[int, ...] = ()) -> dict:
    """One weekly panel: a line per series, its legend beneath; see :func:`outcome_specs`."""
    rows = _rows(model.datacollector.model_vars, names, lang)
    if not model.steps:  # no week yet: an empty panel, so the view does not jump
        rows += [{"week": 0, "value": None, "series": t(name, lang)} for name in names]
    colour = {"field": "series", "type": "nominal", "title": None,
              "legend": {"orient": "bottom", "columns": 1},
              "scale": {"domain": [t(n, lang) for n in names],
                        "range": [SERIES_COLOURS[n] for n in names]}}
    drawn = max([model.steps, *(len(v) for v in (previous or {}).values())])
    x = week_axis(lang, model.p.warmup_weeks, drawn)   # the faded run's weeks too
    y = {"field": "value", "type": "quantitative", "title": None}
    layers = [{"data": {"name": f"previous_{panel}",
                        "values": _rows(previous or {}, names, lang)},
               "mark": {"type": "line", "strokeWidth": 2, "opacity": 0.3},
               "encoding": {"x": x, "y": y, "color": colour}},
              {"data": {"name": panel, "values": rows},
               "mark": {"type": "line", "strokeWidth": 3, "point": model.steps <= 2},
               "encoding": {"x": x, "y": y, "color": colour}},
              {"data": {"name": f"changes_{panel}",
                        "values": [{"week": week + 0.5} for week in changes]},
               "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#555"},
               "encoding": {"x": {"field": "week", "type": "quantitative"}}}]
    return _spec(t(panel, lang), {"width": "container", "height": 150, "layer": layers},
                 lang)


#: Class mode: the class's run and the bots' in their colours (Okabe-Ito).
CLASS_COLOURS = {"class_class": "#0072B2", "class_bots": "#999999"}


def class_rounds_spec(outcomes: list[dict], figure: str, label: str, lang: str,
                      lever_round: int | None = None, share: bool = False) -> dict:
    """Class mode: one figure after each round, the class's run against the bots'.

    Args:
        outcomes: :attr:`ui.classroom.Classroom.outcomes`.
        figure: The figure (a key of :func:`ui.classroom.run_figures`).
        label: The chart's title (a key of the texts).
        lang: The page's language.
        lever_round: The round from which the teacher's lever changed, marked by a
            dashed line; None for none.
        share: Whether the figure is a share (0..1), drawn as percentages.
    """
    rows = [{"round": o["round"], "value": round(float(o[run][figure]), 4),
             "run": t(run_key, lang)}
            for o in outcomes for run, run_key in (("class", "class_class"),
                                                    ("bots", "class_bots"))]
    colour = {"field": "run", "type": "nominal", "title": None,
              "legend": {"orient": "bottom"},
              "scale": {"domain": [t(k, lang) for k in CLASS_COLOURS],
                        "range": list(CLASS_COLOURS.values())}}
    x = {"field": "round", "type": "quantitative", "title": t("class_round_axis", lang),
         "axis": {"format": "d", "values": sorted({o["round"] for o in outcomes})}}
    layers = [{"data": {"name": f"class_{figure}", "values": rows},
               "mark": {"type": "line", "strokeWidth": 3, "point": True},
               "encoding": {"x": x, "y": {"field": "value", "type": "quantitative",
                                          "title": None,
                                          "axis": {"format": ".0%"} if share else {}},
                            "color": colour}},
              {"data": {"name": f"lever_{figure}", "values": [] if lever_round is None
                        else [{"round": lever_round - 0.5}]},
               "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#555"},
               "encoding": {"x": {"field": "round", "type": "quantitative"}}}]
    return _spec(t(label, lang), {"width": "container", "height": 150, "layer": layers},
                 lang)


def time_split_spec(model, lang: str) -> dict:
    """Hours per working professional per week, stacked by kind, with the contract line."""
    working = np.maximum(weekly(model, "working"), 1)
    figures = {"admin": "admin_hours", "network_hours": "network_hours",
               "open": "open_hours", "scripted": "scripted_hours", "group": "group_hours",
               "teaching": "teaching_hours", "slack": "slack_hours"}
    rows = []
    for order, (kind, figure) in enumerate(figures.items()):
        rows += [{"week": week, "hours": round(float(v), 3), "kind": t(kind, lang),
                  "order": order}
                 for week, v in enumerate(weekly(model, figure) / working, start=1)]
    return _spec(t("time_split", lang), {
        "width": "container", "height": 210,
        "layer": [
            {"data": {"name": "hours", "values": rows}, "mark": "area",
             "encoding": {
                 "x": week_axis(lang, model.p.warmup_weeks, model.steps),
                 "y": {"field": "hours", "type": "quantitative", "stack": "zero",
                       "title": t("hours_unit", lang)},
                 "order": {"field": "order"},
                 "color": {"field": "kind", "type": "nominal", "title": None,
                           "legend": {"columns": 2},   # beside the y axis: a phone's width
                           "sort": [t(k, lang) for k in figures],
                           "scale": {"domain": [t(k, lang) for k in figures],
                                     "range": list(HOUR_COLOURS.values())}}}},
            {"mark": {"type": "rule", "strokeDash": [6, 4], "strokeWidth": 2},
             "encoding": {"y": {"datum": model.p.hours_per_week}}}]}, lang)


#: The network view draws at most this many professionals (and their clients), so that
#: it stays readable on a projector.
NETWORK_POSTS = 12


def network_layout(model, max_posts: int = NETWORK_POSTS) -> tuple[list[dict], list[dict]]:
    """Positions of professionals (on a ring) and clients (around their professional).

    Returns:
        ``(professionals, clients)`` as lists of dicts for the chart and for clicks.
    """
    live, posts = model.clients.live, model.posts
    shown = min(len(posts), max_posts)
    angles = 2 * np.pi * np.arange(shown) / max(shown, 1)
    centres = np.column_stack([np.cos(angles), np.sin(angles)]) * 3.0
    jitter = np.random.default_rng(0)  # a fixed layout, not model randomness
    status_name = {SICK: "sick", VACANT: "vacant"}
    professionals, clients = [], []
    for post in range(shown):
        x, y = centres[post]
        professionals.append({"post": post, "x": x, "y": y,
                              "status": status_name.get(posts.status[post], "working")})
        mine = np.flatnonzero((live["status"] == IN_CARE) & (live["post"] == post))
        spots = centres[post] + jitter.normal(0, 0.55, (len(mine), 2))
        for row, (cx, cy) in zip(mine, spots, strict=True):
            clients.append({"client": int(live["serial"][row]), "post": post,
                            "x": float(cx), "y": float(cy), "x0": float(x), "y0": float(y),
                            "bond": round(float(live["bond"][row]), 3)})
    waiting = np.flatnonzero(live["status"] == WAITING)
    for row, (cx, cy) in zip(waiting, jitter.normal(0, 0.5, (len(waiting), 2)), strict=True):
        clients.append({"client": int(live["serial"][row]), "post": -1, "x": float(cx),
                        "y": float(cy), "x0": float(cx), "y0": float(cy), "bond": 0.0})
    return professionals, clients


def network_spec(model, lang: str, post: int | None = None,
                 client: int | None = None) -> dict:
    """Professionals and their clients; line width and client colour show the bond.

    Click a professional or a client to inspect it; the one inspected (``post``, or
    ``client`` by serial) is ringed.
    """
    professionals, clients = network_layout(model)
    for row in professionals:
        row["selected"] = row["post"] == post and client is None
    for row in clients:
        row["selected"] = row["client"] == client
    hidden = {"axis": None, "scale": {"domain": [-4.2, 4.2]}}
    statuses = [t(s, lang) for s in STATUS_COLOURS]
    for p in professionals:
        p["label"] = t(p["status"], lang)
    return _spec(t("network", lang), {
        "width": "container", "height": 340,
        "layer": [
            {"data": {"name": "clients", "values": clients},
             "mark": {"type": "rule", "opacity": 0.6},
             "encoding": {"x": {"field": "x0", "type": "quantitative", **hidden},
                          "y": {"field": "y0", "type": "quantitative", **hidden},
                          "x2": {"field": "x"}, "y2": {"field": "y"},
                          "strokeWidth": {"field": "bond", "type": "quantitative",
                                          "scale": {"domain": [0, 1], "range": [0.3, 5]},
                                          "legend": None},
                          "color": {"value": "#0072B2"}}},
            {"data": {"name": "clients", "values": clients}, "mark": {"type": "circle", "size": 90,
                                                   "stroke": "white", "cursor": "pointer"},
             "encoding": {"x": {"field": "x", "type": "quantitative", **hidden},
                          "y": {"field": "y", "type": "quantitative", **hidden},
                          "color": {"field": "bond", "type": "quantitative",
                                    "scale": {"scheme": "viridis", "domain": [0, 1]},
                                    "title": t("mean_bond", lang)},
                          "tooltip": [{"field": "client", "title": t("client", lang)},
                                      {"field": "bond", "title": t("bond", lang)}]}},
            {"data": {"name": "professionals", "values": professionals},
             "mark": {"type": "circle", "size": 900, "opacity": 1, "cursor": "pointer"},
             "encoding": {"x": {"field": "x", "type": "quantitative", **hidden},
                          "y": {"field": "y", "type": "quantitative", **hidden},
                          "color": {"field": "label", "type": "nominal", "title": None,
                                    "legend": {"columns": 1},   # beside the bond's
                                    "scale": {"domain": statuses,
                                              "range": list(STATUS_COLOURS.values())}},
                          "stroke": {"condition": {"test": "datum.selected",
                                                   "value": SELECTED}, "value": "black"},
                          "strokeWidth": {"condition": {"test": "datum.selected",
                                                        "value": 5}, "value": 1.5},
                          "strokeDash": {"condition": {"test": "datum.status == 'sick'",
                                                       "value": [4, 3]}, "value": [1, 0]}}},
            {"data": {"name": "professionals", "values": professionals},
             "mark": {"type": "text", "fontSize": 16, "fontWeight": "bold"},
             "encoding": {"x": {"field": "x", "type": "quantitative", **hidden},
                          "y": {"field": "y", "type": "quantitative", **hidden},
                          "text": {"field": "post"},
                          "color": {"condition": {"test": "datum.status == 'working'",
                                                  "value": "white"}, "value": "black"}}},
            {"data": {"name": "clients", "values": clients},
             "transform": [{"filter": "datum.selected"}],
             "mark": {"type": "circle", "size": 260, "filled": False, "strokeWidth": 4,
                      "color": SELECTED},
             "encoding": {"x": {"field": "x", "type": "quantitative", **hidden},
                          "y": {"field": "y", "type": "quantitative", **hidden}}}],
        "resolve": {"scale": {"color": "independent"}}}, lang)


def week_spec(model, post: int, lang: str) -> dict:
    """One professional's hours this week as a single stacked bar."""
    hours = {"admin": "admin", "network_hours": "network", "open": "open",
             "scripted": "scripted", "group": "group", "teaching": "teaching",
             "slack": "slack"}
    rows = [{"kind": t(k, lang), "hours": round(float(model.week_hours[v][post]), 2),
             "order": i} for i, (k, v) in enumerate(hours.items())]
    overtime = float(model.week_hours["overtime"][post])
    title = f"{t('one_week', lang)}: {post}" + (
        f" (+{number(round(overtime, 1), lang)} {t('hours_unit', lang)} "
        f"{t('overtime', lang)})" if overtime > 0 else "")
    return _spec(title, {
        "width": "container", "height": 50,
        "layer": [
            {"data": {"name": "week", "values": rows}, "mark": "bar",
             "encoding": {"x": {"field": "hours", "type": "quantitative", "stack": "zero",
                                "title": t("hours_unit", lang)},
                          "order": {"field": "order"},
                          "color": {"field": "kind", "type": "nominal", "title": None,
                                    "scale": {"domain": [t(k, lang) for k in hours],
                                              "range": list(HOUR_COLOURS.values())}},
                          "tooltip": [{"field": "kind", "title": t("kind", lang)},
                                      {"field": "hours", "title": t("hours", lang)}]}},
            {"mark": {"type": "rule", "strokeWidth": 3, "color": "black"},
             "encoding": {"x": {"datum": model.p.hours_per_week}}}]}, lang)


def monitors(model) -> dict[str, float | None]:
    """The three figures a class reads from the back: now, or over the weeks so far.

    ``waiting``: clients on the waiting list this week; ``goal_share``: of the clients
    who left so far (after the warm-up, once reported weeks have begun), the share who
    reached their goal (None before anyone left); ``burnout``: the share of posts whose
    professional is on sick leave with burnout this week.
    """
    waiting, burnout = weekly(model, "waiting"), weekly(model, "burnout_share")
    if not len(waiting):
        return {"waiting": None, "goal_share": None, "burnout": None}
    start = model.p.warmup_weeks if len(waiting) > model.p.warmup_weeks else 0
    goals = weekly(model, "goals")[start:].sum()
    left = goals + weekly(model, "dropouts")[start:].sum()
    return {"waiting": float(waiting[-1]), "goal_share": goals / left if left else None,
            "burnout": float(burnout[-1])}


def presented(spec: dict) -> dict:
    """A chart for the back of a room (presentation mode): taller, its text larger."""
    bigger = {**spec, "config": copy.deepcopy(spec["config"])}
    if isinstance(spec.get("height"), int | float):
        bigger["height"] = round(spec["height"] * PRESENTED_HEIGHT)
    for part in bigger["config"].values():
        if isinstance(part, dict):
            for key, value in part.items():
                if key.lower().endswith("fontsize"):
                    part[key] = round(value * PRESENTED_TEXT)
    return bigger
