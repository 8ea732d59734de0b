"""The command line answers at once, the same way from any folder, and stops cleanly.

- A wrong path or engine name, and ``--help``, are answered before any data library is imported
  (they took 13-18 s on a loaded machine when every heavy module was imported first).
- The reference data folder is found the same way from any working directory, and a fallback
  to built-in profiles is announced.
- Ctrl-C ends a run with one line saying what was left, and exit status 130.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from focuson.cli import app
from focuson.reference_folder import ENV_VAR, default_reference_folder, find_reference_folder

runner = CliRunner()
PROJECT = Path(__file__).resolve().parents[2]
SHARED_DATA = PROJECT.parent / "shared" / "data"
needs_data = pytest.mark.skipif(
    not (SHARED_DATA / "imd").is_dir(),
    reason="the shared reference data folder is not next to the project",
)
# Modules that take seconds to import: none may be loaded to answer bad arguments or --help.
HEAVY = ("pandas", "numpy", "pyarrow", "ibis", "duckdb", "altair", "vl_convert", "scipy")
HEAVY_FOCUSON = (
    "focuson.data",
    "focuson.engine",
    "focuson.find",
    "focuson.monitor",
    "focuson.reports",
    "focuson.runs.find",
    "focuson.runs.monitor",
)
INVOKE = """
import json, sys
from focuson.cli import app
try:
    app(sys.argv[1:], prog_name="focuson")
    code = 0
except SystemExit as exc:
    code = exc.code
heavy = sorted(
    m for m in sys.modules
    if m.split(".")[0] in {heavy} or m.startswith({heavy_focuson})
)
print(json.dumps({{"code": code, "heavy": heavy}}), file=sys.stderr)
"""


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    return {**env, "COLUMNS": "200", **extra}


def _invoke(args: list[str], cwd: Path) -> tuple[int, list[str], str]:
    """Run the app on ``args`` in a fresh interpreter: exit code, heavy modules loaded, stderr."""
    script = INVOKE.format(heavy=set(HEAVY), heavy_focuson=HEAVY_FOCUSON)
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    *message, last = done.stderr.strip().splitlines()
    report = json.loads(last)
    return report["code"], report["heavy"], "\n".join(message)


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["--help"], 0, ""),
        (["find", "/no/such/path", "--out", "o"], 2, "/no/such/path: no such mapping file"),
        (["monitor", "/no/such/path", "--out", "o"], 2, "/no/such/path: no such mapping file"),
        (["find", ".", "--out", "o", "--engine", "nope"], 2, "--engine must be one of"),
        (["find", "--in-engine", "--out", "o", "--engine", "nope"], 2, "got nope"),
        (["find", "data", "--out", "o", "--imd", "/no/imd.csv"], 2, "--imd /no/imd.csv"),
        (["monitor", "data", "--out", "o", "--catalogue", "x.yaml"], 2, "--catalogue x.yaml"),
        (["synth", "--out", "o", "--reference-data", "."], 2, "no imd/ folder"),
        (["export", "/no/such/results"], 2, "/no/such/results: no findings.parquet"),
        (["export", "data", "--format", "pdf"], 2, "--format must be csv or xlsx"),
    ],
)
def test_bad_arguments_and_help_are_answered_before_any_heavy_import(tmp_path, args, code, said):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "focuson.toml").write_text("")
    got, heavy, stderr = _invoke(args, tmp_path)
    assert got == code, stderr
    assert heavy == [], f"imported before the arguments were checked: {heavy}"
    assert said in " ".join(stderr.split())


def test_the_engine_names_checked_are_the_engines():
    from focuson.cli import ENGINES
    from focuson.engine.backends import ENGINES as BACKENDS

    assert ENGINES == BACKENDS


# -- where the reference data come from -------------------------------------------------------


def test_the_default_reference_folder_is_found_from_the_package_not_the_working_directory(
    tmp_path, monkeypatch
):
    expected = PROJECT.parent / "shared" / "data"
    assert default_reference_folder() == expected
    monkeypatch.chdir(tmp_path)
    assert default_reference_folder() == expected
    found = find_reference_folder(None, environ={})
    assert found.source == "default" and found.looked_at == expected.resolve()


def test_the_option_comes_before_the_variable_and_the_variable_before_the_default(tmp_path):
    (tmp_path / "a" / "imd").mkdir(parents=True)
    (tmp_path / "b" / "imd").mkdir(parents=True)
    environ = {ENV_VAR: str(tmp_path / "b")}
    assert find_reference_folder(tmp_path / "a", environ=environ).path == tmp_path / "a"
    from_env = find_reference_folder(None, environ=environ)
    assert from_env.path == tmp_path / "b" and from_env.source == f"${ENV_VAR}"
    # A variable naming a folder without imd/ is not silently replaced by the default.
    missing = find_reference_folder(None, environ={ENV_VAR: str(tmp_path)})
    assert missing.path is None and missing.looked_at == tmp_path


def test_a_fallback_to_built_in_profiles_is_announced_on_standard_error(tmp_path):
    env = {ENV_VAR: str(tmp_path / "absent"), "COLUMNS": "200"}
    args = ["synth", "--out", str(tmp_path / "s"), "--scale", "0.002"]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    warning = " ".join(result.stderr.split())
    assert f"Warning: no reference data folder at {tmp_path / 'absent'}" in warning
    assert "using built-in borough profiles" in warning
    assert "--reference-data FOLDER" in warning and ENV_VAR in warning
    assert "built-in borough profiles" in result.stdout


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.parquet"))
    }


@needs_data
def test_synth_writes_the_same_people_from_any_working_directory(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    outs = []
    for cwd in (PROJECT, elsewhere):
        out = tmp_path / f"from-{cwd.name}"
        args = ["synth", "--out", str(out), "--scale", "0.005", "--seed", "7"]
        done = subprocess.run(
            [sys.executable, "-c", "from focuson.cli import app; app(prog_name='focuson')", *args],
            cwd=cwd,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert f"real LSOAs from {SHARED_DATA.resolve()}" in " ".join(done.stdout.split())
        assert "Warning" not in done.stderr
        outs.append(out)
    first, second = (_digests(out) for out in outs)
    assert len(first) >= 8
    assert first == second


# -- Ctrl-C -----------------------------------------------------------------------------------

# A real run of `focuson find`, sent a real SIGINT while it counts in DuckDB (a fixed point, so
# that the test does not depend on how long imports take on a loaded machine).
INTERRUPTED_FIND = """
import os, signal, sys
import focuson.runs.find as runs_find
counting = runs_find.count

def count_then_interrupt(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGINT)
    return counting(*args, **kwargs)

runs_find.count = count_then_interrupt
from focuson.cli import app
app(sys.argv[1:], prog_name="focuson")
"""


@pytest.fixture(scope="module")
def small_dataset(tmp_path_factory):
    from focuson.data.synthetic import generate

    out = tmp_path_factory.mktemp("ctrl-c") / "data"
    generate(out, scale=0.005, seed=11)
    return out


def _interrupted_find(data: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", INTERRUPTED_FIND, "find", str(data), "--out", str(out), *extra],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ctrl_c_says_nothing_was_written_and_exits_130(small_dataset, tmp_path):
    out = tmp_path / "results"
    done = _interrupted_find(small_dataset, out)
    assert done.returncode == 130, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines == [f"Stopped: nothing was written; {out} was not created."]
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_ctrl_c_leaves_the_previous_results_as_they_were_and_says_so(small_dataset, tmp_path):
    out = tmp_path / "results"
    first = runner.invoke(app, ["find", str(small_dataset), "--out", str(out), "--no-report"])
    assert first.exit_code == 0, first.output
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    done = _interrupted_find(small_dataset, out, "--no-report")
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"Stopped: nothing was written; the previous results in {out} are unchanged."
    ]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_stop_after_the_results_were_swapped_in_says_they_are_complete(tmp_path):
    from focuson.runs.stopped import FolderState

    out = tmp_path / "results"
    out.mkdir()
    (out / "findings.parquet").write_bytes(b"the previous findings")
    before = FolderState.of(out)
    new = b"this run's findings"
    (out / "findings.parquet").write_bytes(new)
    outputs = {"findings.parquet": {"sha256": hashlib.sha256(new).hexdigest()}}
    (out / "manifest.json").write_text(json.dumps({"outputs": outputs}))
    assert FolderState.of(out).stopped_line(before) == (
        f"Stopped after the results were written: {out} holds this run's complete results."
    )
    (out / "findings.parquet").write_bytes(b"half of this run")
    assert FolderState.of(out).stopped_line(before) == (
        f"Stopped: part of this run was written to {out}; run the command again for complete "
        "results."
    )
