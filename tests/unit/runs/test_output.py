"""runs.output: a results folder is replaced whole, by one run at a time, or not at all.

The kill tests fork a child that replaces a results folder and dies (``os._exit``: no cleanup,
no ``finally``, as after SIGKILL) at its k-th filesystem step, for every k; the folder must then
be the old complete results or the new complete results, and the next run must work.
"""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import shutil
import time
from pathlib import Path

import pytest

from focuson.find.results import FIND_KIND, sha256, write_manifest
from focuson.runs import output
from focuson.runs.output import ResultsFolderError, check_target, is_ours, replacing

OWN = {"a.parquet", "b.parquet", "report.html", "manifest.json"}
FORK = multiprocessing.get_context("fork")


def _write(folder: Path, version: str, *, step=lambda: None, report: bool = True) -> None:
    """A Find-like run: its files, then the manifest listing them."""
    names = ["a.parquet", "b.parquet"] + (["report.html"] if report else [])
    for name in names:
        (folder / name).write_text(f"{name} {version} " * 200)
        step()
    write_manifest(folder, {"version": version}, kind=FIND_KIND, files=names)


def _state(folder: Path) -> dict[str, str]:
    """Every file under ``folder``: relative path -> text."""
    files = (p for p in sorted(folder.rglob("*")) if p.is_file())
    return {str(p.relative_to(folder)): p.read_text() for p in files}


def _complete_version(folder: Path) -> str:
    """The version of a complete folder: every file its manifest lists, with that SHA-256."""
    manifest = json.loads((folder / "manifest.json").read_text())
    for name, entry in manifest["outputs"].items():
        assert sha256(folder / name) == entry["sha256"], name
    return manifest["version"]


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.fixture
def results(tmp_path) -> Path:
    """A results folder of version "old", with a monitoring history beside Find's files."""
    out = tmp_path / "work" / "results"
    with replacing(out, own=OWN) as staging:
        _write(staging, "old")
        (staging / "monitor").mkdir()
        (staging / "monitor" / "levels.parquet").write_text("history " * 100)
    return out


def _child(out: Path, kill_at: int, exchange: bool, counter) -> None:
    """Replace ``out`` with version "new", dying at filesystem step ``kill_at`` (0: never)."""

    def step() -> None:
        counter.value += 1
        if counter.value == kill_at:
            os._exit(9)

    def wrap(module, name):
        real = getattr(module, name)

        def wrapped(*args, **kwargs):
            step()
            done = real(*args, **kwargs)
            step()
            return done

        setattr(module, name, wrapped)

    for name in ("rename", "link", "mkdir", "symlink"):
        wrap(os, name)
    wrap(shutil, "rmtree")
    wrap(output, "_fsync")
    if exchange:
        wrap(output, "_exchange")
    else:
        output._exchange = lambda a, b: False  # the two-rename swap of other systems
    with replacing(out, own=OWN) as staging:
        _write(staging, "new", step=step)
    os._exit(0)


def _run_child(out: Path, kill_at: int, exchange: bool) -> tuple[int | None, int]:
    counter = FORK.Value("i", 0)
    child = FORK.Process(target=_child, args=(out, kill_at, exchange, counter))
    child.start()
    child.join(30)
    return child.exitcode, counter.value


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_kill_at_any_step_leaves_the_old_or_the_new_results(results, tmp_path, exchange):
    pristine = tmp_path / "pristine"
    shutil.copytree(results, pristine)
    old = _state(results)
    code, steps = _run_child(results, 0, exchange)  # a whole run, to count its steps
    assert code == 0 and steps > 10, steps
    new = _state(results)
    assert new["monitor/levels.parquet"] == old["monitor/levels.parquet"]  # carried over
    assert _complete_version(results) == "new"
    seen = set()
    for kill_at in range(1, steps + 1):
        shutil.rmtree(results)
        shutil.copytree(pristine, results)
        code, _ = _run_child(results, kill_at, exchange)
        assert code == 9
        if not results.exists():
            # Only between the two renames of the fallback swap; the next run puts it back.
            assert not exchange, f"killed at step {kill_at}: no results folder"
            with pytest.raises(RuntimeError), replacing(results, own=OWN):
                raise RuntimeError("no work")
        assert _state(results) in (old, new), f"killed at step {kill_at}: a mix of old and new"
        seen.add(_complete_version(results))
        with replacing(results, own=OWN) as staging:  # the next run succeeds
            _write(staging, "next")
        assert _complete_version(results) == "next"
        assert _leftovers(results) == [".results.focuson-lock"]
    assert seen == {"old", "new"}


def _fail_halfway(out: Path) -> None:
    with replacing(out, own=OWN) as staging:
        _write(staging, "half")
        raise ZeroDivisionError


def test_a_run_that_fails_leaves_the_folder_as_it_was(results):
    before = _state(results)
    with pytest.raises(ZeroDivisionError):
        _fail_halfway(results)
    assert _state(results) == before
    assert _leftovers(results) == [".results.focuson-lock"]


def _fill_the_disk(out: Path) -> None:
    with replacing(out, own=OWN) as staging:
        _write(staging, "half")
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_is_said_plainly_and_leaves_the_folder_as_it_was(results):
    before = _state(results)
    with pytest.raises(ResultsFolderError, match=r"No space left on device\); the folder is as"):
        _fill_the_disk(results)
    assert _state(results) == before
    assert _leftovers(results) == [".results.focuson-lock"]


def test_files_the_run_owns_are_not_kept_from_an_earlier_run(results):
    with replacing(results, own=OWN) as staging:
        _write(staging, "new", report=False)
    assert not (results / "report.html").exists()  # no stale report beside new findings
    assert (results / "monitor" / "levels.parquet").is_file()
    assert _complete_version(results) == "new"


def test_overwrite_keeps_nothing(results):
    with replacing(results, own=OWN, overwrite=True) as staging:
        _write(staging, "new")
    assert not (results / "monitor").exists()


def _hold(out: Path, started, release) -> None:
    with replacing(out, own=OWN) as staging:
        started.set()
        release.wait(20)
        _write(staging, "held")
    os._exit(0)


def test_a_second_run_waits_for_the_lock_then_gives_up_clearly(results):
    started, release = FORK.Event(), FORK.Event()
    holder = FORK.Process(target=_hold, args=(results, started, release))
    holder.start()
    try:
        assert started.wait(20)
        waiting = []
        t0 = time.perf_counter()
        wait = replacing(results, own=OWN, timeout=0.3, say=waiting.append)
        with pytest.raises(ResultsFolderError, match="another focuson run has been writing"):
            wait.__enter__()
        assert time.perf_counter() - t0 >= 0.3
        assert waiting == [f"Waiting for another focuson run that is writing to {results}"]
    finally:
        release.set()
        holder.join(20)
    assert _complete_version(results) == "held"
    # once the holder is done, the next run goes through
    with replacing(results, own=OWN) as staging:
        _write(staging, "after")
    assert _complete_version(results) == "after"


def test_a_killed_holder_releases_the_lock(results):
    started, release = FORK.Event(), FORK.Event()
    holder = FORK.Process(target=_hold, args=(results, started, release))
    holder.start()
    assert started.wait(20)
    holder.kill()
    holder.join(20)
    assert _leftovers(results) != [".results.focuson-lock"]  # its half-built folder is there
    with replacing(results, own=OWN, timeout=5) as staging:
        _write(staging, "after")
    assert _complete_version(results) == "after"
    assert _leftovers(results) == [".results.focuson-lock"]


def test_check_target_accepts_new_empty_and_our_folders(tmp_path, results):
    check_target(tmp_path / "new" / "deeper")
    (tmp_path / "empty").mkdir()
    check_target(tmp_path / "empty")
    check_target(results)
    assert is_ours(results)


def test_check_target_refuses_a_file(tmp_path):
    (tmp_path / "f.txt").write_text("x")
    with pytest.raises(ResultsFolderError, match="this is a file, not a folder"):
        check_target(tmp_path / "f.txt", overwrite=True)
    with pytest.raises(ResultsFolderError, match="is a file, so no folder can be made"):
        check_target(tmp_path / "f.txt" / "results")


def test_check_target_refuses_another_folder_unless_overwrite(tmp_path):
    other = tmp_path / "data"
    other.mkdir()
    # another program's manifest does not make a folder ours
    (other / "manifest.json").write_text(json.dumps({"generator": "x", "focuson_version": "0"}))
    (other / "people.parquet").write_text("x")
    with pytest.raises(ResultsFolderError, match=r"--overwrite") as refused:
        check_target(other)
    assert str(other) in str(refused.value) and "manifest.json" in str(refused.value)
    check_target(other, overwrite=True)


def test_check_target_refuses_the_folder_of_the_inputs_even_with_overwrite(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "focuson.toml").write_text("x")
    with pytest.raises(ResultsFolderError, match="holds the input of this run"):
        check_target(data, overwrite=True, inputs=[data / "focuson.toml"])
    with pytest.raises(ResultsFolderError, match="holds the input of this run"):
        check_target(tmp_path, overwrite=True, inputs=[data / "focuson.toml"])


def test_results_of_an_older_focuson_are_ours(tmp_path):
    legacy = {"focuson_version": "0.1.0", "outputs": {"findings.parquet": {"rows": 1}}}
    (tmp_path / "manifest.json").write_text(json.dumps(legacy))
    assert is_ours(tmp_path)
    (tmp_path / "manifest.json").write_text("{ not json")
    assert not is_ours(tmp_path)


def test_a_kill_between_the_two_renames_is_undone_by_the_next_run(results):
    aside = results.parent / ".results.focuson-old-abc"
    os.rename(results, aside)  # where a kill in the fallback swap can leave things
    (results.parent / ".results.focuson-new-def").mkdir()
    with pytest.raises(RuntimeError), replacing(results, own=OWN):
        raise RuntimeError("no work")
    assert _complete_version(results) == "old"
    assert _leftovers(results) == [".results.focuson-lock"]


def test_timestamp_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert output.timestamp() == "2023-11-14T22:13:20+00:00"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert output.timestamp().endswith("+00:00")
