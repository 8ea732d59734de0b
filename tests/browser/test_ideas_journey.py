"""Co-create and Unite in a real browser (issue 16): a resident with a code on a 390 px phone,
between two visits of a programme lead.

The lead (the demo's account) starts a project from the top finding, adds three ideas (one
linked to the finding, with a plausible effect: its expected narrowing of the gap, and two
co-authors), plans a co-creation session (its code), enters who came from the paper sign-in
sheet (compared with who is affected), starts a statement round and a prioritisation round, and
enters paper ballots from the room, each saying the session it came from. A resident, in a
browser holding no account and no cookie, at 390 px, mistypes the code (told what to do), enters
it, adds an idea, comments on one, votes on the statement round's statements from the session's
page (no second code), scores the round's ideas declaring a group, and looks at what "remove
what I gave" would remove. The
lead then sees the declared groups and support by group, selects two ideas, parks the other with
a reason, finds the decision on the project's page, and closes the session, after which the
resident's code opens nothing.

Every page is screenshot at 1366 and 390 px (``var/test-artefacts/browser/ideas``) and checked
with axe-core (the ``Journey`` helper of ``test_web_journey``).
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

TITLE = "Journey: ideas with residents"
IDEAS = (
    ("Evening screening clinic", "Open the screening clinic on Thursday evenings."),
    ("Screening at the mosque", "A mobile screening unit outside the mosque after prayers."),
    ("Reminder calls in Somali", "Community champions call women who have not booked."),
)
RESIDENT_IDEA = "Childcare during appointments"
STATEMENTS = (
    "Evening appointments would make screening easier for me.",
    "I would rather be screened by a woman.",
    "A letter in my language would help me book.",
)
#: Paper ballots from the room: (role, declared group, score, support) for each.
PAPER = [("resident", "Asian or Asian British", 4, "1")] * 8 + [("clinician", "", 3, "0")] * 8


class PhoneJourney(Journey):
    """A resident's journey: on a 390 px screen between the screenshots at both widths."""

    def look(self, name: str) -> None:
        super().look(name)
        self.page.set_viewport_size({"width": 390, "height": 844})


@pytest.fixture(scope="module")
def shots(artefacts: Path) -> Path:
    return shots_folder(artefacts, "ideas")


@pytest.fixture(scope="module")
def made() -> dict[str, str]:
    """What the lead made, for the resident and the lead's second visit."""
    return {}


@pytest.fixture
def lead(browser: Any, web_app: Any, axe: Path, shots: Path, request: Any) -> Any:
    # Screenshots named by visit: the lead prepares, then decides.
    visit = "lead-decides" if "decides" in request.node.name else "lead-prepares"
    with journey_page(browser, web_app.url, axe, shots, visit) as journey:
        yield journey


@pytest.fixture
def resident(browser: Any, web_app: Any, axe: Path, shots: Path) -> Any:
    with journey_page(
        browser, web_app.url, axe, shots, "resident", view="phone", kind=PhoneJourney
    ) as journey:
        yield journey


def _submit(page: Any) -> None:
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_lead_prepares_ideas_a_session_and_a_round(
    lead: Journey, web_app: Any, made: dict[str, str]
) -> None:
    page = lead.page
    lead.sign_in(*web_app.accounts["programme_lead"])

    # A project from the top finding, so that an idea can be linked to it.
    lead.goto("/evidence/findings/?significance=worse")
    page.locator("main table tbody tr").first.locator("a").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Start a Focus-on project from this finding").click()
    page.wait_for_load_state()
    page.get_by_label("Title").fill(TITLE)
    workstream = page.get_by_label("Workstream")
    if not workstream.input_value():
        workstream.select_option(index=1)
    page.locator("main form").get_by_role("button").first.click()
    page.wait_for_load_state()
    made["project"] = page.url.removeprefix(web_app.url)
    page.get_by_role("link", name="Ideas and prioritisation rounds").first.click()
    page.wait_for_load_state()
    made["ideas"] = page.url.removeprefix(web_app.url)
    lead.look("ideas-empty")

    # Three ideas; the first addresses the finding, with an assumed effect.
    for n, (title, summary) in enumerate(IDEAS):
        page.get_by_role("link", name="Add an idea").click()
        page.wait_for_load_state()
        page.get_by_label("Title").fill(title)
        page.get_by_label("Summary in plain language").fill(summary)
        if n == 0:
            # Two co-authors, as repeated rows (no JavaScript needed).
            page.locator("input[name=new_author_0_name]").fill("Harlesden Somali Women's Group")
            page.locator("select[name=new_author_0_role]").select_option("champion")
            page.locator("input[name=new_author_1_name]").fill("Dr Okafor")
            page.locator("select[name=new_author_1_role]").select_option("clinician")
            page.locator("input[name=findings]").first.check()
            page.get_by_label("Share of their gap it would close").fill("20")
            page.get_by_label("Share of the group the idea would reach").fill("50")
            page.get_by_label("Where the effect comes from").fill("a pilot in Brent")
            lead.look("idea-form")
        _submit(page)
        assert title in page.locator("main").inner_text()
        if n == 0:
            assert "fewer people affected" in page.locator("main").inner_text()
            assert "(assumed, from a pilot in Brent)" in page.locator("main").inner_text()
            assert "Dr Okafor" in page.locator("main").inner_text()
            lead.look("idea-page-with-gap")
        lead.goto(made["ideas"])

    # A co-creation session: its code, big, and its link.
    page.get_by_role("link", name="Plan a co-creation session").click()
    page.wait_for_load_state()
    lead.look("session-form")
    page.get_by_label("Title").fill("Ideas workshop at the library")
    page.get_by_label("Date").fill("2026-04-10")
    page.get_by_label("Format").select_option(label="Hybrid (in person and online)")
    page.get_by_label("Languages used").fill("English, Somali")
    _submit(page)
    # The code after its visually hidden label ("Join code:"), in two groups of four.
    code = re.sub(r"\s", "", page.locator(".focuson-join-code").inner_text().split(":")[-1])
    assert len(code) == 8, code
    made["code"], made["session"] = code, page.url.removeprefix(web_app.url)
    lead.look("session")

    # Who came, from the paper sign-in sheet: by role, then by ethnic group.
    page.get_by_role("link", name="Enter who came from the sign-in sheet").click()
    page.wait_for_load_state()
    page.get_by_label("Counted by").select_option("role")
    page.locator("input[name=n__role__resident]").fill("14")
    page.locator("input[name=n__role__clinician]").fill("3")
    _submit(page)
    assert "17 people counted" in page.locator("main").inner_text()
    page.get_by_label("Counted by").select_option("ethnicity_6")
    for band, n in (("Asian", "9"), ("Black", "8"), ("White", "30"), ("none", "2")):
        page.locator(f"input[name=n__ethnicity_6__{band}]").fill(n)
    lead.look("attendance-form")
    _submit(page)
    lead.goto(made["session"])
    text = page.locator("main").inner_text()
    assert "Compared with who is affected" in text and "Ethnic group" in text
    lead.look("session-with-attendance")

    # A statement round on the project: residents of the session vote in it with their code.
    project_id = re.search(r"/projects/(\d+)/", made["project"])
    assert project_id, made["project"]
    lead.goto(f"/statements/projects/{project_id.group(1)}/new/")
    page.get_by_label("Title").fill("What would help you get screened")
    page.get_by_label("The question people answer").fill("What would help you get screened?")
    page.get_by_label("Statements to start with (one a line)").fill("\n".join(STATEMENTS))
    _submit(page)
    assert "Open: residents can join" in page.locator("main").inner_text()
    lead.look("statement-round")

    # A round on the three ideas.
    lead.goto(made["ideas"])
    page.get_by_role("link", name="Start a prioritisation round").click()
    page.wait_for_load_state()
    page.get_by_label("Title").fill("Spring shortlist")
    for title, _summary in IDEAS:
        page.get_by_label(title).check()
    lead.look("round-form")
    _submit(page)
    made["round"] = page.url.removeprefix(web_app.url)

    # Ballots from the room, on paper.
    for role, group, score, support in PAPER:
        lead.goto(made["round"] + "ballot/")
        page.get_by_label("The voter's role").select_option(role)
        page.get_by_label("The group the voter said they belong to").fill(group)
        page.get_by_label("How the ballot was given").select_option("paper")
        page.get_by_label("The co-creation session it came from").select_option(
            label="Ideas workshop at the library"
        )
        for select in page.locator("select[name^=score_]").all():
            select.select_option(str(score))
        for select in page.locator("select[name^=support_]").all():
            select.select_option(support)
        _submit(page)
        assert "Ballot saved" in page.locator("main").inner_text()
    lead.look("paper-ballot")

    assert lead.violations == {}, f"axe-core: {lead.violations}"


def test_resident_joins_with_the_code_adds_an_idea_and_scores(
    resident: PhoneJourney, made: dict[str, str]
) -> None:
    assert "code" in made, "the lead made no session"
    page = resident.page
    resident.goto("/join/")
    resident.look("join")
    page.get_by_label("Your session code").fill("ZZZZ ZZZZ")
    _submit(page)
    assert "No session has this code" in page.locator("main").inner_text()
    resident.look("join-unknown-code")
    # Typed as a person would copy it from a flyer: lower case, a space in the middle.
    code = made["code"]
    page.get_by_label("Your session code").fill(f"{code[:4].lower()} {code[4:].lower()}")
    _submit(page)
    assert "/ideas/take-part/" in page.url, page.url
    resident.look("session")

    page.get_by_role("link", name="Add your idea").click()
    page.wait_for_load_state()
    _submit(page)
    assert "There is a problem" in page.locator("main").inner_text()
    resident.look("idea-form-errors")
    page.get_by_label("Your idea in a few words").fill(RESIDENT_IDEA)
    page.get_by_label("What is the idea?").fill("A creche next to the clinic while mums are seen.")
    page.get_by_label("Who is it for?").fill("Mothers of young children")
    _submit(page)
    assert RESIDENT_IDEA in page.locator("main").inner_text()

    page.get_by_role("link", name=f"Comment on {IDEAS[0][0]}").click()
    page.wait_for_load_state()
    page.get_by_label("For", exact=True).check()
    page.get_by_label("Your comment").fill("I work days: evenings would help me.")
    resident.look("comment")
    _submit(page)

    # The project's open statement round, from the session's page: no second code.
    main = page.locator("main").inner_text()
    assert "Your session code also lets you vote" in main, main
    page.get_by_role("button", name=re.compile(r"^Vote on these statements")).click()
    page.wait_for_load_state()
    assert "/statements/r/" in page.url, page.url
    resident.look("statements-vote")
    for button in ("Agree", "Agree", "Disagree"):
        page.get_by_role("button", name=button, exact=True).click()
        page.wait_for_load_state()
    assert "You have voted on all 3 statements" in page.locator("main").inner_text()
    resident.look("statements-voted")
    page.get_by_role("link", name="Leave this round").click()
    page.wait_for_load_state()
    resident.look("statements-leave")  # looked at, not left
    page.get_by_role("link", name="Back to the statements").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Back to your session").click()
    page.wait_for_load_state()
    assert "You have voted on 3 of 3 statements." in page.locator("main").inner_text()

    page.get_by_role("link", name="Score the ideas").click()
    page.wait_for_load_state()
    for select in page.locator("select[name^=score_]").all():
        select.select_option("5")
    for select in page.locator("select[name^=support_]").all():
        select.select_option("1")
    # A group of the project's breakdown (the last one offered).
    choice = page.locator("input[name=declared_group]").last
    made["group"] = page.locator(f"label[for='{choice.get_attribute('id')}']").inner_text()
    choice.check()
    resident.look("score")
    _submit(page)
    assert "your scores are saved" in page.locator("main").inner_text()
    assert "You have scored the ideas" in page.locator("main").inner_text()
    resident.look("scored")

    # What "remove what I gave" would remove: looked at, not done (the lead counts it next).
    page.get_by_role("link", name="Remove what I gave").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "3 votes on statements" in main and "1 idea you added" in main, main
    resident.look("remove-what-i-gave")
    page.get_by_role("link", name="Back to the session").click()
    page.wait_for_load_state()

    # The code opens this session only: a staff page still wants an account.
    resident.goto(made["round"])
    assert "/accounts/login/" in page.url

    assert resident.violations == {}, f"axe-core: {resident.violations}"


def test_lead_sees_support_by_group_and_decides(
    lead: Journey, web_app: Any, made: dict[str, str]
) -> None:
    assert "round" in made, "the lead made no round"
    page = lead.page
    lead.sign_in(*web_app.accounts["programme_lead"])
    lead.goto(made["ideas"])
    assert RESIDENT_IDEA in page.locator("main").inner_text()

    lead.goto(made["round"])
    main = page.locator("main").inner_text()
    assert "Asian or Asian British" in main and made["group"].strip() in main
    assert "By declared group" in main and "Residents and professionals" in main
    # 17 ballots: 16 on paper and the resident's, counted alike.
    assert "17 ballots" in main
    assert "Online (too few to show)" in main and "Paper 15" in main  # counts rounded to 5
    lead.look("round-results")

    page.get_by_role("link", name="Record the decision").click()
    page.wait_for_load_state()
    selected, parked = IDEAS[:2], IDEAS[2]
    for box in page.locator("input[name=selected]").all():
        box.uncheck()
    for title, _summary in selected:
        page.get_by_label(title, exact=True).check()
    page.get_by_label(f"If parked: why ({parked[0]})").fill("Champions are not trained yet.")
    page.get_by_label("Why these ideas").fill("Supported by residents and clinicians alike.")
    lead.look("decision-form")
    _submit(page)
    assert "Decided" in page.locator("main").inner_text()

    lead.goto(made["project"])
    text = page.locator("main").inner_text()
    assert f"Selected for prototyping: {selected[0][0]}; {selected[1][0]}." in text
    assert "Champions are not trained yet." in text
    lead.look("project-with-decision")

    # Closing the session: its code now says so.
    lead.goto(made["session"])
    page.get_by_role("button", name="Close it to residents").click()
    page.wait_for_load_state()
    assert "Closed" in page.locator("main").inner_text()
    lead.look("session-closed")
    lead.goto(f"/join/{made['code']}/")
    assert "This session is closed" in page.locator("main").inner_text()
    lead.look("code-of-a-closed-session")

    assert lead.violations == {}, f"axe-core: {lead.violations}"
