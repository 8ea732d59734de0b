"""``focuson export``: findings handed on as CSV and as an Excel workbook, labelled, read back.

Every number read back must be the number in ``findings.parquet``; suppressed cells are blank
with Suppressed = Yes; headers and labels are words, not codes; nothing outside the results
folder's own files is used, and the results folder is left as it was.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from focuson.cli import app
from focuson.engine import indicators_frame, load_default_catalogue
from focuson.reports._words import dimension_name, short_label
from focuson.reports.export import NUMBER_COLUMNS

runner = CliRunner()
HEADERS = [
    "Indicator",
    "Month",
    "Breakdown",
    "Group",
    "Compared with",
    "Unit",
    "Numerator",
    "Denominator",
    "Value",
    "Lower 95% limit",
    "Upper 95% limit",
]


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    from focuson.data.synthetic import generate

    root = tmp_path_factory.mktemp("export")
    generate(root / "data", scale=0.005, seed=11)
    out = root / "results"
    done = runner.invoke(app, ["find", str(root / "data"), "--out", str(out), "--no-report"])
    assert done.exit_code == 0, done.output
    return out


@pytest.fixture(scope="module")
def findings(results) -> pd.DataFrame:
    return pd.read_parquet(results / "findings.parquet")


def _export(results: Path, out: Path, fmt: str, *extra: str):
    args = ["export", str(results), "--format", fmt, "--out", str(out), *extra]
    return runner.invoke(app, args)


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _check_table(table: pd.DataFrame, findings: pd.DataFrame) -> None:
    """The exported table says what findings.parquet says, row for row, in words."""
    assert list(table.columns[: len(HEADERS)]) == HEADERS
    assert len(table) == len(findings)
    titles = indicators_frame(load_default_catalogue()).set_index("id")["title"]
    assert (table["Indicator"] == findings["indicator"].map(titles)).all()
    assert (table["Indicator ID"] == findings["indicator"]).all()
    assert (table["Month"].astype(str) == findings["period"]).all()
    expected_breakdown = [dimension_name(d) for d in findings["dimension"]]
    assert table["Breakdown"].tolist() == expected_breakdown
    assert not table["Breakdown"].str.contains("_").any()  # no raw ids such as imd_quintile
    pairs = zip(findings["dimension"], findings["group"], strict=True)
    expected_group = [short_label(d, g) for d, g in pairs]
    assert table["Group"].astype(str).tolist() == expected_group
    assert set(table.loc[findings["dimension"] == "sex", "Group"]) <= {"Female", "Male"} | {
        "Sex not known"
    }
    suppressed = findings["suppressed"].to_numpy()
    assert suppressed.any() and not suppressed.all()
    assert (table["Suppressed"] == np.where(suppressed, "Yes", "No")).all()
    for column, (header, _) in NUMBER_COLUMNS.items():
        got = pd.to_numeric(table[header]).to_numpy(dtype=float)
        want = findings[column].to_numpy(dtype=float)
        # Suppressed cells are blank, whatever they are; the rest are the same numbers.
        assert np.isnan(got[suppressed]).all(), header
        np.testing.assert_allclose(got[~suppressed], want[~suppressed], rtol=1e-12, err_msg=header)
    significant = findings["significant"].to_numpy() & ~suppressed
    assert (table.loc[significant, "Significant"] == "Yes").all()


def test_csv_reads_back_labelled_with_the_same_numbers(results, findings, tmp_path):
    before = _digests(results)
    done = _export(results, tmp_path / "findings.csv", "csv")
    assert done.exit_code == 0, done.output
    raw = (tmp_path / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark: Excel reads UTF-8 right
    table = pd.read_csv(tmp_path / "findings.csv", encoding="utf-8-sig", keep_default_na=False)
    table = table.replace("", np.nan)
    _check_table(table, findings)
    assert _digests(results) == before  # the results folder is left as the run wrote it


def test_xlsx_reads_back_labelled_with_numbers_as_numbers(results, findings, tmp_path):
    before = _digests(results)
    path = tmp_path / "findings.xlsx"
    done = _export(results, path, "xlsx")
    assert done.exit_code == 0, done.output
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["Findings", "About", "Columns", "Manifest"]
    rows = list(book["Findings"].iter_rows(values_only=True))
    header, body = list(rows[0]), rows[1:]
    table = pd.DataFrame(body, columns=header)
    _check_table(table.astype({h: float for _, (h, _) in NUMBER_COLUMNS.items()}), findings)
    # Numbers are stored as numbers, and suppressed cells hold nothing at all.
    value = header.index("Value")
    shown = findings.index[~findings["suppressed"]][0]
    hidden = findings.index[findings["suppressed"]][0]
    assert isinstance(body[shown][value], int | float) and not isinstance(body[shown][value], bool)
    assert body[hidden][value] is None

    about = dict(list(book["About"].iter_rows(values_only=True))[1:])
    manifest = json.loads((results / "manifest.json").read_text())
    assert "1-7 suppressed" in about["Disclosure control"]
    assert "nothing was recomputed from patient data" in about["Disclosure control"]
    assert about["Source run"] == str(results.resolve())
    assert about["Run created"] == manifest["created"]
    assert about["Months"] == f"{findings['period'].min()} to {findings['period'].max()}"
    entries = dict(list(book["Manifest"].iter_rows(values_only=True))[1:])
    sha = manifest["outputs"]["findings.parquet"]["sha256"]
    assert entries["outputs.findings.parquet.sha256"] == sha
    columns = dict(list(book["Columns"].iter_rows(values_only=True))[1:])
    assert set(columns) == set(header) and all(columns.values())
    assert _digests(results) == before


def test_the_default_file_is_beside_the_results_folder_and_never_overwritten(results, tmp_path):
    copy = tmp_path / "results"
    shutil.copytree(results, copy)
    done = runner.invoke(app, ["export", str(copy), "--format", "csv"])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "results-findings.csv").is_file()
    again = runner.invoke(app, ["export", str(copy), "--format", "csv"])
    assert again.exit_code == 2
    assert "exists; give --overwrite" in " ".join(again.stderr.split())
    replaced = runner.invoke(app, ["export", str(copy), "--format", "csv", "--overwrite"])
    assert replaced.exit_code == 0, replaced.output
    assert not list(tmp_path.glob(".*partial*"))  # no temporary file left behind


def test_a_findings_file_changed_after_the_run_is_refused(results, tmp_path):
    copy = tmp_path / "results"
    shutil.copytree(results, copy)
    changed = pd.read_parquet(copy / "findings.parquet")
    changed.loc[0, "value"] = 1.0
    changed.to_parquet(copy / "findings.parquet", index=False)
    done = _export(copy, tmp_path / "f.csv", "csv")
    assert done.exit_code == 2
    assert "changed after the run" in " ".join(done.stderr.split())
    assert not (tmp_path / "f.csv").exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--format", "pdf"], "--format must be csv or xlsx, got pdf"),
        (["--out", "."], "is a folder"),
        (["--format", "csv", "--out", "f.xlsx"], "ends .xlsx but --format is csv"),
    ],
)
def test_wrong_options_say_what_to_give(results, args, said):
    done = runner.invoke(app, ["export", str(results), *args])
    assert done.exit_code == 2
    assert said in " ".join(done.stderr.split())
