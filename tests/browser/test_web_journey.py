"""The programme's web app in a real browser: the journey of issue 13, as three people.

The app runs under ``focuson serve`` (gunicorn, SQLite) after ``focuson demo --no-serve`` at
scale 0.01 (the ``web_app`` fixture, stopped at the end). A programme lead signs in, opens the
top finding (the explorer's first row, sorted by people affected, significantly worse only),
starts a project from it, moves it to Open, records a decision, sees it on the board and in the
monthly update they generate and publish. A facilitator finds that project "not found" (they
are not a member) while they see their own. The public sees the home page and the published
update; every other page sends them to sign in.

Every page of the journey is saved as a screenshot at 1366 and 390 px wide (kept in
``var/test-artefacts/browser/web``) and checked with axe-core: no violations at all, and no page
wider than the screen (wide tables scroll in their own box). The three
tests run in order on one worker: the facilitator and the public look at what the lead made.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from tests.browser.journey import Journey, journey_page, shots_folder

pytestmark = [
    # One worker runs the app and the browser for all these tests, in this order.
    pytest.mark.xdist_group("browser"),
    # The browser and the test talk to the app on loopback only (pytest-socket).
    pytest.mark.allow_hosts(["127.0.0.1"]),
]

TITLE = "Journey: closing the top gap"
DECISION = "Hold two listening events with the community before changing the service."


@pytest.fixture(scope="module")
def shots(artefacts: Path) -> Path:
    return shots_folder(artefacts, "web")


@pytest.fixture(scope="module")
def made() -> dict[str, str]:
    """What the programme lead made, for the facilitator and the public to look at."""
    return {}


@pytest.fixture
def journey(browser: Any, web_app: Any, axe: Path, shots: Path, request: Any) -> Any:
    # Screenshots are named by who is looking: lead, facilitator, public.
    who = request.node.name.removeprefix("test_").split("_")[0].replace("programme", "lead")
    with journey_page(browser, web_app.url, axe, shots, who) as journey:
        yield journey


def test_programme_lead_starts_a_project_from_the_top_finding(
    journey: Journey, web_app: Any, made: dict[str, str]
) -> None:
    page = journey.page
    journey.sign_in(*web_app.accounts["programme_lead"])
    journey.look("home")

    # The findings explorer, sorted by people affected: the top significantly worse finding.
    journey.goto("/evidence/findings/?significance=worse")
    journey.look("findings-explorer")
    top = page.locator("main table tbody tr").first
    group = top.locator("a").first.inner_text().strip()
    top.locator("a").first.click()
    page.wait_for_load_state()
    assert re.search(r"/evidence/findings/\d+/", page.url), page.url
    assert group in page.locator("main").inner_text()
    assert page.locator("main svg").count() >= 1, "the finding page draws no chart"
    journey.look("finding")

    # Start a project from it: the form knows the finding.
    page.get_by_role("link", name="Start a Focus-on project from this finding").click()
    page.wait_for_load_state()
    assert "finding=" in page.url
    journey.look("start-a-project")
    page.get_by_label("Title").fill(TITLE)
    workstream = page.get_by_label("Workstream")
    if not workstream.input_value():
        workstream.select_option(index=1)
    page.locator("main form").get_by_role("button").first.click()
    page.wait_for_load_state()
    assert re.search(r"/programme/projects/\d+/$", page.url), page.url
    assert page.get_by_role("heading", level=1).inner_text().strip() == TITLE
    assert group in page.locator("main").inner_text(), "the project does not show its finding"
    made["project"] = page.url.removeprefix(web_app.url)
    journey.look("project")

    # Move it to Open.
    page.get_by_role("link", name="Update Open").click()
    page.wait_for_load_state()
    journey.look("step-open")
    page.get_by_label("Status").select_option(label="In progress")
    page.get_by_label("Notes").fill("First conversations booked with two community groups.")
    page.locator("main form").get_by_role("button").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(made["project"]), page.url
    assert "First conversations booked" in page.locator("main").inner_text()

    # Record a decision at Open.
    page.get_by_role("link", name="Record a decision at Open").click()
    page.wait_for_load_state()
    journey.look("record-a-decision")
    page.get_by_label("What was decided").fill(DECISION)
    page.get_by_label("Why", exact=True).fill("The finding alone does not say why.")
    page.locator("main form").get_by_role("button").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(made["project"]), page.url
    assert DECISION in page.locator("main").inner_text()
    journey.look("project-with-decision")

    # On the board, at Open.
    journey.goto("/programme/")
    row = page.locator("main tr", has_text=TITLE)
    assert row.count() == 1, "the project is not on the board"
    assert "Open" in row.inner_text()
    journey.look("board")

    # In this month's update: generate it, then publish it.
    journey.goto("/programme/updates/")
    journey.look("monthly-updates")
    month = dt.date.today().strftime("%Y-%m")
    page.get_by_label("Month").fill(month)
    page.locator("main form", has=page.get_by_label("Month")).get_by_role("button").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/programme/updates/{month}/"), page.url
    update = page.locator("main").inner_text()
    assert TITLE in update and DECISION in update, "the update misses the project or decision"
    journey.look("monthly-update-draft")
    page.locator("main").get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    made["update"] = f"/programme/updates/{month}/"
    journey.look("monthly-update-published")

    assert journey.violations == {}, f"axe-core: {journey.violations}"


def test_facilitator_does_not_find_a_project_they_are_not_a_member_of(
    journey: Journey, web_app: Any, made: dict[str, str]
) -> None:
    assert "project" in made, "the programme lead's journey made no project"
    page = journey.page
    journey.sign_in(*web_app.accounts["facilitator"])
    journey.goto("/programme/")
    assert page.locator("main tr", has_text=TITLE).count() == 0
    journey.look("board")
    mine = page.locator("main table tbody a[href*='/programme/projects/']").first
    mine.click()
    page.wait_for_load_state()
    journey.look("own-project")

    response = journey.goto(made["project"])
    assert response.status == 404
    assert TITLE not in page.content()
    journey.look("not-found")

    assert journey.violations == {}, f"axe-core: {journey.violations}"


def test_public_sees_only_public_pages(journey: Journey, made: dict[str, str]) -> None:
    page = journey.page
    response = journey.goto("/")
    assert response.status == 200
    journey.look("home")
    journey.goto("/programme/updates/")
    journey.look("monthly-updates")
    if "update" in made:
        response = journey.goto(made["update"])
        assert response.status == 200 and DECISION in page.locator("main").inner_text()
        journey.look("monthly-update")
    for private in ("/programme/", "/evidence/findings/", made.get("project", "/programme/")):
        journey.goto(private)
        assert "/accounts/login/" in page.url, f"{private} did not send the public to sign in"

    assert journey.violations == {}, f"axe-core: {journey.violations}"
