"""What a programme lead sees first, on a phone and on paper: the ten gaps at the top, each
indicator's detail collapsed below, tables and charts that scroll by keyboard, "About this run" in
words, a banner for synthetic data, a sentence for an all-suppressed breakdown, a print sheet."""

from __future__ import annotations

import re

from focuson.reports import render_find_report
from focuson.reports._html import readable_chart

SYNTHETIC = {
    "dataset": {"name": "Synthetic North West London (scale 0.01, seed 1)"},
    "engine": {"name": "duckdb", "url": None},
    "focuson_version": "9.8.7",
    "catalogue": {"file": "focuson default catalogue", "sha256": None, "indicators": ["a", "b"]},
    "inputs": {"mapping": "/nowhere/focuson.toml", "rows": {"persons": 1000, "rtt": 2345}},
}


def _find(frames, manifest=None, findings=None) -> str:
    f, gradients, indicators = frames
    return render_find_report(f if findings is None else findings, gradients, indicators,
                              manifest=manifest)  # fmt: skip


def test_the_ten_gaps_come_before_everything_else(frames):
    page = _find(frames)
    body = page.split("<main>")[1]
    first_section = body.split("<section")[1]
    assert 'id="top-gaps"' in first_section
    # One line per gap straight after the heading: no chart, table or long sentence before.
    top = first_section.split("</h2>", 1)[1]
    assert top.lstrip().startswith('<ol class="headlines">')
    assert top.index('<ol class="headlines">') < top.index('<ol class="findings">')
    assert top.index('<ol class="findings">') < top.index("<figure")
    assert body.index('id="top-gaps"') < body.index('<nav aria-label="Contents">')
    assert len(re.findall(r"<li>", top.split("</ol>")[0])) == 10


def test_each_indicator_detail_is_collapsed_below(frames):
    page = _find(frames)
    sections = page.split('<section aria-labelledby="indicator-')[1:]
    assert len(sections) == 4
    for section in sections:
        section = section.split("</section>")[0]
        assert '<details class="detail"><summary>' in section
        # Every chart and table of the indicator sits inside the collapsed details.
        before = section.split("<details")[0]
        assert "<figure" not in before and "<table" not in before


def test_tables_and_charts_are_keyboard_scrollable_regions(frames):
    page = _find(frames)
    wraps = re.findall(r'<div class="table-wrap"[^>]*>', page)
    assert wraps and all(
        'tabindex="0"' in w and 'role="region"' in w and 'aria-label="' in w for w in wraps
    )
    charts = re.findall(r'<div class="chart-wrap"[^>]*>\s*<svg[^>]*>', page)
    assert len(charts) == page.count("<figure")
    assert all('tabindex="0"' in c and "min-width" in c for c in charts)


def test_a_chart_never_shrinks_its_text_under_11_px():
    svg = '<svg width="880" height="10"><text font-size="12px">a</text><text font-size="16px"/>'
    wide = readable_chart(svg + "</svg>", 1)
    assert 'style="min-width: 808px"' in wide  # 880 x 11 / 12, rounded up, plus one
    small = readable_chart('<svg width="100"><text font-size="10px">b</text></svg>', 2)
    assert 'style="min-width: 100px"' in small  # text already small: never shrink


def test_about_this_run_is_in_words_with_the_raw_manifest_one_click_away(frames):
    page = _find(frames, SYNTHETIC)
    about = page.split('id="about-run"')[1].split("</section>")[0]
    words = about.split("<details")[0]
    assert "Data: Synthetic North West London (scale 0.01, seed 1)" in words
    assert "2 tables, 3,345 rows in all" in words
    assert "Months: 2024-02 to 2024-03 (2 in all)." in words
    assert "Indicator catalogue: focuson default catalogue, 2 indicators." in words
    assert "Counted by the DuckDB engine." in words
    assert "Code: focuson version 9.8.7." in words
    assert '<details class="raw"><summary>' in about and "<dt>inputs</dt>" in about


def test_a_banner_says_when_the_data_are_synthetic(frames, tmp_path):
    page = _find(frames, SYNTHETIC)
    header = page.split("</header>")[0]
    assert 'class="banner"' in header and "Synthetic data" in header
    real = {**SYNTHETIC, "dataset": {"name": "NWL extract 2025-03"}}
    assert 'class="banner"' not in _find(frames, real)
    # focuson synth marks its folder: a manifest.json whose generator is focuson.data.synthetic
    (tmp_path / "manifest.json").write_text('{"generator": "focuson.data.synthetic"}')
    marked = {"inputs": {"mapping": str(tmp_path / "focuson.toml")}}
    assert 'class="banner"' in _find(frames, marked)


def test_an_all_suppressed_breakdown_is_a_sentence_not_an_empty_chart(frames):
    findings = frames[0].copy()
    hide = (findings["indicator"] == "rtt_18w") & (findings["dimension"] == "sex")
    findings.loc[hide, "suppressed"] = True
    page = _find(frames, findings=findings)
    rtt = page.split('id="indicator-rtt-18w"')[1].split("</section>")[0]
    by_sex = rtt.split("<h3>By sex</h3>")[1].split("<h3>")[0]
    assert "Every sex cell of this breakdown is suppressed" in by_sex
    assert "<figure" not in by_sex and "<table" not in by_sex


def test_funnel_outliers_are_named_on_the_chart(frames):
    findings = frames[0].copy()
    at = (
        (findings["indicator"] == "rtt_18w")
        & (findings["dimension"] == "borough")
        & (findings["group"] == "Brent")
    )
    findings.loc[at, "value"] = 5.0
    findings.loc[at, "numerator"] = findings.loc[at, "denominator"] * 0.05
    page = _find(frames, findings=findings)
    funnel = page.split('id="indicator-rtt-18w"')[1].split("<h3>Boroughs</h3>")[1]
    chart = funnel.split("</svg>")[0]
    assert re.search(r"<text[^>]*>Brent</text>", chart)
    # every point is named (its title shows on hover), in the order Vega drew them
    titles = re.findall(r"<path\b[^>]*><title>([^<]*)</title></path>", chart)
    assert sorted(t.split(":")[0] for t in titles) == sorted(
        ["Brent", "Ealing", "Harrow", "Hounslow", "Hillingdon", "Westminster"]
    )
    brent = next(t for t in titles if t.startswith("Brent"))
    assert brent.startswith("Brent: 5.0%, ") and "within" not in brent.lower()
    # the point named Brent is the one drawn lowest (largest y): 5% is far below the rest
    points = re.findall(r"<path\b[^>]*translate\(([0-9.]+),([0-9.]+)\)[^>]*><title>([^<]*)<", chart)
    lowest = max(points, key=lambda p: float(p[1]))
    assert lowest[2] == brent


def test_a_print_stylesheet_keeps_the_summary_and_drops_the_detail(frames):
    page = _find(frames)
    css = page.split("<style>")[1].split("</style>")[0]
    printed = css.split("@media print")[1]
    assert "details.detail" in printed and "nav" in printed and "display: none" in printed
