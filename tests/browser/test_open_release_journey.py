"""Open's quotes, community insight report, QDA exchange and retention pages in a real browser.

The programme lead opens an example project of the demo (the one whose Open step has coded
passages, when the demo seeds one), releases a quote from a coded passage (a name added for
redaction, previewed, then released), reads the community insight report and its printable
version, the borough's report, the QDA exchange page and the records past their retention date.

Every page is saved as a screenshot at 1366 and 390 px (``var/test-artefacts/browser/open-release``)
and checked with axe-core (the ``Journey`` helper of the web journey): no violations, and no
page wider than the screen.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from tests.browser.journey import Journey, journey_page, shots_folder

pytestmark = [
    pytest.mark.xdist_group("browser"),
    pytest.mark.allow_hosts(["127.0.0.1"]),
]


@pytest.fixture(scope="module")
def shots(artefacts: Path) -> Path:
    return shots_folder(artefacts, "open-release")


@pytest.fixture
def journey(browser: Any, web_app: Any, axe: Path, shots: Path) -> Any:
    with journey_page(browser, web_app.url, axe, shots, "lead") as journey:
        yield journey


def _projects(journey: Journey) -> list[str]:
    """The ids of the projects on the board."""
    journey.goto("/programme/")
    hrefs = journey.page.locator("main a[href*='/programme/projects/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    found = [m.group(1) for h in hrefs if (m := re.search(r"/programme/projects/(\d+)/$", h))]
    return list(dict.fromkeys(found))


def test_lead_releases_a_quote_and_reads_the_report(journey: Journey, web_app: Any) -> None:
    page = journey.page
    journey.sign_in(*web_app.accounts["programme_lead"])
    projects = _projects(journey)
    assert projects, "no project on the board"
    # The project whose Open step has coded passages to release (the demo's), else the first.
    chosen = projects[0]
    for pk in projects:
        journey.goto(f"/open/projects/{pk}/quotes/")
        if page.get_by_role("link", name=re.compile("^Release as a quote")).count():
            chosen = pk
            break
    journey.goto(f"/open/projects/{chosen}/")
    journey.look("open")
    journey.goto(f"/open/projects/{chosen}/quotes/")
    journey.look("quotes")
    offered = page.get_by_role("link", name=re.compile("^Release as a quote"))
    released = None
    if offered.count():
        offered.first.click()
        page.wait_for_load_state()
        journey.look("release")
        page.get_by_label("Names to redact").fill("Sandra")
        page.get_by_role("button", name="Preview").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name="Preview").count() == 1
        journey.look("release-preview")
        page.get_by_role("button", name="Release this quote").click()
        page.wait_for_load_state()
        assert "Quote released" in page.locator("body").inner_text()
        journey.look("quotes-released")
        released = page.locator("#released tbody tr, table tbody tr").first.inner_text()
    journey.goto(f"/open/projects/{chosen}/report/")
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Community insight report"
    journey.look("report")
    if released:
        assert page.locator("blockquote").count() >= 1
    journey.goto(f"/open/projects/{chosen}/report/print/")
    journey.look("report-print")
    journey.goto(f"/open/projects/{chosen}/qda/")
    journey.look("qda")
    # An import with no file: the error summary and the field's error, nothing saved.
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state()
    assert page.locator(".nhsuk-error-summary").count() == 1
    journey.look("qda-errors")
    journey.goto(f"/open/projects/{chosen}/retention/")
    journey.look("retention")
    journey.goto("/open/boroughs/1/report/")
    journey.look("borough-report")
    assert journey.violations == {}, journey.violations
