"""The ``focuson`` command end to end, on the real reference data where it is present."""

from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
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
WIDE = {"COLUMNS": "200"}


def _text(result) -> str:
    # What the user sees: errors go to standard error, the rest to standard output.
    return " ".join(result.output.split())


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_help_lists_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "demo" in result.stdout
    assert "synth" in result.stdout


def test_demo_with_a_wrong_data_folder_says_what_to_do(tmp_path):
    result = runner.invoke(app, ["demo", "--data", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "Point --data at the folder" in _text(result)


def test_demo_without_a_reference_folder_runs_on_labelled_synthetic_data(tmp_path):
    env = {"FOCUSON_REFERENCE_DATA": str(tmp_path / "absent"), **WIDE}
    result = runner.invoke(
        app, ["demo", "--out", str(tmp_path / "demo"), "--scale", "0.02", "--no-web"], env=env
    )
    assert result.exit_code == 0, result.stdout
    text = _text(result)
    assert "every check passed" in text
    assert "RTT pathways treated within 18 weeks" in text
    assert "No reference data folder found" in text
    assert "[SYNTHETIC]" in text
    assert "The 10 biggest gaps" in text
    assert "Ongoing measurement" in text and "alerts; report:" in text
    assert (tmp_path / "demo" / "results" / "monitor" / "monitor.html").is_file()
    assert (tmp_path / "demo" / "truth.json").is_file()
    assert (tmp_path / "demo" / "results" / "report.html").is_file()


@needs_data
def test_demo_on_real_data_prints_deciles_and_both_sii_flavours(tmp_path):
    args = ["demo", "--data", str(SHARED_DATA), "--out", str(tmp_path), "--scale", "0.02"]
    args.append("--no-web")
    result = runner.invoke(app, [*args, "--borough", "Harrow"], env=WIDE)
    assert result.exit_code == 0, result.stdout
    text = _text(result)
    assert "no LSOAs in this decile" in text  # Harrow has no LSOA in national decile 1
    assert "SII, NHS England" in text
    assert "SII, OHID" in text
    assert "[SYNTHETIC]" not in text


@needs_data
def test_demo_rejects_an_unknown_borough(tmp_path):
    args = ["demo", "--out", str(tmp_path), "--scale", "0.02", "--borough", "Camden", "--no-web"]
    result = runner.invoke(app, args, env={"FOCUSON_REFERENCE_DATA": str(SHARED_DATA), **WIDE})
    assert result.exit_code == 2
    assert "Choose one of" in _text(result)


@needs_data
def test_population_table_counts_every_lsoa_and_person():
    from focuson.demo_population import compute

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
def test_population_sii_in_both_flavours_says_why_one_is_missing():
    from focuson.demo_population import compute

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


def test_waits_demo_recovers_the_planted_deprivation_gradient(tmp_path):
    from focuson.demo_waits import run

    result = run(tmp_path, scale=0.05)
    # truth.json plants 50% within 18 weeks in quintile 1 rising to 65% in quintile 5: a slope
    # of about 15 points over 0.8 of the rank scale. Every borough's SII should be positive.
    assert (result.by_borough["sii"] > 0).all()
    pooled = result.by_quintile.groupby("quintile")[["within_published", "pathways_published"]]
    share = pooled.sum().eval("within_published / pathways_published")
    assert share.is_monotonic_increasing
    assert abs(share.loc[1] - 0.50) < 0.03 and abs(share.loc[5] - 0.65) < 0.03
    # Published counts are disclosure-controlled: multiples of 5, nothing from 1 to 7.
    published = result.by_quintile["pathways_published"].dropna()
    assert (published % 5 == 0).all()


def test_synth_writes_every_table_and_the_truth(tmp_path):
    env = {"FOCUSON_REFERENCE_DATA": str(tmp_path / "absent"), **WIDE}
    result = runner.invoke(app, ["synth", "--out", str(tmp_path), "--scale", "0.01"], env=env)
    assert result.exit_code == 0, result.stdout
    assert "built-in borough profiles" in _text(result)
    for table in ("persons", "rtt_pathways", "ae_attendances", "admissions"):
        assert pq.read_metadata(tmp_path / f"{table}.parquet").num_rows > 0
    assert (tmp_path / "truth.json").is_file()


def test_synth_rejects_a_silly_scale(tmp_path):
    result = runner.invoke(app, ["synth", "--out", str(tmp_path), "--scale", "0"])
    assert result.exit_code == 2
    assert "--scale" in _text(result)


def test_find_on_a_synthetic_population_writes_results_and_shows_the_top_gaps(tmp_path):
    from focuson.data.synthetic import generate

    generate(tmp_path / "data", scale=0.02)
    out = tmp_path / "results"
    result = runner.invoke(app, ["find", str(tmp_path / "data"), "--out", str(out)], env=WIDE)
    assert result.exit_code == 0, result.stdout
    text = _text(result)
    assert "The 10 biggest gaps" in text
    assert "14 indicators" in text
    assert "Report:" in text
    html = (out / "report.html").read_text()
    assert "The 10 biggest gaps" in html and "https://" not in html
    findings = pq.read_table(out / "findings.parquet").to_pandas()
    # Every published count has passed disclosure control: multiples of 5, nothing in 1-7.
    published = findings.loc[~findings["suppressed"], "denominator"].dropna()
    assert (published % 5 == 0).all()
    assert (out / "gradients.parquet").is_file()
    assert (out / "manifest.json").is_file()


def test_find_in_a_narrow_terminal_writes_the_top_gaps_as_sentences(tmp_path):
    from focuson.data.synthetic import generate

    generate(tmp_path / "data", scale=0.02)
    args = ["find", str(tmp_path / "data"), "--out", str(tmp_path / "r"), "--no-report"]
    result = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stdout
    text = _text(result)
    assert "The 10 biggest gaps" in text
    # Numbered plain-English sentences, not a table squeezed into 80 columns.
    assert "1. March 2025: " in text and "more people" in text
    assert "│" not in result.stdout


def test_find_says_what_to_do_without_a_mapping(tmp_path):
    result = runner.invoke(app, ["find", str(tmp_path), "--out", str(tmp_path / "o")], env=WIDE)
    assert result.exit_code == 2
    assert "no focuson.toml in this folder" in _text(result)


def test_find_refuses_an_unknown_engine(tmp_path):
    args = ["find", str(tmp_path), "--out", str(tmp_path / "o"), "--engine", "oracle"]
    result = runner.invoke(app, args, env=WIDE)
    assert result.exit_code == 2
    assert "--engine must be one of duckdb, pyspark, postgres" in _text(result)


def test_find_on_postgres_says_to_pass_its_url(tmp_path):
    args = ["find", str(tmp_path), "--out", str(tmp_path / "o"), "--engine", "postgres"]
    result = runner.invoke(app, args, env=WIDE)
    assert result.exit_code == 2
    assert "--engine postgres needs --engine-url" in _text(result)
    assert not (tmp_path / "o").exists()


def test_monitor_keeps_a_history_and_lists_alerts(tmp_path):
    from focuson.data.synthetic import generate

    generate(tmp_path / "data", scale=0.02)
    args = ["monitor", str(tmp_path / "data"), "--out", str(tmp_path / "results")]
    result = runner.invoke(app, args, env=WIDE)
    assert result.exit_code == 0, result.stdout
    assert "series under SPC" in _text(result)
    stored = sorted(p.name for p in (tmp_path / "results" / "monitor").glob("*.parquet"))
    assert stored, "the monitor history was not written"


def test_monitor_refuses_a_run_length_spc_does_not_use(tmp_path):
    args = ["monitor", str(tmp_path), "--out", str(tmp_path / "o"), "--run-length", "8"]
    result = runner.invoke(app, args, env=WIDE)
    assert result.exit_code == 2
    assert "--run-length must be 6 or 7" in _text(result)


def test_monitor_and_find_on_tables_in_a_duckdb_file(tmp_path):
    from focuson.data.contracts import load_dataset, read_mapping
    from focuson.data.synthetic import generate

    summary = generate(tmp_path / "data", scale=0.005, seed=3)
    mapping = read_mapping(summary.mapping)
    db = tmp_path / "warehouse.duckdb"
    with load_dataset(mapping, database=db):
        pass
    in_engine = [
        "--in-engine", "--engine-url", str(db), "--imd", str(mapping.reference_lsoa),
        "--as-of", mapping.as_of.isoformat(), "--coverage-from", mapping.coverage_from.isoformat(),
        "--no-report",
    ]  # fmt: skip
    files = ["--no-report"]
    for command in ("monitor", "find"):
        got = runner.invoke(app, [command, "--out", str(tmp_path / "db"), *in_engine], env=WIDE)
        want = runner.invoke(
            app, [command, str(tmp_path / "data"), "--out", str(tmp_path / "f"), *files], env=WIDE
        )
        assert got.exit_code == 0, got.stdout
        assert want.exit_code == 0, want.stdout
        assert got.stdout.replace(str(tmp_path / "db"), "OUT") == want.stdout.replace(
            str(tmp_path / "f"), "OUT"
        )
    # Without the extract date, it says which option to add.
    no_date = [a for a in in_engine if a not in ("--as-of", mapping.as_of.isoformat())]
    result = runner.invoke(app, ["find", "--out", str(tmp_path / "x"), *no_date], env=WIDE)
    assert result.exit_code == 2
    assert "pass --as-of with the extract date" in _text(result)
