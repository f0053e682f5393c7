"""The Explore page: a live model with the levers as sliders.

Sliders come from the parameter declaration; a preset picker, live charts, the network
view and one professional's week complete it. The live view is :func:`ui.viz.LiveModel`:
Mesa's SolaraViz arrangement with its controls in the page's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import solara
from ipyvuetify.extra import FileInput

from experiments.output import shown
from experiments.scenarios import (
    MAX_FILE_BYTES,
    Scenario,
    ScenarioError,
    available,
    dumps,
    load_shipped,
    loads,
)
from model import VerbindingModel
from model.parameters import ParameterError, Parameters, specs
from model.state import CLIENT_STATUS
from ui import charts
from ui.compare_page import keep, saved_scenarios
from ui.guard import Guarded
from ui.i18n import decimal_mark, number, parameter_label, refusal, t
from ui.viz import LiveModel, starting_values

#: The one rule for size: Explore runs every scenario (shipped, saved or uploaded) at
#: classroom size, a tenth of its team and arrivals, so a Step shows at once; scenarios
#: are kept, saved, compared and run on the command line at their own, full size.
CLASSROOM = 0.1
#: The parameters classroom size scales.
SIZE = ("professionals", "arrivals_per_week")
#: Upper end of a slider whose declared range is very wide: this many times the value.
SLIDER_SPAN = 4


def classroom_values(scenario: Scenario) -> dict:
    """A scenario's parameters at classroom size (:data:`CLASSROOM`)."""
    params = scenario.parameters().to_dict()
    params["professionals"] = max(1, round(params["professionals"] * CLASSROOM))
    params["arrivals_per_week"] = round(params["arrivals_per_week"] * CLASSROOM, 1)
    return params


def full_size(values: dict, scenario: Scenario) -> dict:
    """Settings made at classroom size, back at the scenario's size.

    A size setting left as classroom size made it takes the scenario's own value (a
    tenth, rounded, would not give it back); one changed is multiplied back.
    """
    classroom, own = classroom_values(scenario), scenario.parameters().to_dict()
    full = dict(values)
    for name in SIZE:
        if values[name] == classroom[name]:
            full[name] = own[name]
        else:
            full[name] = values[name] / CLASSROOM
            if isinstance(own[name], int):
                full[name] = round(full[name])
    return full


def slider(name: str, values: dict, lang: str) -> dict:
    """A slider or switch for one lever, from its declaration (Mesa's input form).

    A very wide declared range is cut to a few times the preset's value; the reported
    weeks (after the warm-up) run from 1 to ten years.
    """
    _, kind, spec = specs()[name]
    value, label = values[name], parameter_label(name, lang)
    if kind is bool:
        return {"type": "Checkbox", "value": value, "label": label}
    low = spec.low
    high = spec.high if spec.high <= 60 else max(SLIDER_SPAN * value, 10)
    if name == "weeks":
        high = 520
    if kind is int:
        return {"type": "SliderInt", "value": value, "label": label, "min": int(low),
                "max": int(high), "step": 1, "limit": int(spec.high)}
    step = 0.01 if high <= 1 else 0.1 if high <= 20 else 1.0
    return {"type": "SliderFloat", "value": value, "label": label, "min": float(low),
            "max": float(high), "step": step, "limit": float(spec.high)}


def model_params(scenario, lang: str, seed: int = 1) -> dict:
    """The model's inputs: sliders for the levers, the rest fixed by the preset."""
    values = classroom_values(scenario)
    params = {"rng": {"type": "InputText", "value": str(seed), "label": t("seed", lang)}}
    for name, (_, _, spec) in specs().items():
        params[name] = slider(name, values, lang) if spec.group == "levers" else (
            values[name])
    return params


class VegaChart(solara.widgets.VegaLite):
    """Solara's Vega-Lite widget, drawn our way (``ui/vegachart.vue``).

    It draws in the next frame after a change, where Solara's waits 100 ms, and when a
    Step changes only the data, the chart drawn already takes the new rows: a Step in
    class shows without lag.
    """

    template_file = str(Path(__file__).with_name("vegachart.vue"))


#: For a browser (tests, benchmark): true once no chart of the page is redrawing.
SETTLED = "() => !document.querySelector('.verbinding-chart[data-pending]')"


def chart(spec: dict, on_click=None):
    """A Vega-Lite chart, drawn in the browser."""
    return VegaChart.element(spec=spec, on_click=on_click, listen_to_click=on_click is not None)


def make_parts(lang: str, scenario: Scenario, trace: solara.Reactive,
               presenting: solara.Reactive) -> list:
    """The live charts and panels: functions of the model, redrawn after every step.

    The first, the big numbers, goes across the top; the rest two by two.

    ``scenario`` is the one Explore runs at classroom size: what is saved is its size.
    ``trace`` holds the run before the last Reset (drawn faded) and the weeks after which
    settings were put in force mid-run (:class:`Trace`); while ``presenting``, charts
    and numbers are drawn large.
    """

    def show(spec: dict, on_click=None):
        chart(charts.presented(spec) if presenting.value else spec, on_click)

    selected_post = solara.reactive(0)
    selected_client = solara.reactive(None)

    def clicked(datum) -> None:
        if not datum:
            return
        if "client" in datum:
            selected_client.set(int(datum["client"]))
            if datum.get("post", -1) >= 0:
                selected_post.set(int(datum["post"]))
        elif "post" in datum:
            selected_post.set(int(datum["post"]))
            selected_client.set(None)

    def big_numbers(model):
        figures = charts.monitors(model)
        shown = {"waiting": lambda v: number(v, lang),
                 "goal_share": lambda v: f"{number(round(100 * v), lang)}%",
                 "burnout": lambda v: f"{number(round(100 * v), lang)}%"}
        with solara.Row(justify="space-around", classes=["monitors"]):
            for key, shown_as in shown.items():
                value = figures[key]
                with solara.Column(align="center", style={"gap": "0"}):
                    solara.Text("–" if value is None else shown_as(value),
                                style={"font-size": "72px" if presenting.value else "44px",
                                       "font-weight": "600", "line-height": "1.1"},
                                classes=[f"monitor-{key}"])
                    solara.Text(t(f"monitor_{key}", lang),
                                style={"font-size": "26px" if presenting.value else "18px"})

    def outcomes(model):
        solara.Text(t("outcomes", lang), style={"font-size": "18px", "font-weight": "600"})
        # Two side by side where the part has room: from 1264 px, or in presentation
        # mode (the parts two by two from 1264 px, text larger) from 1904.
        with solara.ColumnsResponsive(default=12, large=None if presenting.value else 6,
                                      xlarge=6):
            previous = trace.value.previous if trace.value.preset == scenario.name else None
            changes = trace.value.weeks(model)
            for spec in charts.outcome_specs(model, lang, previous, changes):
                show(spec)
        said = [t(key, lang) for key, drawn in (("trace_previous", previous),
                                                 ("trace_changes", changes)) if drawn]
        if said:
            solara.Text(" ".join(said), style={"font-size": "16px"})

    def time_split(model):
        show(charts.time_split_spec(model, lang))

    def network(model):
        show(charts.network_spec(model, lang, selected_post.value, selected_client.value),
             on_click=clicked)
        hint = t("click_hint", lang)
        if len(model.posts) > charts.NETWORK_POSTS:
            hint += " " + t("network_shows", lang).format(
                shown=charts.NETWORK_POSTS, total=len(model.posts))
        solara.Text(hint, style={"font-size": "16px"})

    def one_week(model):
        post = min(selected_post.value, len(model.posts) - 1)
        solara.Select(label=t("inspect", lang), values=list(range(len(model.posts))),
                      value=post, on_value=selected_post.set)
        show(charts.week_spec(model, post, lang))
        agent = model.posts.agent[post]
        if agent is None:
            solara.Info(t("vacant", lang))
        else:
            state = t("professional_state", lang).format(
                stress=agent.stress, weeks=agent.experience_weeks,
                clients=len(agent.clients), burnouts=agent.burnout_episodes)
            solara.Markdown(f"**{t(agent.status, lang)}**: {decimal_mark(state, lang)}")
        if selected_client.value is not None:
            client = client_summary(model, selected_client.value, lang)
            solara.Markdown(f"**{t('client', lang)} {selected_client.value}**: {client}")

    def scenario_files(model):
        made = trace.value.changes.get(id(model), ())
        saved = current_scenario(model, name.value, scenario, made)
        solara.Markdown(f"### {t('these_settings', lang)}")
        solara.InputText(t("scenario_name", lang), value=name)
        solara.Text(t("saved_full_size", lang))
        if made:
            warmup = model.scenario_parameters.warmup_weeks
            solara.Text(t("changes_kept", lang).format(
                kept=len(saved.events) - len(scenario.events),
                warmup=sum(len(values) for step, values in made if step < warmup)))
        solara.Button(t("save_for_compare", lang), on_click=lambda: save(saved),
                      color="primary")
        solara.FileDownload(dumps(saved), filename=f"{file_stem(saved.name)}.toml",
                            label=t("download_scenario", lang))
        if message.value:
            solara.Info(message.value)

    def save(saved: Scenario) -> None:
        try:
            keep(saved)
        except ScenarioError as error:
            message.set(f"{t('error', lang)}: {refusal(error, lang)}")
            return
        message.set(f"{t('saved', lang)}: {saved.name}")

    name = solara.reactive("my-scenario")
    message = solara.reactive("")
    return [big_numbers, outcomes, time_split, network, one_week, scenario_files]


def client_summary(model, serial: int, lang: str) -> str:
    """One client's state in a line (the exit reason once the client has left)."""
    row = model.clients.row_of(serial)
    if row is None:
        reason = CLIENT_STATUS[model.clients.record["exit_reason"][serial]]
        return t("client_left", lang).format(reason=t(reason, lang))
    live = model.clients.live
    return decimal_mark(t("client_state", lang).format(
        **{k: live[k][row] for k in ("bond", "motivation", "efficacy", "openness",
                                     "progress", "handovers")}), lang)


def current_scenario(model, name: str, scenario: Scenario,
                     made: tuple[tuple[int, dict], ...] = ()) -> Scenario:
    """The running model's settings as a scenario at full size (overrides of the defaults).

    Args:
        model: The model Explore runs, at classroom size.
        name: The new scenario's name.
        scenario: The scenario the model was made from: its domain and its size.
        made: The settings put in force mid-run (:attr:`Trace.changes`): kept as the
            scenario's events (:func:`as_events`).
    """
    defaults = Parameters().to_dict()
    own = model.scenario_parameters.to_dict()
    values = full_size(own, scenario)
    overrides = {k: v for k, v in values.items() if v != defaults[k]}
    events = as_events(made, own, scenario)
    return Scenario(name or "my-scenario", scenario.domain,
                    {"en": f"Saved from Explore, made from {scenario.name}.",
                     "nl": f"Bewaard vanuit Verkennen, gemaakt van {scenario.name}."},
                    overrides, events=(*scenario.events, *events))


def as_events(made: tuple[tuple[int, dict], ...], own: dict, scenario: Scenario
              ) -> list[dict]:
    """Settings put in force mid-run, as a scenario's events at full size.

    A change after model step ``s`` holds from reported week ``s + 1 - warmup_weeks``
    (the next week), one event per parameter, until the next change of that parameter.
    Changes made in the warm-up are left out: a scenario's events start in a reported
    week.

    Args:
        made: ``(model step, {name: value})`` in the order they were made.
        own: The run's own parameters, at classroom size.
        scenario: The scenario the run was made from (for the full size).
    """
    events: list[dict] = []
    open_by_name: dict[str, dict] = {}
    for step, values in made:
        week = step + 1 - own["warmup_weeks"]
        if week < 1:
            continue
        full = full_size({**own, **values}, scenario)
        for name in values:
            if name in open_by_name and open_by_name[name]["week"] == week:
                open_by_name[name]["parameters"][name] = full[name]  # changed again
                continue
            if name in open_by_name:
                open_by_name[name]["until"] = week
            open_by_name[name] = {"week": week, "parameters": {name: full[name]}}
            events.append(open_by_name[name])
    return [{"week": e["week"], **({"until": e["until"]} if "until" in e else {}),
             "parameters": e["parameters"]} for e in events]


def file_stem(name: str) -> str:
    """A scenario name as a safe file name: letters, digits, '.', '-' and '_' only."""
    return re.sub(r"[^\w.-]+", "-", name).strip(".-") or "scenario"


def read_upload(file: dict) -> Scenario:
    """The scenario in an uploaded file, refused by its size before any byte is read.

    Args:
        file: ``{"name", "size", "file_obj"}`` as the browser announced it; the file's
            bytes come from the browser only when read, and at most the size limit is.

    Raises:
        ScenarioError: If the file is too large, not UTF-8 or not a valid scenario.
    """
    label = shown(str(file["name"]).removesuffix(".toml"))
    if file["size"] > MAX_FILE_BYTES:
        raise ScenarioError(f"{label}: larger than {MAX_FILE_BYTES // 1024} KiB")
    data = file["file_obj"].read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(f"{label}: larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{label}: not UTF-8 text") from None
    return loads(text, label=label)


@solara.component
def FileField(on_file):
    """A file picker that announces a file (name, size) and reads it only on demand.

    Args:
        on_file: Called with ``{"name", "size", "file_obj", "reset"}`` for each file
            picked; reading ``file_obj`` fetches the bytes from the browser, and
            ``reset()`` empties the picker, so the same file can be picked again.
    """
    announced, announce = solara.use_state(None)
    field = FileInput.element(accept=".toml", multiple=False, show_progress=False,
                              on_file_info=announce)

    def attach() -> None:
        if announced:
            widget = solara.get_widget(field)
            widget.version += 1  # as Solara's FileDrop: listen for this file's chunks
            widget.reset_stats()
            on_file({**widget.get_files()[0], "reset": widget.clear})

    solara.use_effect(attach, [announced])
    return field


@solara.component
def Upload(lang: str):
    """Upload a scenario file: checked like the command line, kept for Compare.

    The browser announces the file's name and size first; a file above the size limit
    is refused without being sent, so a large upload cannot stall the connection.
    """
    file, set_file = solara.use_state(None)
    solara.Text(t("upload", lang))
    FileField(on_file=set_file)

    def receive(cancel) -> tuple[bool, str] | None:  # waits for the browser: not in render
        if not file:
            return None
        try:
            scenario = read_upload(file)
            keep(scenario)
        except ScenarioError as error:
            return False, f"{t('error', lang)}: {refusal(error, lang)}"
        finally:
            file["reset"]()
        return True, f"{t('saved', lang)}: {scenario.name}"

    result = solara.use_thread(receive, [file])
    if result.error is not None:  # the browser did not send the file
        solara.Error(f"{t('error', lang)}: {t('upload_failed', lang)}")
    elif result.value is not None:
        saved, text = result.value
        (solara.Success if saved else solara.Error)(text)


@solara.component
def Explore(lang: str, asked: str | None = None):
    """The Explore page; ``asked`` is a preset named by the page address (Learn's buttons).

    A name that is no shipped or saved scenario is named in a warning, and the care
    preset opens.
    """
    known = asked in available() or asked in saved_scenarios.value
    preset = solara.use_reactive(asked if known else "care")
    scenario = saved_scenarios.value.get(preset.value) or load_shipped(preset.value)
    params = solara.use_memo(lambda: model_params(scenario, lang), [preset.value, lang])
    # The model and the settings live here, for the preset: a language switch draws the
    # view anew in the other language and keeps both.
    model = solara.use_memo(lambda: VerbindingModel(rng=1, **classroom_values(scenario)),
                            [preset.value])
    current = solara.use_reactive(model)
    settings = solara.use_reactive(solara.use_memo(lambda: starting_values(params),
                                                   [preset.value]))
    trace = solara.use_reactive(Trace())
    presenting = solara.use_reactive(False)
    parts = solara.use_memo(lambda: make_parts(lang, scenario, trace, presenting),
                            [lang, preset.value])

    def apply(running: VerbindingModel, values: dict) -> None:
        changes = {name: value for name, value in values.items() if name in specs()}
        late = [name for name in changes if not specs()[name][2].mid_run]
        if late or not changes:
            raise ParameterError(t("only_on_reset", lang).format(names=", ".join(
                parameter_label(n, lang) for n in late) or t("seed", lang)))
        running.change(**changes)
        trace.set(trace.value.changed(running, changes))

    def reset(replaced: VerbindingModel) -> None:
        trace.set(Trace({name: list(values) for name, values in
                         replaced.datacollector.model_vars.items()}, scenario.name))
    if asked and not known:   # text, never Markdown: the address is anyone's
        solara.Warning(t("preset_instead", lang).format(name=shown(asked)))
    with solara.Sidebar(), Guarded(lang):  # the sidebar is drawn apart from the page
        solara.Select(label=t("preset", lang), values=available() + sorted(
            saved_scenarios.value), value=preset)
        with solara.Div(style={"margin": "12px 0 20px 0"}):  # text, never Markdown
            solara.Text(scenario.description.get(lang, scenario.description.get("en", "")))
        with solara.Div(style={"margin": "0 0 20px 0", "font-style": "italic"}):
            solara.Text(size_note(scenario, lang))
        Upload(lang)
    LiveModel(current, settings, params, parts[1:], lang, running=running_values,
              header=parts[0], apply=apply, on_reset=reset,
              presenting=presenting).key(f"{preset.value}-{lang}")


@dataclass(frozen=True)
class Trace:
    """What Explore draws besides the running model.

    Attributes:
        previous: The weekly figures of the run before the last Reset (drawn faded), or
            None.
        preset: The scenario that run was made from (another's is not drawn).
        changes: Per model (by ``id``), the settings put in force mid-run: the model
            step after which, and the values (drawn as dashed lines; saved as events).
    """

    previous: dict | None = None
    preset: str = ""
    changes: dict[int, tuple[tuple[int, dict], ...]] = field(default_factory=dict)

    def changed(self, model: VerbindingModel, values: dict) -> Trace:
        """This trace with ``values`` put in force after the model's current week."""
        made = (*self.changes.get(id(model), ()), (model.steps, dict(values)))
        return Trace(self.previous, self.preset, {**self.changes, id(model): made})

    def weeks(self, model: VerbindingModel) -> tuple[int, ...]:
        """The model steps after which the model's settings changed mid-run."""
        return tuple(step for step, _ in self.changes.get(id(model), ()))


def size_note(scenario: Scenario, lang: str) -> str:
    """The size rule, in the page: this scenario at classroom size, and what Compare runs."""
    own, classroom = scenario.parameters(), classroom_values(scenario)
    return t("classroom_size", lang).format(
        professionals=classroom["professionals"], own=own.professionals,
        arrivals=decimal_mark(f"{classroom['arrivals_per_week']:g}", lang),
        own_arrivals=decimal_mark(f"{own.arrivals_per_week:g}", lang))


def running_values(model: VerbindingModel) -> dict:
    """What the model runs, for each setting: the parameters in force and its seed."""
    return {**model.p.to_dict(), "rng": str(model.seed)}
