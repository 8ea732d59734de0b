"""The catalogue: the default loads; a bad catalogue names its file, line and what was expected."""

import math
import textwrap

import pytest

from focuson.engine import (
    INDICATOR_COLUMNS,
    CatalogueError,
    indicators_frame,
    load_catalogue,
    load_default_catalogue,
    parse_catalogue,
)

GOOD = """\
catalogue: test
version: "1"
indicators:
  - id: ae_4_hours
    title: A&E within 4 hours
    table: ae_attendances
    period: {kind: event, column: arrival}
    denominator: "true"
    numerator: departure <= arrival + 4 hours
    statistic: proportion
    polarity: higher_is_better
    standard: {value: 95, source: NHS Constitution, version: "2010", effective_from: 2010-06-01}
    target: {value: 78, year: 2025/26}
    method: all types
    source: ECDS
"""


def _with(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


def test_good_catalogue_reads_into_frozen_dataclasses():
    cat = parse_catalogue(GOOD)
    ind = cat.get("ae_4_hours")
    assert (ind.statistic, ind.multiplier, ind.unit, ind.polarity) == (
        "proportion",
        100.0,
        "%",
        "higher_is_better",
    )
    assert ind.standard is not None and ind.standard.value == 95
    assert ind.target is not None and (ind.target.value, ind.target.year) == (78, "2025/26")
    assert ind.numerator is not None and ind.numerator.text == "departure <= arrival + 4 hours"
    with pytest.raises(AttributeError):
        ind.title = "x"  # type: ignore[misc]


def test_default_catalogue_loads_with_every_required_indicator():
    cat = load_default_catalogue()
    assert set(cat.ids) >= {
        "rtt_18_weeks",
        "rtt_over_52_weeks",
        "diagnostics_6_weeks",
        "ae_4_hours",
        "ae_over_12_hours",
        "cancer_28_day_fds",
        "cancer_31_day",
        "cancer_62_day",
        "screening_breast",
        "screening_cervical",
        "screening_bowel",
        "hypertension_treated_to_target",
        "emergency_admissions",
        "cancer_early_stage",
    }
    for ind in cat:
        assert ind.method and ind.source, ind.id
    assert cat.get("emergency_admissions").age_standardised
    assert cat.get("diagnostics_6_weeks").polarity == "lower_is_better"


def test_indicators_frame_has_the_shared_columns():
    frame = indicators_frame(load_default_catalogue())
    assert tuple(frame.columns[: len(INDICATOR_COLUMNS)]) == INDICATOR_COLUMNS
    row = frame.set_index("id").loc["ae_4_hours"]
    assert (row.standard, row.target, row.multiplier) == (95.0, 82.0, 100.0)
    assert math.isnan(frame.set_index("id").loc["ae_over_12_hours"].standard)


def test_load_catalogue_names_the_file(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(_with("statistic: proportion", "statistic: median"))
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    assert str(info.value).startswith(f"{path}, line 10, indicators[0] (ae_4_hours).statistic:")
    assert "expected one of proportion, rate, dsr, mean" in str(info.value)
    assert (info.value.path, info.value.line) == (str(path), 10)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        # unknown column
        (_with("arrival + 4 hours", "arrived + 4 hours"), 9, "unknown column 'arrived'"),
        # bad operator
        (_with("departure <= arrival", "departure <> arrival"), 9, "expected a value"),
        (_with("departure <= arrival", "departure = arrival"), 9, "'=' is not an operator"),
        # type mismatch
        (_with("departure <= arrival + 4 hours", "departure <= 4"), 9, "cannot compare"),
        (_with('denominator: "true"', "denominator: arrival"), 8, "expected a condition"),
        # unknown statistic, polarity, table, period
        (_with("statistic: proportion", "statistic: median"), 10, "expected one of proportion"),
        (_with("higher_is_better", "up"), 11, "expected higher_is_better or lower_is_better"),
        (_with("table: ae_attendances", "table: ae"), 6, "expected one of rtt_pathways"),
        (_with("table: ae_attendances", "table: persons"), 6, "expected one of rtt_pathways"),
        (_with("kind: event", "kind: weekly"), 7, "expected census or event"),
        (_with("column: arrival", "column: provider"), 7, "expected a date column"),
        (_with("column: arrival", "column: arrival, until: departure"), 7, "for a census"),
        # missing and unknown fields
        (_with("    title: A&E within 4 hours\n", ""), 4, "missing required key 'title'"),
        (_with("    numerator: departure <= arrival + 4 hours\n", ""), 4, "'numerator'"),
        (_with("    source: ECDS\n", "    source: ECDS\n    colour: red\n"), 16, "unknown key"),
        (GOOD.replace('version: "1"\n', ""), 1, "missing required key 'version'"),
        # values of the wrong kind
        (_with("value: 95", "value: lots"), 12, "expected a number"),
        (_with("effective_from: 2010-06-01", "effective_from: soon"), 12, "expected a date"),
        (_with("id: ae_4_hours", "id: AE 4 hours"), 4, "expected a snake_case id"),
        (_with("statistic: proportion", "statistic: proportion\n    value: systolic"), 11, "mean"),
        (
            _with("statistic: proportion", "statistic: rate").replace(
                "kind: event", "kind: census"
            ),
            7,
            "expected event: a rate counts events",
        ),
        (
            _with("    method: all types\n", "    method: all types\n    age_standardised: true\n"),
            15,
            "expected true exactly when the statistic is dsr",
        ),
        # YAML itself
        (GOOD.replace("indicators:", "indicators: [", 1), 4, "not valid YAML"),
        (GOOD.replace("title: A&E", "title: A&E\n    title: again"), 6, "repeated key"),
        (GOOD + GOOD.split("indicators:\n")[1], 16, "'ae_4_hours' repeats"),
        ("catalogue: x\nversion: 1\nindicators: {}\n", 3, "expected a list of indicators"),
    ],
)
def test_bad_catalogue_errors_name_file_line_and_expectation(text, line, words):
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(text, label="bad.yaml")
    message = str(info.value)
    assert message.startswith(f"bad.yaml, line {line}"), message
    assert words in message


def test_empty_file_is_an_error():
    with pytest.raises(CatalogueError, match=r"bad\.yaml: the file is empty"):
        parse_catalogue("", label="bad.yaml")


def test_block_expression_errors_point_at_the_line_inside_the_block():
    text = _with(
        "numerator: departure <= arrival + 4 hours",
        "numerator: |\n      departure <= arrival + 4 hours\n      and stage == 1",
    )
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(text, label="bad.yaml")
    assert info.value.line == 11
    assert "unknown column 'stage'" in str(info.value)


def test_rate_denominator_filters_persons():
    text = _with("statistic: proportion", "statistic: rate").replace(
        "kind: event, column: arrival", "kind: event, column: arrival"
    )
    text = text.replace('denominator: "true"', "denominator: sex == 'F' and age >= 18")
    ind = parse_catalogue(text).get("ae_4_hours")
    assert ind.population_denominator and ind.multiplier == 100_000
    bad = text.replace("sex == 'F'", "department_type == 1")
    with pytest.raises(CatalogueError, match=r"line 8.*unknown column 'department_type'"):
        parse_catalogue(bad)


def test_mean_needs_a_value_expression():
    text = _with("statistic: proportion", "statistic: mean").replace(
        "    numerator: departure <= arrival + 4 hours\n",
        "    value: date_diff_minutes(arrival, departure)\n",
    )
    ind = parse_catalogue(text).get("ae_4_hours")
    assert ind.value is not None and ind.numerator is None
    with pytest.raises(CatalogueError, match="expected a number expression"):
        parse_catalogue(text.replace("date_diff_minutes(arrival, departure)", "arrival"))


def test_select_keeps_catalogue_order_and_refuses_unknown_ids():
    cat = load_default_catalogue()
    assert cat.select(["ae_4_hours", "rtt_18_weeks"]).ids == ("rtt_18_weeks", "ae_4_hours")
    with pytest.raises(KeyError, match="nope"):
        cat.select(["nope"])


def test_catalogue_text_in_the_docstring_is_valid():
    from focuson.engine import catalogue

    doc = catalogue.__doc__ or ""
    block = doc.split("A minimal indicator::\n")[1].split("\n\nFor ")[0]
    assert parse_catalogue(textwrap.dedent(block)).ids == ("ae_4_hours",)
