"""``focuson find`` and ``focuson monitor`` with ``--engine postgres`` end to end: the same
results as on DuckDB."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from focuson.cli import app
from focuson.data.synthetic import generate

runner = CliRunner()
WIDE = {"COLUMNS": "200"}


@pytest.mark.postgres
@pytest.mark.xdist_group("postgres")
def test_find_on_postgres_gives_the_duckdb_findings(tmp_path, postgres_url):
    generate(tmp_path / "data", scale=0.005, seed=2)
    base = ["find", str(tmp_path / "data"), "--no-report"]
    on_duckdb = runner.invoke(app, [*base, "--out", str(tmp_path / "duckdb")], env=WIDE)
    engine = ["--engine", "postgres", "--engine-url", postgres_url]
    on_postgres = runner.invoke(app, [*base, "--out", str(tmp_path / "pg"), *engine], env=WIDE)
    assert on_duckdb.exit_code == 0, on_duckdb.stdout
    assert on_postgres.exit_code == 0, on_postgres.stdout
    for name in ("findings.parquet", "gradients.parquet"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "pg" / name), pd.read_parquet(tmp_path / "duckdb" / name)
        )
    manifest = json.loads((tmp_path / "pg" / "manifest.json").read_text())
    assert manifest["engine"]["name"] == "postgres"
    assert "password" not in manifest["engine"]["url"]
    assert json.loads((tmp_path / "duckdb" / "manifest.json").read_text())["engine"] == {
        "name": "duckdb",
        "url": None,
    }
    # The terminal shows the same summary and top 10 whichever engine counted.
    shown = on_postgres.stdout.replace(str(tmp_path / "pg"), "OUT")
    assert shown == on_duckdb.stdout.replace(str(tmp_path / "duckdb"), "OUT")
    assert "The 10 biggest gaps" in shown


@pytest.mark.postgres
@pytest.mark.xdist_group("postgres")
def test_monitor_on_postgres_gives_the_duckdb_series_and_alerts(tmp_path, postgres_url):
    generate(tmp_path / "data", scale=0.005, seed=2)
    base = ["monitor", str(tmp_path / "data"), "--no-report"]
    on_duckdb = runner.invoke(app, [*base, "--out", str(tmp_path / "duckdb")], env=WIDE)
    engine = ["--engine", "postgres", "--engine-url", postgres_url]
    on_postgres = runner.invoke(app, [*base, "--out", str(tmp_path / "pg"), *engine], env=WIDE)
    assert on_duckdb.exit_code == 0, on_duckdb.stdout
    assert on_postgres.exit_code == 0, on_postgres.stdout
    for name in ("levels", "gaps", "alerts"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "pg" / "monitor" / f"{name}.parquet"),
            pd.read_parquet(tmp_path / "duckdb" / "monitor" / f"{name}.parquet"),
        )
    shown = on_postgres.stdout.replace(str(tmp_path / "pg"), "OUT")
    assert shown == on_duckdb.stdout.replace(str(tmp_path / "duckdb"), "OUT")


def test_monitor_postgres_without_an_address_says_what_to_pass(tmp_path):
    result = runner.invoke(
        app, ["monitor", str(tmp_path), "--out", str(tmp_path / "o"), "--engine", "postgres"]
    )
    assert result.exit_code == 2
    assert "--engine-url" in result.stdout
