"""Bad input to ``verbinding run`` and ``compare``: one line, exit 2, nothing written.

Also what a run leaves behind when it is killed, and the plain facts of its files:
folders with the user's permissions, empty cells for values that do not exist, shares
of time that add up, and the code that made them.
"""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from experiments import cli
from experiments.output import STAGING_PREFIX
from experiments.provenance import model_fingerprint, package_version
from experiments.runner import run_held
from experiments.scenarios import MAX_FILE_BYTES
from model import VerbindingModel
from model.metrics import summarise

SMALL = ["--weeks", "30", "--set", "warmup_weeks=5", "--set", "professionals=6",
         "--set", "arrivals_per_week=6", "--replicates", "2", "--seed", "1"]


def refused(capsys, *args: str) -> str:
    """Run the command in-process; check it refused in one line; return that line."""
    assert cli.main(list(args)) == 2
    err = capsys.readouterr().err
    assert err.startswith("verbinding: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """An empty working folder with a file and a dangling symbolic link in it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file").write_text("x")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    return tmp_path


@pytest.mark.parametrize("out, problem", [
    ("file/sub", "is a file, not a folder"),
    ("file", "is a file"),
    ("/proc/x", "system filesystem /proc"),
    ("/sys/x", "system filesystem /sys"),
    ("/dev/x", "system filesystem /dev"),
    ("dangling", "symbolic link"),
    ("", "needs the name of a new folder"),
    (".", "needs the name of a new folder"),
    ("..", "needs the name of a new folder"),
])
def test_an_unusable_output_folder_is_refused_before_any_run(folder, capsys, out, problem):
    before = sorted(p.name for p in folder.iterdir())
    assert problem in refused(capsys, "run", "care", *SMALL, "--out", out)
    assert sorted(p.name for p in folder.iterdir()) == before


def test_a_folder_holding_results_is_never_overwritten(folder, capsys):
    (folder / "old").mkdir()
    (folder / "old" / "summary.csv").write_text("precious")
    assert "already holds files" in refused(capsys, "compare", "care", "work", *SMALL,
                                            "--out", "old")
    assert (folder / "old" / "summary.csv").read_text() == "precious"


def write(folder, name: str, text: str) -> str:
    (folder / name).write_text(text)
    return name


@pytest.mark.parametrize("text, problem", [
    ('name = "x\\u001b[2J"\ndomain = "care"\n', "is not allowed"),
    ('name = "a/b"\ndomain = "care"\n', "is not allowed"),
    ("x = " + "[" * 20_000 + "]" * 20_000 + "\n", "nested too deeply"),
    ("x = " + "{a = " * 5_000 + "1" + "}" * 5_000 + "\n", "nested too deeply"),
    ('domain = "care"\n[parameters]\nprofessionals = 1' + "0" * 400 + "\n",
     "professionals=1.000e+400 is out of range"),
    ('domain = "care"\nextends = "/proc/self/pagemap"\n', "system filesystem /proc"),
    ('domain = "care"\nextends = "/dev/zero"\n', "system filesystem /dev"),
    ('domain = "care"\nextends = 3\n', "'extends' must be a scenario's name"),
    ("#" * (MAX_FILE_BYTES + 1), "larger than 64 KiB"),
])
def test_a_bad_scenario_file_is_refused_in_one_line(folder, capsys, text, problem):
    name = write(folder, "bad.toml", text)
    assert problem in refused(capsys, "run", name, *SMALL)


def test_a_scenario_on_a_system_filesystem_is_never_read(folder, capsys):
    for reference in ("/proc/kmsg", "/proc/self/environ", "/dev/stdin"):
        assert "system filesystem" in refused(capsys, "run", reference, *SMALL)


def test_a_file_claiming_no_size_is_read_only_up_to_the_limit(folder, capsys):
    big = folder / "big.toml"
    big.write_text("#" * (4 * MAX_FILE_BYTES))
    assert "larger than 64 KiB" in refused(capsys, "run", "big.toml", *SMALL)


def test_output_folders_have_the_users_usual_permissions(folder, capsys):
    previous = os.umask(0o022)
    try:
        assert cli.main(["run", "care", *SMALL, "--out", "results/one"]) == 0
    finally:
        os.umask(previous)
    assert (folder / "results" / "one").stat().st_mode & 0o777 == 0o755


def test_run_json_names_the_code_that_made_the_results(folder):
    assert cli.main(["run", "care", *SMALL, "--out", "r"]) == 0
    manifest = json.loads((folder / "r" / "run.json").read_text())
    assert manifest["version"] == package_version()
    assert manifest["model_fingerprint"] == model_fingerprint()
    assert len(model_fingerprint()) == 16


def test_missing_values_in_clients_csv_are_empty_cells(folder):
    assert cli.main(["run", "care", *SMALL, "--out", "r"]) == 0
    clients = pd.read_csv(folder / "r" / "clients.csv")
    warmup = json.loads((folder / "r" / "run.json").read_text())["scenarios"][0][
        "parameters"]["warmup_weeks"]
    for column in ("start_week", "exit_week"):  # reported weeks; the warm-up is <= 0
        assert clients[column].dropna().ge(1 - warmup).all()
    still_here = clients["exit_reason"].isin(["waiting", "in_care"])
    assert clients.loc[still_here, "exit_week"].isna().all()
    assert clients.loc[~still_here, "exit_week"].notna().all()
    assert (clients["exit_week"] - clients["arrival_week"]).dropna().ge(0).all()
    never_started = clients["start_week"].isna()
    assert (clients.loc[never_started, "exit_reason"].isin(["waiting", "dropout"])).all()


@pytest.mark.parametrize("preset", ["care", "education", "work"])
def test_the_shares_of_professional_time_add_up_to_one(preset):
    from experiments.scenarios import load

    overrides = {**load(preset).overrides, "weeks": 60, "warmup_weeks": 10}
    metrics = summarise(VerbindingModel(rng=3, **overrides).run())
    total = sum(metrics[k] for k in ("admin_share", "contact_share", "network_share",
                                     "idle_share"))
    assert np.isclose(total, 1.0, atol=1e-12)
    assert 0 <= metrics["idle_share"] < 1


def test_two_runs_into_one_folder_are_refused_at_once(folder, capsys):
    from experiments.output import Staging

    with Staging(folder / "shared"):  # another process writing there meanwhile
        assert "is being written by another verbinding process" in refused(
            capsys, "run", "care", *SMALL, "--out", "shared")
    assert cli.main(["run", "care", *SMALL, "--out", "shared"]) == 0


def test_a_killed_run_leaves_a_staging_folder_that_the_next_run_clears(tmp_path):
    long_run = [sys.executable, "-m", "experiments", "run", "care", "--replicates", "40",
                "--workers", "1", "--seed", "1", "--out", str(tmp_path / "killed")]
    process = subprocess.Popen(long_run, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(f"{STAGING_PREFIX}*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert len(list(tmp_path.glob(f"{STAGING_PREFIX}*"))) == 1
    assert not (tmp_path / "killed").exists()
    assert cli.main(["run", "care", *SMALL, "--out", str(tmp_path / "next")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["next"]


def test_escape_sequences_in_the_input_never_reach_the_terminal(folder, capsys):
    line = refused(capsys, "run", "care\x1b[2J\nrm -rf", *SMALL)
    assert "\x1b" not in line and "care?[2J?rm -rf" in line


@pytest.mark.parametrize("args, problem", [
    (["run", "a" * 300], "File name too long"),
    (["run", "care", "--replicates", "1000000"], "--replicates must be from 1 to 10,000"),
    (["run", "care", "--workers", "1000000"], "--workers must be from 1 to 512"),
    (["run", "care", "--out", "dangling/x"], "is a broken symbolic link"),
    (["run", "care", "--out", ".verbinding-staging-mine"], "Verbinding's own staging"),
    (["run", "folder-as-scenario"], "is not a regular file"),
    (["validate", "--posterior", "no-such.parquet"], "no such file; give a posterior"),
    (["validate", "--posterior", "folder-as-scenario"], "a folder without a posterior"),
    (["compare", "care", "--posterior", "care-high-caseload"],
     "--posterior took the scenario 'care-high-caseload' for its file"),
    (["compare", "care", "care-high-caseload", "--every-draw"], "--every-draw needs --posterior"),
    (["validate", "--every-draw"], "--every-draw needs --posterior"),
    (["validate", "--draws", "40"], "--draws needs --posterior"),
    (["validate", "--posterior", "--draws", "0"], "--draws must be from 1 to"),
])
def test_paths_and_counts_the_system_or_the_machine_cannot_take(folder, capsys, args,
                                                               problem):
    (folder / "folder-as-scenario").mkdir()
    assert problem in refused(capsys, *args)


@pytest.mark.parametrize("text, problem", [
    ('name = "cost $^$"\nextends = "care"\n', "is not allowed"),
    ('name = "<img src=x>"\nextends = "care"\n', "is not allowed"),
    ('domain = "care"\n[parameters]\nweeks = ' + "9" * 5000 + "\n", "a number too long"),
])
def test_markup_in_names_and_endless_numbers_are_refused(folder, capsys, text, problem):
    assert problem in refused(capsys, "run", write(folder, "odd.toml", text), *SMALL)


def test_a_shipped_name_means_the_shipped_scenario_and_a_byte_order_mark_is_fine(folder):
    (folder / "care").write_text('name = "evil"\ndomain = "care"\n')
    (folder / "bom.toml").write_bytes('\ufeffname = "bom"\nextends = "care"\n'.encode())
    assert cli.main(["run", "care", "bom.toml", *SMALL, "--out", "r"]) == 0
    assert set(pd.read_csv(folder / "r" / "summary.csv")["scenario"]) == {"care", "bom"}


def test_a_folder_named_like_staging_but_not_ours_is_left_alone(folder):
    mine = folder / f"{STAGING_PREFIX}mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    assert cli.main(["run", "care", *SMALL, "--out", "r"]) == 0
    assert (mine / "notes.txt").read_text() == "keep"


def test_a_sigterm_during_a_run_waits_for_the_run_to_return():
    """The compiled weeks call back into Python: a handler raising there would break them."""
    class StopError(Exception):
        pass

    finished = []

    class Run:
        def run(self):
            os.kill(os.getpid(), signal.SIGTERM)   # arrives mid-run
            time.sleep(0.05)
            finished.append(True)   # not interrupted: the signal was held

    def stop(signum, frame):
        raise StopError

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        with pytest.raises(StopError):   # handled as soon as the run returned
            run_held(Run())
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert finished == [True]


def test_a_terminated_run_cleans_up_after_itself(tmp_path):
    run = [sys.executable, "-m", "experiments", "run", "care", "--replicates", "40",
           "--workers", "1", "--seed", "1", "--out", str(tmp_path / "stopped")]
    process = subprocess.Popen(run, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(f"{STAGING_PREFIX}*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    process.terminate()
    assert process.wait(timeout=60) == 143
    assert "terminated; nothing was written" in process.stderr.read()
    assert list(tmp_path.iterdir()) == []


def test_results_go_into_an_empty_target_that_cannot_be_removed(folder, monkeypatch):
    """As an empty mounted volume: its folder cannot be replaced, its files can be moved."""
    from pathlib import Path

    (folder / "volume").mkdir()
    real_rmdir = Path.rmdir

    def busy(path):
        if path.name == "volume":
            raise OSError(16, "Device or resource busy")
        real_rmdir(path)

    monkeypatch.setattr(Path, "rmdir", busy)
    assert cli.main(["run", "care", *SMALL, "--out", "volume"]) == 0
    assert (folder / "volume" / "summary.csv").is_file()
    assert not list(folder.glob(f"{STAGING_PREFIX}*"))
