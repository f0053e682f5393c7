"""The app's pages rendered headlessly (no browser), and its texts in both languages."""

import base64
import json
import zlib

import ipyvuetify as v
import pytest
import solara

from experiments.scenarios import MAX_FILE_BYTES, ScenarioError, available, dumps, load, loads
from model import VerbindingModel
from model.parameters import ParameterError, Parameters, specs
from ui.compare_page import Compare, LinkError, comparison_table, table_csv
from ui.explore import Explore, classroom_values, model_params
from ui.i18n import TEXT, UNITS_NL, number, parameter_label, refusal, t
from ui.learn import Learn, odd_sections


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_page_renders_in_both_languages(lang):
    for page in (Explore(lang), Compare(lang, {}), Learn(lang)):
        box, _ = solara.render(page, handle_error=False)
        assert box is not None


def test_every_text_exists_in_english_and_dutch():
    for key, (english, dutch) in TEXT.items():
        assert english.strip() and dutch.strip(), key
    assert t("explore", "nl") == "Verkennen" and t("explore", "fr") == "Explore"


def test_every_slider_label_is_dutch_down_to_its_unit():
    for name, (_, _, spec) in specs().items():
        if spec.group == "levers" and spec.unit not in ("on/off", "0..1"):
            assert spec.unit in UNITS_NL, name
    assert parameter_label("hours_per_week", "nl") == "Contracturen per week (uur/week)"
    assert parameter_label("hours_per_week", "en") == "Contract hours per week (h/week)"


def test_sliders_come_from_the_one_declaration():
    params = model_params(load("care"), "nl")
    levers = [n for n, (_, _, spec) in specs().items() if spec.group == "levers"]
    for name in levers:
        assert params[name]["label"] == parameter_label(name, "nl")
    assert params["caseload_cap"]["value"] == 30
    assert params["professionals"]["value"] == 10   # classroom size: a tenth
    assert params["group_programme"]["type"] == "Checkbox"
    assert params["weeks"]["min"] == 1  # reported weeks: the warm-up comes before them
    assert params["need_hours"] == classroom_values(load("care"))["need_hours"]  # fixed


def test_every_scenario_runs_in_explore_at_a_tenth_and_is_saved_at_full_size():
    from ui.explore import current_scenario

    work = load("work-jobs")
    uploaded = loads(dumps(work).replace("work-jobs", "our-jobs"), label="our-jobs")
    for scenario in (work, uploaded):   # one rule, shipped or not
        assert classroom_values(scenario)["professionals"] == round(
            work.parameters().professionals / 10)
    untouched = VerbindingModel(rng=1, **classroom_values(work))
    saved = current_scenario(untouched, "same", work)
    assert saved.parameters() == work.parameters() and saved.domain == "work"
    bigger = VerbindingModel(rng=1, **{**classroom_values(work), "professionals": 7,
                                       "admin_hours_per_client": 0.16})
    saved = current_scenario(bigger, "bigger", work).parameters()
    assert (saved.professionals, saved.admin_hours_per_client) == (70, 0.16)
    assert saved.arrivals_per_week == work.parameters().arrivals_per_week


def test_changes_made_mid_run_in_explore_are_saved_as_the_events_that_remake_the_run():
    from ui.explore import Trace, current_scenario

    care = load("care").with_overrides(warmup_weeks=2, weeks=8)
    model, trace = VerbindingModel(rng=1, **classroom_values(care)), Trace()
    for weeks, values in ((1, {"admin_hours_per_client": 0.1}),   # in the warm-up: not kept
                          (3, {"admin_hours_per_client": 0.15, "professionals": 12}),
                          (2, {"admin_hours_per_client": 0.12})):
        for _ in range(weeks):
            model.step()
        model.change(**values)   # as "Apply from the next week" does
        trace = trace.changed(model, values)
    model.run()
    saved = current_scenario(model, "mid-run", care, trace.changes[id(model)])
    assert saved.events == (
        {"week": 3, "until": 5, "parameters": {"admin_hours_per_client": 0.15}},
        {"week": 3, "parameters": {"professionals": 120}},   # at full size
        {"week": 5, "parameters": {"admin_hours_per_client": 0.12}})
    # The saved scenario, at classroom size again, runs as the run in the page did (with
    # the warm-up's change made by hand: a scenario's events start in a reported week).
    classroom_events = [{**e, "parameters": {k: v // 10 if k == "professionals" else v
                                             for k, v in e["parameters"].items()}}
                        for e in saved.events]
    again = VerbindingModel(rng=1, **classroom_values(saved), events=classroom_events)
    again.step()
    again.change(admin_hours_per_client=0.1)
    again.run()
    assert again.weekly == model.weekly


def test_every_preset_value_is_a_position_of_its_slider():
    from ui.viz import step_for

    assert step_for(0.16, 0.1) == 0.01 and step_for(14.2, 1.0) == 0.1
    assert step_for(30, 1.0) == 1.0 and step_for(0.5, 0.01) == 0.01
    for name in available():
        for lever, spec in model_params(load(name), "en").items():
            if isinstance(spec, dict) and spec["type"] == "SliderFloat":
                positions = (spec["value"] - spec["min"]) / step_for(spec["value"],
                                                                     spec["step"])
                assert abs(positions - round(positions)) < 1e-6, (name, lever)


def test_the_big_numbers_read_this_week_and_the_reported_weeks_so_far():
    from ui.charts import monitors

    model = VerbindingModel(rng=1, **classroom_values(load("care")))
    assert monitors(model) == {"waiting": None, "goal_share": None, "burnout": None}
    warmup = model.p.warmup_weeks
    for _ in range(warmup + 20):
        model.step()
    weekly, figures = model.datacollector.model_vars, monitors(model)
    goals, dropouts = sum(weekly["goals"][warmup:]), sum(weekly["dropouts"][warmup:])
    assert figures["goal_share"] == goals / (goals + dropouts) and 0.5 < goals / (
        goals + dropouts) < 1
    assert figures["waiting"] == weekly["waiting"][-1]
    assert figures["burnout"] == weekly["burnout_share"][-1]


def test_a_what_if_scenario_is_named_and_described_by_what_it_changes():
    from ui.compare_page import what_if

    made = what_if(load("care"), {"admin_hours_per_client": 0.16, "professionals": 110})
    assert made.name == "care + admin_hours_per_client 0.16 + professionals 110"
    assert made.description["en"] == (
        f"care, {parameter_label('admin_hours_per_client', 'en')} 0.16 instead of 0.2; "
        f"{parameter_label('professionals', 'en')} 110 instead of 100")
    assert "0,16 in plaats van 0,2" in made.description["nl"]   # Dutch decimal commas
    assert (made.domain, made.parameters().professionals) == ("care", 110)
    priced = what_if(load("care"), {"cover_cost_share": 0.0})   # a price is a lever too
    assert priced.parameters().cover_cost_share == 0.0
    assert made.parameters().caseload_cap == load("care").parameters().caseload_cap
    with pytest.raises(ParameterError):
        what_if(load("care"), {"admin_hours_fixed": 99.0})   # above the contract
    timeline = what_if(load("care"), {"automation": 0.5}, from_week=26)   # a timeline
    assert timeline.name == "care + automation 0.5 from week 26"
    assert timeline.events == ({"week": 26, "parameters": {"automation": 0.5}},)
    assert timeline.parameters() == load("care").parameters()   # the base's before it
    assert timeline.description["en"].endswith("from reported week 26")
    with pytest.raises(ParameterError):
        what_if(load("care"), {"weeks": 30}, from_week=26)   # cannot change mid-run


def test_the_run_before_a_reset_and_changes_mid_run_are_drawn_beside_the_run():
    from ui.charts import outcome_specs

    before = VerbindingModel(rng=1, **classroom_values(load("care")))
    for _ in range(5):
        before.step()
    now = VerbindingModel(rng=2, **classroom_values(load("care")))
    for _ in range(3):
        now.step()
    bond = outcome_specs(now, "en", before.datacollector.model_vars, (2,))[0]
    faded, running, changes = bond["layer"]
    assert len(faded["data"]["values"]) == 2 * 5 and faded["mark"]["opacity"] < 1
    assert len(running["data"]["values"]) == 2 * 3
    assert changes["data"]["values"] == [{"week": 2.5}]   # after week 2, before week 3
    assert outcome_specs(now, "en")[0]["layer"][0]["data"]["values"] == []


def test_a_scenario_survives_download_and_upload():
    scenario = load("work-jobs")
    again = loads(dumps(scenario), label="work-jobs")
    assert again.overrides == scenario.overrides and again.description == scenario.description


def test_the_comparison_table_speaks_plain_words():
    from experiments.replicates import run_scenarios
    small = {"professionals": 5, "arrivals_per_week": 5.0, "weeks": 30, "warmup_weeks": 5}
    results = run_scenarios([load("care").with_overrides(**small),
                             load("care-admin-automation").with_overrides(**small)], 3, 1)
    rows = comparison_table(results, "en")
    assert {r["metric"] for r in rows} >= {"Clients reaching their goal", "Mean bond"}
    assert all("95% interval" in r["difference"]
               or r["difference"] in ("n/a", "no difference in any run") for r in rows)
    assert table_csv(rows).startswith("scenario,metric,base,value,difference,"
                                      "clearly_different")
    admin = next(r for r in rows if r["metric"] == "Share of time on admin")
    assert admin["clearly_different"]  # automation halves admin, beyond doubt
    assert admin["diff_ci95_low"] < admin["diff_mean"] < admin["diff_ci95_high"] < 0
    header, first = table_csv(rows, results).splitlines()[:2]
    assert header.endswith("diff_mean,diff_ci95_low,diff_ci95_high,seed,replicates,weeks,"
                           "warmup_weeks,posterior,changes_from_base")
    assert first.endswith(",1,3,30,5,False,automation 0 → 0.5")
    assert all(r["clearly_different"] != ("not clearly different" in r["difference"])
               for r in rows if r["difference"] not in ("n/a", "no difference in any run"))
    money = {r["metric"]: r for r in rows if r["metric"] in ("Cost per year",
                                                              "Goals reached per year")}
    assert money["Cost per year"]["clearly_different"]  # the licence costs, in every replicate
    assert money["Cost per year"]["diff_mean"] > 0
    dutch = comparison_table(results, "nl")
    assert {r["metric"] for r in dutch} >= {"Cliënten die hun doel halen", "Gemiddelde band"}
    assert all("95%-interval" in r["difference"]
               or r["difference"] in ("n.v.t.", "in geen enkele run verschillend")
               for r in dutch)
    assert not any(word in r["difference"] for r in dutch for word in ("more", "less"))


def test_the_learn_page_speaks_plainly_in_both_languages_and_lists_every_source():
    import re

    from ui.learn import EXERCISES, HOW_IT_WORKS, exercise_address

    parameters = {name for name in specs() if "_" in name}   # code names, not words
    for lang in ("en", "nl"):
        text = HOW_IT_WORKS[lang] + " ".join(title + what for title, what, _ in
                                             EXERCISES[lang])
        assert not parameters & set(re.findall(r"\w+", text))   # no code names
        assert "docs/" not in text and "`" not in text
        for _, _, (page, scenarios) in EXERCISES[lang]:
            assert all(name in available() for name in scenarios)
            assert exercise_address(page, scenarios, lang).startswith(
                "/?" if page == "explore" else "/compare?")
    odd = odd_sections("1", "3", "5", "7", "8")
    body, references = odd.split("## References", 1)
    cited = set(re.findall(r"([A-Z][a-zA-Z\-]+)(?: et al\.)?(?:,? \(?| & [A-Z][a-z]+ \(?)"
                           r"(?:19|20)\d\d", body)) - {"December", "November"}
    assert cited and not {name for name in cited if name not in references}
    assert all(f"[00{k}]" in references for k in range(5))


def test_a_shared_link_carries_scenarios_saved_in_the_session():
    from experiments.scenarios import Scenario
    from ui.compare_page import decode_saved, encode_saved, saved_scenarios

    mine = Scenario("mine", "care", {"en": "Saved from Explore."},
                    {**load("care").overrides, "caseload_cap": 33})
    saved_scenarios.set({"mine": mine})
    text = encode_saved(["care", "mine"])
    assert decode_saved(text)["mine"].overrides == mine.overrides
    with pytest.raises(LinkError):
        decode_saved("not-a-link")


def pack(payload: bytes) -> str:
    return base64.urlsafe_b64encode(zlib.compress(payload, 9)).decode()


def test_a_page_address_names_no_file_and_asks_for_no_more_than_the_sliders():
    from ui.compare_page import REPLICATES, WEEKS, read_address

    request = read_address({"s": "care,/etc/passwd,../pyproject.toml,pyproject.toml,work",
                            "r": "500", "w": "abc"}, "en")
    assert request.picks == ["care", "work"]
    assert (request.replicates, request.weeks) == (REPLICATES[-1], WEEKS[1])
    assert len(request.problems) == 5
    assert "'/etc/passwd', which is no shipped or saved scenario" in request.problems[0]
    assert "Replicates = '500'; allowed are whole numbers from 2 to 40. Using 40." in (
        request.problems[3])
    assert not any("TOML" in p or "not found" in p for p in request.problems)
    dutch = read_address({"s": "care,work", "r": "1", "w": "1" * 5000}, "nl").problems
    assert dutch[0].startswith("Het paginaadres vraagt om Herhalingen = '1'")
    assert "Gebruikt wordt 104." in dutch[1]


def test_including_what_the_model_is_unsure_of_asks_for_enough_parameter_sets():
    from experiments.uncertainty import FREE_DRAWS
    from ui.compare_page import read_address

    unsure = read_address({"s": "care,work"}, "en")   # the shipped posterior, by default
    assert unsure.unsure and unsure.replicates >= FREE_DRAWS
    assert read_address({"s": "care,work", "u": "0"}, "en").replicates == 10


@pytest.mark.parametrize("payload, problem", [
    (b"\0" * 2**30, "more than 260 KiB"),           # a 1 MB link that unpacks to 1 GiB
    (b"\0" * 10**7, "more than 260 KiB"),           # a 13 KB link that unpacks to 10 MB
    (json.dumps(['name = "x"\nextends = "/proc/kmsg"\ndomain = "care"\n']).encode(),
     "can extend only a shipped one"),
    (json.dumps(['name = "care"\ndomain = "care"\n']).encode(),
     "'care' is the name of a shipped scenario"),
    (json.dumps({"a": 1}).encode(), "damaged"),
    (b"[" * 100_000 + b"]" * 100_000, "damaged"),
    (json.dumps(['name = "big"\nextends = "care"\n[parameters]\nprofessionals = 2000\n']
                ).encode(), "professionals=2000 is more than the app runs (at most 200)"),
    (json.dumps(['name = "long"\nextends = "care"\n[parameters]\nweeks = ' + "9" * 5000]
                ).encode(), "a number too long"),
])
def test_scenarios_in_a_link_are_unpacked_with_a_bound_and_checked(payload, problem):
    from ui.compare_page import read_address

    request = read_address({"s": "care,work", "x": pack(payload)}, "en")
    assert request.shared == {} and request.picks == ["care", "work"]
    assert len(request.problems) == 1 and problem in request.problems[0], request.problems


def test_an_impossible_combination_is_explained_in_the_page_language():
    with pytest.raises(ParameterError) as refused:
        Parameters(admin_hours_fixed=40)
    assert refusal(refused.value, "nl") == (
        "Vaste administratie-uren (uur/week) is hoger dan Contracturen per week (uur/week): "
        "de vaste administratie moet binnen de contracturen passen")
    assert "Contract hours per week (h/week)" in refusal(refused.value, "en")
    with pytest.raises(ValueError) as bad_seed:
        VerbindingModel(rng="abc")  # what the seed box may hold
    assert refusal(bad_seed.value, "nl") == (
        "het startgetal moet een geheel getal van 0 of meer zijn, niet 'abc'")


def test_a_failed_scenario_leaves_the_rest_of_the_comparison():
    from experiments.replicates import run_scenarios
    from ui.compare_page import run_comparison

    ran, failed, _ = run_comparison(["care", "no-such-scenario", "care-admin-automation"],
                                    replicates=2, weeks=30)
    assert [r.scenario.name for r in ran] == ["care", "care-admin-automation"]
    assert "no-such-scenario" in failed["no-such-scenario"]
    # one scenario at a time, the replicates stay paired as in a joint run, each after
    # its own warm-up, as `verbinding compare` runs them
    joint = run_scenarios([load(n).with_overrides(weeks=30)
                           for n in ("care", "care-admin-automation")], 2, seed=1)
    assert [r.metrics for r in ran] == [r.metrics for r in joint]


def test_a_comparison_can_include_what_the_model_is_unsure_of(stand_in_posterior):
    from ui.compare_page import run_comparison

    names = ["care", "care-standardised"]
    ran, failed, again = run_comparison(names, replicates=2, weeks=26,
                                        posterior=stand_in_posterior)
    plain, _, none = run_comparison(names, replicates=2, weeks=26)
    assert not failed and none is None
    assert [r.seeds for r in ran] == [r.seeds for r in plain]        # the same replicates
    assert [r.metrics for r in ran] != [r.metrics for r in plain]    # but with draws
    assert [r.metrics for r in again] != [r.metrics for r in ran]    # run again
    assert [r.parameters for r in again] == [r.parameters for r in ran]
    rows = comparison_table(ran, "nl", again)
    assert all("die de gegevens niet vastleggen" in r["difference"] for r in rows
               if r["value"] is not None and r["base"])


BAD_FILES = {  # every way a scenario file is refused, as an upload
    "malformed": "name = \n",
    "unknown key": 'domain = "care"\ncolour = 1\n',
    "not a table": 'domain = "care"\nparameters = 5\n',
    "empty name": 'domain = "care"\nname = ""\n',
    "domain": 'domain = "space"\n',
    "language": 'domain = "care"\n[description]\nfr = "x"\n',
    "description type": 'domain = "care"\n[description]\nnl = 5\n',
    "close name": 'domain = "care"\n[parameters]\ncaseload = 5\n',
    "unknown name": 'domain = "care"\n[parameters]\nzzqqxx = 5\n',
    "switch": 'domain = "care"\n[parameters]\ngroup_programme = 3\n',
    "whole number": 'domain = "care"\n[parameters]\nprofessionals = 2.5\n',
    "number": 'domain = "care"\n[parameters]\nhours_per_week = "lots"\n',
    "range": 'domain = "care"\n[parameters]\nstandardisation = 2\n',
    "combination": 'domain = "care"\n[parameters]\nadmin_hours_fixed = 50\n',
    "loop": 'domain = "care"\nextends = "loop.toml"\n',
    "too large": "#" * (MAX_FILE_BYTES + 1),
    "escape in name": 'domain = "care"\nname = "x\\u001b[2Jy"\n',
    "path in name": 'domain = "care"\nname = "../x"\n',
    "extends a path": 'domain = "care"\nextends = "/etc/passwd"\n',
    "extends a number": 'domain = "care"\nextends = 5\n',
    "control in description": 'domain = "care"\n[description]\nen = "a\\u0007b"\n',
    "nested arrays": "x = " + "[" * 20_000 + "]" * 20_000 + "\n",
    "nested tables": "x = " + "{a = " * 5_000 + "1" + "}" * 5_000 + "\n",
    "huge number": 'domain = "care"\n[parameters]\nprofessionals = 1' + "0" * 400 + "\n",
}
ENGLISH = ("must", "unknown", "allowed", "not found", "larger than", "extends itself", "exceeds",
           "malformed", "out of range", "did you mean", "not UTF-8", "shipped", "control")


@pytest.mark.parametrize("kind", BAD_FILES)
def test_every_refused_upload_is_explained_in_dutch(kind):
    with pytest.raises(ScenarioError) as refused:
        loads(BAD_FILES[kind], label="loop")
    dutch = refusal(refused.value, "nl")
    assert not any(word in dutch for word in ENGLISH), dutch
    assert refusal(refused.value, "en") == str(refused.value)


def test_missing_and_unreadable_scenarios_are_explained_in_dutch(tmp_path):
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00name")
    for reference in ("no-such-scenario", str(binary)):
        with pytest.raises(ScenarioError) as refused:
            load(reference)
        dutch = refusal(refused.value, "nl")
        assert not any(word in dutch for word in ENGLISH), dutch
    assert "out of range" not in refusal("standardisation=2 is out of range; allowed "
                                         "[0, 1]", "nl")


def test_figures_are_written_the_dutch_way_in_dutch():
    assert [number(v, "nl") for v in (0.0928, 16.3, 2660.4)] == ["0,0928", "16,3", "2.660"]
    assert [number(v, "en") for v in (0.0928, 16.3, 2660.4)] == ["0.0928", "16.3", "2,660"]


def test_an_inspected_client_reads_in_dutch():
    from model import VerbindingModel
    from ui.explore import client_summary

    model = VerbindingModel(rng=1, **classroom_values(load("care")))
    for _ in range(30):
        model.step()
    serial = int(model.clients.live["serial"][-1])  # one still waiting or in care
    assert "band 0," in client_summary(model, serial, "nl")
    assert "bond 0." in client_summary(model, serial, "en")
    gone = int((model.clients.record["exit_week"] >= 0).argmax())  # the first who left
    assert client_summary(model, gone, "nl") in ("is vertrokken: doel bereikt",
                                                 "is vertrokken: uitgevallen")


def test_a_page_that_fails_shows_a_plain_message_never_a_traceback(caplog):
    from ui.guard import Guarded

    @solara.component
    def broken():
        raise RuntimeError("/secret/path/on/the/server")

    @solara.component
    def page():
        Guarded("nl", [broken()])

    box, rc = solara.render(page())
    shown = str(box)
    assert "Er ging iets mis" in rc.find(v.Alert).widget.children[0]
    assert "/secret/path" not in shown and "Traceback" not in shown
    assert "/secret/path" in caplog.text  # for whoever runs the server


def test_an_address_is_read_only_so_far_and_never_twice():
    from ui.compare_page import MAX_PICKS, read_address

    request = read_address({"s": "care,care," + "," * 1000 + "work"}, "en")
    assert request.picks == ["care"]
    assert len(request.problems) == MAX_PICKS - 2  # the empty names read, no more


def test_page_assets_come_from_the_offline_cache_only(tmp_path):
    from solara.server import cdn_helper

    from ui.assets import serve_cache_only

    serve_cache_only()
    with pytest.raises(PermissionError, match="not in the offline asset cache"):
        cdn_helper.get_path(tmp_path, "evil@1.0.0/x.js")
    assert list(tmp_path.iterdir()) == []


def test_a_failure_in_explores_sidebar_shows_a_plain_message_not_a_traceback(monkeypatch):
    """The sidebar is drawn apart from the page (a portal), so it has a guard of its own."""
    import ipyvuetify as v
    import solara

    import app
    import ui.explore

    @solara.component
    def Broken(lang):  # noqa: N802 (a component, named as components are)
        raise RuntimeError("a bug in the upload field")

    monkeypatch.setattr(ui.explore, "Upload", Broken)
    _, rendered = solara.render(app.Layout(children=[ui.explore.Explore("en")]),
                                handle_error=False)
    alerts = [w.children for w in rendered.find(v.Alert).widgets]
    assert alerts[-1:] == [["Something went wrong while drawing this page. Reload it, or go "
                            "back to the previous page."]]


def test_the_report_in_dutch_says_each_scenarios_warm_up_in_weeks():
    from ui.compare_page import report_html, run_comparison, shipped_posterior
    from ui.i18n import HANDOUT_TEXTS

    ran, _, _ = run_comparison(["care", "work"], replicates=2, weeks=10)
    page = report_html(ran, None, "nl")
    assert "10 gerapporteerde weken na een inloop van 104 weken (care), 156 weken (work)" in page
    assert "verbinding compare care work --replicates 2 --seed 1 --weeks 10" in page
    assert set(HANDOUT_TEXTS["en"]) <= set(HANDOUT_TEXTS["nl"])   # every text in Dutch too
    ran, _, again = run_comparison(["care", "work"], replicates=2, weeks=10,
                                   posterior=shipped_posterior())
    assert "Met minder dan 39 herhalingen gaan deze intervallen" in report_html(ran, again, "nl")
