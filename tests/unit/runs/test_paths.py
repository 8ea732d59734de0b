"""The paths a run is given: a named pipe is named as such, never read (it would hang)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from focuson.runs.paths import check_file


def test_a_named_pipe_as_imd_file_is_refused_as_not_a_regular_file(tmp_path: Path) -> None:
    pipe = tmp_path / "imd.csv"
    os.mkfifo(pipe)
    with pytest.raises(FileNotFoundError, match="not a regular file"):
        check_file(pipe, "--imd")


def test_a_missing_file_and_a_folder_are_told_apart(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such file"):
        check_file(tmp_path / "missing.csv", "--catalogue")
    with pytest.raises(FileNotFoundError, match="a folder, not a file"):
        check_file(tmp_path, "--catalogue")
