"""Results that are whole or absent: ``focuson find`` and ``focuson monitor`` killed, run at
once, pointed at the wrong folder, and run twice (docs/results.md).

One tiny synthetic dataset per module (scale 0.001) and a catalogue of one indicator keep the
runs short. ``SOURCE_DATE_EPOCH`` fixes the time stamp where whole folders are compared byte
for byte.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import focuson.engine
from focuson.cli import app
from focuson.data.synthetic import generate
from focuson.find.results import sha256
from focuson.runs import find as find_run
from focuson.runs.find import run_find
from focuson.runs.monitor import run_monitor

FOCUSON = Path(sys.executable).parent / "focuson"
EPOCH = "1767225600"  # 2026-01-01
INDICATORS = ("screening_bowel",)  # quick to count and protect at this scale
runner = CliRunner()


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> dict[str, Path]:
    """A tiny synthetic dataset, a second one (another seed) and a one-indicator catalogue."""
    root = tmp_path_factory.mktemp("atomic")
    source = Path(focuson.engine.__file__).parent / "catalogues" / "default.yaml"
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    doc["indicators"] = [i for i in doc["indicators"] if i["id"] in INDICATORS]
    catalogue = root / "small.yaml"
    catalogue.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return {
        "root": root,
        "data": generate(root / "data", scale=0.001).mapping.parent,
        "other": generate(root / "other", scale=0.001, seed=7).mapping.parent,
        "catalogue": catalogue,
    }


@pytest.fixture(scope="module")
def baseline(data) -> Path:
    """Find then Monitor (alpha 0.05), in process, time stamp fixed: the "old" results."""
    out = data["root"] / "baseline"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", EPOCH)
        _baseline(data, out)
    return out


def _state(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``: relative path -> bytes."""
    files = (p for p in sorted(folder.rglob("*")) if p.is_file())
    return {str(p.relative_to(folder)): p.read_bytes() for p in files}


def _assert_complete(folder: Path) -> None:
    """Each manifest lists exactly the files beside it, each with its SHA-256."""
    for where, extra in ((folder, {"manifest.json", "monitor"}), (folder / "monitor", set())):
        if not (where / "manifest.json").is_file():
            continue
        manifest = json.loads((where / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["kind"] in ("focuson results", "focuson monitoring history")
        listed = manifest["outputs"]
        assert {p.name for p in where.iterdir()} - extra - {"manifest.json"} == set(listed)
        for name, entry in listed.items():
            assert sha256(where / name) == entry["sha256"], where / name


def _leftovers(out: Path) -> list[str]:
    return sorted(
        p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.focuson-")
    )


def _args(data, command: str, out: Path) -> list[str]:
    return [command, str(data["data"]), "--out", str(out), "--catalogue", str(data["catalogue"])]


def _start(data, command: str, out: Path, *more: str, dataset: str = "data") -> subprocess.Popen:
    args = [str(FOCUSON), command, str(data[dataset]), "--out", str(out)]
    args += ["--catalogue", str(data["catalogue"]), *more]
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "COLUMNS": "200"}
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _baseline(data, out: Path) -> None:
    """Find then Monitor, in process, as the command line runs them."""
    run_find(data["data"], out, catalogue=data["catalogue"])
    _monitor(data, out)


def _monitor(data, out: Path, dataset: str = "data", **options):
    return run_monitor(data[dataset], out, catalogue=data["catalogue"], run_length=7, **options)


def _kill_during(process: subprocess.Popen, out: Path, delay: float, from_write: bool) -> None:
    """SIGKILL ``process`` ``delay`` seconds after it starts (or starts writing ``out``)."""
    if from_write:
        deadline = time.monotonic() + 120
        while not _leftovers(out) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=300)


@pytest.mark.parametrize("command", ["find", "monitor"])
def test_a_run_killed_at_random_points_leaves_old_or_new_results(
    data, baseline, tmp_path, monkeypatch, command
):
    new_dir = tmp_path / "new"
    shutil.copytree(baseline, new_dir)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    if command == "find":
        run_find(data["data"], new_dir, catalogue=data["catalogue"], alpha=0.1)
    else:
        _monitor(data, new_dir, alpha=0.1)
    old, new = _state(baseline), _state(new_dir)
    part = "monitor/" if command == "monitor" else ""
    assert {k for k in old if old[k] != new[k]} >= {f"{part}manifest.json"}
    assert all(old[k] == new[k] for k in old if k.startswith("monitor/") != bool(part))
    rng = random.Random(20261207)
    # Kills while the results are being written (the moment that matters), and one at any time.
    plan = [(rng.uniform(0, 0.8), True), (rng.uniform(0, 0.8), True), (rng.uniform(0, 8), False)]
    work = tmp_path / "kills" / "results"
    for delay, from_write in plan:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(baseline, work)
        process = _start(data, command, work, "--alpha", "0.1")
        _kill_during(process, work, delay, from_write)
        state = _state(work)
        assert state in (old, new), f"killed {delay:.2f} s in: neither the old nor the new results"
        _assert_complete(work)
    # the next run succeeds, gives the new results and clears what the killed run left
    if command == "find":
        run_find(data["data"], work, catalogue=data["catalogue"], alpha=0.1)
    else:
        _monitor(data, work, alpha=0.1)
    assert _state(work) == new
    assert _leftovers(work) == [".results.focuson-lock"]


def test_two_monitor_runs_at_once_take_turns_or_refuse_clearly(data, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    alone = tmp_path / "alone"
    _monitor(data, alone)
    expected = _state(alone)
    same = tmp_path / "same" / "results"
    mixed = tmp_path / "mixed" / "results"
    runs = [
        _start(data, "monitor", same),
        _start(data, "monitor", same),
        _start(data, "monitor", mixed),
        _start(data, "monitor", mixed, dataset="other"),
    ]
    done = [(p.wait(timeout=600), p.communicate()[1].decode()) for p in runs]
    # the same dataset twice: one after the other, the history as one run leaves it
    assert [code for code, _ in done[:2]] == [0, 0], done[:2]
    assert _state(same) == expected
    # two datasets: one writes, the other refuses to add its months, naming the folder
    codes = sorted(code for code, _ in done[2:])
    assert codes == [0, 2], done[2:]
    message = " ".join(next(err for code, err in done[2:] if code == 2).split())
    assert "this monitoring history is of another dataset" in message
    assert str(mixed / "monitor") in message and "--overwrite" in message
    _assert_complete(mixed)
    # the history is all the winner's, as a run alone leaves it
    if done[2][0] == 0:
        assert _state(mixed) == expected
    else:
        _monitor(data, tmp_path / "lone", dataset="other")
        assert _state(mixed) == _state(tmp_path / "lone")


def _normalised(folder: Path) -> dict[str, bytes]:
    """The files with the time stamp taken out: manifests without ``created`` and without the
    reports' hashes (they cover the time the reports show), and in the reports the day and
    time of each manifest's ``created``, however the report writes them."""
    state = _state(folder)
    stamps = set()
    for name in ("manifest.json", "monitor/manifest.json"):
        created = json.loads(state[name])["created"]  # 2026-12-07T13:57:47+00:00
        stamps |= {created.encode(), *created[:19].encode().split(b"T")}
    out = {}
    for name, content in state.items():
        if name.endswith("manifest.json"):
            manifest = json.loads(content)
            del manifest["created"]
            for report in ("report.html", "monitor.html"):
                manifest["outputs"].pop(report, None)
            content = json.dumps(manifest, sort_keys=True).encode()
        for stamp in sorted(stamps, key=len, reverse=True):
            content = content.replace(stamp, b"TIME")
        out[name] = content
    return out


def test_two_runs_on_the_same_inputs_give_the_same_bytes(data, baseline, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(baseline, one)
    _baseline(data, two)  # at another time
    first, second = _normalised(one), _normalised(two)
    assert sorted(first) == [
        "findings.parquet",
        "gradients.parquet",
        "manifest.json",
        "monitor/alerts.parquet",
        "monitor/gaps.parquet",
        "monitor/indicators.parquet",
        "monitor/levels.parquet",
        "monitor/manifest.json",
        "monitor/monitor.html",
        "monitor/series.parquet",
        "monitor/spc_gaps.parquet",
        "monitor/spc_levels.parquet",
        "report.html",
    ]
    for name in first:
        assert first[name] == second[name], name
    # Monitor again on the same month: the history does not change
    before = _normalised(one)
    _monitor(data, one)
    assert _normalised(one) == before


def _no_work(monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise AssertionError("the run started work before refusing its --out folder")

    monkeypatch.setattr(find_run, "count", fail)
    monkeypatch.setattr("focuson.runs.monitor.count", fail)


def _text(result) -> str:
    return " ".join(result.output.split())


@pytest.mark.parametrize("command", ["find", "monitor"])
def test_out_at_the_data_folder_or_a_file_is_refused_before_any_work(
    data, tmp_path, monkeypatch, command
):
    _no_work(monkeypatch)
    before = _state(data["data"])
    result = runner.invoke(app, _args(data, command, data["data"]))
    assert result.exit_code == 2
    assert "holds the input of this run" in _text(result)
    assert _state(data["data"]) == before  # its manifest.json untouched
    result = runner.invoke(app, [*_args(data, command, data["data"]), "--overwrite"])
    assert result.exit_code == 2 and "holds the input of this run" in _text(result)
    a_file = tmp_path / "results.txt"
    a_file.write_text("mine")
    result = runner.invoke(app, _args(data, command, a_file))
    assert result.exit_code == 2
    assert f"{a_file}: this is a file, not a folder" in _text(result)
    assert "Traceback" not in result.output


def test_a_folder_of_something_else_is_refused_unless_overwrite(data, tmp_path, monkeypatch):
    other = tmp_path / "papers"
    other.mkdir()
    (other / "board paper.docx").write_text("mine")
    with monkeypatch.context() as patched:
        _no_work(patched)
        result = runner.invoke(app, _args(data, "find", other))
    assert result.exit_code == 2
    assert "holds something else than focuson results (board paper.docx)" in _text(result)
    assert "--overwrite" in _text(result)
    result = runner.invoke(app, [*_args(data, "find", other), "--no-report", "--overwrite"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in other.iterdir()) == [
        "findings.parquet",
        "gradients.parquet",
        "manifest.json",
    ]


def test_a_history_of_another_dataset_is_refused_before_any_work(data, tmp_path, monkeypatch):
    out = tmp_path / "results"
    _monitor(data, out, dataset="other", report=False)
    before = _state(out)
    with monkeypatch.context() as patched:
        _no_work(patched)
        result = runner.invoke(app, _args(data, "monitor", out))
    assert result.exit_code == 2
    text = _text(result)
    assert f"{out / 'monitor'}: this monitoring history is of another dataset" in text
    assert "seed 7" in text and "--overwrite" in text
    assert _state(out) == before
    result = runner.invoke(app, [*_args(data, "monitor", out), "--overwrite", "--no-report"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "monitor" / "manifest.json").read_text())
    assert "seed 7" not in manifest["dataset"]["name"]


def test_a_damaged_history_file_is_named(data, tmp_path):
    out = tmp_path / "results"
    _monitor(data, out, report=False)
    levels = out / "monitor" / "levels.parquet"
    levels.write_bytes(levels.read_bytes()[:399])  # as a kill mid-write used to leave it
    result = runner.invoke(app, _args(data, "monitor", out))
    assert result.exit_code == 2
    assert f"{levels}: this file of the monitoring history is not the one" in _text(result)
    assert "--overwrite" in _text(result)
