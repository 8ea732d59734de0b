"""The one-page Study card from hand-made published level series (``focuson study``).

One Study per module (two small series sets, fitted once): a rise overall while the gap widens
(the red flag), and the same with suppressed months in the gap groups.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from focuson.reports.study_card import CARD_FILE, write_study_card
from focuson.runs.study import run_study

MONTHS = [str(p) for p in pd.period_range("2022-01", "2024-12", freq="M")]
PLAN = """
title: Text reminders in X
outcome: {indicator: uptake, better: higher}
unit: {dimension: borough, group: X}
gap: {by: imd_quintile, most: 1, least: 5}
smallest_worthwhile_change: {overall: 2.0, gap: 2.0}
design: its
windows:
  pre: {start: 2022-01, end: 2023-12}
  transition: {start: 2024-01, end: 2024-02}
  post: {start: 2024-03, end: 2024-12}
model: {family: binomial, impact: level, fourier_pairs: 1}
concurrent_events:
  - {month: 2024-06, description: national screening campaign}
"""
#: Before and after proportions: the unit rises 8 points, the least deprived 10, the most 0.
SERIES = {
    ("borough", "X"): (0.50, 0.58),
    ("borough x imd_quintile", "X | 1"): (0.45, 0.45),
    ("borough x imd_quintile", "X | 5"): (0.60, 0.70),
}


def _levels(folder: Path, hide: dict[str, list[str]] | None = None) -> Path:
    rng = np.random.default_rng(7)
    post = np.array([m >= "2024-01" for m in MONTHS])
    frames = []
    for (dimension, group), (before, after) in SERIES.items():
        den = np.full(len(MONTHS), 3000.0)
        num = rng.binomial(3000, np.where(post, after, before)).astype(float)
        frame = pd.DataFrame(
            {
                "indicator": "uptake",
                "indicator_title": "Cervical screening uptake",
                "period": MONTHS,
                "dimension": dimension,
                "group": group,
                "numerator": num,
                "denominator": den,
                "value": 100 * num / den,
                "suppressed": False,
            }
        )
        gone = frame["period"].isin((hide or {}).get(group, []))
        frame.loc[gone, ["numerator", "denominator", "value"]] = np.nan
        frame.loc[gone, "suppressed"] = True
        frames.append(frame)
    (folder / "monitor").mkdir(parents=True)
    pd.concat(frames).to_parquet(folder / "monitor" / "levels.parquet")
    return folder


def _study(base: Path, hide: dict[str, list[str]] | None = None) -> Path:
    base.mkdir(parents=True, exist_ok=True)
    (base / "plan.yaml").write_text(PLAN, encoding="utf-8")
    run_study(base / "plan.yaml", base / "study", levels=_levels(base / "r", hide))
    return base / "study"


@pytest.fixture(scope="module")
def red(tmp_path_factory) -> Path:
    return _study(tmp_path_factory.mktemp("red"))


@pytest.fixture(scope="module")
def gaps(tmp_path_factory) -> Path:
    hidden = {"X | 1": ["2022-03", "2023-07", "2024-05"]}
    return _study(tmp_path_factory.mktemp("gaps"), hidden)


def _text(html: str) -> str:
    """The page's words: tags and the inline SVG out, spaces squeezed."""
    body = re.sub(r"<svg\b.*?</svg>", " ", html, flags=re.S)
    body = re.sub(r"<style>.*?</style>", " ", body, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_the_card_is_written_and_listed_in_the_manifest(red):
    card = red / CARD_FILE
    assert card.is_file()
    manifest = json.loads((red / "manifest.json").read_text(encoding="utf-8"))
    assert {"card.html", "series.parquet", "checks.parquet"} <= set(manifest["outputs"])
    assert manifest["outputs"]["card.html"]["bytes"] == card.stat().st_size
    html = card.read_text(encoding="utf-8")
    # Self-contained: nothing fetched, no script.
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert not re.search(r'\b(src|href)="(?!#)', html)


def test_each_section_is_there_in_plain_words(red):
    html = (red / CARD_FILE).read_text(encoding="utf-8")
    text = _text(html)
    for heading in ("Verdict", "Overall effect", "Effect on the gap", "Question and design",
                    "Checks", "What this test can detect"):  # fmt: skip
        assert f">{heading}</h2>" in html, heading
    assert "Did cervical screening uptake in X change after March 2024" in text
    assert "most deprived fifth and the least deprived fifth narrow?" in text
    assert "Single-group interrupted time series (segmented regression)" in text
    assert "January 2022 to December 2023 (24 months)" in text
    assert "January 2024 to February 2024 (2 months)" in text  # the transition, left out
    assert "June 2024: national screening campaign" in text
    power = json.loads((red / "manifest.json").read_text(encoding="utf-8"))["power"]
    assert power in text and power.startswith("This test can detect")
    # Labels, never codes: no "imd_quintile", no "X | 1".
    assert "imd_quintile" not in text and "X | 1" not in text


def test_the_frozen_plan_is_named_by_its_hash_and_time(red):
    text = _text((red / CARD_FILE).read_text(encoding="utf-8"))
    record = json.loads((red / "plan.json").read_text(encoding="utf-8"))
    v = record["versions"][0]
    assert f"SHA-256 {v['sha256'][:12]}" in text
    assert "version 1, frozen " in text
    assert "The plan was not changed after it was frozen." in text


def test_the_verdict_sentences_are_those_of_verdict_parquet(red):
    text = _text((red / CARD_FILE).read_text(encoding="utf-8"))
    verdict = pd.read_parquet(red / "verdict.parquet").set_index("estimand")
    for estimand in ("overall", "gap"):
        assert verdict.loc[estimand, "sentence"] in text
    assert verdict.loc["overall", "flag"] == "red"
    assert "Red flag: overall better, but the gap widened." in text


@pytest.mark.parametrize(
    ("flag", "shown"),
    [
        ("none", ()),
        ("amber", ("Amber: we cannot tell whether inequality changed.",)),
        ("red", ("Red flag: overall better, but the gap widened.",)),
    ],
)
def test_the_flag_shown_is_the_flag_of_verdict_parquet(gaps, tmp_path, flag, shown):
    folder = tmp_path / flag
    folder.mkdir()
    for name in ("effects.parquet", "series.parquet", "checks.parquet", "plan.json"):
        (folder / name).write_bytes((gaps / name).read_bytes())
    verdict = pd.read_parquet(gaps / "verdict.parquet")
    verdict["flag"] = flag  # forced: the card reads the flag, it does not work it out again
    verdict.to_parquet(folder / "verdict.parquet")
    html = write_study_card(folder).read_text(encoding="utf-8")
    text = _text(html)
    for line in shown:
        assert line in text
    for other in ("Red flag", "Amber"):
        if not any(other in line for line in shown):
            assert other not in text
    assert f'class="verdict flag-{flag}"' in html


def test_the_charts_are_inline_svg_with_text_alternatives(red):
    html = (red / CARD_FILE).read_text(encoding="utf-8")
    for figure in ("counterfactual", "forest"):
        part = html.split(f'<figure id="{figure}">')[1].split("</figure>")[0]
        assert "<svg" in part and 'role="img"' in part and "aria-label=" in part
    counterfactual = html.split('<figure id="counterfactual">')[1].split("</figure>")[0]
    assert "Expected without the change" in counterfactual  # the legend
    assert "Change starts" in counterfactual
    forest = html.split('<figure id="forest">')[1].split("</figure>")[0]
    for row in ("X (everyone)", "Most deprived fifth", "Least deprived fifth", "The gap"):
        assert row in forest, row


def test_the_gap_groups_series_are_charted_with_their_expected_lines(red, gaps):
    html = (red / CARD_FILE).read_text(encoding="utf-8")
    groups = html.split('<figure id="groups">')[1].split("</figure>")[0]
    assert "<svg" in groups and 'role="img"' in groups
    # One chart per gap group, most deprived first, each with its expected line (the legend).
    assert groups.index("Most deprived fifth") < groups.index("Least deprived fifth")
    assert "Expected without the change" in groups
    series = pd.read_parquet(red / "series.parquet").set_index(["series", "month"])
    least = series.loc["least"]
    post = least.loc[least["phase"] == "post"]
    # The text alternative gives each group's mean after the change, observed and expected.
    label = re.search(r'role="img" aria-label="([^"]*)"', groups)
    assert label is not None
    assert (
        f"Least deprived fifth by month. After the change the published values averaged "
        f"{post['observed'].mean():.1f} pp, where {post['expected'].mean():.1f} pp was expected"
    ) in label.group(1)
    # With months suppressed the gap model is not fitted: the groups are drawn, without lines.
    suppressed = (gaps / CARD_FILE).read_text(encoding="utf-8")
    assert '<figure id="groups">' in suppressed


def test_the_forest_plot_and_headline_agree_with_effects_parquet(red):
    text = _text((red / CARD_FILE).read_text(encoding="utf-8"))
    effects = pd.read_parquet(red / "effects.parquet").set_index("estimand")
    gap = effects.loc["gap"]
    assert (
        f"{gap['estimate']:+.1f} pp (95% CI {gap['lower']:.1f} pp to {gap['upper']:.1f} pp" in text
    )
    overall = effects.loc["overall"]
    assert overall["relative"] == pytest.approx(16, abs=5)  # 8 points on 50%
    assert f"{overall['relative']:+.1f}% on what was expected" in text
    # The gap widened by 10 points from a baseline of 15: about -67% of its size.
    assert gap["relative"] == pytest.approx(-100 * 10 / 15, abs=15)


def test_the_checks_panel_names_each_check(red):
    html = (red / CARD_FILE).read_text(encoding="utf-8")
    panel = html.split('id="checks"')[1].split("</ul>")[0]
    for name in ("Trend before the change", "Autocorrelation left", "Seasonality", "Placebo test",
                 "Suppressed months, small numbers", "Number of comparisons"):  # fmt: skip
        assert name in panel, name
    assert "Ljung-Box" in panel and "No month suppressed in the windows." in panel
    checks = pd.read_parquet(red / "checks.parquet").set_index("check")
    assert checks.loc["seasonality", "status"] == "pass"  # one Fourier pair in the plan
    assert checks.loc["placebo", "status"] == "not applicable"


def test_suppressed_months_are_named_and_the_gap_is_not_estimated(gaps):
    text = _text((gaps / CARD_FILE).read_text(encoding="utf-8"))
    assert "X, most deprived fifth: Mar 2022; Jul 2023; May 2024" in text
    assert "could not be estimated" in text
    assert "Amber: we cannot tell whether inequality changed." in text
    series = pd.read_parquet(gaps / "series.parquet")
    most = series.loc[series["series"] == "most"].set_index("month")
    # A suppressed month is a missing point, never filled in.
    assert most.loc["2023-07", "missing"] and np.isnan(most.loc["2023-07", "observed"])
    assert most["fitted"].isna().all()


def test_the_expected_line_is_the_model_without_the_change(red):
    series = pd.read_parquet(red / "series.parquet")
    unit = series.loc[series["series"] == "overall"].set_index("month")
    pre = unit["phase"] == "pre"
    # Before the change the model and the expected line are the same line.
    np.testing.assert_allclose(unit.loc[pre, "fitted"], unit.loc[pre, "expected"], rtol=1e-12)
    post = unit["phase"] == "post"
    gap = (unit.loc[post, "fitted"] - unit.loc[post, "expected"]).mean()
    effects = pd.read_parquet(red / "effects.parquet").set_index("estimand")
    assert gap == pytest.approx(effects.loc["overall", "estimate"], rel=1e-9)
    assert (unit["expected_lower"] <= unit["expected"]).all()
    assert (unit["expected"] <= unit["expected_upper"]).all()
    assert list(unit.loc[unit["phase"] == "transition"].index) == ["2024-01", "2024-02"]


def test_an_amendment_after_data_were_seen_is_flagged(red, tmp_path):
    from focuson.study.plan import PlanRecord

    folder = tmp_path / "amended"
    folder.mkdir()
    for name in ("effects.parquet", "verdict.parquet", "series.parquet", "checks.parquet"):
        (folder / name).write_bytes((red / name).read_bytes())
    record = PlanRecord.model_validate_json((red / "plan.json").read_text(encoding="utf-8"))
    plan = record.current.plan
    amended = record.amend(
        plan.model_copy(update={"title": "Text reminders in X, renamed"}),
        data_seen=True,
        reason="renamed after the first look",
    )
    (folder / "plan.json").write_text(amended.model_dump_json(), encoding="utf-8")
    html = write_study_card(folder).read_text(encoding="utf-8")
    assert '<p class="amended">Amended (version 2, ' in html
    assert "after data were seen: renamed after the first look" in _text(html)
    assert "version 2, frozen " in _text(html)
