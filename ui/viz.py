"""A live model in the page: SolaraViz's arrangement, with every label translated.

Mesa's SolaraViz writes its own controls in English only ("Controls", "Reset", "Step",
"Play Interval", "Time:", "Page 0"), and its reset lets an impossible combination of
settings fail in the server log. A Dutch class needs the controls in Dutch and a reason
in the page, so Explore builds the same view from Mesa's visualisation parts: the input
declarations in Mesa's ``model_params`` form, and Mesa's update counter, which redraws
every component after a step. The controller (reset, play/pause, step) and the
settings are this module's own: Mesa's ``ModelCreator`` shows each slider's first value
whatever the settings hold and fills them anew whenever it is drawn again, so a slider
could show one value while the model ran another, and a language switch lost them.
Here every slider shows the setting the next Reset uses, has a box to type it in, and
a setting waiting for Reset says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal

import solara
import solara.lab
from mesa import Model
from mesa.visualization.utils import force_update, update_counter

from ui.guard import Guarded
from ui.i18n import decimal_mark, refusal, t

#: Sliders for a projector: the label on a line of its own above a full-width track, and
#: the value always shown on the thumb (Vuetify shows it only while dragging).
SLIDER_CSS = """
.v-input__slider .v-input__slot { flex-wrap: wrap; }
.v-input__slider .v-input__slot > .v-label {
    flex: 1 0 100%; max-width: 100%; margin: 8px 0 44px 0; white-space: normal;
    font-size: 17px; color: rgba(0, 0, 0, 0.87); height: auto; line-height: 1.3; }
.v-input__slider .v-slider__thumb-label-container { display: block !important; }
.v-input__slider .v-slider__thumb-label { font-size: 13px; }
"""
#: Presentation mode: the sidebar out of sight (kept, so leaving finds it as it was),
#: with the shade a phone's open sidebar lays over the page.
PRESENTING_CSS = """
.v-navigation-drawer, .v-app-bar__nav-icon, .v-overlay { display: none !important; }
.v-content { padding-left: 0 !important; }
"""
#: Below Solara's breakpoint for its sidebar (960 px) the sidebar is a drawer that
#: covers the page: a bar of Reset, Play and Step then stays above the parts.
COMPACT_CSS = """
.v-sheet.compact-bar { display: none !important; }
@media (max-width: 959px) { .v-sheet.compact-bar { display: flex !important; } }
"""
#: Slowest pause between steps while playing, in ms.
MAX_PAUSE_MS = 1000
#: Most weeks per step (and per redraw while playing).
MAX_WEEKS_PER_STEP = 52


@solara.component
def LiveModel(current: solara.Reactive, settings: solara.Reactive, inputs: dict,
              parts: list[Callable[[Model], None]], lang: str,
              running: Callable[[Model], dict] | None = None,
              header: Callable[[Model], None] | None = None,
              apply: Callable[[Model, dict], None] | None = None,
              on_reset: Callable[[Model], None] | None = None,
              presenting: solara.Reactive | None = None, pause_ms: int = 150):
    """The model's controls and inputs in the sidebar, its parts beside them.

    Args:
        current: The model shown; Reset replaces it. Held by the page, so that it
            outlives this view (a language switch draws the view anew).
        settings: The keyword arguments of the model built on Reset (from
            :func:`starting_values`), held by the page likewise.
        inputs: Input declarations in Mesa's ``model_params`` form: their labels,
            ranges and steps.
        parts: Functions that draw one part of the view from the model (charts, text);
            each is redrawn after every step.
        lang: ``"en"`` or ``"nl"``.
        running: The model's values of the inputs (a setting that differs waits for
            Reset, and says so); None to mark nothing.
        header: A part drawn across the whole width above the others (big numbers).
        apply: Puts settings waiting for Reset in force in the running model from its
            next week (an intervention mid-run); may raise ValueError to refuse. None:
            settings wait for Reset only.
        on_reset: Called with the model a Reset replaces (to keep its trace).
        presenting: Presentation mode (for a projector): while true the sidebar goes,
            a bar of Reset, Play and Step stays above the parts, drawn large. None:
            no presentation mode.
        pause_ms: Pause between steps while playing, in ms, until the user changes it.
    """
    pause = solara.use_reactive(pause_ms)
    weeks_per_step = solara.use_reactive(1)
    playing = solara.use_reactive(False)   # one for every bar of buttons: one plays

    def play() -> None:
        while playing.value and current.value.running:
            time.sleep(pause.value / 1000)
            if playing.value:  # not paused while asleep
                advance(current, weeks_per_step.value)
        playing.set(False)

    solara.lab.use_task(play, dependencies=[playing.value], prefer_threaded=True)
    buttons = dict(model=current, settings=settings, playing=playing,
                   weeks_per_step=weeks_per_step, lang=lang, on_reset=on_reset)
    solara.Style(SLIDER_CSS)
    if presenting is not None and presenting.value:
        solara.Style(PRESENTING_CSS)
        with solara.Row(style={"align-items": "center", "gap": "24px",
                               "font-size": "22px"}, classes=["presenting-bar"]):
            Controller(**buttons)
            solara.Button(t("leave_presentation", lang), text=True,
                          on_click=lambda: presenting.set(False))
    else:
        solara.Style(COMPACT_CSS)
        with solara.Row(style={"align-items": "center"}, classes=["compact-bar"]):
            Controller(**buttons)
    with solara.Sidebar(), Guarded(lang):  # the sidebar is drawn apart from the page
        with solara.Card(t("controls", lang)):
            Controller(**buttons)
            if presenting is not None:
                solara.Button(t("presentation", lang), outlined=True, color="primary",
                              on_click=lambda: presenting.set(True))
            solara.SliderInt(t("pause_ms", lang), value=pause, min=10, max=MAX_PAUSE_MS,
                             step=10)
            solara.SliderInt(t("weeks_per_step", lang), value=weeks_per_step, min=1,
                             max=MAX_WEEKS_PER_STEP)
        with solara.Card(t("settings", lang)):
            solara.Text(t("settings_hint", lang))
            Settings(inputs, settings, (lambda: running(current.value)) if running else dict,
                     lang, None if apply is None else lambda values: apply(current.value,
                                                                           values))
    if header is not None:
        Part(header, current.value)
    Parts(parts, current.value, roomy=presenting is not None and presenting.value)


def step_for(value: float, coarsest: float) -> float:
    """A slider's step: ``coarsest``, or finer where ``value`` has more decimals.

    So every value a preset or an uploaded scenario holds is a position of its slider,
    and a Reset with nothing touched runs what was shown.
    """
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return min(coarsest, 10.0 ** exponent) if isinstance(exponent, int) and exponent < 0 \
        else coarsest


@solara.component
def Settings(inputs: dict, settings: solara.Reactive, running: Callable[[], dict],
             lang: str, apply: Callable[[dict], None] | None = None):
    """One control per input, showing the setting the next Reset will use.

    A slider has a box beside it to type the value; a value typed outside the slider's
    range (within what the parameter allows, which Reset checks) widens it. A setting
    that differs from what the model runs is marked (:func:`Waiting`), with the value it
    runs; with ``apply``, a button puts them in force from the next week instead.
    ``running`` gives what the model runs now. Only the mark is drawn again after every
    step; the controls only when a setting changes.
    """
    problem = solara.use_reactive("")

    def set_value(name: str, value) -> None:
        settings.set({**settings.value, name: value})

    Waiting(inputs, settings, running, problem, lang, apply)
    for name, spec in inputs.items():
        if not isinstance(spec, dict):
            continue
        value, label = settings.value[name], spec.get("label", name)
        kind = spec["type"]
        if kind == "Checkbox":
            solara.Checkbox(label=label, value=bool(value),
                            on_value=lambda v, name=name: set_value(name, v))
        elif kind == "InputText":
            solara.InputText(label, value=str(value),
                             on_value=lambda v, name=name: set_value(name, v))
        else:
            NumberSetting(name, spec, value, set_value, problem, lang)
    if problem.value:
        solara.Error(problem.value)


@solara.component
def Waiting(inputs: dict, settings: solara.Reactive, running: Callable[[], dict],
            problem: solara.Reactive, lang: str, apply: Callable[[dict], None] | None):
    """The settings that differ from what the model runs, and the button to apply them.

    Drawn again after every step or change: the model's parameters change at its events.
    """
    update_counter.get()
    running = running()

    def apply_now(waiting: list[str]) -> None:
        try:
            apply({name: settings.value[name] for name in waiting})
        except ValueError as error:
            problem.set(refusal(error, lang))
            return
        problem.set("")
        force_update()

    waiting = [name for name, spec in inputs.items() if isinstance(spec, dict)
               and name in running and settings.value.get(name) != running[name]]
    if waiting:
        solara.Warning(t("waiting_for_reset", lang) + ": " + "; ".join(
            _waiting(inputs[n]["label"], settings.value[n], running[n], lang)
            for n in waiting), dense=True)
        if apply is not None:
            solara.Button(t("apply_now", lang), color="primary", outlined=True,
                          on_click=lambda: apply_now(waiting))


def _waiting(label: str, value, runs, lang: str) -> str:
    """A setting waiting for Reset: its label, its value and what the model runs."""
    if isinstance(runs, bool | str):
        return label
    return decimal_mark(f"{label} {value:g} ({t('model_runs', lang)} {runs:g})", lang)


@solara.component
def NumberSetting(name: str, spec: dict, value: float, set_value: Callable,
                  problem: solara.Reactive, lang: str):
    """A slider and a box to type the value in, both showing ``value``."""
    whole = spec["type"] == "SliderInt"
    low, high = spec["min"], max(spec["max"], value)
    step = spec["step"] if whole else step_for(value, spec["step"])
    slider = solara.SliderInt if whole else solara.SliderFloat

    def typed(text) -> None:
        try:
            number = int(text) if whole else float(str(text).replace(",", "."))
        except (TypeError, ValueError):
            problem.set(f"{spec['label']}: {t('not_a_number', lang)}")
            return
        if not low <= number <= spec["limit"]:
            problem.set(f"{spec['label']}: {t('allowed', lang)} {low:g} .. "
                        f"{spec['limit']:g}")
            return
        problem.set("")
        set_value(name, number)

    with solara.Row(style={"align-items": "flex-end", "gap": "8px"}):
        with solara.Column(style={"flex": "1 1 auto", "min-width": "0"}):
            slider(spec["label"], value=value, min=low, max=high, step=step,
                   on_value=lambda v: set_value(name, v))
        solara.InputText("", value=decimal_mark(f"{value:g}", lang), on_value=typed,
                         continuous_update=False, style={"max-width": "84px"},
                         classes=[f"typed-{name}"])


def starting_values(inputs: dict) -> dict:
    """The model's keyword arguments before any input is touched."""
    return {name: spec["value"] if isinstance(spec, dict) else spec
            for name, spec in inputs.items()}


def advance(model: solara.Reactive, weeks: int) -> None:
    """Step the model ``weeks`` weeks (fewer if its run ends), then redraw."""
    for _ in range(weeks):
        if not model.value.running:
            break
        model.value.step()
    force_update()


@solara.component
def Controller(model: solara.Reactive, settings: solara.Reactive, playing: solara.Reactive,
               weeks_per_step: solara.Reactive, lang: str,
               on_reset: Callable[[Model], None] | None = None):
    """Reset, play/pause and step buttons, and the week the model has reached.

    Args:
        model: The model shown; reset replaces it.
        settings: Keyword arguments for the model built on reset.
        playing: Whether the model plays (stepped by :func:`LiveModel`'s task), shared
            by every bar of these buttons on the page.
        weeks_per_step: Weeks simulated per click on Step, or per redraw while playing.
        lang: ``"en"`` or ``"nl"``.
        on_reset: Called with the model a Reset replaces.
    """
    update_counter.get()  # redraw with the week after every step
    problem = solara.use_reactive("")

    def reset() -> None:
        playing.set(False)
        try:
            made = type(model.value)(**settings.value)
        except ValueError as error:  # an impossible combination, or a seed that is no number
            problem.set(refusal(error, lang))
            return
        if on_reset is not None:
            on_reset(model.value)
        model.set(made)
        problem.set("")
        force_update()

    running = model.value.running
    with solara.Row(justify="space-between", style={"flex-wrap": "wrap", "gap": "8px"}):
        solara.Button(t("reset", lang), color="primary", on_click=reset)
        solara.Button(t("pause" if playing.value else "play", lang), color="primary",
                      on_click=lambda: playing.set(not playing.value), disabled=not running)
        solara.Button(t("step", lang), color="primary",
                      on_click=lambda: advance(model, weeks_per_step.value),
                      disabled=playing.value or not running)
    solara.Text(f"{t('week', lang)} {model.value.steps}", style={"font-size": "20px"})
    if not running:
        solara.Info(t("run_ended", lang), dense=True)
    if problem.value:
        solara.Error(f"{t('not_started', lang)}: {problem.value}")


@solara.component
def Parts(parts: list[Callable[[Model], None]], model: Model, roomy: bool = False):
    """The parts two by two on a wide screen, one under the other on a narrow one.

    The sidebar takes about 400 pixels, so with it a screen is wide from 1904 pixels
    (Vuetify's extra large); without it (``roomy``, presentation mode) from 1264 (large),
    so a projector of 1280 pixels shows them two by two.
    """
    with solara.ColumnsResponsive(default=12, large=6 if roomy else None, xlarge=6):
        for draw in parts:
            Part(draw, model)


@solara.component
def Part(draw: Callable[[Model], None], model: Model):
    """One part, redrawn after every step."""
    update_counter.get()
    with solara.Column(classes=["live-part"]):
        draw(model)
