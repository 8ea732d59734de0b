"""docs/outputs.md names every file and every column a run writes, with the right types.

Find and Monitor run on a tiny synthetic dataset (about 4,000 people, three months, no report);
every Parquet file written is read back and checked against the doc's table for that file.
"""

import hashlib
import json
import re
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from focuson.data.synthetic import generate
from focuson.engine.breakdowns import DIMENSIONS
from focuson.labels import LABEL_COLUMNS, MEASURE_NAMES
from focuson.monitor.alerts import KINDS
from focuson.reports.export import labelled_findings
from focuson.runs.find import run_find
from focuson.runs.monitor import run_monitor

DOC = Path(__file__).resolve().parents[2] / "docs" / "outputs.md"
FILE = re.compile(r"`([^`\s]+\.(?:parquet|json|html|csv|xlsx))`")
#: The doc's type words -> the Arrow types a column of that type may have. An empty table's
#: text or number columns hold nothing and have the null type.
TYPES = {
    "string": {"string", "large_string", "null"},
    "double": {"double", "null"},
    "bool": {"bool", "null"},
    "int64": {"int64", "null"},
}
#: Manifest fields whose keys are names (of files, tables), not fields.
NAMED = {"outputs", "tables", "rows"}


def doc_tables(text: str) -> dict[str, dict[str, list[str]]]:
    """Per file named in a heading, the rows of the tables under it: first cell -> all cells."""
    files: dict[str, dict[str, list[str]]] = {}
    current: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            current = FILE.findall(line)
            for name in current:
                files.setdefault(name, {})
        elif line.startswith("| `") and current:
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            name = cells[0].strip("`")
            for file in current:
                files[file][name] = cells
    return files


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("outputs")
    generate(base / "data", scale=0.002, months=3)
    results = base / "results"
    found = run_find(base / "data", results, report=False)
    run_monitor(base / "data", results, report=False)
    return results, found


@pytest.fixture(scope="module")
def documented():
    return doc_tables(DOC.read_text(encoding="utf-8"))


def _written(results: Path) -> list[str]:
    return sorted(p.relative_to(results).as_posix() for p in results.rglob("*") if p.is_file())


def test_every_file_in_the_results_folder_is_documented(run, documented):
    results, _ = run
    written = _written(results)
    assert "findings.parquet" in written and "monitor/levels.parquet" in written
    missing = [name for name in written if name not in documented]
    assert not missing, f"docs/outputs.md does not document {missing}"
    # The reports, left out here to keep the test fast, are documented too.
    assert {"report.html", "monitor/monitor.html"} <= set(documented)


def test_every_column_of_every_parquet_file_is_documented_with_its_type(run, documented):
    results, _ = run
    for name in (n for n in _written(results) if n.endswith(".parquet")):
        schema = pq.read_schema(results / name)
        rows = documented[name]
        assert set(schema.names) == set(rows), (
            f"{name}: not in docs/outputs.md {sorted(set(schema.names) - set(rows))}, "
            f"documented but not written {sorted(set(rows) - set(schema.names))}"
        )
        for field in schema:
            doc_type = rows[field.name][1]
            assert str(field.type) in TYPES[doc_type], (name, field.name, str(field.type))
            assert rows[field.name][2], f"{name}: {field.name} has no meaning in the doc"


def test_every_table_carries_labels_beside_its_codes(run):
    results, _ = run
    for name in (n for n in _written(results) if n.endswith(".parquet")):
        if name == "monitor/indicators.parquet":
            continue
        columns = pq.read_schema(results / name).names
        for code, label in LABEL_COLUMNS.items():
            if code in columns:
                assert columns[columns.index(code) + 1] == label, (name, code)
    findings = pd.read_parquet(results / "findings.parquet")
    assert findings["group_label"].notna().all()
    assert not findings["group_label"].str.contains(r"\|").any()
    codes = findings.loc[findings["dimension"] == "ethnicity_code", "group_label"]
    assert "Black: African" in set(codes)
    assert (findings["indicator_title"] != findings["indicator"]).all()


def test_the_manifests_list_every_file_with_its_sha256_after_the_labels(run):
    results, _ = run
    for folder in (results, results / "monitor"):
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        files = sorted(p.name for p in folder.iterdir() if p.is_file())
        assert sorted(manifest["outputs"]) == [f for f in files if f != "manifest.json"]
        for file, entry in manifest["outputs"].items():
            digest = hashlib.sha256((folder / file).read_bytes()).hexdigest()
            assert entry["sha256"] == digest, file


def test_every_manifest_field_is_documented(run, documented):
    results, _ = run
    for name in ("manifest.json", "monitor/manifest.json"):
        manifest = json.loads((results / name).read_text(encoding="utf-8"))
        rows = documented[name]
        assert set(manifest) == set(rows), (name, set(manifest) ^ set(rows))
        for field, value in manifest.items():
            if isinstance(value, dict) and field not in NAMED:
                words = " ".join(rows[field])
                missing = [k for k in value if f"`{k}`" not in words]
                assert not missing, f"{name}: {field}.{missing} not in docs/outputs.md"


def test_every_export_header_is_documented(run, documented):
    results, found = run
    findings = pd.read_parquet(results / "findings.parquet")
    table = labelled_findings(findings, found.indicators)
    csv = documented["RESULTS-findings.csv"]
    assert list(table.columns) == list(csv), set(table.columns) ^ set(csv)
    assert documented["RESULTS-findings.xlsx"] == csv


def test_every_code_is_listed():
    text = DOC.read_text(encoding="utf-8")
    for code in (*DIMENSIONS, *MEASURE_NAMES, *KINDS):
        assert f"`{code}`" in text, code


def test_the_doc_parser_reads_files_rows_and_escaped_bars():
    text = (
        "# Intro\n| `not_a_file` | x |\n### `a.parquet` and `b.csv`\n"
        "| column | type |\n|---|---|\n| `x` | string | `1 \\| 2` |\n## Next\n| `y` | z |\n"
    )
    assert doc_tables(text) == {
        "a.parquet": {"x": ["`x`", "string", "`1 \\| 2`"]},
        "b.csv": {"x": ["`x`", "string", "`1 \\| 2`"]},
    }
