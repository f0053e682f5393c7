"""Matplotlib figures of a running model.

Sized and styled to be read from the back of a classroom: large type, strong contrast,
few colours.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from model.state import IN_CARE, SICK, VACANT, WAITING, Posts
from ui.i18n import t

STYLE = {"font.size": 14, "axes.titlesize": 15, "axes.labelsize": 14, "legend.fontsize": 12,
         "xtick.labelsize": 12, "ytick.labelsize": 12, "axes.grid": True, "grid.alpha": 0.3}
#: Colours of the kinds of hours (colour-blind safe, Okabe-Ito).
HOUR_COLOURS = {"admin": "#E69F00", "network_hours": "#56B4E9", "open": "#009E73",
                "scripted": "#0072B2", "group": "#CC79A7", "slack": "#BBBBBB"}


def _figure(rows: int = 1, cols: int = 1, size=(11, 4.2)) -> tuple[Figure, np.ndarray]:
    with plt.rc_context(STYLE):
        figure = Figure(figsize=size, dpi=90)
        axes = figure.subplots(rows, cols, squeeze=False)
    return figure, axes


def weekly(model, name: str) -> np.ndarray:
    """One weekly figure of the model so far."""
    return np.asarray(model.datacollector.model_vars.get(name, []), float)


def outcomes_figure(model, lang: str) -> Figure:
    """Bond and motivation, goals and drop-outs, waiting and in care, stress and burnout."""
    with plt.rc_context(STYLE):
        figure, axes = _figure(2, 2, size=(7, 4.6))
        panels = ((("mean_bond", "mean_motivation"), (0, 1)),
                  (("goals", "dropouts"), None),
                  (("waiting", "in_care"), None),
                  (("mean_stress", "burnout_share"), (0, 1)))
        for ax, (names, limits) in zip(axes.flat, panels, strict=True):
            for i, name in enumerate(names):
                values = weekly(model, name)
                ax.plot(np.arange(1, len(values) + 1), values, linewidth=2.5,
                        color=("#0072B2", "#D55E00")[i], label=t(name, lang))
            if limits:
                ax.set_ylim(*limits)
            ax.legend(loc="upper left", fontsize=10)
        for ax in axes[1]:
            ax.set_xlabel(t("week", lang))
        figure.tight_layout()
    return figure


def time_split_figure(model, lang: str) -> Figure:
    """Hours per working professional per week, stacked by kind."""
    with plt.rc_context(STYLE):
        figure, axes = _figure(size=(7, 4.4))
        ax = axes[0, 0]
        working = np.maximum(weekly(model, "working"), 1)
        if len(working):
            weeks = np.arange(1, len(working) + 1)
            contact_open = weekly(model, "open_hours")
            layers = {"admin": weekly(model, "admin_hours"),
                      "network_hours": weekly(model, "network_hours"),
                      "open": contact_open, "scripted": weekly(model, "scripted_hours"),
                      "group": weekly(model, "group_hours"),
                      "slack": weekly(model, "slack_hours")}
            ax.stackplot(weeks, *(v / working for v in layers.values()),
                         colors=[HOUR_COLOURS[k] for k in layers],
                         labels=[t(k, lang) for k in layers])
            ax.plot(weeks, model.p.hours_per_week + weekly(model, "overtime_hours") / working,
                    color="black", linewidth=2, label=t("overtime", lang))
            ax.axhline(model.p.hours_per_week, color="black", linestyle=":", linewidth=1)
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=4, fontsize=10)
        ax.set_xlabel(t("week", lang))
        ax.set_title(t("time_split", lang), fontsize=13)
        figure.tight_layout()
    return figure


def network_figure(model, lang: str, max_posts: int = 12) -> Figure:
    """Professionals on a ring with their clients around them; line width is the bond.

    Sick professionals are orange, vacant posts grey; clients are coloured by bond.
    Waiting clients sit in the middle. At most ``max_posts`` posts are drawn.
    """
    live, posts = model.clients.live, model.posts
    shown = min(len(posts), max_posts)
    with plt.rc_context(STYLE):
        figure, axes = _figure(size=(6.2, 4.6))
        ax = axes[0, 0]
        ax.set_aspect("equal")
        ax.axis("off")
        angles = 2 * np.pi * np.arange(shown) / max(shown, 1)
        centres = np.column_stack([np.cos(angles), np.sin(angles)]) * 3.0
        rng = np.random.default_rng(0)  # fixed layout, not model randomness
        status = live["status"]
        for post in range(shown):
            mine = np.flatnonzero((status == IN_CARE) & (live["post"] == post))
            spots = centres[post] + rng.normal(0, 0.55, (len(mine), 2))
            for spot, bond in zip(spots, live["bond"][mine], strict=True):
                ax.plot(*zip(centres[post], spot, strict=True), color="#0072B2",
                        linewidth=0.3 + 4 * bond, alpha=0.6)
            ax.scatter(spots[:, 0], spots[:, 1], c=live["bond"][mine], cmap="viridis",
                       vmin=0, vmax=1, s=40, zorder=3, edgecolors="white", linewidths=0.5)
            colour = {SICK: "#E69F00", VACANT: "#BBBBBB"}.get(posts.status[post], "#D55E00")
            ax.scatter(*centres[post], s=500, color=colour, zorder=4, edgecolors="black")
            ax.annotate(str(post), centres[post], ha="center", va="center", color="white",
                        fontsize=12, fontweight="bold", zorder=5)
        waiting = np.flatnonzero(status == WAITING)
        spots = rng.normal(0, 0.5, (len(waiting), 2))
        ax.scatter(spots[:, 0], spots[:, 1], color="#999999", s=25, zorder=3,
                   label=f"{t('waiting', lang)}: {len(waiting)}")
        for label, colour in (("working", "#D55E00"), ("sick", "#E69F00"),
                              ("vacant", "#BBBBBB")):
            ax.scatter([], [], s=150, color=colour, edgecolors="black", label=t(label, lang))
        ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=10)
        ax.set_title(t("network", lang), fontsize=13)
        figure.tight_layout()
    return figure


def week_figure(model, post: int, lang: str) -> Figure:
    """One professional's hours this week as a single stacked bar."""
    hours = {kind: float(model.week_hours[kind][post]) for kind in Posts.HOUR_KINDS}
    parts = {"admin": hours["admin"], "network_hours": hours["network"],
             "open": hours["open"], "scripted": hours["scripted"], "group": hours["group"],
             "slack": hours["slack"]}
    with plt.rc_context(STYLE):
        figure, axes = _figure(size=(7, 2.2))
        ax = axes[0, 0]
        left = 0.0
        for kind, value in parts.items():
            ax.barh([0], [value], left=left, color=HOUR_COLOURS[kind], label=t(kind, lang),
                    edgecolor="white")
            if value >= 1.5:
                ax.text(left + value / 2, 0, f"{value:.0f}", ha="center", va="center",
                        fontsize=13, fontweight="bold")
            left += value
        ax.axvline(model.p.hours_per_week, color="black", linewidth=2)
        if hours["overtime"] > 0:
            ax.annotate(f"+{hours['overtime']:.1f} h {t('overtime', lang)}",
                        (model.p.hours_per_week, 0.45), fontsize=12)
        ax.set_yticks([])
        ax.set_xlim(0, max(left, model.p.hours_per_week) * 1.05 + 1)
        ax.set_xlabel("h")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.5), ncol=3, fontsize=10)
        figure.tight_layout()
    return figure
