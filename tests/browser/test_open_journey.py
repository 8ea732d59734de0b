"""Open in a real browser (issue 15's journey), as the programme lead on a demo project.

On the demo's Study example project (its Open step seeded by ``focuson.web.insight.demo``) the
lead records a listening event and its paper sign-in sheet (a tally by ethnic group), uploads a
Bengali transcript (the detector suggests Bengali; the lead confirms it) and its English
translation, codes a passage, records an insight linked to the project's finding with that
passage as its support, releases the passage as a quote with its phone number redacted, and
opens the who-was-heard comparison and the community insight report.

Every page is screenshot at 1366 and 390 px (``var/test-artefacts/browser/open``) and checked
with axe-core (the ``Journey`` helper of ``test_web_journey``): no violations at all.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path
from typing import Any

import pytest
from tests.browser.journey import Journey, journey_page, shots_folder

from focuson.web.study.demo import PROJECT_TITLE

pytestmark = [
    pytest.mark.xdist_group("browser"),
    pytest.mark.allow_hosts(["127.0.0.1"]),
]

#: The transcript's passage to code: "I cannot read English letters; call me on 07700 900982."
#: (a number of Ofcom's drama range: the release step must redact it).
PASSAGE = "আমি ইংরেজি চিঠি পড়তে পারি না, আমাকে 07700 900982 নম্বরে ফোন করুন।"
TRANSCRIPT = f"""\
Facilitator: আপনারা ডাক্তারের কাছে যেতে কী কী সমস্যায় পড়েন?
P01: {PASSAGE}
P02: সকালে ফোন করলে লাইন সবসময় ব্যস্ত থাকে।
P03: মসজিদে বা কমিউনিটি সেন্টারে কথা হলে অনেকে আসবে।
"""
TRANSLATION = """\
Facilitator: What problems do you have in getting to the doctor?
P01: I cannot read English letters; call me on 07700 900982.
P02: When I ring in the morning, the line is always busy.
P03: If it is at the mosque or the community centre, many people will come.
"""
#: The paper sign-in sheet, by ethnic group (Find's codes).
TALLY = {"Asian": 11, "Black": 6, "White": 4, "Other": 2}


@pytest.fixture(scope="module")
def shots(artefacts: Path) -> Path:
    return shots_folder(artefacts, "open")


@pytest.fixture
def lead(browser: Any, web_app: Any, axe: Path, shots: Path) -> Any:
    with journey_page(browser, web_app.url, axe, shots, "lead") as journey:
        yield journey


def _submit(page: Any, name: str) -> None:
    page.locator("main form").get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def _no_errors(page: Any) -> None:
    summary = page.locator(".nhsuk-error-summary")
    assert summary.count() == 0, summary.inner_text()


def test_lead_records_an_event_codes_a_bengali_transcript_and_releases_a_quote(
    lead: Journey, web_app: Any, tmp_path: Path
) -> None:
    page = lead.page
    stamp = f"{time.time():.0f}"
    title = f"Journey listening event {stamp}"
    insight = f"Journey: letters in English only keep Bengali speakers away ({stamp})."
    lead.sign_in(*web_app.accounts["programme_lead"])

    # The demo project, from the board; its Open step shows what the demo seeded.
    lead.goto("/programme/")
    page.locator("main").get_by_role("link", name=PROJECT_TITLE).first.click()
    page.wait_for_load_state()
    project = re.search(r"/programme/projects/(\d+)/", page.url)
    assert project, page.url
    open_url = f"/open/projects/{project.group(1)}/"
    lead.goto(open_url)
    main = page.locator("main")
    assert "Demo listening event" in main.inner_text(), "the demo seeded no Open step here"
    lead.look("open")

    # Record an event, then its paper sign-in sheet.
    main.get_by_role("link", name="Record an event").click()
    page.wait_for_load_state()
    lead.look("event-form")
    today = dt.date.today()
    page.locator("main select[name=kind]").select_option("listening_event")
    page.locator("main input[name=title]").fill(title)
    page.locator("main input[name=date]").fill(today.isoformat())
    page.locator("main select[name=borough]").select_option(label="Brent")
    page.locator("main input[name=languages]").fill("Bengali, English")
    page.locator("main input[name=consent_basis]").fill(
        "Verbal consent to notes, explained in Bengali"
    )
    page.locator("main input[name=retention_date]").fill(
        (today + dt.timedelta(days=730)).isoformat()
    )
    _submit(page, "Save the event")
    _no_errors(page)
    assert title in main.inner_text()
    row = main.locator("tr", has_text=title)
    row.get_by_role("link", name="Enter a paper tally").click()
    page.wait_for_load_state()
    lead.look("tally-form")
    page.locator("main select[name=dimension]").select_option("ethnicity_6")
    for band, n in TALLY.items():
        page.locator(f"main input[name=n__ethnicity_6__{band}]").fill(str(n))
    _submit(page, "Save the tally")
    _no_errors(page)
    assert f"{sum(TALLY.values())} people counted" in main.inner_text()

    # Upload the Bengali transcript: the detector suggests Bengali, the lead confirms it.
    transcript = tmp_path / "conversation-bengali.txt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    lead.goto(open_url)
    main.get_by_role("link", name=f"Upload notes or a transcript ({title})").click()
    page.wait_for_load_state()
    lead.look("upload")
    page.locator("main input[name=file]").set_input_files(str(transcript))
    page.locator("main input[name=title]").fill(f"Journey transcript {stamp}")
    page.locator("main select[name=kind]").select_option("transcript")
    _submit(page, "Upload")
    _no_errors(page)
    assert "/details/" in page.url, page.url
    assert page.locator("main select[name=language]").input_value() == "bn", "not suggested Bengali"
    lead.look("confirm-language")
    _submit(page, "Save")
    source_url = page.url.split("#")[0]
    assert re.search(r"/open/sources/\d+/$", source_url), source_url
    assert PASSAGE in main.inner_text()

    # Its English translation, by a person; shown beside the original.
    main.get_by_role("link", name="Add a translation").click()
    page.wait_for_load_state()
    page.locator("main select[name=kind]").select_option("human")
    page.locator("main input[name=translator]").fill("Journey volunteer interpreter")
    page.locator("main textarea[name=text]").fill(TRANSLATION)
    lead.look("translation-form")
    _submit(page, "Save the translation")
    _no_errors(page)
    assert (
        "I cannot read English letters" in main.locator("#translation").locator("..").inner_text()
    )
    assert main.locator("#source-text").get_attribute("lang") == "bn"
    lead.look("source-with-translation")

    # Code a passage (its exact words: the way that works without JavaScript too).
    page.locator("main select[name=code]").select_option(label="Access > Letters and language")
    page.locator("main textarea[name=passage]").fill(PASSAGE)
    _submit(page, "Apply the code")
    _no_errors(page)
    coded = main.locator("#codings").locator("xpath=following::table[1]")
    assert PASSAGE[:20] in coded.inner_text(), "the passage is not among the coded ones"
    assert main.locator("mark.focuson-coded").count() >= 1
    lead.look("source-coded")

    # An insight linked to the project's finding, the coded passage as its support.
    lead.goto(open_url)
    main.get_by_role("link", name="Record an insight").click()
    page.wait_for_load_state()
    page.locator("main textarea[name=statement]").fill(insight)
    page.locator("main select[name=type]").select_option("barrier")
    page.locator("main select[name=finding]").select_option(index=1)
    page.locator("main select[name=relation]").select_option("explains")
    lead.look("insight-form")
    _submit(page, "Save the insight")
    _no_errors(page)
    item = main.locator("li", has_text=insight)
    assert item.count() == 1, "the insight is not on the Open page"
    item.get_by_role("link", name="Link supporting excerpts").click()
    page.wait_for_load_state()
    page.locator("main label", has_text=PASSAGE[:20]).first.click()
    lead.look("insight-support")
    _submit(page, "Save the supporting excerpts")
    _no_errors(page)
    assert "Explains the finding" in main.locator("li", has_text=insight).inner_text()

    # Release the passage as a quote: the phone number suggested for redaction and confirmed.
    lead.goto(f"/open/projects/{project.group(1)}/quotes/")
    lead.look("quotes")
    offered = main.locator("#passages ~ ul li", has_text=PASSAGE[:20])
    offered.get_by_role("link", name=re.compile("^Release as a quote")).first.click()
    page.wait_for_load_state()
    suggested = page.locator("main input[name=confirmed]")
    assert suggested.count() >= 1 and suggested.first.is_checked(), "no redaction suggested"
    _submit(page, "Preview")
    _no_errors(page)
    lead.look("release-preview")
    _submit(page, "Release this quote")
    _no_errors(page)
    assert page.url.split("#")[0].endswith("/quotes/"), page.url
    quote = main.locator("table tr", has_text=PASSAGE[:20]).first.inner_text()
    assert "[redacted]" in quote and "900982" not in quote, quote
    lead.look("quote-released")

    # Who was heard, compared with who is affected: the tally counts with the participants.
    lead.goto(open_url + "#heard")
    heard = main.get_by_role("heading", name="Who was heard, compared with who is affected")
    assert heard.is_visible()
    assert main.locator("table").count() >= 1, "no comparison table"
    lead.look("who-was-heard")
    lead.goto(f"/open/projects/{project.group(1)}/report/")
    assert page.get_by_role("heading", level=1).is_visible()
    lead.look("community-insight-report")

    assert lead.violations == {}, f"axe-core: {lead.violations}"
