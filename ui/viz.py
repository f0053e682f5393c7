"""A live model in the page: SolaraViz's arrangement, with every label translated.

Mesa's SolaraViz writes its own controls in English only ("Controls", "Reset", "Step",
"Play Interval", "Time:", "Page 0"), and its reset lets an impossible combination of
settings fail in the server log. A Dutch class needs the controls in Dutch and a reason
in the page, so Explore builds the same view from Mesa's visualisation parts:
:func:`~mesa.visualization.solara_viz.ModelCreator` turns the input declarations into
sliders, switches and a seed box, and Mesa's update counter redraws every component after
a step. Only the controller (reset, play/pause, step) is this module's own.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import solara
import solara.lab
from mesa import Model
from mesa.visualization.solara_viz import ModelCreator
from mesa.visualization.utils import force_update, update_counter

from ui.i18n import refusal, t

#: Sliders for a projector: the label on a line of its own above a full-width track, and
#: the value always shown on the thumb (Vuetify shows it only while dragging).
SLIDER_CSS = """
.v-input__slider .v-input__slot { flex-wrap: wrap; }
.v-input__slider .v-input__slot > .v-label {
    flex: 1 0 100%; max-width: 100%; margin: 8px 0 44px 0; white-space: normal;
    font-size: 17px; color: rgba(0, 0, 0, 0.87); }
.v-input__slider .v-slider__thumb-label-container { display: block !important; }
.v-input__slider .v-slider__thumb-label { font-size: 13px; }
"""
#: Slowest pause between steps while playing, in ms.
MAX_PAUSE_MS = 1000
#: Most weeks per step (and per redraw while playing).
MAX_WEEKS_PER_STEP = 52


@solara.component
def LiveModel(model: Model, inputs: dict, parts: list[Callable[[Model], None]], lang: str,
              pause_ms: int = 150):
    """The model's controls and inputs in the sidebar, its parts beside them.

    Args:
        model: The model shown until the first reset.
        inputs: Input declarations in Mesa's ``model_params`` form; their values are the
            keyword arguments of the model built on reset.
        parts: Functions that draw one part of the view from the model (charts, text);
            each is redrawn after every step.
        lang: ``"en"`` or ``"nl"``.
        pause_ms: Pause between steps while playing, in ms, until the user changes it.
    """
    current = solara.use_reactive(model)
    # Filled here, not left to ModelCreator's first render: when the preset changes, the
    # sidebar keeps its ModelCreator, which then never fills the new settings.
    settings = solara.use_reactive(solara.use_memo(lambda: starting_values(inputs), []))
    pause = solara.use_reactive(pause_ms)
    weeks_per_step = solara.use_reactive(1)
    solara.Style(SLIDER_CSS)
    with solara.Sidebar():
        with solara.Card(t("controls", lang)):
            Controller(current, settings, pause, weeks_per_step, lang)
            solara.SliderInt(t("pause_ms", lang), value=pause, min=10, max=MAX_PAUSE_MS,
                             step=10)
            solara.SliderInt(t("weeks_per_step", lang), value=weeks_per_step, min=1,
                             max=MAX_WEEKS_PER_STEP)
        with solara.Card(t("settings", lang)):
            solara.Text(t("settings_hint", lang))
            ModelCreator(current, inputs, model_parameters=settings)
    Parts(parts, current.value)


def starting_values(inputs: dict) -> dict:
    """The model's keyword arguments before any input is touched."""
    return {name: spec["value"] if isinstance(spec, dict) else spec
            for name, spec in inputs.items()}


@solara.component
def Controller(model: solara.Reactive, settings: solara.Reactive, pause: solara.Reactive,
               weeks_per_step: solara.Reactive, lang: str):
    """Reset, play/pause and step buttons, and the week the model has reached.

    Args:
        model: The model shown; reset replaces it.
        settings: Keyword arguments for the model built on reset.
        pause: Pause between steps while playing, in ms.
        weeks_per_step: Weeks simulated per click on Step, or per redraw while playing.
        lang: ``"en"`` or ``"nl"``.
    """
    update_counter.get()  # redraw with the week after every step
    playing = solara.use_reactive(False)
    problem = solara.use_reactive("")

    def advance() -> None:
        for _ in range(weeks_per_step.value):
            if not model.value.running:
                break
            model.value.step()
        force_update()

    def play() -> None:
        while playing.value and model.value.running:
            time.sleep(pause.value / 1000)
            if playing.value:  # not paused while asleep
                advance()
        playing.set(False)

    solara.lab.use_task(play, dependencies=[playing.value], prefer_threaded=True)

    def reset() -> None:
        playing.set(False)
        try:
            model.set(type(model.value)(**settings.value))
        except ValueError as error:  # an impossible combination, or a seed that is no number
            problem.set(refusal(error, lang))
            return
        problem.set("")
        force_update()

    running = model.value.running
    with solara.Row(justify="space-between"):
        solara.Button(t("reset", lang), color="primary", on_click=reset)
        solara.Button(t("pause" if playing.value else "play", lang), color="primary",
                      on_click=lambda: playing.set(not playing.value), disabled=not running)
        solara.Button(t("step", lang), color="primary", on_click=advance,
                      disabled=playing.value or not running)
    solara.Text(f"{t('week', lang)} {model.value.steps}", style={"font-size": "20px"})
    if problem.value:
        solara.Error(f"{t('not_started', lang)}: {problem.value}")


@solara.component
def Parts(parts: list[Callable[[Model], None]], model: Model):
    """The parts two by two on a wide screen, one under the other on a narrow one.

    A projector of 1280 pixels or more is wide; below that the sidebar leaves too
    little room for two charts side by side.
    """
    with solara.ColumnsResponsive(default=12, large=6):
        for draw in parts:
            Part(draw, model)


@solara.component
def Part(draw: Callable[[Model], None], model: Model):
    """One part, redrawn after every step."""
    update_counter.get()
    with solara.Column(classes=["live-part"]):
        draw(model)
