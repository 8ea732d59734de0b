"""The contracts themselves: version 1 as the issue states it, definitions that check
themselves, and documentation that matches the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from focuson.data.contracts import (
    CONTRACTS,
    Column,
    Contract,
    ForeignKey,
    RowRule,
    load_dataset,
    read_mapping,
    write_example_dataset,
)
from focuson.data.contracts.tables import ETHNICITY_CODES

DOCS = Path(__file__).resolve().parents[3] / "docs" / "data-contracts.md"

# The columns of version 1, exactly as the issue lists them.
V1 = {
    "persons": (
        "person_id",
        "sex",
        "date_of_birth",
        "ethnicity",
        "lsoa",
        "practice",
        "main_language",
    ),
    "rtt_pathways": (
        "pathway_id",
        "person_id",
        "provider",
        "treatment_function",
        "clock_start",
        "clock_stop",
    ),
    "diagnostic_waits": ("request_id", "person_id", "provider", "modality", "requested", "tested"),
    "ae_attendances": (
        "attendance_id",
        "person_id",
        "provider",
        "department_type",
        "arrival",
        "departure",
    ),
    "cancer_pathways": (
        "pathway_id",
        "person_id",
        "cancer_type",
        "referral",
        "diagnosis_communicated",
        "decision_to_treat",
        "first_treatment",
        "stage",
    ),
    "screening": ("person_id", "programme", "invited", "screened"),
    "hypertension": ("person_id", "diagnosed", "last_bp", "systolic", "diastolic"),
    "admissions": ("admission_id", "person_id", "admitted", "method", "primary_diagnosis"),
}


def test_version_1_tables_and_columns_are_exactly_the_issues() -> None:
    assert {name: c.column_names for name, c in CONTRACTS.items()} == V1


def test_codes_and_types_of_version_1() -> None:
    persons = CONTRACTS["persons"]
    assert persons.column("sex").codes == ("F", "M", "U")
    assert (*"ABCDEFGHJKLMNPRS", "Z", "99") == ETHNICITY_CODES
    assert dict(persons.column("ethnicity").unknown) == {"Z": "not stated", "99": "not known"}
    assert dict(persons.column("sex").unknown) == {"U": "not known"}
    assert [c.name for c in persons.columns if not c.required] == ["practice", "main_language"]
    assert CONTRACTS["screening"].column("programme").codes == ("breast", "cervical", "bowel")
    assert CONTRACTS["admissions"].column("method").codes == ("elective", "emergency")
    for table, column in (("ae_attendances", "department_type"), ("cancer_pathways", "stage")):
        col = CONTRACTS[table].column(column)
        assert (col.type, col.minimum, col.maximum) == ("integer", 1, 4)
    assert CONTRACTS["cancer_pathways"].column("stage").nullable
    assert CONTRACTS["ae_attendances"].column("arrival").type == "timestamp"
    assert CONTRACTS["rtt_pathways"].column("clock_stop").nullable


def test_every_activity_table_refers_to_persons() -> None:
    for name, contract in CONTRACTS.items():
        if name == "persons":
            assert contract.foreign_keys == ()
        else:
            assert contract.foreign_keys == (ForeignKey("person_id", "persons"),)


@pytest.mark.parametrize(
    ("pattern_of", "good", "bad"),
    [
        (("persons", "lsoa"), ["E01000471", "W01000001"], ["E02000001", "E0100047", "e01000471"]),
        (("persons", "practice"), ["E84002", "Y02625", "V81997"], ["84002", "E8400", "QRV"]),
        (("rtt_pathways", "provider"), ["RYJ", "R1K", "RYJ02", "NT3"], ["ry", "Imperial"]),
        (("admissions", "primary_diagnosis"), ["I10", "I21.4", "J189", "I10X"], ["I1", "heart"]),
    ],
)
def test_code_patterns(pattern_of: tuple[str, str], good: list[str], bad: list[str]) -> None:
    pattern = CONTRACTS[pattern_of[0]].column(pattern_of[1]).pattern
    assert pattern is not None
    assert all(re.fullmatch(pattern, v) for v in good)
    assert not any(re.fullmatch(pattern, v) for v in bad)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "Sex", "type": "code", "codes": ("F",)}, "snake_case"),
        ({"name": "x", "type": "text"}, "unknown type"),
        ({"name": "x", "type": "string", "codes": ("a",)}, "only a code column has codes"),
        ({"name": "x", "type": "code"}, "needs codes or a pattern"),
        ({"name": "x", "type": "code", "codes": ("a", "a")}, "codes repeat"),
        ({"name": "x", "type": "date", "pattern": "[0-9]+", "pattern_words": "n"}, "only string"),
        ({"name": "x", "type": "code", "pattern": "[A-Z]"}, "needs pattern_words"),
        ({"name": "x", "type": "string", "minimum": 1}, "only a number has a minimum"),
        ({"name": "x", "type": "integer", "minimum": 5, "maximum": 1}, "minimum is above"),
        ({"name": "x", "type": "code", "codes": ("a",), "unknown": (("b", "?"),)}, "not one of"),
        ({"name": "x", "type": "string", "empty_means": "?"}, "needs a nullable column"),
        ({"name": "x", "type": "timestamp", "month_precision": True}, "month_precision is for"),
    ],
)
def test_column_definitions_check_themselves(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Column(description="d", **kwargs)  # type: ignore[arg-type]


def test_contract_definitions_check_themselves() -> None:
    a = Column("a_id", "string", "id")
    day = Column("day", "date", "day")
    when = Column("at", "timestamp", "time", nullable=True)
    n = Column("n", "integer", "n", nullable=True)
    with pytest.raises(ValueError, match="distinct names"):
        Contract("t", "d", (a, a))
    with pytest.raises(ValueError, match="primary key column 'b' is not a column"):
        Contract("t", "d", (a,), primary_key=("b",))
    with pytest.raises(ValueError, match="primary key column 'n' must be required"):
        Contract("t", "d", (a, n), primary_key=("n",))
    with pytest.raises(ValueError, match="foreign key column"):
        Contract("t", "d", (a,), foreign_keys=(ForeignKey("person_id", "persons"),))
    with pytest.raises(ValueError, match="rule names 'zz'"):
        Contract("t", "d", (a, day), rules=(RowRule("not_before", "day", "zz"),))
    with pytest.raises(ValueError, match="two dates or two timestamps"):
        Contract("t", "d", (a, day, when), rules=(RowRule("not_before", "at", "day"),))
    with pytest.raises(ValueError, match="two numbers"):
        Contract("t", "d", (a, day, n), rules=(RowRule("greater_than", "n", "day"),))
    with pytest.raises(ValueError, match="itself"):
        RowRule("not_before", "day", "day")
    with pytest.raises(ValueError, match="unknown kind"):
        RowRule("after", "day", "at")  # type: ignore[arg-type]


# -- the documentation -----------------------------------------------------------------------


def _docs() -> str:
    return DOCS.read_text(encoding="utf-8")


def test_docs_describe_every_table_and_column() -> None:
    text = _docs()
    for name, contract in CONTRACTS.items():
        assert f"## `{name}`" in text, name
        section = text.split(f"## `{name}`", 1)[1].split("\n## ", 1)[0]
        for col in contract.columns:
            assert f"| `{col.name}` |" in section, (name, col.name)


def test_docs_example_mapping_is_valid_and_complete(tmp_path: Path) -> None:
    blocks = re.findall(r"```toml\n(.*?)```", _docs(), flags=re.DOTALL)
    complete = [b for b in blocks if all(f"[tables.{n}]" in b for n in CONTRACTS)]
    assert complete, "the docs need one complete example mapping naming all eight tables"
    path = tmp_path / "mapping.toml"
    path.write_text(complete[0])
    mapping = read_mapping(path)
    assert list(mapping.tables) == list(CONTRACTS)


def test_docs_quick_start_runs(tmp_path: Path) -> None:
    """The quick start in the docs: write the example dataset and load it."""
    assert "write_example_dataset" in _docs()
    with load_dataset(write_example_dataset(tmp_path)) as data:
        assert data.row_counts["persons"] == 6
