"""``focuson import RESULTS``: imports in-process with a progress bar and prints the run's page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FOCUSON = Path(sys.executable).with_name("focuson")


def _run(*args: str, var: Path) -> subprocess.CompletedProcess[str]:
    # The command's own database, SQLite under ``var``: on the PostgreSQL pass DATABASE_URL names
    # the server every test process shares, which two commands would migrate at once.
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env["FOCUSON_VAR"] = str(var)
    return subprocess.run(
        [str(FOCUSON), "import", *args], capture_output=True, text=True, env=env, timeout=600
    )


def test_focuson_import_prints_the_run_page_and_changes_nothing_the_second_time(
    results_folder: Path, tmp_path: Path
) -> None:
    first = _run(str(results_folder), var=tmp_path)
    second = _run(str(results_folder), var=tmp_path)

    assert first.returncode == 0, first.stderr
    assert "Imported Find with ongoing measurement" in first.stdout
    assert first.stdout.strip().splitlines()[-1] == "/evidence/runs/1/"
    assert second.returncode == 0 and "imported before" in second.stdout
    assert second.stdout.strip().splitlines()[-1] == "/evidence/runs/1/"


def test_focuson_import_refuses_a_folder_that_is_not_results(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()

    result = _run(str(tmp_path / "empty"), var=tmp_path / "var")

    assert result.returncode == 2
    assert "Not imported:" in result.stderr and "not a focuson results folder" in result.stderr
