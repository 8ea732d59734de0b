"""The command line prints errors as plain text on standard error, whatever they quote.

Messages quote header cells, file names and mapping keys. Printed as Rich markup, a key such as
``[tables.persons.columns]`` vanished and a header cell ``[/x]`` made the printer itself fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from focuson.cli import app

runner = CliRunner()


def _one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def imd(tmp_path_factory) -> Path:
    """A small IMD file (the synthetic population's), so that Find and Monitor reach the load."""
    from focuson.data.synthetic import generate

    folder = tmp_path_factory.mktemp("synthetic")
    generate(folder, scale=0.001)
    return next((folder / "reference").glob("*imd*"))


def _dataset(folder: Path, imd: Path, persons: str, columns: str = "") -> Path:
    """A mapping of one persons CSV file (``persons``: its text) onto the contracts."""
    folder.mkdir()
    (folder / "persons.csv").write_text(persons, encoding="utf-8")
    mapping = folder / "mapping.toml"
    mapping.write_text(
        f'lsoa_vintage = 2011\nas_of = 2025-03-31\n[reference]\nlsoa = "{imd}"\n'
        f'[tables.persons]\npath = "persons.csv"\n{columns}',
        encoding="utf-8",
    )
    return mapping


def test_a_bracketed_key_in_a_message_is_printed_as_written(tmp_path, imd):
    people = "person_id,gender,date_of_birth,ethnicity,lsoa\nP1,F,1950-01-01,A,\n"
    mapping = _dataset(tmp_path / "data", imd, people)
    args = ["find", str(mapping), "--out", str(tmp_path / "out"), "--no-report"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "Cannot run Find:" in result.stderr
    assert "[tables.persons.columns]" in _one_line(result.stderr)
    assert "Cannot run Find" not in result.stdout  # errors go to standard error


def test_a_header_cell_that_looks_like_markup_does_not_break_the_printer(tmp_path, imd):
    people = "person_id,[/x],date_of_birth,ethnicity,lsoa\nP1,Q,1950-01-01,A,\n"
    columns = '[tables.persons.columns]\nsex = "[/x]"\n'
    mapping = _dataset(tmp_path / "data", imd, people, columns)
    args = ["monitor", str(mapping), "--out", str(tmp_path / "out"), "--no-report"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    message = _one_line(result.stderr)
    assert "Cannot run Monitor:" in message
    assert "persons.csv, line 2, column '[/x]' (sex): expected one of F, M, U" in message


def test_an_unknown_engine_with_brackets_is_named_as_given(tmp_path):
    args = ["find", str(tmp_path), "--out", str(tmp_path / "o"), "--engine", "[bold]x[/]"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "got [bold]x[/]." in _one_line(result.stderr)
