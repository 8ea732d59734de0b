"""generate(): every table with the contract's columns and types, reproducible, documented.

Runs at scale 0.01-0.02 (21,000-42,000 people, well under a second each).
"""

import datetime as dt
import hashlib
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from focuson.data.synthetic import DEFAULT_START, TABLES, generate

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"the shared reference data folder {DATA} is absent"
)

STRING, DATE, TS, INT, ID = pa.string(), pa.date32(), pa.timestamp("us"), pa.int32(), pa.int64()
COLUMNS = {
    "persons": [
        ("person_id", ID),
        ("sex", STRING),
        ("date_of_birth", DATE),
        ("ethnicity", STRING),
        ("lsoa", STRING),
        ("practice", STRING),
        ("main_language", STRING),
    ],
    "rtt_pathways": [
        ("pathway_id", ID),
        ("person_id", ID),
        ("provider", STRING),
        ("treatment_function", STRING),
        ("clock_start", DATE),
        ("clock_stop", DATE),
    ],
    "diagnostic_waits": [
        ("request_id", ID),
        ("person_id", ID),
        ("provider", STRING),
        ("modality", STRING),
        ("requested", DATE),
        ("tested", DATE),
    ],
    "ae_attendances": [
        ("attendance_id", ID),
        ("person_id", ID),
        ("provider", STRING),
        ("department_type", INT),
        ("arrival", TS),
        ("departure", TS),
    ],
    "cancer_pathways": [
        ("pathway_id", ID),
        ("person_id", ID),
        ("cancer_type", STRING),
        ("referral", DATE),
        ("diagnosis_communicated", DATE),
        ("decision_to_treat", DATE),
        ("first_treatment", DATE),
        ("stage", INT),
    ],
    "screening": [("person_id", ID), ("programme", STRING), ("invited", DATE), ("screened", DATE)],
    "hypertension": [
        ("person_id", ID),
        ("diagnosed", DATE),
        ("last_bp", DATE),
        ("systolic", INT),
        ("diastolic", INT),
    ],
    "admissions": [
        ("admission_id", ID),
        ("person_id", ID),
        ("admitted", DATE),
        ("method", STRING),
        ("primary_diagnosis", STRING),
    ],
}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    return generate(out, scale=0.01, seed=11)


def _sql(out, query):
    return duckdb.sql(query.replace("{dir}", str(out))).fetchall()


def test_generate_writes_every_contract_table_with_its_columns_and_types(small):
    assert list(TABLES) == list(COLUMNS)
    for name, columns in COLUMNS.items():
        schema = pq.read_schema(small.out_dir / f"{name}.parquet")
        assert [(f.name, f.type) for f in schema] == columns, name
        assert pq.ParquetFile(small.out_dir / f"{name}.parquet").metadata.num_rows > 0, name
    assert set(small.rows) == set(TABLES)


def test_generate_writes_truth_manifest_mapping_and_imd_file(small):
    names = {p.name for p in small.out_dir.iterdir()}
    assert {"truth.json", "manifest.json", "focuson.toml", "reference"} <= names
    assert not any(n.endswith(".partial") for n in names)
    manifest = json.loads(small.manifest.read_text())
    assert manifest["seed"] == 11 and manifest["scale"] == 0.01
    assert manifest["imd_release"] == "IoD2019" and manifest["lsoa_vintage"] == 2011
    assert manifest["reference"]["mode"] == "built-in"
    assert manifest["window"] == {
        "start": "2023-04-01",
        "end_exclusive": "2025-04-01",
        "as_of": "2025-03-31",
        "months": 24,
    }
    for name in TABLES:
        entry = manifest["tables"][name]
        path = small.out_dir / entry["file"]
        assert entry["rows"] == small.rows[name] == pq.ParquetFile(path).metadata.num_rows
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert list(entry["columns"]) == [c for c, _ in COLUMNS[name]]
    assert sum(manifest["people_by_borough"].values()) == small.people
    imd = _sql(small.out_dir, "SELECT count(*), min(imd_quintile), max(imd_quintile) FROM "
               "read_csv('{dir}/reference/lsoa_imd2019.csv')")  # fmt: skip
    assert imd == [(1153, 1, 5)]


def test_generate_scale_sets_the_number_of_people(small):
    # 2,111,469 residents at mid-2020 (ONS), times the scale, rounded.
    assert small.people == round(2_111_469 * 0.01)
    assert _sql(small.out_dir, "SELECT count(DISTINCT person_id) FROM '{dir}/persons.parquet'") == [
        (small.people,)
    ]


def test_generate_same_seed_gives_the_same_bytes(tmp_path):
    a = generate(tmp_path / "a", scale=0.01, seed=5)
    b = generate(tmp_path / "b", scale=0.01, seed=5)
    c = generate(tmp_path / "c", scale=0.01, seed=6)
    for name in TABLES:
        assert a.files[name].read_bytes() == b.files[name].read_bytes(), name
    assert a.truth.read_bytes() == b.truth.read_bytes()
    assert a.manifest.read_bytes() == b.manifest.read_bytes()
    assert a.files["persons"].read_bytes() != c.files["persons"].read_bytes()


def test_generate_blocks_do_not_change_the_totals_much(tmp_path):
    # Blocks of people are independent draws: a different block size gives other rows but the
    # same people and activity of the same size.
    a = generate(tmp_path / "a", scale=0.02, seed=5)
    b = generate(tmp_path / "b", scale=0.02, seed=5, chunk_people=5_000)
    assert a.people == b.people
    for name in TABLES:
        assert abs(a.rows[name] - b.rows[name]) < 0.05 * a.rows[name] + 30, name


def test_generate_ids_are_unique_and_every_person_id_is_a_person(small):
    out = small.out_dir
    for name, key in [
        ("rtt_pathways", "pathway_id"),
        ("diagnostic_waits", "request_id"),
        ("ae_attendances", "attendance_id"),
        ("cancer_pathways", "pathway_id"),
        ("admissions", "admission_id"),
    ]:
        rows = _sql(out, f"SELECT count(*), count(DISTINCT {key}) FROM '{{dir}}/{name}.parquet'")
        assert rows[0][0] == rows[0][1], name
    for name in TABLES[1:]:
        orphans = _sql(
            out,
            f"SELECT count(*) FROM '{{dir}}/{name}.parquet' t ANTI JOIN "
            "'{dir}/persons.parquet' p USING (person_id)",
        )
        assert orphans == [(0,)], name
    assert _sql(out, "SELECT count(*) - count(DISTINCT person_id) FROM "
                "'{dir}/hypertension.parquet'") == [(0,)]  # fmt: skip
    assert _sql(out, "SELECT count(*) - count(DISTINCT (person_id, programme, invited)) FROM "
                "'{dir}/screening.parquet'") == [(0,)]  # fmt: skip


def test_generate_rows_keep_the_contract_rules_and_no_date_is_after_as_of(small):
    out, as_of = small.out_dir, "DATE '2025-03-31'"
    bad = {
        "rtt": "SELECT count(*) FROM '{dir}/rtt_pathways.parquet' WHERE clock_stop < clock_start "
        f"OR clock_stop > {as_of} OR clock_start > {as_of}",
        "diag": "SELECT count(*) FROM '{dir}/diagnostic_waits.parquet' WHERE tested < requested "
        f"OR tested > {as_of}",
        "ae": "SELECT count(*) FROM '{dir}/ae_attendances.parquet' WHERE departure < arrival OR "
        "departure >= TIMESTAMP '2025-04-01' OR department_type NOT BETWEEN 1 AND 4",
        "cancer": "SELECT count(*) FROM '{dir}/cancer_pathways.parquet' WHERE "
        "diagnosis_communicated < referral OR decision_to_treat < diagnosis_communicated OR "
        f"first_treatment < decision_to_treat OR first_treatment > {as_of} OR stage NOT "
        "BETWEEN 1 AND 4 OR (decision_to_treat IS NOT NULL AND diagnosis_communicated IS NULL) "
        "OR (first_treatment IS NOT NULL AND decision_to_treat IS NULL)",
        "screening": "SELECT count(*) FROM '{dir}/screening.parquet' WHERE screened < invited "
        f"OR screened > {as_of} OR programme NOT IN ('breast', 'cervical', 'bowel')",
        "htn": "SELECT count(*) FROM '{dir}/hypertension.parquet' WHERE last_bp < diagnosed OR "
        f"last_bp > {as_of} OR diagnosed > {as_of} OR systolic <= diastolic OR "
        "(last_bp IS NULL) <> (systolic IS NULL) OR (last_bp IS NULL) <> (diastolic IS NULL)",
        "admissions": "SELECT count(*) FROM '{dir}/admissions.parquet' WHERE admitted > "
        f"{as_of} OR admitted < DATE '2023-04-01' OR method NOT IN ('elective', 'emergency') "
        "OR NOT regexp_full_match(primary_diagnosis, '[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?')",
        "persons": "SELECT count(*) FROM '{dir}/persons.parquet' WHERE date_of_birth > "
        f"{as_of} OR day(date_of_birth) <> 1 OR sex NOT IN ('F', 'M', 'U') OR NOT "
        "regexp_full_match(lsoa, 'E01[0-9]{6}') OR NOT regexp_full_match(practice, "
        "'[A-Z][0-9A-Z][0-9]{4}') OR main_language IS NULL",
    }
    for name, query in bad.items():
        assert _sql(out, query) == [(0,)], name


def test_generate_activity_happens_after_birth(small):
    for name, column in [
        ("rtt_pathways", "clock_start"),
        ("diagnostic_waits", "requested"),
        ("ae_attendances", "CAST(arrival AS DATE)"),
        ("cancer_pathways", "referral"),
        ("screening", "invited"),
        ("admissions", "admitted"),
    ]:
        query = (
            f"SELECT count(*) FROM '{{dir}}/{name}.parquet' t JOIN '{{dir}}/persons.parquet' p "
            f"USING (person_id) WHERE {column} < p.date_of_birth"
        )
        assert _sql(small.out_dir, query) == [(0,)], name


def test_generate_keeps_unknown_and_not_stated_codes(small):
    counts = dict(
        _sql(
            small.out_dir,
            "SELECT ethnicity, count(*) FROM '{dir}/persons.parquet' "
            "WHERE ethnicity IN ('Z', '99') GROUP BY 1",
        )
    )
    # 5% not stated (Z) and 3% not known (99) of 21,115 people.
    assert 0.04 < counts["Z"] / small.people < 0.06
    assert 0.02 < counts["99"] / small.people < 0.04
    unknown_sex = _sql(
        small.out_dir, "SELECT count(*) FROM '{dir}/persons.parquet' WHERE sex = 'U'"
    )
    assert unknown_sex[0][0] > 0


def test_generate_reports_progress_up_to_every_person(tmp_path):
    calls = []
    summary = generate(
        tmp_path, scale=0.01, seed=1, chunk_people=5_000, progress=lambda *a: calls.append(a)
    )
    people = [c for c in calls if c[0] == "people"]
    assert people[0] == ("people", 0, summary.people)
    assert people[-1] == ("people", summary.people, summary.people)
    assert len(people) == 1 + -(-summary.people // 5_000)
    assert calls[0] == ("areas", 0, 1) and calls[-1] == ("files", 1, 1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scale": 0}, "scale: expected a number above 0"),
        ({"scale": 101}, "scale: expected a number above 0"),
        ({"months": 0}, "months: expected 1 to 120"),
        ({"start": dt.date(2023, 4, 2)}, "start: expected the first day of a month"),
        ({"start": dt.date.today().replace(day=1)}, "after today"),
        ({"chunk_people": 10}, "chunk_people: expected at least 1,000"),
    ],
)
def test_generate_refuses_bad_arguments_and_writes_nothing(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        generate(tmp_path / "out", **kwargs)
    assert not (tmp_path / "out").exists()


def test_generate_refuses_a_reference_folder_without_imd_2019(tmp_path):
    (tmp_path / "ref").mkdir()
    with pytest.raises(FileNotFoundError, match="no English Indices of Deprivation 2019"):
        generate(tmp_path / "out", scale=0.01, reference_dir=tmp_path / "ref")
    with pytest.raises(FileNotFoundError, match="reference folder not found"):
        generate(tmp_path / "out", scale=0.01, reference_dir=tmp_path / "missing")


def test_generate_other_window(tmp_path):
    summary = generate(tmp_path, scale=0.01, seed=3, months=6, start=dt.date(2022, 1, 1))
    span = _sql(
        tmp_path,
        "SELECT min(CAST(arrival AS DATE)), max(CAST(departure AS DATE)) "
        "FROM '{dir}/ae_attendances.parquet'",
    )
    assert span == [(dt.date(2022, 1, 1), dt.date(2022, 6, 30))]
    assert summary.start == DEFAULT_START.replace(year=2022, month=1)
    truth = json.loads(summary.truth.read_text())
    assert truth["definitions"]["window"]["as_of"] == "2022-06-30"


@needs_data
def test_generate_with_the_reference_folder_uses_real_lsoas_and_practices(tmp_path):
    summary = generate(tmp_path, scale=0.01, seed=2, reference_dir=DATA)
    manifest = json.loads(summary.manifest.read_text())
    assert manifest["reference"]["mode"] == "reference"
    assert manifest["reference"]["sources"]["imd"]["release"] == "IoD2019"
    real = _sql(
        tmp_path,
        f"SELECT count(*) FROM '{{dir}}/persons.parquet' p SEMI JOIN "
        f"read_csv('{DATA}/imd/imd2019_lsoa11_nwl.csv') i ON i.lsoa11cd = p.lsoa",
    )
    assert real == [(summary.people,)]
    practices = _sql(
        tmp_path,
        f"SELECT count(*) FROM '{{dir}}/persons.parquet' p SEMI JOIN "
        f"read_csv('{DATA}/nhs/nwl_icb_qrv_active_gp_practices.csv') g "
        "ON g.organisation_code = p.practice",
    )
    assert practices == [(summary.people,)]


def test_generate_output_loads_through_the_data_contracts(small):
    contracts = pytest.importorskip("focuson.data.contracts")
    with contracts.load_dataset(small.mapping) as data:
        assert dict(data.row_counts) == small.rows
        assert data.lsoa_vintage == 2011 and data.as_of == dt.date(2025, 3, 31)
        unknown = {(u.column, u.code): u.rows for u in data.unknowns}
    assert unknown[("ethnicity", "Z")] > 0 and unknown[("sex", "U")] > 0


@needs_data
def test_generate_output_with_real_lsoas_passes_the_real_imd_reference(tmp_path):
    contracts = pytest.importorskip("focuson.data.contracts")
    summary = generate(tmp_path, scale=0.01, seed=2, reference_dir=DATA)
    mapping = contracts.mapping_for_folder(
        tmp_path,
        lsoa_vintage=2011,
        as_of=dt.date(2025, 3, 31),
        reference_lsoa=DATA / "imd" / "imd2019_lsoa11_nwl.csv",
        reference_kind="imd",
    )
    with contracts.load_dataset(mapping) as data:
        assert dict(data.row_counts) == summary.rows
