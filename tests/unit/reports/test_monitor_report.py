"""The monitoring report: self-contained, accessible HTML; alerts first and linked to charts."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from focuson.monitor.alerts import chart_anchor
from focuson.reports import write_find_report
from focuson.reports.monitor_report import latest_alerts, monitor_page, render_monitor_report
from focuson.runs.monitor import MonitorRun, monitor_aggregates

MONTHS = [f"{2023 + m // 12}-{m % 12 + 1:02d}" for m in range(24)]
ETHNIC = ["Asian", "Black", "Mixed", "White", "Other"]
IND = pd.DataFrame(
    {
        "id": ["up", "wait"],
        "title": ["Screening uptake", "Waits over 6 weeks"],
        "statistic": ["proportion", "proportion"],
        "multiplier": [100.0, 100.0],
        "polarity": ["higher_is_better", "lower_is_better"],
        "standard": [np.nan, np.nan],
        "target": [55.0, np.nan],
        "unit": ["%", "%"],
    }
)


def _rows(indicator: str, dimension: str, group: str, p: np.ndarray, n: float) -> pd.DataFrame:
    return pd.DataFrame({"indicator": indicator, "period": MONTHS, "dimension": dimension,
                         "group": group, "band": -1, "numerator": np.round(p * n),
                         "denominator": n})  # fmt: skip


def _aggregates() -> pd.DataFrame:
    """``up``: the most deprived fifth and Black people fall behind in the last 8 months, Mixed
    in the last; ``wait``: stable."""
    rng = np.random.default_rng(2024)
    parts = []
    for ind, base in (("up", 0.6), ("wait", 0.2)):
        drop = np.r_[np.zeros(16), np.full(8, 0.15 if ind == "up" else 0.0)]
        last = np.r_[np.zeros(23), 0.15 if ind == "up" else 0.0]
        quint = [base + rng.normal(0, 0.01, 24) - drop * (q == 0) + 0.02 * q for q in range(5)]
        for q in range(5):
            parts.append(_rows(ind, "imd_quintile", str(q + 1), quint[q], 2000.0))
            for d in (2 * q + 1, 2 * q + 2):
                parts.append(_rows(ind, "imd_decile", str(d), quint[q], 1000.0))
        parts.append(_rows(ind, "overall", "All", sum(quint) / 5, 10000.0))
        for g in ETHNIC:
            fall = drop * (g == "Black") + last * (g == "Mixed")
            p = base + rng.normal(0, 0.01, 24) + 0.04 - fall
            parts.append(_rows(ind, "ethnicity_6", g, p, 2000.0))
    return pd.concat(parts, ignore_index=True)


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.ids: list[str] = []
        self.links: list[str] = []
        self.svgs: list[dict[str, str | None]] = []
        self.svg_titles = 0
        self.figures: list[str] = []
        self.figcaptions = 0
        self.html_lang: str | None = None
        self.tags: set[str] = set()
        self._heading: list[str] | None = None
        self._depth = 0
        self._last = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        for key in ("href", "src", "xlink:href"):
            if a.get(key):
                self.links.append(str(a[key]))
        if tag == "html":
            self.html_lang = a.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [tag]
        if tag == "svg":
            if self._depth == 0:
                self.svgs.append(a)
            self._depth += 1
        if tag == "figure":
            self.figures.append(str(a.get("id")))
        if tag == "figcaption":
            self.figcaptions += 1
        self._last = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._depth -= 1
        if self._heading is not None and tag == self._heading[0]:
            self.headings.append((int(tag[1]), "".join(self._heading[1:])))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        if self._last == "title" and self._depth:
            self.svg_titles += 1
            self._last = ""


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("monitor_report")
    run = monitor_aggregates(_aggregates(), IND, out)
    assert run.report is not None
    text = run.report.read_text(encoding="utf-8")
    outline = _Outline()
    outline.feed(text)
    return {"out": out, "run": run, "text": text, "outline": outline}


def test_report_is_written_into_the_monitor_folder(results: dict[str, Any]) -> None:
    run: MonitorRun = results["run"]
    assert run.report == results["out"] / "monitor" / "monitor.html"
    assert run.files["report"] == run.report


def test_report_is_english_html_with_one_h1_and_ordered_headings(results: dict[str, Any]) -> None:
    o: _Outline = results["outline"]
    assert results["text"].startswith("<!DOCTYPE html>") and o.html_lang == "en"
    levels = [level for level, _ in o.headings]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    names = [name for level, name in o.headings if level == 2]
    assert names[:3] == ["Alerts", "Screening uptake", "Waits over 6 weeks"]
    assert names[-1] == "About this run"
    h3 = [name for level, name in o.headings if level == 3]
    assert h3[:3] == ["Overall level", "Deprivation gap", "By ethnic group"]


def test_every_chart_has_a_text_alternative_and_a_caption(results: dict[str, Any]) -> None:
    o: _Outline = results["outline"]
    charts = [s for s in o.svgs if s.get("class") != "spc-badge"]
    assert len(charts) == len(o.figures) == o.figcaptions >= 8
    for svg in o.svgs:
        assert svg.get("role") == "img" and len(svg.get("aria-label") or "") > 20
    assert o.svg_titles >= len(o.svgs)
    labels = [str(s["aria-label"]) for s in charts]
    assert all("Variation" in t or "variation" in t for t in labels)


def test_report_loads_nothing_from_outside(results: dict[str, Any]) -> None:
    o: _Outline = results["outline"]
    text = results["text"]
    assert not {"script", "img", "link", "iframe", "object"} & o.tags
    assert "http://" not in text and "https://" not in text and "url(http" not in text
    assert all(link.startswith("#") for link in o.links), o.links


def test_ids_are_unique_and_every_alert_links_to_its_chart(results: dict[str, Any]) -> None:
    o: _Outline = results["outline"]
    assert len(o.ids) == len(set(o.ids))
    assert all(link[1:] in o.ids for link in o.links)
    run: MonitorRun = results["run"]
    assert len(run.latest_alerts) >= 3
    for link in run.latest_alerts["chart"]:
        file, anchor = link.split("#")
        assert file == "monitor.html" and anchor in o.figures, anchor


def test_alerts_come_first_ordered_by_people(results: dict[str, Any]) -> None:
    text: str = results["text"]
    run: MonitorRun = results["run"]
    section = text[text.index('id="alerts"') : text.index('id="indicator-up"')]
    sentences = run.latest_alerts.sort_values("people", ascending=False, kind="mergesort")
    positions = [section.index(s.replace("'", "&#x27;")) for s in sentences["sentence"]]
    assert positions == sorted(positions)
    kinds = set(run.latest_alerts["kind"])
    assert {"widens", "new_inequality"} <= kinds
    black = chart_anchor("up", "ethnicity_difference", "Black")
    assert f'href="#{black}"' in section and f'<figure id="{black}">' in text


def test_level_charts_carry_the_target_and_both_badges(results: dict[str, Any]) -> None:
    text: str = results["text"]
    start = text.index(f'<figure id="{chart_anchor("up", "overall", "All")}">')
    figure = text[start : text.index("</figure>", start)]
    assert ">Target<" in figure and "The target is 55.0%" in figure
    assert figure.count('class="spc-badge"') == 2 and "Assurance:" in figure
    wait = text.index(f'<figure id="{chart_anchor("wait", "overall", "All")}">')
    assert "No assurance: no target" in text[wait : text.index("</figure>", wait)]


def test_every_chart_has_its_numbers_in_a_table(results: dict[str, Any]) -> None:
    text: str = results["text"]
    assert text.count("<details><summary>The numbers</summary>") == text.count("<figure ")
    assert '<th scope="col">Lower limit</th>' in text


def test_reports_link_to_each_other_when_both_exist(
    results: dict[str, Any], tmp_path: Path
) -> None:
    out: Path = results["out"]
    empty = pd.DataFrame(columns=["indicator", "period", "dimension", "group", "value"])
    find = write_find_report(empty, pd.DataFrame(columns=["indicator", "measure"]), IND,
                             out / "report.html")  # fmt: skip
    assert 'href="monitor/monitor.html"' in find.read_text(encoding="utf-8")
    page = render_monitor_report(out).read_text(encoding="utf-8")
    assert 'href="../report.html"' in page
    lonely = write_find_report(empty, pd.DataFrame(columns=["indicator", "measure"]), IND,
                               tmp_path / "report.html")  # fmt: skip
    assert "monitor.html" not in lonely.read_text(encoding="utf-8")


def test_render_needs_a_monitoring_history(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no monitoring history"):
        render_monitor_report(tmp_path)


def test_latest_alerts_keep_each_indicators_latest_month_only() -> None:
    a = pd.DataFrame({"kind": ["widens", "closes", "new_inequality"], "indicator": ["x", "x", "y"],
                      "about": "sii", "group": "All", "period": ["2024-01", "2024-02", "2024-01"],
                      "people": [900.0, np.nan, 20.0]})  # fmt: skip
    s = pd.DataFrame({"indicator": ["x", "y"], "latest_period": ["2024-02", "2024-01"]})
    assert latest_alerts(a, s)["kind"].tolist() == ["new_inequality", "closes"]


def test_each_indicators_charts_are_collapsed_below_the_alerts(results: dict[str, Any]) -> None:
    text: str = results["text"]
    body = text.split("<main>")[1]
    assert body.index('id="alerts"') < body.index('<nav aria-label="Contents">')
    section = text.split('id="indicator-up"')[1].split("</section>")[0]
    assert '<details class="detail"><summary>' in section
    assert "<figure" not in section.split("<details")[0]


def test_synthetic_history_gets_a_banner_and_about_this_run_in_words(
    results: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "results"
    shutil.copytree(results["out"], out)
    manifest_file = out / "monitor" / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["dataset"] = {"name": "Synthetic North West London (scale 0.01, seed 1)"}
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    text = render_monitor_report(out).read_text(encoding="utf-8")
    assert 'class="banner"' in text.split("</header>")[0]
    about = text.split('id="about-run"')[1].split("</section>")[0]
    assert "Data: Synthetic North West London (scale 0.01, seed 1)" in about
    assert '<details class="raw">' in about
    assert 'class="banner"' not in results["text"]


def test_a_series_with_every_month_withheld_is_a_sentence_not_an_empty_chart(
    results: dict[str, Any],
) -> None:
    where = results["out"] / "monitor"
    names = ("spc_levels", "spc_gaps", "series", "alerts", "indicators")
    tables = {name: pd.read_parquet(where / f"{name}.parquet") for name in names}
    levels = tables["spc_levels"].copy()
    overall = (levels["indicator"] == "up") & (levels["dimension"] == "overall")
    assert overall.any()
    levels.loc[overall, ["value", "mean", "lower", "upper"]] = np.nan
    text = monitor_page({**tables, "spc_levels": levels})
    section = text.split('id="indicator-up"')[1].split("</section>")[0]
    overall_part = section.split("<h3>Overall level</h3>")[1].split("<h3>")[0]
    assert "series is withheld to protect privacy" in overall_part
    assert "<figure" not in overall_part
