"""Study plans: validation with located errors, freezing, hashing and versions."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from focuson.study.plan import (
    Plan,
    PlanError,
    PlanRecord,
    canonical_json,
    freeze,
    plan_hash,
    read_plan,
    read_plan_text,
)

GOOD = """\
title: Cervical screening text reminders
outcome:
  indicator: cervical_screening
  better: higher
gap:
  by: imd_quintile
  most: 1
  least: 5
smallest_worthwhile_change:
  overall: 2.0
  gap: 1.0
design: did
comparison_units: [E09000002, E09000003]
windows:
  pre: {start: 2022-01, end: 2023-12}
  transition: {start: 2024-01, end: 2024-02}
  post: {start: 2024-03, end: 2024-12}
model:
  family: binomial
  fourier_pairs: 2
  hac_lags: 12
concurrent_events:
  - {month: 2024-06, description: national screening campaign}
"""

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_reads_every_field(tmp_path: Path) -> None:
    f = tmp_path / "plan.yaml"
    f.write_text(GOOD, encoding="utf-8")
    plan = read_plan(f)
    assert plan.outcome.better == "higher"
    assert (plan.gap.most, plan.gap.least) == ("1", "5")
    assert plan.smallest_worthwhile_change.gap == 1.0
    assert plan.windows.transition is not None and plan.windows.transition.end == "2024-02"
    assert plan.model.hac_lags == 12
    assert plan.concurrent_events[0].month == "2024-06"
    assert plan.comparison_units == ("E09000002", "E09000003")


def test_defaults_gap_to_imd_quintile() -> None:
    text = GOOD.replace("gap:\n  by: imd_quintile\n  most: 1\n  least: 5\n", "")
    assert read_plan_text(text).gap.by == "imd_quintile"


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "words"),
    [
        ("better: higher", "better: up", 4, "outcome.better", "'higher' or 'lower'"),
        ("  gap: 1.0", "  gap: 0", 11, "smallest_worthwhile_change.gap", "greater than 0"),
        ("end: 2023-12}", "end: 2023-13}", 15, "windows.pre.end", "YYYY-MM"),
        ("start: 2024-03", "start: 2024-02", 15, "windows", "between the pre and post"),
        ("design: did", "design: rct", 12, "design", "'its'"),
        ("comparison_units: [E09000002, E09000003]", "", 1, "(the plan)", "comparison_units"),
        (
            "  family: binomial",
            "  family: binomal\n  colour: red",
            19,
            "model.family",
            "'binomial'",
        ),
        ("indicator: cervical_screening", "indicatr: x", 3, "outcome.indicator", "missing"),
    ],
)
def test_errors_name_line_and_field(old: str, new: str, line: int, field: str, words: str) -> None:
    assert old in GOOD
    with pytest.raises(PlanError) as info:
        read_plan_text(GOOD.replace(old, new), label="plan.yaml")
    msg = str(info.value)
    assert f"plan.yaml, line {line}: {field}: " in msg
    assert words in msg
    assert "try again" in msg


def test_extra_field_is_refused_with_its_line() -> None:
    with pytest.raises(PlanError, match=r"line 20: model\.colour: Extra inputs"):
        read_plan_text(GOOD.replace("  family: binomial", "  family: binomial\n  colour: red"))


def test_yaml_syntax_error_is_located() -> None:
    with pytest.raises(PlanError, match=r"plan.yaml, line \d+: .*Fix the YAML"):
        read_plan_text("outcome: [a, b\ndesign: its\n", label="plan.yaml")


def test_not_a_mapping() -> None:
    with pytest.raises(PlanError, match="expected a mapping"):
        read_plan_text("- a\n- b\n")


def test_window_must_not_end_before_it_starts() -> None:
    bad = GOOD.replace("pre: {start: 2022-01, end: 2023-12}", "pre: {start: 2023-12, end: 2022-01}")
    with pytest.raises(PlanError, match=r"windows\.pre: the window ends before it starts"):
        read_plan_text(bad)


def test_hash_is_canonical_and_changes_with_content() -> None:
    plan = read_plan_text(GOOD)
    reordered = read_plan_text(
        GOOD.replace("  overall: 2.0\n  gap: 1.0", "  gap: 1.0\n  overall: 2")
    )
    assert plan_hash(plan) == plan_hash(reordered)
    assert canonical_json(plan).startswith(b'{"comparison_units":')
    changed = read_plan_text(GOOD.replace("  gap: 1.0", "  gap: 1.5"))
    assert plan_hash(changed) != plan_hash(plan)


def test_freeze_and_amend() -> None:
    plan = read_plan_text(GOOD)
    record = freeze(plan, now=T0)
    assert record.current.version == 1 and record.current.frozen_at == T0
    assert record.current.sha256 == plan_hash(plan)
    assert not record.changed_after_data_seen
    longer = plan.model_copy(update={"title": "Longer test"})
    r2 = record.amend(longer, data_seen=False, reason="extend the test", now=T0)
    assert not r2.changed_after_data_seen
    r3 = r2.amend(plan, data_seen=True, reason="back to the original title", now=T0)
    assert [v.version for v in r3.versions] == [1, 2, 3]
    assert r3.changed_after_data_seen
    assert record.versions == (record.current,)  # the old record is untouched


def test_amend_refuses_no_change_or_no_reason() -> None:
    record = freeze(read_plan_text(GOOD), now=T0)
    with pytest.raises(PlanError, match="same as the current version"):
        record.amend(record.current.plan, data_seen=False, reason="none")
    with pytest.raises(PlanError, match="Say why"):
        record.amend(
            record.current.plan.model_copy(update={"title": "x"}), data_seen=False, reason=" "
        )


def test_record_round_trips_and_detects_edits() -> None:
    record = freeze(read_plan_text(GOOD), now=T0)
    text = record.model_dump_json()
    assert PlanRecord.model_validate_json(text) == record
    tampered = text.replace('"gap":1.0', '"gap":0.5')
    assert tampered != text
    with pytest.raises(ValueError, match="does not match its SHA-256"):
        PlanRecord.model_validate_json(tampered)


def test_plan_is_immutable() -> None:
    plan = read_plan_text(GOOD)
    with pytest.raises(ValueError, match="frozen"):
        plan.design = "its"  # type: ignore[misc]
    assert isinstance(plan, Plan)


def test_missing_or_binary_file_is_explained(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="no such file"):
        read_plan(tmp_path / "absent.yaml")
    binary = tmp_path / "plan.yaml"
    binary.write_bytes(b"\xff\xfe\x00outcome")
    with pytest.raises(PlanError, match="not a text file in UTF-8"):
        read_plan(binary)


def test_window_lengths_in_months() -> None:
    w = read_plan_text(GOOD).windows
    assert w.pre.months == 24
    assert w.transition is not None and w.transition.months == 2
    assert w.post.months == 10


def test_unit_and_levels_are_read_and_default_to_everyone() -> None:
    plan = read_plan_text(GOOD + "unit: {dimension: borough, group: Brent}\nlevels: var/r\n")
    assert plan.unit is not None and (plan.unit.dimension, plan.unit.group) == ("borough", "Brent")
    assert plan.levels == "var/r"
    quintile = read_plan_text(GOOD + "unit: {dimension: imd_quintile, group: 1}\n").unit
    assert quintile is not None and quintile.group == "1"  # a number read as the group's code
    assert read_plan_text(GOOD).unit is None
    with pytest.raises(PlanError, match=r"line 24: unit\.group: this field is missing"):
        read_plan_text(GOOD + "unit: {dimension: borough}\n")
