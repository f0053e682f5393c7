"""Bad input to ``verbinding sweep`` and ``analyse``, and results that cannot lie.

Every bad input ends with one line on standard error (``verbinding: error: ...``), exit
code 2, no traceback, and the output folder as it was (not created, or unchanged).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from experiments import cli, provenance, sweep
from experiments.executors import SerialExecutor
from experiments.samplers import SAMPLERS, design_size
from experiments.space import Space
from experiments.store import RunStore

#: The top-level keys of a small experiment, as TOML text.
TOP = {"scenario": '"care"', "replicates": "2", "seed": "5"}
#: Its tables: two points, and a tiny organisation that runs in a fraction of a second.
TABLES = {"parameters": "standardisation = [0.1, 0.6]",
          "fixed": "professionals = 4\narrivals_per_week = 4.0\nweeks = 30\nwarmup_weeks = 5"}


def experiment_file(folder: Path, file: str = "exp.toml", **keys: str | None) -> str:
    """A small experiment file; ``keys`` add, replace or (with None) drop TOML lines.

    A table given as a key (``parameters="3"``) replaces the table of that name.
    """
    keys = {**TOP, **keys}
    lines = [f"{key} = {value}" for key, value in keys.items() if value is not None]
    lines += [f"[{table}]\n{body}" for table, body in TABLES.items() if table not in keys]
    path = folder / file
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def snapshot(folder: Path) -> dict[str, bytes] | None:
    """Every file under ``folder`` with its bytes (None if there is no folder)."""
    if not folder.exists():
        return None
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def refused(capsys, *argv: str) -> str:
    """Run the command line; check it refused with one line and return that line."""
    code = cli.main(list(argv))
    printed = capsys.readouterr()
    assert code == 2, printed
    assert printed.err.startswith("verbinding: error: ") and printed.err.count("\n") == 1
    assert "Traceback" not in printed.err + printed.out
    return printed.err


def small_sweep(folder: Path, **keys: str | None) -> Path:
    """Run the small experiment (serially) into ``folder/out``; returns the output."""
    out = folder / "out"
    sweep.run_sweep(sweep.load_experiment(experiment_file(folder, **keys)), out,
                    SerialExecutor())
    return out


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    """A finished small sweep with weekly series (copy it before changing it)."""
    return small_sweep(tmp_path_factory.mktemp("finished"), keep_weekly="true")


# --- 1. the scheduler address is checked before connecting -----------------------------
@pytest.mark.parametrize("address", ["garbage", "tcp://host", "http://host:8786",
                                     "tcp://host:99999", "tcp://host:8786/path", ""])
def test_a_scheduler_that_is_not_an_address_is_refused(tmp_path, capsys, address):
    out = tmp_path / "out"
    error = refused(capsys, "sweep", experiment_file(tmp_path), "--out", str(out),
                    "--scheduler", address)
    assert "is not a scheduler address; give 'local' or an address like tcp://host:8786" \
        in error
    assert not out.exists()


# --- 2. every key of an experiment file has its type ----------------------------------
@pytest.mark.parametrize("keys, message", [
    ({"seed": '"abc"'}, "'seed' must be a whole number of at least 0, not 'abc'"),
    ({"seed": "-1"}, "'seed' must be a whole number of at least 0, not -1"),
    ({"seed": "true"}, "'seed' must be a whole number of at least 0, not True"),
    ({"replicates": "true"}, "'replicates' must be a whole number of at least 1"),
    ({"replicates": "0"}, "'replicates' must be a whole number of at least 1, not 0"),
    ({"metrics": "5"}, "'metrics' must be a non-empty list of metric names"),
    ({"metrics": "[]"}, "a sweep with no outputs measures nothing"),
    ({"metrics": '["goal_share", "goal_share"]'}, "'metrics' names a metric twice"),
    ({"fixed": "3"}, "'fixed' must be a table ([fixed] with one key per line), not 3"),
    ({"parameters": "3"}, "'parameters' must be a table"),
    ({"keep_weekly": '"no"'}, "'keep_weekly' must be true or false, not 'no'"),
    ({"description": "5"}, "'description' must be a string, not 5"),
    ({"scenario": "5"}, "'scenario' must be a non-empty line of text, not 5"),
    ({"scenario": '""'}, "'scenario' must be a non-empty line of text, not ''"),
    ({"scenario": '"care\\u001b[2J"'}, "'scenario' must be a non-empty line of text, not "
                                       "'care\\x1b[2J'"),
    ({"fixed": '{"\\u001b[2J" = 1}'}, "key '\\x1b[2J' holds control characters"),
    ({"parameters": "{standardisation = {low = 0.0, high = 0.8, levels = 1000000000}}"},
     "levels must be a whole number from 2 to 100,000"),
    ({"design": "[1]"}, "unknown design [1] (allowed: full_factorial, latin_hypercube"),
    ({"quick": '{samples = "8"}'}, "'quick.samples' must be a whole number of at least 1"),
    ({"quick": "{levels = 3}"}, "unknown key 'levels' in [quick]"),
    ({"parameters": "{admin_hours_fixed = [5, 40]}"},
     "fixed admin must fit in the contract week"),
    ({"fixed": "{standardisation = 0.5}"},
     "parameter 'standardisation' is both varied ([parameters]) and fixed ([fixed])"),
    ({"hold_utilisation": "2.0"}, "'hold_utilisation' must be a number from 0.1 to 1.5"),
    ({"hold_utilisation": '"busy"'}, "'hold_utilisation' must be a number from 0.1 to 1.5"),
    ({"hold_utilisation": "0.75"}, "'standardisation' is a lever or part of the load's "
                                   "measure"),
    ({"hold_utilisation": "0.75", "parameters": "{contact_norm_hours = [0.5, 1.0]}"},
     "'contact_norm_hours' is a lever or part of the load's measure"),
    ({"contrast": "{standardisation = 0.5}"},
     "parameter 'standardisation' is both varied ([parameters]) and the contrast's lever"),
    ({"contrast": "{caseload = 10}"}, "unknown parameter 'caseload'"),
    ({"contrast": "{caseload_cap = 0}"}, "caseload_cap"),
    ({"contrast": "{caseload_cap = 10}", "keep_weekly": "true"},
     "keep_weekly with a [contrast]"),
])
def test_a_key_of_the_wrong_type_or_value_is_refused(tmp_path, capsys, keys, message):
    out = tmp_path / "out"
    error = refused(capsys, "sweep", experiment_file(tmp_path, **keys), "--out", str(out))
    assert error.startswith("verbinding: error: exp.toml: ") and message in error
    assert not out.exists()


def test_the_quick_table_must_be_a_table(tmp_path, capsys):
    out = tmp_path / "out"
    error = refused(capsys, "sweep", experiment_file(tmp_path, quick="5"), "--quick",
                    "--out", str(out))
    assert "'quick' must be a table" in error
    assert not out.exists()


@pytest.mark.parametrize("name", ['"../escaped"', '"a/b"', '"/tmp/absolute"', '".hidden"',
                                  '"red\\u001b[31m"', '"tab\\there"', '""', f'"{"x" * 101}"',
                                  "7"])
def test_a_name_that_is_not_a_plain_folder_name_is_refused(tmp_path, capsys, name,
                                                           monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default output folder is results/NAME
    error = refused(capsys, "sweep", experiment_file(tmp_path, name=name))
    assert "'name' must be 1-100 letters, digits, '-', '_' or '.', not starting with '.'" \
        in error
    assert "\x1b" not in error and "\t" not in error
    assert snapshot(tmp_path) == {"exp.toml": (tmp_path / "exp.toml").read_bytes()}


def test_a_plain_name_with_dots_is_accepted(tmp_path):
    path = experiment_file(tmp_path, name='"care-v1.2_b"')
    assert sweep.load_experiment(path).name == "care-v1.2_b"


# --- 3. files that are not experiment files ---------------------------------------------
def test_random_bytes_are_refused(tmp_path, capsys):
    path = tmp_path / "noise.toml"
    path.write_bytes(bytes(range(256)) * 4)
    error = refused(capsys, "sweep", str(path), "--out", str(tmp_path / "out"))
    assert "noise.toml: not UTF-8 text" in error
    assert not (tmp_path / "out").exists()


def test_a_file_over_the_cap_is_refused_without_reading_it_whole(tmp_path, capsys):
    path = tmp_path / "huge.toml"
    with path.open("wb") as file:
        file.truncate(64 * 2**30)  # 64 GiB (sparse): reading it whole would never end
    start = time.monotonic()
    error = refused(capsys, "sweep", str(path), "--out", str(tmp_path / "out"))
    assert time.monotonic() - start < 5
    assert f"huge.toml: larger than {sweep.MAX_FILE_BYTES // 1024} KiB" in error


def test_a_file_just_under_the_cap_is_read(tmp_path, capsys):
    path = Path(experiment_file(tmp_path))
    text = path.read_text()
    path.write_text(text + "#" * (sweep.MAX_FILE_BYTES - len(text) - 1) + "\n")
    assert sweep.load_experiment(str(path)).runs == 4


@pytest.mark.parametrize("path", ["/proc/kmsg", "/proc/self/status", "/dev/zero"])
def test_files_of_the_system_are_never_read(tmp_path, capsys, path):
    error = refused(capsys, "sweep", path, "--out", str(tmp_path / "out"))
    assert f"is on the system filesystem /{path.split('/')[1]}" in error


@pytest.mark.parametrize("value", ["[" * 5000 + "]" * 5000, "{a = " * 5000 + "1" + "}" * 5000])
def test_deeply_nested_values_are_refused(tmp_path, capsys, value):
    error = refused(capsys, "sweep", experiment_file(tmp_path, description=value),
                    "--out", str(tmp_path / "out"))
    assert "nested too deeply" in error


@pytest.mark.parametrize("keys, message", [
    ({"design": '"latin_hypercube"', "samples": "1" + "0" * 400},
     "'samples' is a whole number of 401 digits; at most 9223372036854775807 is allowed"),
    ({"seed": "1" + "0" * 5000}, "malformed TOML: a number too long to read"),
    ({"parameters": "{standardisation = {low = 1e400, high = 0.5}}"},
     "'parameters.standardisation.low' is inf; give a finite number"),
    ({"fixed": "{standardisation = nan}"}, "'fixed.standardisation' is nan"),
    ({"parameters": "{caseload_cap = [20, -1" + "0" * 30 + "]}"},
     "'parameters.caseload_cap[1]' is a whole number of 31 digits"),
])
def test_numbers_that_overflow_are_refused(tmp_path, capsys, keys, message):
    error = refused(capsys, "sweep", experiment_file(tmp_path, **keys),
                    "--out", str(tmp_path / "out"))
    assert message in error
    assert not (tmp_path / "out").exists()


# --- 4. the size of a design is checked before its points are generated -----------------
def test_design_size_counts_the_points_each_sampler_makes():
    space = Space.from_table({"standardisation": {"low": 0.0, "high": 0.8, "levels": 3},
                              "client_voice": {"low": 0.0, "high": 1.0, "levels": 2},
                              "automation": {"low": 0.0, "high": 0.5, "levels": 2}})
    for design, size in (("full_factorial", 0), ("latin_hypercube", 7), ("sobol", 16),
                         ("morris", 5)):
        assert design_size(design, space, size) == len(SAMPLERS[design](space, size, 1))


@pytest.mark.parametrize("keys, runs", [
    ({"design": '"sobol"', "samples": str(2**40),
      "parameters": "{standardisation = {low = 0.0, high = 0.8}}"}, 2**40 * 3 * 2),
    ({"parameters": "{" + ", ".join(f"{name} = {{low = 0.0, high = 0.5, levels = 100}}" for
                                    name in ("standardisation", "client_voice", "automation",
                                             "automated_contact_share", "network_hours",
                                             "admin_hours_per_client")) + "}"}, 100**6 * 2),
])
def test_a_design_of_too_many_runs_is_refused_before_its_points_exist(
        tmp_path, capsys, monkeypatch, keys, runs):
    def never(*args):
        raise AssertionError("the points were generated")

    monkeypatch.setitem(SAMPLERS, "sobol", never)
    monkeypatch.setitem(SAMPLERS, "full_factorial", never)
    error = refused(capsys, "sweep", experiment_file(tmp_path, **keys),
                    "--out", str(tmp_path / "out"))
    assert f"has {runs:,} runs (points x replicates), more than the {sweep.MAX_RUNS:,} " \
           "allowed" in error


def test_sobol_samples_must_be_a_power_of_two(tmp_path, capsys):
    error = refused(capsys, "sweep", experiment_file(
        tmp_path, design='"sobol"', samples="100",
        parameters="{standardisation = {low = 0.0, high = 0.8}}"))
    assert "a sobol design needs samples = a power of two of at least 8" in error


# --- 5. nothing is created before the experiment is fully checked -----------------------
@pytest.mark.parametrize("samples, message", [
    ("0", "'samples' must be a whole number of at least 1, not 0"),
    (None, "the latin_hypercube design needs 'samples'"),
])
def test_a_latin_hypercube_without_samples_is_refused_and_the_fixed_file_runs(
        tmp_path, capsys, samples, message):
    out = tmp_path / "out"
    ranges = "{standardisation = {low = 0.0, high = 0.8}}"
    path = experiment_file(tmp_path, design='"latin_hypercube"', samples=samples,
                           parameters=ranges)
    assert message in refused(capsys, "sweep", path, "--out", str(out))
    assert not out.exists()
    experiment_file(tmp_path, design='"latin_hypercube"', samples="2", parameters=ranges)
    assert cli.main(["sweep", path, "--out", str(out), "--workers", "1"]) == 0
    assert len(pd.read_parquet(out / "runs")) == 4


# --- 6. an output folder that cannot be one ---------------------------------------------
@pytest.mark.parametrize("target, message", [
    ("a-file", "is a file"),
    ("a-file/sub", "is a file, not a folder"),
    ("/proc/x", "is on the system filesystem /proc"),
    ("/sys/x", "is on the system filesystem /sys"),
])
def test_an_output_folder_that_cannot_be_written_is_refused(tmp_path, capsys, target,
                                                            message):
    path = experiment_file(tmp_path)
    (tmp_path / "a-file").write_text("mine\n")
    before = snapshot(tmp_path)
    out = target if target.startswith("/") else str(tmp_path / target)
    assert message in refused(capsys, "sweep", path, "--out", out)
    assert snapshot(tmp_path) == before


def test_a_folder_holding_other_files_is_refused_untouched(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")
    assert "already holds other files" in refused(capsys, "sweep", experiment_file(tmp_path),
                                                  "--out", str(out))
    assert snapshot(out) == {"notes.txt": b"mine\n"}


# --- 7. analyse ------------------------------------------------------------------------
def test_analyse_refuses_when_analysis_is_a_file(tmp_path, capsys, finished):
    out = shutil.copytree(finished, tmp_path / "out")
    (out / "analysis").write_text("mine\n")
    before = snapshot(out)
    assert "analysis is a file" in refused(capsys, "analyse", str(out))
    assert snapshot(out) == before


def test_analyse_refuses_a_folder_without_results(tmp_path, capsys):
    assert "holds no sweep results" in refused(capsys, "analyse", str(tmp_path))


# --- 8a. results record the code that made them ---------------------------------------
def test_results_record_the_version_and_model_fingerprint(finished):
    made = provenance.provenance()
    stored = json.loads((finished / "experiment.json").read_text())
    assert {key: stored[key] for key in made} == made
    files = list(finished.glob("*/*.parquet"))
    assert {f.parent.name for f in files} == {"runs", "weekly"}
    for file in files:
        assert json.loads(pq.read_schema(file).metadata[b"verbinding"]) == made


def test_a_sweep_made_by_another_model_is_not_resumed(tmp_path, capsys, finished,
                                                      monkeypatch):
    out = shutil.copytree(finished, tmp_path / "out")
    before = snapshot(out)
    old = provenance.model_fingerprint()
    monkeypatch.setattr(provenance, "model_fingerprint", lambda: "0123456789abcdef")
    path = experiment_file(tmp_path, keep_weekly="true")  # the same experiment
    error = refused(capsys, "sweep", path, "--out", str(out), "--workers", "1")
    assert f"the model changed since the results in {out} were made" in error
    assert f"model {old}; now verbinding" in error and "model 0123456789abcdef)" in error
    assert f"give another --out, or delete {out} to start afresh" in error
    assert snapshot(out) == before


def test_the_fingerprint_covers_the_base_scenario(tmp_path):
    scenario = tmp_path / "base.toml"
    scenario.write_text('extends = "care"\n[parameters]\ncaseload_cap = 30\n')
    path = experiment_file(tmp_path, scenario=f'"{scenario}"')
    before = sweep.load_experiment(path).fingerprint()
    scenario.write_text('extends = "care"\n[parameters]\ncaseload_cap = 31\n')
    assert sweep.load_experiment(path).fingerprint() != before


# --- 8b. merging the chunks is atomic -------------------------------------------------
class CrashError(Exception):
    """A crash at one step of the merge."""


@pytest.mark.parametrize("step", ["before the swap", "during the swap", "after the swap"])
def test_a_crash_while_merging_never_shows_a_run_twice_and_is_recovered(
        tmp_path, monkeypatch, step):
    monkeypatch.setattr(sweep, "FLUSH_RUNS", 1)  # a chunk per run: four chunks to merge
    rename, rmtree = os.rename, shutil.rmtree

    def crashing_rename(source, target):
        crash_at = {"before the swap": "runs", "during the swap": ".runs-merged"}.get(step)
        if Path(source).name == crash_at:
            raise CrashError(step)
        rename(source, target)

    def crashing_rmtree(path, *args, **kwargs):
        if step == "after the swap" and Path(path).name == ".runs-old":
            raise CrashError(step)
        rmtree(path, *args, **kwargs)

    monkeypatch.setattr(os, "rename", crashing_rename)
    monkeypatch.setattr(shutil, "rmtree", crashing_rmtree)
    with pytest.raises(CrashError):
        small_sweep(tmp_path, keep_weekly="true")
    out = tmp_path / "out"
    if (out / "runs").exists():   # missing for an instant during the swap, never doubled
        assert pd.read_parquet(out / "runs")["run_id"].is_unique
    monkeypatch.undo()

    again = small_sweep(tmp_path, keep_weekly="true")
    assert sorted(pd.read_parquet(again / "runs")["run_id"]) == [0, 1, 2, 3]
    assert not pd.read_parquet(again / "weekly").duplicated(["run_id", "week"]).any()
    assert sorted(p.name for p in again.iterdir()) == [".lock", "experiment.json", "runs",
                                                      "weekly"]
    assert [p.name for p in (again / "runs").iterdir()] == ["results.parquet"]


def test_a_row_written_again_replaces_the_one_before_it_when_merged(tmp_path):
    """A calibration re-runs a stored evaluation an older search made without what it now
    asks (its tipping-point check); the store keeps the later row, however often merged."""
    out = tmp_path / "store"
    for value in (1.0, 2.0, 3.0):
        with RunStore(out, "f", {"name": "x"}) as store:
            store.append([{"run_id": 7, "value": value}, {"run_id": value, "value": 0.0}])
            store.merge()
    merged = pd.read_parquet(out / "runs")
    assert merged.set_index("run_id")["value"].to_dict() == {1: 0.0, 2: 0.0, 3: 0.0, 7: 3.0}


# --- 8c. one process at a time in a folder ---------------------------------------------
def test_a_second_sweep_in_a_folder_in_use_is_refused(tmp_path, capsys):
    path = experiment_file(tmp_path)
    experiment = sweep.load_experiment(path)
    out = tmp_path / "out"
    with RunStore(out, experiment.fingerprint(), experiment.describe()):
        before = snapshot(out)
        error = refused(capsys, "sweep", path, "--out", str(out), "--workers", "1")
        assert snapshot(out) == before
    assert f"{out} is in use by another verbinding process (pid {os.getpid()}); wait" in error
    assert cli.main(["sweep", path, "--out", str(out), "--workers", "1"]) == 0


# --- 8d. the workers of a killed sweep end with it ------------------------------------
@pytest.mark.slow
def test_the_workers_of_a_killed_sweep_end_with_it(tmp_path):
    psutil = pytest.importorskip("psutil")
    path = experiment_file(tmp_path, parameters="{standardisation = {low = 0.0, high = 0.8, "
                           "levels = 30}}", fixed="{professionals = 10, arrivals_per_week "
                           "= 10.0}")
    command = [sys.executable, "-m", "experiments", "sweep", path, "--out",
               str(tmp_path / "out"), "--workers", "2"]
    sweeping = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(sweeping.pid)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # workers are the children of the forkserver
        helpers = parent.children(recursive=True)
        if sum(p.ppid() != parent.pid for p in helpers) >= 2:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the pool's workers did not start")
    sweeping.send_signal(signal.SIGKILL)  # and not waited for: a zombie, for now

    def running(process) -> bool:
        try:
            return process.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    deadline = time.monotonic() + 10
    while any(map(running, helpers)) and time.monotonic() < deadline:
        time.sleep(0.2)
    sweeping.wait()
    left = [p for p in helpers if running(p)]
    for process in left:
        process.kill()
    assert not left, f"{len(left)} of the sweep's processes outlived it"
