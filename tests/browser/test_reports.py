"""The demo's reports in a real browser: Debian's headless Chromium at a laptop's 1366x768 and a
phone's 390x844.

Each view is saved as a screenshot (its path printed; kept in ``var/test-artefacts/browser``),
checked with axe-core with every indicator's detail opened (no violations at all), and on the
phone no chart text is under 11 px. The laptop's first screen shows the ten biggest gaps: on the
demo's report (as many as it found, at most ten) and on a report of planted findings with more
than ten.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from focuson.reports import write_find_report

# One worker builds the demo's reports and starts the browser once for all these tests.
pytestmark = pytest.mark.xdist_group("browser")

VIEWS = {"laptop": (1366, 768), "phone": (390, 844)}

#: Each chart text's rendered font size in CSS pixels: its font size times the SVG's scale on
#: screen (a chart scaled down to fit a phone shrinks its text; axis titles are rotated).
_CHART_TEXT_SIZES = """() => Array.from(document.querySelectorAll('figure svg text'))
  .filter(t => t.getClientRects().length > 0 && t.textContent.trim() !== '')
  .map(t => ({text: t.textContent.trim(),
              px: parseFloat(getComputedStyle(t).fontSize) *
                  Math.hypot(t.getScreenCTM().a, t.getScreenCTM().b)}))"""

#: How many of the ten gaps' sentences lie wholly inside the first screen.
_GAPS = 'section[aria-labelledby="top-gaps"] ol.headlines > li'
_GAPS_IN_FIRST_VIEW = f"""() => Array.from(document.querySelectorAll('{_GAPS}'))
  .filter(li => {{ const r = li.getBoundingClientRect();
                  return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }})
  .length"""

_OPEN_DETAILS = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"


def _open(browser: Any, report: Path, view: str) -> Any:
    page = browser.new_page()
    width, height = VIEWS[view]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(report.as_uri())
    return page


def _violations(page: Any, axe: Path) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(axe))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"rule": v["id"], "nodes": len(v["nodes"]), "help": v["help"], "first": v["nodes"][0]}
        for v in result["violations"]
    ]


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("kind", ["find", "monitor"])
def test_report_has_no_accessibility_violations(
    browser: Any, reports: dict[str, Path], axe: Path, artefacts: Path, kind: str, view: str
) -> None:
    page = _open(browser, reports[kind], view)
    try:
        first = artefacts / f"{kind}-{view}-first-view.png"
        page.screenshot(path=str(first))
        page.evaluate(_OPEN_DETAILS)
        full = artefacts / f"{kind}-{view}-full-page-details-open.png"
        page.screenshot(path=str(full), full_page=True)
        print(f"screenshots: {first} {full}")
        violations = _violations(page, axe)
    finally:
        page.close()
    assert violations == [], f"axe-core, {kind} report at {VIEWS[view]}: {violations}"


@pytest.mark.parametrize("kind", ["find", "monitor"])
def test_chart_text_is_at_least_11_px_on_a_phone(
    browser: Any, reports: dict[str, Path], kind: str
) -> None:
    page = _open(browser, reports[kind], "phone")
    try:
        page.evaluate(_OPEN_DETAILS)
        sizes = page.evaluate(_CHART_TEXT_SIZES)
    finally:
        page.close()
    assert sizes, "no chart text found"
    small = [s for s in sizes if s["px"] < 11 - 1e-6]
    assert not small, f"{len(small)} of {len(sizes)} chart texts under 11 px, e.g. {small[:3]}"


def test_first_view_of_the_demo_shows_its_biggest_gaps(
    browser: Any, reports: dict[str, Path]
) -> None:
    page = _open(browser, reports["find"], "laptop")
    try:
        listed = page.locator(_GAPS).count()
        in_view = page.evaluate(_GAPS_IN_FIRST_VIEW)
    finally:
        page.close()
    assert 1 <= listed <= 10
    assert in_view == listed, f"only {in_view} of the {listed} biggest gaps on the first screen"


def test_first_view_shows_ten_gaps_when_there_are_more(
    browser: Any, planted_frames: tuple[Any, Any, Any], tmp_path: Path, artefacts: Path
) -> None:
    findings, gradients, indicators = planted_frames
    report = write_find_report(findings, gradients, indicators, tmp_path / "report.html")
    page = _open(browser, report, "laptop")
    try:
        shot = artefacts / "find-planted-laptop-first-view.png"
        page.screenshot(path=str(shot))
        print(f"screenshot: {shot}")
        listed = page.locator(_GAPS).count()
        in_view = page.evaluate(_GAPS_IN_FIRST_VIEW)
    finally:
        page.close()
    assert listed == 10
    assert in_view == 10, f"only {in_view} of the 10 biggest gaps on the first screen"


def test_an_alert_link_opens_its_collapsed_chart(browser: Any, reports: dict[str, Path]) -> None:
    page = _open(browser, reports["monitor"], "laptop")
    try:
        links = page.locator('section[aria-labelledby="alerts"] ol a')
        assert links.count() >= 1, "the demo's monitoring report has no alerts"
        target = str(links.first.get_attribute("href"))[1:]
        assert not page.evaluate(
            f"() => document.getElementById('{target}').closest('details').open"
        )
        links.first.click()
        page.wait_for_timeout(200)
        shown = page.evaluate(
            f"""() => {{ const f = document.getElementById('{target}');
                        const r = f.getBoundingClientRect();
                        return f.closest('details').open && r.height > 0
                               && r.top < window.innerHeight; }}"""
        )
    finally:
        page.close()
    assert shown, f"the alert's link did not open and show chart {target}"
