"""A statement round in a real browser (issue 16): a programme lead makes a round on a demo
project and opens it; a resident joins with its code on a 390 px phone, votes on every statement
and suggests one; the lead accepts the suggestion, enters paper forms, and sees the results by
opinion group and by declared group.

Runs on the shared ``web_app`` (``tests/browser/conftest.py``: demo at scale 0.01, then
``focuson serve``) and makes its own round. Every page is saved as a screenshot at 1366 and
390 px (``var/test-artefacts/browser/statements``) and checked with axe-core (``Journey`` from
``test_web_journey``): no violations, no page wider than the screen. The resident is a fresh
browser session (cookies cleared: the shared browser is one persistent context), with no account.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from tests.browser.journey import Journey, journey_page, shots_folder

pytestmark = [
    pytest.mark.xdist_group("browser"),
    pytest.mark.allow_hosts(["127.0.0.1"]),
]

TITLE = "Journey: blood pressure checks"
QUESTION = "What would make it easier to get your blood pressure checked?"
STATEMENTS = (
    "Evening clinics would make it easier for me.",
    "I would rather be checked at the pharmacy than the surgery.",
    "Booking by phone in the morning is too hard.",
    "Leaflets in my own language would help.",
)
SUGGESTION = "A nurse at the mosque after Friday prayers would help."
#: The resident's votes, by button.
RESIDENT_VOTES = ("Agree", "Disagree", "Pass / unsure", "Agree")
#: Paper forms: 8 of each group, voting in two opposite patterns (on the four statements and
#: the resident's suggestion, once accepted).
PAPER = {
    "White": ("Agree", "Agree", "Disagree", "Disagree", "Agree"),
    "Asian or Asian British": ("Disagree", "Disagree", "Agree", "Agree", "Agree"),
}
PER_GROUP = 8


@pytest.fixture(scope="module")
def shots(artefacts: Path) -> Path:
    return shots_folder(artefacts, "statements")


@pytest.fixture(scope="module")
def made() -> dict[str, str]:
    """What the lead made (the round's page and code), for the resident and the results."""
    return {}


@pytest.fixture
def journey(browser: Any, web_app: Any, axe: Path, shots: Path, request: Any) -> Any:
    # Screenshots are named by who is looking: the lead twice (making, then the results).
    who = request.node.name.removeprefix("test_").split("_")[0]
    who += "-results" if "results" in request.node.name else ""
    with journey_page(browser, web_app.url, axe, shots, who) as found:
        yield found


def _submit(page: Any) -> None:
    page.locator("main form").last.get_by_role("button").last.click()
    page.wait_for_load_state()


def test_lead_makes_a_round_on_a_demo_project_and_opens_it(
    journey: Journey, web_app: Any, made: dict[str, str]
) -> None:
    page = journey.page
    journey.sign_in(*web_app.accounts["programme_lead"])
    journey.goto("/programme/")
    page.locator("main table tbody a[href*='/programme/projects/']").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Statement rounds (agree, disagree or pass)").click()
    page.wait_for_load_state()
    assert re.search(r"/statements/projects/\d+/$", page.url), page.url
    journey.look("project-rounds")
    page.get_by_role("link", name="Start a statement round").click()
    page.wait_for_load_state()
    journey.look("new-round")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("The question people answer").fill(QUESTION)
    page.get_by_label("Statements to start with (one a line)").fill("\n".join(STATEMENTS))
    _submit(page)
    assert re.search(r"/statements/rounds/\d+/$", page.url), page.url
    assert page.get_by_role("heading", level=1).inner_text().strip() == TITLE
    code = page.locator("#join-code").inner_text().split()[-1]
    assert re.fullmatch(r"[A-Z0-9]{8}", code), code
    assert f"/statements/join/{code}/" in page.locator("main").inner_text()
    made["round"], made["code"] = page.url.removeprefix(web_app.url), code
    journey.look("round-open")
    # A closing time set after the round started (its groups are still free to change).
    page.get_by_role("link", name="Change the closing time or the groups").click()
    page.wait_for_load_state()
    assert "You can change these until a voter has answered" in page.locator("main").inner_text()
    page.get_by_label("Stop taking votes at").fill(f"{dt.date.today().year + 1}-03-31T18:00")
    journey.look("round-settings")
    _submit(page)
    assert "It stops taking votes at 31 March" in page.locator("main").inner_text()
    assert journey.violations == {}, f"axe-core: {journey.violations}"


def test_resident_joins_with_the_code_votes_and_suggests(
    journey: Journey, made: dict[str, str]
) -> None:
    assert "code" in made, "the lead's journey made no round"
    page = journey.page
    phone = {"width": 390, "height": 844}
    page.set_viewport_size(phone)
    journey.goto(f"/statements/join/{made['code']}/")
    assert QUESTION in page.locator("main").inner_text()
    journey.look("join")
    page.set_viewport_size(phone)
    page.get_by_label("White", exact=True).check()
    page.get_by_role("button", name="Start voting").click()
    page.wait_for_load_state()
    for n, (statement, button) in enumerate(zip(STATEMENTS, RESIDENT_VOTES, strict=True), 1):
        main = page.locator("main").inner_text()
        assert f"Statement {n} of {len(STATEMENTS)}" in main and statement in main
        if n == 1:
            journey.look("vote")
            page.set_viewport_size(phone)
        page.get_by_role("button", name=button, exact=True).click()
        page.wait_for_load_state()
    assert (
        f"You have voted on all {len(STATEMENTS)} statements" in page.locator("main").inner_text()
    )
    journey.look("voted")
    page.set_viewport_size(phone)
    page.get_by_role("link", name="Suggest a statement of your own").click()
    page.wait_for_load_state()
    journey.look("suggest")
    page.set_viewport_size(phone)
    page.get_by_label("Statement").fill(SUGGESTION)
    page.get_by_role("button", name="Send the statement").click()
    page.wait_for_load_state()
    assert "once a facilitator has read it" in page.locator("main").inner_text()
    # Leaving on this (shared) phone: the votes stay, the device forgets the round.
    page.get_by_role("link", name="Leave this round").click()
    page.wait_for_load_state()
    journey.look("leave")
    page.set_viewport_size(phone)
    page.get_by_role("button", name="Leave, keeping my votes").click()
    page.wait_for_load_state()
    assert "Your votes still count" in page.locator("main").inner_text()
    journey.goto(f"/statements/r/{made['code']}/")
    assert f"/statements/join/{made['code']}/" in page.url
    # The code opened this round only: the staff pages send the resident to sign in.
    journey.goto(made["round"])
    assert "/accounts/login/" in page.url
    assert journey.violations == {}, f"axe-core: {journey.violations}"


def test_lead_accepts_the_suggestion_enters_paper_forms_and_sees_the_results(
    journey: Journey, web_app: Any, made: dict[str, str]
) -> None:
    assert "round" in made, "the lead's journey made no round"
    page = journey.page
    journey.sign_in(*web_app.accounts["programme_lead"])
    journey.goto(made["round"])
    assert SUGGESTION in page.locator("main").inner_text()
    journey.look("round-with-suggestion")
    suggested = page.locator("main li", has_text=SUGGESTION)
    suggested.get_by_role("button", name=re.compile(r"^Accept\b")).click()
    page.wait_for_load_state()
    assert "1 person has voted so far" in page.locator("main").inner_text()

    page.get_by_role("link", name="Enter a paper form").click()
    page.wait_for_load_state()
    journey.look("paper-form")
    texts = (*STATEMENTS, SUGGESTION)
    number = 0
    for group, votes in PAPER.items():
        for _ in range(PER_GROUP):
            number += 1
            page.get_by_label("Label of the paper form").fill(f"Paper {number}")
            page.get_by_label("Group ticked on the form").select_option(label=group)
            for text, vote in zip(texts, votes, strict=True):
                box = page.locator("main fieldset", has_text=text)
                box.get_by_label(vote, exact=True).check()
            page.get_by_role("button", name="Save the paper form").click()
            page.wait_for_load_state()
            assert "Paper form saved" in page.locator("main").inner_text(), f"Paper {number}"

    journey.goto(made["round"])
    page.get_by_role("link", name="See the results").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "17 people voted" in main
    assert "Opinion group A" in main and "Opinion group B" in main
    assert "White" in main and "Asian or Asian British" in main
    assert "Where the groups agree" in main and SUGGESTION in main
    assert page.locator("main svg.focuson-bar").count() >= 2 * len(texts)
    journey.look("results")
    # The groups are locked now that voters have answered with them, and the page says why.
    journey.goto(made["round"] + "edit/")
    assert "The groups are locked" in page.locator("main").inner_text()
    journey.look("round-settings-locked")
    assert journey.violations == {}, f"axe-core: {journey.violations}"
