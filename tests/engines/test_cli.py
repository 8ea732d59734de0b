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
    # (a small dataset may have fewer than ten: the heading counts what was found)
    assert "significantly worse groups, ranked by people affected" in shown


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
    assert "--engine-url" in result.output


def _warehouse(postgres_url, name):
    """A database of its own in the test cluster, its URL, and a way to add tables to it."""
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name}")
        con.execute(f"CREATE DATABASE {name}")
    return postgres_url.replace("/postgres?", f"/{name}?", 1)


@pytest.mark.postgres
@pytest.mark.xdist_group("postgres")
def test_find_in_postgres_tables_gives_the_findings_of_the_files(tmp_path, postgres_url):
    import duckdb

    from focuson.data.contracts import CONTRACTS, load_dataset, read_mapping
    from focuson.engine.postgres import connect_postgres

    summary = generate(tmp_path / "data", scale=0.005, seed=2)
    mapping = read_mapping(summary.mapping)
    # The tables as a warehouse would hold them: ordinary tables, named as the contracts say,
    # in a schema of their own, found through the URL's search_path (libpq options).
    url = _warehouse(postgres_url, "warehouse")
    db = tmp_path / "checked.duckdb"
    with load_dataset(mapping, database=db):
        pass
    source = duckdb.connect(str(db), read_only=True)
    setup = connect_postgres(url)
    setup.raw_sql("CREATE SCHEMA nhs")
    for name in CONTRACTS:
        setup.create_table(name, source.table(name).to_arrow_table(), database="nhs")
    setup.disconnect()
    source.close()
    url += "&options=-csearch_path%3Dnhs"
    target = connect_postgres(url)
    assert "persons" not in target.list_tables(database="public")
    base = ["find", "--no-report"]
    on_files = runner.invoke(
        app, [*base, str(tmp_path / "data"), "--out", str(tmp_path / "files")], env=WIDE
    )
    in_engine = [
        "--in-engine", "--engine", "postgres", "--engine-url", url,
        "--imd", str(mapping.reference_lsoa), "--as-of", mapping.as_of.isoformat(),
        "--coverage-from", mapping.coverage_from.isoformat(),
    ]  # fmt: skip
    on_pg = runner.invoke(app, [*base, "--out", str(tmp_path / "pg"), *in_engine], env=WIDE)
    assert on_files.exit_code == 0, on_files.stdout
    assert on_pg.exit_code == 0, on_pg.stdout
    for name in ("findings.parquet", "gradients.parquet"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "pg" / name), pd.read_parquet(tmp_path / "files" / name)
        )
    # A broken table in the warehouse: Find stops before counting and says where.
    target.raw_sql(
        "UPDATE rtt_pathways SET clock_stop = clock_start - 3 WHERE clock_stop IS NOT NULL"
    )
    broken = runner.invoke(app, [*base, "--out", str(tmp_path / "bad"), *in_engine], env=WIDE)
    target.disconnect()
    assert broken.exit_code == 2
    assert "PostgreSQL table rtt_pathways, column clock_stop: expected a date on or after" in (
        " ".join(broken.output.split())
    )
    assert not (tmp_path / "bad" / "findings.parquet").exists()


def test_find_needs_data_or_in_engine_but_not_both(tmp_path):
    neither = runner.invoke(app, ["find", "--out", str(tmp_path / "o")])
    assert neither.exit_code == 2
    assert "Where are the tables?" in neither.output
    both = runner.invoke(app, ["find", str(tmp_path), "--out", str(tmp_path / "o"), "--in-engine"])
    assert both.exit_code == 2
    assert "not both" in both.output
