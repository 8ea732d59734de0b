"""The ``focuson`` command end to end, on the real reference data where it is present."""

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from focuson import __version__
from focuson.cli import app

runner = CliRunner()
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
needs_data = pytest.mark.skipif(
    not (SHARED_DATA / "imd").is_dir(),
    reason="the shared reference data folder is not next to the project",
)


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_help_lists_demo():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "demo" in result.stdout


def test_demo_without_data_says_what_to_do(tmp_path):
    result = runner.invoke(app, ["demo", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "Point --data at the folder" in " ".join(result.stdout.split())


@needs_data
def test_demo_prints_table_for_every_borough_and_decile():
    from focuson.demo import compute

    table = compute(SHARED_DATA).by_decile
    assert len(table) == 8 * 10
    # All 1,153 NWL LSOAs (2011) are counted once, and the population is the mid-2020 total.
    assert table["lsoas"].sum() == 1153
    assert table["population"].sum() == 2_111_469
    empty = table[table["lsoas"] == 0]
    assert not empty.empty and set(empty["note"]) == {"no LSOAs in this decile"}
    shown = table[table["lsoas"] > 0]
    assert (shown["lower95"] <= shown["pct_65_plus"]).all()
    assert (shown["pct_65_plus"] <= shown["upper95"]).all()


@needs_data
def test_demo_command_for_one_borough():
    result = runner.invoke(
        app, ["demo", "--data", str(SHARED_DATA), "--borough", "Harrow"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.stdout
    assert "Harrow" in result.stdout and "no LSOAs in this decile" in result.stdout
    assert "Brent" not in result.stdout


@needs_data
def test_demo_gives_both_sii_flavours_and_says_why_one_is_missing():
    from focuson.demo import compute

    summary = compute(SHARED_DATA).by_borough.set_index("lad19nm")
    assert len(summary) == 8
    # National ranks tolerate a decile with no LSOAs; every borough has an NHS England SII.
    assert summary["sii_nhse"].notna().all()
    assert (summary["sii_nhse_lower"] <= summary["sii_nhse"]).all()
    assert (summary["sii_nhse"] <= summary["sii_nhse_upper"]).all()
    # Harrow has no LSOA in national decile 1, so the OHID (local-rank) SII is NA with a reason.
    assert np.isnan(summary.loc["Harrow", "sii_ohid"])
    assert "missing" in summary.loc["Harrow", "sii_ohid_note"]
    assert summary.loc["Ealing", "sii_ohid_note"] == ""


def test_demo_without_a_reference_folder_runs_on_labelled_synthetic_data(tmp_path):
    result = runner.invoke(
        app,
        ["demo", "--borough", "Brent"],
        env={"FOCUSON_REFERENCE_DATA": str(tmp_path), "COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.stdout
    assert "made-up (synthetic) data" in result.stdout
    assert "[SYNTHETIC]" in result.stdout
    assert "Slope index of inequality" in result.stdout
