"""The Study step in a real browser: the programme lead reads the demo's Study and decides.

``focuson demo`` seeds an example project whose Study step is filled in
(:mod:`focuson.web.study.demo`: the example plan frozen, ``focuson study`` run on the demo's
planted change in Brent, its results imported and linked). The programme lead finds that
project on the board, opens its Study step, reads the verdict in two sentences and what was
heard, opens the Study card, records a decision (adapt) and finds it in the decisions log.

Every page is saved as a screenshot at 1366 and 390 px (``var/test-artefacts/browser/study``)
and checked with axe-core (the ``Journey`` helper of the web journey): no violations, and no
page wider than the screen. The card is its own sandboxed page where no script runs, axe-core's
included: it is looked at (screenshots, its width) and read, and its accessibility is the
report tests' (``tests/unit/reports``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from tests.browser.journey import VIEWS, Journey, journey_page, shots_folder

from focuson.web.study.demo import PROJECT_TITLE

pytestmark = [
    pytest.mark.xdist_group("browser"),
    pytest.mark.allow_hosts(["127.0.0.1"]),
]


@pytest.fixture(scope="module")
def shots(artefacts: Path) -> Path:
    return shots_folder(artefacts, "study")


@pytest.fixture
def journey(browser: Any, web_app: Any, axe: Path, shots: Path) -> Any:
    with journey_page(browser, web_app.url, axe, shots, "lead") as journey:
        yield journey


def _look_at_card(journey: Journey) -> None:
    """Screenshots of the card at both widths, and no sideways scrolling on a phone."""
    page = journey.page
    for view, (width, height) in VIEWS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(journey.folder / f"lead-card-{view}.png"), full_page=True)
        # Read from the layout, not a script in the page (the card's policy allows none).
        box = page.locator("main").bounding_box()
        assert box is not None and box["x"] + box["width"] <= width + 1, f"card wider at {width}"
    page.set_viewport_size({"width": 1366, "height": 768})


def test_programme_lead_reads_the_study_and_records_a_decision(
    journey: Journey, web_app: Any
) -> None:
    page = journey.page
    decision = f"Send the invitation letters in Brent's main languages ({time.time():.0f})"
    journey.sign_in(*web_app.accounts["programme_lead"])

    # The example project, from the board.
    journey.goto("/programme/")
    page.locator("main").get_by_role("link", name=PROJECT_TITLE).first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().strip() == PROJECT_TITLE
    journey.look("project")

    # Its Study step: the frozen plan, the verdict in two sentences, what was heard.
    page.get_by_role("link", name="The Study: plan, results, card and decision").click()
    page.wait_for_load_state()
    study_url = page.url
    main = page.locator("main")
    assert main.get_by_role("heading", name="The plan").is_visible()
    verdict = main.locator(".focuson-verdict")
    assert verdict.count() == 1, "the Study shows no verdict"
    sentences = verdict.locator(".nhsuk-card__description").all_inner_texts()
    # Overall, then the gap (at the demo's small scale Brent's months are mostly suppressed:
    # "descriptive only", which is a verdict sentence too).
    assert len(sentences) == 2 and all(s.strip() for s in sentences), sentences
    assert main.get_by_role("heading", name="What was heard").is_visible()
    journey.look("study")

    # The card: its own page, the same verdict, the counterfactual chart.
    main.get_by_role("link", name="Open the Study card").click()
    page.wait_for_load_state()
    assert page.url.endswith("/card/"), page.url
    assert page.get_by_role("heading", name="Verdict").is_visible()
    assert sentences[0] in page.locator("section.verdict").inner_text()
    assert page.locator("figure svg").count() >= 1, "the card draws no chart"
    _look_at_card(journey)
    page.go_back()
    page.wait_for_load_state()

    # The decision: adapt, with who decided.
    page.locator("main").get_by_role("link", name="Record the decision").click()
    page.wait_for_load_state()
    journey.look("decision-form")
    page.get_by_label("Adapt").check()
    page.get_by_label("The decision in a sentence").fill(decision)
    page.get_by_label("Why", exact=True).fill(
        "The published months cannot tell yet: hear from the women invited before deciding more."
    )
    page.get_by_label("Who decided").fill("The programme board")
    page.locator("main form").get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    assert page.url.split("#")[0] == study_url.split("#")[0], page.url
    assert decision in page.locator("main").inner_text()
    journey.look("study-decided")

    # The decisions log has it, at the Study step.
    journey.goto("/programme/decisions/")
    row = page.locator("main").get_by_text(decision).first
    assert row.is_visible(), "the decision is not in the decisions log"
    assert PROJECT_TITLE in page.locator("main").inner_text()
    journey.look("decisions-log")

    assert journey.violations == {}, f"axe-core: {journey.violations}"
