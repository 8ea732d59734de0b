"""Labels: no raw code where a person reads (terminal, reports, exports, the Parquet files)."""

import re

import pandas as pd
import pytest
from rich.console import Console

from focuson.data.reference import load_nhs_ethnic_categories
from focuson.data.reference.ethnicity import NHS_ETHNIC_CATEGORY_GROUPS, NHS_ETHNIC_CATEGORY_NAMES
from focuson.engine.breakdowns import DIMENSIONS
from focuson.labels import (
    dimension_label,
    group_label,
    label_columns,
    measure_label,
    reference_label,
)
from focuson.reference_folder import find_reference_folder

#: What a person must never read: a raw id, a lower-cased acronym, a code joined by " | ".
RAW = re.compile(r"_|\(sii\)|\(rii\)|\biMD\b|\bimd\b|\|")


def _row(dimension: str, group: str, **extra: object) -> dict[str, object]:
    return {
        "rank": 1,
        "indicator": "rtt",
        "period": "2025-03",
        "dimension": dimension,
        "group": group,
        "reference_group": "rest",
        "value": 50.0,
        "lower": 48.0,
        "upper": 52.0,
        "reference_value": 60.0,
        "difference": -10.0,
        "q_value": 0.001,
        "significant": True,
        "direction": "worse",
        "excess": 120.0,
        "suppressed": False,
        **extra,
    }


TOP = pd.DataFrame(
    [
        _row("ethnicity_code", "N"),
        _row("ethnicity_code", "M"),
        _row("imd_quintile x ethnicity_6", "1 | Black"),
        _row("imd_quintile x age_band_broad", "2 | 80+"),
        _row("borough x imd_quintile", "Brent | 1"),
        _row("imd_quintile", "1", reference_group="5"),
    ]
)
INDICATORS = pd.DataFrame({"id": ["rtt"], "title": ["Waits within 18 weeks"], "unit": ["%"]})


def test_ethnic_category_names_are_the_nhs_names_in_the_reference_code_list():
    folder = find_reference_folder(None).path
    path = None if folder is None else folder / "nhs" / "nhs_ethnic_category_codes.csv"
    if path is None or not path.is_file():
        pytest.skip("the reference folder's NHS ethnic category code list is not here")
    listed = load_nhs_ethnic_categories(path).frame.set_index("code")["description"]
    assert set(NHS_ETHNIC_CATEGORY_NAMES) == set(NHS_ETHNIC_CATEGORY_GROUPS)
    for code, name in NHS_ETHNIC_CATEGORY_NAMES.items():
        assert listed[code].startswith(name), code


def test_every_ethnic_category_code_reads_as_its_nhs_name():
    assert group_label("ethnicity_code", "N") == "Black: African"
    assert group_label("ethnicity_code", "M") == "Black: Caribbean"
    assert group_label("ethnicity_code", "R") == "Asian: Chinese"
    assert group_label("ethnicity_code", "Z") == "Not stated"
    labels = [group_label("ethnicity_code", c) for c in NHS_ETHNIC_CATEGORY_GROUPS]
    assert len(set(labels)) == len(labels)
    assert all(len(label) > 2 for label in labels)


@pytest.mark.parametrize(
    ("dimension", "group", "label"),
    [
        ("imd_quintile x ethnicity_6", "1 | Black", "Most deprived fifth, Black"),
        (
            "imd_quintile x ethnicity_6",
            "3 | Not stated / not known",
            "Middle fifth, Not stated / not known",
        ),
        ("imd_quintile x age_band_broad", "5 | 80+", "Least deprived fifth, age 80+"),
        ("borough x imd_quintile", "Brent | 2", "Brent, second most deprived fifth"),
        ("imd_decile", "10", "Least deprived tenth"),
        ("imd_decile", "Not known", "Area not known"),
        ("sex", "U", "Sex not known"),
    ],
)
def test_intersections_show_both_labels(dimension, group, label):
    assert group_label(dimension, group) == label


def test_every_breakdown_is_spelled_right():
    assert dimension_label("borough x imd_quintile") == "Borough by IMD quintile"
    assert dimension_label("imd_quintile x age_band_broad") == "IMD quintile by age"
    for dimension in DIMENSIONS:
        assert not RAW.search(dimension_label(dimension)), dimension


def test_measures_keep_their_acronyms():
    assert measure_label("sii") == "Slope index of inequality (SII)"
    assert measure_label("idisw").endswith("(IDISW)")
    assert reference_label("imd_quintile", "5") == "Least deprived fifth"


def test_the_terminal_table_of_the_top_gaps_shows_no_raw_code():
    from focuson.console_tables import top_findings

    console = Console(width=250, record=True)
    console.print(top_findings(TOP, INDICATORS, width=250))
    text = console.export_text()
    assert "Black: African" in text and "Black: Caribbean" in text
    assert "Most deprived fifth, Black" in text
    assert "Brent, most deprived fifth" in text
    assert "age band broad" not in text and "IMD quintile by age" in text
    assert "Borough by IMD quintile" in text
    assert not re.search(r"\|\s*N\s*\|", text)  # a Group cell that is just the code
    assert " | Black" not in text and "1 | " not in text


def test_the_find_reports_ranked_table_shows_names_not_codes():
    from focuson.reports.find_report import _ranked_table

    info = {"rtt": {"title": "Waits", "unit": "%"}}
    html = _ranked_table(TOP, info, caption="Biggest gaps")
    cells = re.findall(r"<t[dh][^>]*>([^<]*)</t[dh]>", html)
    assert "Black: African" in cells and "Black: Caribbean" in cells
    assert "Most deprived fifth, Black" in cells
    assert "N" not in cells and "M" not in cells and "1 | Black" not in cells
    assert "Borough by IMD quintile" in cells


def test_monitoring_report_names_measures_and_groups_in_words():
    from focuson.reports.monitor_report import _about_words

    assert "(sii)" not in _about_words({"about": "sii", "group": "All"})
    assert "(SII)" in _about_words({"about": "sii", "group": "All"})
    words = _about_words({"about": "imd_quintile x ethnicity_6", "group": "1 | Black"})
    assert words == "IMD quintile by ethnicity: Most deprived fifth, Black"


def test_export_labels_intersections_and_ethnic_categories():
    from focuson.reports.export import labelled_findings

    table = labelled_findings(TOP, INDICATORS)
    assert table["Group"].tolist()[:3] == [
        "Black: African",
        "Black: Caribbean",
        "Most deprived fifth, Black",
    ]
    assert table["Compared with"].tolist()[-1] == "Least deprived fifth"
    for column in ("Breakdown", "Group", "Compared with"):
        assert not table[column].str.contains(r"_|\|").any(), column


def test_label_columns_sit_beside_their_codes_and_keep_them():
    gaps = pd.DataFrame(
        {
            "indicator": ["rtt", "rtt", "gone"],
            "period": ["2025-03"] * 3,
            "measure": ["sii", "ethnicity_difference", "q1_q5_ratio"],
            "group": ["All", "Black", "All"],
            "value": [1.0, 2.0, None],
        }
    )
    out = label_columns(gaps, INDICATORS)
    assert list(out.columns) == [
        "indicator",
        "indicator_title",
        "period",
        "measure",
        "measure_label",
        "group",
        "group_label",
        "value",
    ]
    assert out["indicator_title"].tolist() == [
        "Waits within 18 weeks",
        "Waits within 18 weeks",
        "gone",
    ]
    assert out["group_label"].tolist() == ["All", "Black", "All"]
    pd.testing.assert_frame_equal(out[gaps.columns.tolist()], gaps)
    # Labelling again replaces the labels rather than adding a second set.
    assert label_columns(out, INDICATORS).equals(out)


def test_series_label_each_row_by_its_dimension_or_its_measure():
    series = pd.DataFrame(
        {
            "indicator": ["rtt", "rtt"],
            "dimension": ["ethnicity_code", None],
            "group": ["N", "All"],
            "kind": ["level", "gap"],
            "measure": [None, "sii"],
        }
    )
    out = label_columns(series)
    assert out["group_label"].tolist() == ["Black: African", "All"]
    assert out["dimension_label"].tolist()[0] == "Ethnic category"
    assert out["dimension_label"].isna().tolist() == [False, True]
    assert out["measure_label"].tolist()[1] == "Slope index of inequality (SII)"
    assert out["indicator_title"].tolist() == ["rtt", "rtt"]  # no titles given: the id


def test_labelling_a_large_frame_is_vectorised():
    import time

    big = pd.concat([TOP] * 50_000, ignore_index=True)  # 300,000 rows
    start = time.perf_counter()
    out = label_columns(big, INDICATORS)
    assert time.perf_counter() - start < 5.0
    assert out["group_label"].iloc[-1] == "Most deprived fifth"


def test_alert_sentences_name_intersections_and_ethnic_categories():
    from focuson.monitor.alerts import group_words

    words = group_words(
        pd.Series(["imd_quintile x ethnicity_6", "ethnicity_code", "borough x imd_quintile"]),
        pd.Series(["1 | Black", "N", "Brent | 5"]),
    )
    assert words.tolist() == [
        "most deprived fifth, Black",
        "Black: African",
        "Brent, least deprived fifth",
    ]


def test_the_find_report_names_summary_measures_as_the_files_do():
    from focuson.reports.find_report import _render_gradients

    class Page:
        def __init__(self):
            self.parts = []

        def add(self, *parts):
            self.parts.extend(parts)

    gradients = pd.DataFrame(
        {
            "measure": ["sii", "rii", "bgv", "idisw"],
            "dimension": ["imd_decile", "imd_decile", "ethnicity_6", "borough"],
            "value": [1.0, 1.1, 2.0, 3.0],
            "lower": [0.5, float("nan"), 1.0, 2.0],
            "upper": [1.5, float("nan"), 3.0, 4.0],
            "method": [""] * 4,
        }
    )
    page = Page()
    _render_gradients(page, gradients, {"title": "Waits"})
    html = "".join(page.parts)
    for measure in gradients["measure"]:
        assert f">{measure_label(measure)}<" in html, measure


def test_the_monitoring_report_keeps_acronyms_where_a_series_is_missing():
    from focuson.monitor.alerts import ALERT_COLUMNS
    from focuson.monitor.spc import GAP_KEYS, LEVEL_KEYS, POINT_COLUMNS, SERIES_COLUMNS
    from focuson.reports.monitor_report import monitor_page

    def empty(*columns):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})

    tables = {
        "spc_levels": empty(*LEVEL_KEYS, *POINT_COLUMNS),
        "spc_gaps": empty(*GAP_KEYS, *POINT_COLUMNS),
        # one level series with no points: every chart of the indicator says it has none
        "series": pd.DataFrame(
            [
                {
                    **dict.fromkeys([*LEVEL_KEYS, *SERIES_COLUMNS, "measure"]),
                    "indicator": "rtt",
                    "kind": "level",
                    "dimension": "overall",
                    "group": "All",
                    "variation_icon": "common_cause",
                    "assurance_icon": "",
                    "latest_period": "2025-03",
                }
            ]
        ),
        "alerts": empty(*ALERT_COLUMNS),
        "indicators": pd.DataFrame(
            {"id": ["rtt"], "title": ["Waits"], "unit": ["%"], "target": [float("nan")]}
        ),
    }
    page = monitor_page(tables)
    assert "(SII)" in page
    assert "(sii)" not in page
