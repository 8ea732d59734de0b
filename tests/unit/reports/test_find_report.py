"""The Find report: self-contained, accessible HTML whose sentences carry the frame's numbers."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from focuson.reports import (
    finding_sentence,
    group_phrase,
    render_find_report,
    report_periods,
    top_gaps,
    write_find_report,
)

MANIFEST = {"code_version": "0.1.0", "catalogue": {"version": "2025-1"}, "seed": 1}


class _Outline(HTMLParser):
    """Collects what the accessibility checks need from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.headings: list[int] = []
        self.svgs: list[dict[str, str | None]] = []
        self.svg_titles = 0
        self.figures = 0
        self.figcaptions = 0
        self.images: list[dict[str, str | None]] = []
        self.tags: set[str] = set()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.html_lang: str | None = None
        self.li_texts: list[str] = []
        self._li: list[str] | None = None
        self._svg_depth = 0
        self._last_start = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        if a.get("id"):
            self.ids.append(a["id"])
        for key in ("href", "src", "xlink:href"):
            if a.get(key):
                self.links.append(str(a[key]))
        if tag == "html":
            self.html_lang = a.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "svg":
            if self._svg_depth == 0:
                self.svgs.append(a)
            self._svg_depth += 1
        if tag == "title" and self._svg_depth and self._last_start == "svg":
            self.svg_titles += 1
        if tag == "figure":
            self.figures += 1
        if tag == "figcaption":
            self.figcaptions += 1
        if tag == "img":
            self.images.append(a)
        if tag == "li":
            self._li = []
        self._last_start = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg_depth -= 1
        if tag == "li" and self._li is not None:
            self.li_texts.append("".join(self._li))
            self._li = None

    def handle_data(self, data: str) -> None:
        if self._li is not None:
            self._li.append(data)


def _outline(page: str) -> _Outline:
    parser = _Outline()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def page(frames) -> str:
    findings, gradients, indicators = frames
    return render_find_report(
        findings, gradients, indicators, title="Find: NWL test run", manifest=MANIFEST
    )


def test_report_is_english_html_with_one_h1_and_ordered_headings(page):
    outline = _outline(page)
    assert page.startswith("<!DOCTYPE html>")
    assert outline.html_lang == "en"
    assert outline.headings.count(1) == 1 and outline.headings[0] == 1
    jumps = np.diff(outline.headings)
    assert (jumps <= 1).all(), f"a heading level is skipped: {outline.headings}"


def test_report_every_chart_has_a_text_alternative_and_a_caption(page):
    outline = _outline(page)
    # 1 ranking + per indicator: deprivation, ethnicity, age, sex, funnel (none for the mean)
    assert len(outline.svgs) == 1 + 4 * 5 - 1
    for svg in outline.svgs:
        assert svg.get("role") == "img"
        assert svg.get("aria-label") and len(str(svg["aria-label"])) > 40
    assert outline.svg_titles == len(outline.svgs)
    assert outline.figures == outline.figcaptions == len(outline.svgs)
    assert all(img.get("alt") for img in outline.images)


def test_report_loads_nothing_from_outside(page):
    outline = _outline(page)
    assert "http://" not in page and "https://" not in page
    assert not ({"script", "link", "iframe", "object", "embed"} & outline.tags)
    assert all(link.startswith("#") for link in outline.links), outline.links
    assert "@import" not in page and "url(" not in page.split("</style>")[0]


def test_report_ids_are_unique_and_chart_references_resolve(page):
    outline = _outline(page)
    assert len(outline.ids) == len(set(outline.ids))
    for ref in re.findall(r"url\(#([^)]+)\)", page):
        assert ref in outline.ids
    for link in outline.links:
        assert link[1:] in outline.ids


def test_report_top_findings_are_ranked_by_excess_with_the_planted_sentence_first(page):
    outline = _outline(page)
    top_section = page.split('id="top-gaps"')[1].split("</section>")[0]
    # the sentences follow the ten one-line headlines
    sentences = _outline(top_section.split('<ol class="findings">')[1]).li_texts
    assert len(sentences) == 10
    first = sentences[0]
    assert first.startswith("In the most deprived fifth of areas, RTT pathways within 18 weeks")
    for number in (
        "50.2%",
        "95% CI 48.1 to 52.3",
        "15.1 percentage points below",
        "least deprived fifth of areas (65.3%)",
        "about 12,340 more people",
    ):
        assert number in first, number
    assert "41.8 percentage points short of the constitutional standard (92%)" in first
    assert "14.8 percentage points short of the operational target (65%)" in first
    assert outline.headings.count(2) >= 4


def test_report_never_shows_a_suppressed_cells_numbers(page):
    # Outside the charts (SVG path coordinates are digits too), and in the charts' own text.
    prose = re.sub(r"<svg\b.*?</svg>", "", page, flags=re.S)
    chart_text = " ".join(
        re.findall(r">([^<]+)</text>", page) + re.findall(r'aria-label="([^"]*)"', page)
    )
    for number in ("77.7", "77.8", "71.1", "83.3", "98,765", "98765"):
        assert number not in prose and number not in chart_text
    rtt = page.split('id="indicator-rtt-18w"')[1].split("</section>")[0]
    ethnicity = rtt.split("By ethnicity")[1].split("<h3>")[0]
    row = re.search(r'<tr><th scope="row">Mixed</th>.*?</tr>', ethnicity)
    assert row is not None and "suppressed" in row.group(0)
    assert not re.search(r"\d", row.group(0).replace("scope", ""))


def test_report_shows_only_the_latest_period_by_default(frames, page):
    findings, gradients, indicators = frames
    # "About this run" names every month the run read; the findings show the latest only.
    findings_part = page.split('id="about-run"')[0]
    # the earlier month is named only to say how a gap moved since
    findings_part = re.sub(
        r"(wider than|narrower than|about the same as) in 2024-02", "", findings_part
    )
    assert "Period: 2024-03" in page and "2024-02" not in findings_part
    rtt = findings["indicator"] == "rtt_18w"
    older = render_find_report(findings[rtt], gradients, indicators, period="2024-02")
    assert "Period: 2024-02" in older and "Period: 2024-03" not in older
    assert "about 12,340 more people" not in older


def test_report_lists_the_manifest(page):
    about = page.split('id="about-run"')[1]
    assert "code_version" in about and "0.1.0" in about
    assert "&quot;version&quot;: &quot;2025-1&quot;" in about


def test_report_can_rank_gaps_over_every_period(frames):
    findings, gradients, indicators = frames
    rtt = findings.loc[findings["indicator"] == "rtt_18w"]
    page = render_find_report(rtt, gradients, indicators, rank_all_periods=True)
    top = page.split('id="top-gaps"')[1].split("</section>")[0]
    sentences = _outline(top.split('<ol class="findings">')[1]).li_texts
    expected = top_gaps(rtt, 10, period=None)
    assert [s.split(":")[0] for s in sentences] == expected["period"].tolist()
    # each gap once (its latest significant month), never the same gap month after month
    assert not expected.duplicated(["indicator", "dimension", "group"]).any()
    assert "Period: 2024-02" not in page  # the sections still show the latest month


def test_report_says_when_nothing_is_significantly_worse(frames):
    findings, gradients, indicators = frames
    calm = findings.loc[findings["indicator"] == "rtt_18w"].assign(
        significant=False, direction="similar"
    )
    page = render_find_report(calm, gradients, indicators)
    top = page.split('id="top-gaps"')[1].split("</section>")[0]
    assert "No group did significantly worse" in top and "<svg" not in top


def test_the_heading_counts_the_gaps_found_when_fewer_than_ten(frames):
    findings, gradients, indicators = frames
    rtt = findings.loc[findings["indicator"] == "rtt_18w"]
    latest = rtt["period"].max()
    worse = rtt.index[(rtt["period"] == latest) & rtt["significant"].astype(bool)]
    few = rtt.copy()
    few.loc[worse[3:], ["significant", "direction"]] = [False, "similar"]
    page = render_find_report(few, gradients, indicators)
    heading = page.split('<h2 id="top-gaps">')[1].split("</h2>")[0]
    found = len(top_gaps(few, 10, period="latest"))
    assert 0 < found < 10
    assert heading == (f"The {found} gaps found" if found > 1 else "The one gap found")
    assert "10 biggest" not in page


def test_report_handles_missing_breakdowns_and_unknown_indicators(frames):
    findings, gradients, indicators = frames
    only = findings.loc[findings["dimension"].isin(["overall", "sex"])]
    page = render_find_report(only, gradients.iloc[0:0], indicators.iloc[:1])
    outline = _outline(page)
    assert "No breakdown by deprivation" in page and "No breakdown by borough" in page
    assert "bp_mean" in page  # not in the INDICATORS frame given: titled by its id
    assert len(outline.svgs) == outline.figures


def test_write_find_report_writes_the_same_page_every_time(frames, page, tmp_path):
    findings, gradients, indicators = frames
    out = write_find_report(
        findings,
        gradients,
        indicators,
        tmp_path / "run" / "find.html",
        title="Find: NWL test run",
        manifest=MANIFEST,
    )
    assert out.read_text(encoding="utf-8") == page


def test_top_gaps_keeps_significant_worse_published_rows_by_excess(frames):
    findings, *_ = frames
    latest = findings.loc[findings["period"] == "2024-03"]
    top = top_gaps(latest, 10)
    assert len(top) == 10
    assert top["significant"].all() and (top["direction"] == "worse").all()
    assert not top["suppressed"].any()
    assert top["excess"].is_monotonic_decreasing
    candidates = latest.loc[
        latest["significant"] & (latest["direction"] == "worse") & ~latest["suppressed"]
    ]
    assert top["excess"].iloc[-1] == candidates["excess"].nlargest(10).iloc[-1]


def test_report_periods_default_to_each_indicators_latest():
    f = pd.DataFrame({"indicator": ["a", "a", "b"], "period": ["2024-01", "2024-03", "2023-12"]})
    assert report_periods(f) == {"a": "2024-03", "b": "2023-12"}
    assert report_periods(f, "2024-01") == {"a": "2024-01", "b": "2024-01"}


RTT = {
    "id": "rtt_18w",
    "title": "RTT pathways within 18 weeks",
    "unit": "%",
    "polarity": "higher_is_better",
    "standard": 92.0,
    "target": np.nan,
}
AE = {
    "id": "ae_12h",
    "title": "A&E stays over 12 hours",
    "unit": "per 100,000",
    "polarity": "lower_is_better",
    "standard": np.nan,
    "target": np.nan,
}


def test_finding_sentence_for_a_lower_is_better_rate_in_a_borough():
    row = {
        "dimension": "borough",
        "group": "Brent",
        "reference_group": "everyone else",
        "value": 1234.56,
        "lower": 1200.0,
        "upper": 1270.0,
        "reference_value": 1000.0,
        "difference": 234.56,
        "excess": 415.0,
        "suppressed": False,
    }
    text = finding_sentence(row, AE)
    assert text == (
        "In Brent, A&E stays over 12 hours was 1,234.6 per 100,000 (95% CI 1,200.0 to 1,270.0), "
        "234.6 per 100,000 above everyone else (1,000.0 per 100,000); about 415 more people had "
        "this outcome than would have at that rate."
    )


def test_finding_sentence_uses_the_indicators_own_excess_phrase(planted):
    row = {**planted, "suppressed": False}
    text = finding_sentence(row, {**RTT, "excess_phrase": "waited longer"})
    assert "about 12,340 more people waited longer than would have at that rate" in text


def test_finding_sentence_for_a_suppressed_cell_has_no_numbers(secret):
    text = finding_sentence({**secret, "suppressed": True}, RTT)
    assert text == (
        "Among people recorded as Mixed, RTT pathways within 18 weeks is suppressed to protect "
        "privacy."
    )
    assert not re.search(r"\d", text.replace("18 weeks", ""))


def test_finding_sentence_without_reference_or_excess_says_only_the_value():
    row = {
        "dimension": "sex",
        "group": "F",
        "value": 95.0,
        "lower": np.nan,
        "upper": np.nan,
        "reference_value": np.nan,
        "difference": np.nan,
        "excess": 0.0,
        "suppressed": False,
    }
    assert finding_sentence(row, RTT) == "Among females, RTT pathways within 18 weeks was 95.0%."


@pytest.mark.parametrize(
    ("dimension", "group", "expected"),
    [
        ("imd_decile", "1", "In the most deprived tenth of areas"),
        ("imd_decile", "3", "In the third most deprived tenth of areas"),
        ("imd_decile", "9", "In the second least deprived tenth of areas"),
        ("imd_quintile", "3", "In the middle fifth of areas"),
        ("imd_quintile", "4", "In the second least deprived fifth of areas"),
        ("age_band_5y", "40-44", "Among people aged 40-44"),
        (
            "ethnicity_6",
            "Not stated / not known",
            "Among people whose ethnicity was not stated or not known",
        ),
        ("sex", "U", "Among people whose sex was not known"),
        ("borough x imd_quintile", "Brent | 1", "In the most deprived fifth of areas in Brent"),
        (
            "imd_quintile x age_band_broad",
            "5 | 65+",
            "Among people aged 65+ in the least deprived fifth of areas",
        ),
    ],
)
def test_group_phrase(dimension, group, expected):
    assert group_phrase(dimension, group) == expected


def test_a_missing_suppressed_flag_hides_the_numbers(frames):
    findings, gradients, indicators = frames
    rtt = findings.loc[findings["indicator"] == "rtt_18w"].astype({"suppressed": object})
    at = (rtt["dimension"] == "sex") & (rtt["group"] == "U") & (rtt["period"] == "2024-03")
    rtt.loc[at, ["suppressed", "value", "significant", "excess"]] = [None, 77.7, True, 99_990.0]
    page = render_find_report(rtt, gradients, indicators.iloc[:1])
    assert "77.7" not in re.sub(r"<svg\b.*?</svg>", "", page, flags=re.S)
    assert "99,990" not in page
    row = re.search(r'<tr><th scope="row">Sex not known</th>.*?</tr>', page)
    assert row is not None and "suppressed" in row.group(0)
