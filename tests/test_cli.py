"""``verbinding`` end to end: the summary, the files, determinism and every bad input."""

import csv
import json
import re
import subprocess
import sys

import pytest

from experiments import cli, replicates
from experiments.provenance import model_fingerprint
from experiments.validation import CHECKS
from model.metrics import METRIC_NAMES
from model.parameters import specs

QUICK = ["--weeks", "30", "--set", "warmup_weeks=5", "--set", "professionals=6",
         "--set", "arrivals_per_week=6"]


def verbinding(*args: str) -> subprocess.CompletedProcess:
    """Run the command as a user would, in a fresh process."""
    return subprocess.run([sys.executable, "-m", "experiments", *args],
                          capture_output=True, text=True)


def test_run_prints_a_summary_table_per_scenario(capsys):
    assert cli.main(["run", "care", "care-high-caseload", "--replicates", "3", "--seed", "7",
                     *QUICK]) == 0
    out = capsys.readouterr().out
    assert "root seed 7" in out
    assert "measured over reported weeks 1-30 (after 5 warm-up weeks)" in out
    header = out.splitlines()[1]
    assert "care" in header and "care-high-caseload" in header
    for name in METRIC_NAMES:
        assert f"\n{name} " in out


def test_a_run_in_school_years_says_which_years_its_outcomes_count(capsys):
    assert cli.main(["run", "education", "--replicates", "2", "--seed", "3", "--weeks", "50",
                     "--set", "warmup_weeks=10", "--set", "professionals=5",
                     "--set", "arrivals_per_week=3"]) == 0
    out = capsys.readouterr().out
    assert "school years of 40 weeks: its metrics count the 1 whole school year" in out
    assert "\ngoal_share " in out


def test_scenarios_with_different_warm_ups_are_named_with_theirs(capsys):
    assert cli.main(["run", "education", "care", "--replicates", "2", "--seed", "3",
                     "--weeks", "40", "--set", "professionals=4",
                     "--set", "arrivals_per_week=3"]) == 0
    out = capsys.readouterr().out
    assert "(after warm-ups of 400 weeks (education), 104 weeks (care))" in out


def test_run_json_has_mean_and_interval_per_metric(capsys):
    assert cli.main(["run", "care", "work", "--replicates", "3", "--seed", "1", "--json",
                     *QUICK]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in report["scenarios"]] == ["care", "work"]
    for scenario in report["scenarios"]:
        assert scenario["replicates"] == 3
        assert list(scenario["metrics"]) == list(METRIC_NAMES)
        goal = scenario["metrics"]["goal_share"]
        assert goal["ci95"][0] <= goal["mean"] <= goal["ci95"][1]


def read_csv(path):
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def test_out_writes_the_five_files(tmp_path):
    out = tmp_path / "results"
    assert cli.main(["run", "care", "work-jobs", "--replicates", "2", "--seed", "3",
                     "--out", str(out), *QUICK]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "clients.csv", "professionals.csv", "run.json", "summary.csv", "weekly.csv"]
    summary = read_csv(out / "summary.csv")
    assert [(r["scenario"], r["replicate"]) for r in summary] == [
        ("care", "0"), ("care", "1"), ("work-jobs", "0"), ("work-jobs", "1")]
    assert set(specs()) | set(METRIC_NAMES) <= set(summary[0])
    assert summary[2]["group_programme"] == "true" and summary[0]["weeks"] == "30"
    weekly = read_csv(out / "weekly.csv")
    # 5 warm-up weeks (numbered -4 to 0) before the 30 reported weeks (1 to 30)
    assert len(weekly) == 4 * 35
    assert [int(r["week"]) for r in weekly[:35]] == list(range(-4, 31))
    # plain numbers, readable by any tool (hours to rounding: slack can be -1e-14)
    assert all(float(value) >= -1e-9 for row in weekly for column, value in row.items()
               if column not in ("scenario", "week"))
    clients = read_csv(out / "clients.csv")
    assert {c["exit_reason"] for c in clients} <= {"goal", "dropout", "in_care", "waiting"}
    assert list(clients[0])[:4] == ["scenario", "replicate", "client_id", "arrival_week"]
    assert min(int(c["arrival_week"]) for c in clients) == -4  # the warm-up's first week
    assert max(int(c["arrival_week"]) for c in clients) <= 30
    professionals = read_csv(out / "professionals.csv")
    assert {int(p["hired_week"]) for p in professionals if p["replicate"] == "0"
            and p["scenario"] == "care"} >= {-5}  # the starting staff, before the first week
    assert {"admin_hours", "contact_hours", "network_hours", "overtime_hours",
            "burnout_episodes", "hired_week", "left_week"} <= set(professionals[0])
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["root_seed"] == 3 and manifest["command"].startswith("verbinding run")
    assert manifest["scenarios"][1]["parameters"]["group_programme"] is True
    assert manifest["scenarios"][0]["parameters"]["weeks"] == 30
    assert manifest["scenarios"][0]["parameters"]["warmup_weeks"] == 5
    # Replicate k of every scenario shares its seed (common random numbers).
    assert manifest["scenarios"][0]["seeds"] == manifest["scenarios"][1]["seeds"]
    assert [int(r["seed"]) for r in summary[:2]] == manifest["scenarios"][0]["seeds"]


def test_same_seed_gives_byte_identical_files_and_another_seed_differs(tmp_path):
    def files(seed, name):
        out = tmp_path / name
        assert cli.main(["run", "care", "--replicates", "2", "--seed", str(seed),
                         "--out", str(out), *QUICK]) == 0
        return {p.name: p.read_bytes() for p in out.iterdir() if p.suffix == ".csv"}

    first, again, other = files(5, "a"), files(5, "b"), files(6, "c")
    assert first == again
    assert first["summary.csv"] != other["summary.csv"]
    assert first["clients.csv"] != other["clients.csv"]


def test_a_recorded_seed_reproduces_its_replicate(tmp_path):
    from experiments.runner import simulate
    out = tmp_path / "r"
    cli.main(["run", "care", "--replicates", "2", "--seed", "9", "--out", str(out), *QUICK])
    row = read_csv(out / "summary.csv")[1]
    overrides = {"weeks": 30, "warmup_weeks": 5, "professionals": 6, "arrivals_per_week": 6.0}
    again = simulate(overrides, int(row["seed"]), records=False)
    assert repr(again.metrics["goal_share"]) == row["goal_share"]


BAD = [
    (["run", "care", "--set", "caseload=5"], "unknown parameter 'caseload'; did you mean "
                                             "'caseload_cap'?"),
    (["run", "care", "--set", "standardisation=3"], "standardisation=3 is out of range"),
    (["run", "care", "--set", "client_voice=much"], "client_voice='much' must be a number"),
    (["run", "care", "--set", "admin_hours_fixed=40"], "exceeds hours_per_week=36"),
    (["run", "care", "--set", "novalue"], "--set takes NAME=VALUE"),
    (["run", "care", "--replicates", "0"], "--replicates must be from 1 to 10,000, not 0"),
    (["run", "care", "--weeks", "-5"], "--weeks must be from 1 to 10,000, not -5"),
    (["run", "no-such-scenario"], "scenario 'no-such-scenario' not found"),
    (["run", "care", "care"], "scenario 'care' given twice"),
    (["run", "care", "--bogus"], "unrecognized arguments: --bogus"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
]


@pytest.mark.parametrize("args, message", BAD)
def test_bad_input_one_line_exit_2_nothing_written(tmp_path, capsys, args, message):
    out = tmp_path / "out"
    assert cli.main([*args, "--out", str(out)] if args[0] == "run" else args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and err.startswith("verbinding: error:")
    assert not out.exists()


@pytest.mark.parametrize("text, message", [
    ("name = 'x'\ndomain = 'care'\n[parameters\n", "malformed TOML"),
    ("name = 'x'\nextends = 'x.toml'\n", "extends itself"),
])
def test_bad_scenario_files_from_the_command_line(tmp_path, capsys, text, message):
    path = tmp_path / "x.toml"
    path.write_text(text)
    assert cli.main(["run", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_an_out_folder_holding_files_is_never_overwritten(tmp_path, capsys):
    out = tmp_path / "taken"
    out.mkdir()
    (out / "precious.txt").write_text("keep me")
    assert cli.main(["run", "care", "--out", str(out), *QUICK]) == 2
    assert "already holds files" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["precious.txt"]


def test_a_run_that_fails_midway_leaves_nothing_behind(tmp_path, monkeypatch):
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)

    real = replicates.simulate_job
    monkeypatch.setattr(replicates, "simulate_job", failing)
    with pytest.raises(RuntimeError):
        cli.main(["run", "care", "--replicates", "3", "--workers", "1",
                  "--out", str(tmp_path / "o"), *QUICK])
    assert list(tmp_path.iterdir()) == []  # neither the folder nor its staging copy


def test_the_real_command_exits_2_without_a_traceback(tmp_path):
    done = verbinding("run", "care", "--set", "caseload_cap=-1", "--out", str(tmp_path / "o"))
    assert done.returncode == 2
    assert done.stderr.strip() == ("verbinding: error: caseload_cap=-1 is out of range; "
                                   "allowed [1, 500] clients/professional")
    assert "Traceback" not in done.stderr and not (tmp_path / "o").exists()


def test_the_real_command_runs_and_lists_scenarios():
    done = verbinding("run", "work", "--replicates", "2", "--seed", "1", *QUICK)
    assert done.returncode == 0 and "goal_share" in done.stdout
    listing = verbinding("scenarios")
    assert listing.returncode == 0 and "care-high-caseload" in listing.stdout


def test_validate_writes_a_report_figures_and_exits_by_verdict(tmp_path, capsys):
    out = tmp_path / "validation"
    code = cli.main(["validate", "--replicates", "2", "--scale", "0.05", "--workers", "2",
                     "--out", str(out)])
    printed = capsys.readouterr().out
    assert code in (0, 1) and (code == 0) == ("FAIL" not in printed)
    assert printed.count("PASS") + printed.count("FAIL") == len(CHECKS)  # one line each
    names = {p.name for p in out.iterdir()}
    assert {"report.md", "report.json", "pattern-3.png"} <= names
    report = json.loads((out / "report.json").read_text())
    assert [v["pattern"] for v in report["patterns"]] == [c.number for c in CHECKS]
    assert {v["role"] for v in report["patterns"]} == {"held out", "calibrated", "built in",
                                                       "premise checked"}
    assert report["model_fingerprint"] == model_fingerprint()
    assert report["settings"] == {"replicates": 2, "seed": 2024, "scale": 0.05,
                                  "overloaded": 0.9, "posterior": None, "draws": None,
                                  "every_draw": False}


@pytest.mark.parametrize("args, message", [
    (["validate", "--scale", "0"], "--scale must be in (0, 1], not 0"),
    (["validate", "--overloaded", "2"], "--overloaded must be from 0.5 to 1.2, not 2"),
    (["validate", "--posterior", "--scale", "0.5"], "--posterior judges at the calibration's"),
    (["validate", "--replicates", "0"], "--replicates must be from 1 to 10,000"),
    (["validate", "--workers", "-2"], "--workers must be from 1 to 512"),
])
def test_validate_refuses_bad_flags(capsys, args, message):
    assert cli.main(args) == 2
    assert message in capsys.readouterr().err


def test_output_cut_short_by_a_reader_like_head_is_no_error():
    child = subprocess.Popen([sys.executable, "-m", "experiments", "run", "care", *QUICK],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()  # the reader has gone before the table is printed
    child.stdout = None
    _, err = child.communicate(timeout=120)
    assert child.returncode == 0 and b"Traceback" not in err


def test_a_comparison_report_is_one_self_contained_page_that_says_how_to_make_it_again(
        tmp_path, capsys):
    page = tmp_path / "handout.html"
    args = ["compare", "care", "care-admin-automation", "--replicates", "2", "--weeks", "26",
            "--report", str(page)]
    assert cli.main(args) == 0
    text = page.read_text(encoding="utf-8")
    seed = re.search(r"root seed (\d+)", text).group(1)
    assert (f"<pre>verbinding compare care care-admin-automation --replicates 2 --weeks 26 "
            f"--seed {seed}</pre>") in text          # without --report, with its seed
    for part in ("<h2>Scenarios</h2>", "automation 0 → 0.5", "<h2>Differences from the base",
                 "Clients reaching their goal", "name = &quot;care-admin-automation&quot;"):
        assert part in text, part
    assert text.count("<svg") == 2
    assert not re.search(r'<script|src=|href="(?!#)|url\((?!#)', text)  # nothing fetched
    assert cli.main(args) == 2          # never overwritten
    assert "already exists" in capsys.readouterr().err
    assert cli.main([*args[:-1], str(tmp_path / "handout.txt")]) == 2
    assert not (tmp_path / "handout.txt").exists()
    defaulted = cli._again(["compare", "care", "work", "--posterior"], 7, True, 40)
    assert defaulted == "verbinding compare care work --posterior --seed 7 --replicates 40"
