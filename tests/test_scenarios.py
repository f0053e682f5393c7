"""Scenario files: the shipped presets and variants, and every way a file can be wrong."""

import pytest

from experiments.scenarios import DOMAINS, ScenarioError, available, load

VARIANTS_ASKED = ("care-high-caseload", "care-standardised", "care-admin-automation",
                  "care-automated-contact", "work-network", "work-jobs", "work-client-voice")


def test_three_domain_presets_and_the_policy_variants_ship():
    names = available()
    for name in ("care", "education", "work", *VARIANTS_ASKED):
        assert name in names


@pytest.mark.parametrize("name", available())
def test_every_shipped_scenario_is_valid_and_described_in_both_languages(name):
    scenario = load(name)
    assert scenario.name == name
    assert scenario.domain in DOMAINS
    assert len(scenario.description["en"]) > 30 and len(scenario.description["nl"]) > 30
    scenario.parameters()  # validated


def test_a_variant_extends_its_preset():
    variant = load("care-high-caseload")
    preset = load("care")
    assert variant.domain == "care"
    assert variant.overrides["caseload_cap"] == 38
    assert variant.overrides["admin_hours_fixed"] == preset.overrides["admin_hours_fixed"]


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_outside_the_scenarios_folder_can_extend_a_shipped_one(tmp_path):
    path = write(tmp_path, "mine.toml", 'name = "mine"\nextends = "work"\n'
                 "[parameters]\nnetwork_hours = 2.0\n")
    scenario = load(str(path))
    assert scenario.domain == "work" and scenario.overrides["network_hours"] == 2.0


@pytest.mark.parametrize("text, message", [
    ('name = "x"\ndomain = "care"\n[parameters]\ncaseload = 3\n',
     "unknown parameter 'caseload'; did you mean 'caseload_cap'"),
    ('name = "x"\ndomain = "care"\n[parameters]\nstandardisation = 2\n',
     r"standardisation=2 is out of range; allowed \[0, 1\]"),
    ('name = "x"\ndomain = "care"\n[parameters]\nadmin_hours_fixed = 50.0\n',
     "admin_hours_fixed=50 exceeds hours_per_week=36"),
    ('name = "x"\ndomain = "shop"\n', "domain must be one of care, education, work"),
    ('name = "x"\ndomain = "care"\ncolour = "red"\n', "unknown key 'colour'"),
    ('name = "x"\ndomain = "care"\n[parameters\ncaseload_cap = 3\n',
     r"malformed TOML: .*line 3"),
    ('name = "x"\ndomain = "care"\n[description]\nfr = "non"\n',
     "description languages are en and nl"),
])
def test_bad_files_are_refused_with_the_file_and_the_problem(tmp_path, text, message):
    path = write(tmp_path, "bad.toml", text)
    with pytest.raises(ScenarioError, match=message) as error:
        load(str(path))
    assert "bad.toml" in str(error.value)


def test_a_scenario_extending_itself_is_refused(tmp_path):
    write(tmp_path, "a.toml", 'name = "a"\nextends = "b.toml"\n')
    write(tmp_path, "b.toml", 'name = "b"\nextends = "a.toml"\n')
    with pytest.raises(ScenarioError, match=r"extends itself \(a.toml -> b.toml -> a.toml\)"):
        load(str(tmp_path / "a.toml"))


def test_a_missing_scenario_lists_the_known_ones():
    with pytest.raises(ScenarioError, match=r"scenario 'cair' not found.*care"):
        load("cair")
