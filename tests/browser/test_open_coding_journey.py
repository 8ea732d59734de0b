"""Open's sources and coding in a real browser: upload, translate, code by selecting, agree.

The programme lead opens a project of the demo, records an event and its paper sign-in tally,
uploads a Bengali transcript (the language suggested offline, then confirmed), adds its English
translation beside it, adds a code, selects a Bengali passage that follows an emoji with the
mouse's selection (the page's script sends UTF-16 offsets, the server stores code points) and
applies the code, links the passage to an insight tied to the project's finding, and opens the
agreement page, the coding tables and the who-was-heard comparison.

Every page is saved as a screenshot at 1366 and 390 px (``var/test-artefacts/browser/coding``)
and checked with axe-core (the ``Journey`` helper): no violations, no page wider than the screen.
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

#: A transcript line in Bengali after an emoji (two UTF-16 units, one code point).
PASSAGE = "সন্ধ্যায় ক্লিনিকে যেতে পারি না"
TRANSCRIPT = f"P1: 🚌 বাস ছয়টায় থামে, তাই {PASSAGE}।\nP2: আমার মায়ের দোভাষী দরকার।\n"
TRANSLATION = "P1: The bus stops at six, so I cannot get to the clinic in the evening."


@pytest.fixture(scope="module")
def shots(artefacts: Path) -> Path:
    return shots_folder(artefacts, "coding")


@pytest.fixture
def journey(browser: Any, web_app: Any, axe: Path, shots: Path) -> Any:
    with journey_page(browser, web_app.url, axe, shots, "lead") as journey:
        yield journey


def _first_project(journey: Journey) -> str:
    journey.goto("/programme/")
    href = journey.page.locator("main a[href*='/programme/projects/']").first.get_attribute("href")
    found = re.search(r"/programme/projects/(\d+)/", href or "")
    assert found, "no project on the board"
    return found.group(1)


def _select(page: Any, words: str) -> None:
    """Select ``words`` in the source's text as a person would with the mouse."""
    page.evaluate(
        """(words) => {
            for (const line of document.querySelectorAll('#source-text .focuson-source__text')) {
                const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    const at = node.data.indexOf(words);
                    if (at < 0) continue;
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + words.length);
                    const selection = document.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    return;
                }
            }
            throw new Error('words not on the page');
        }""",
        words,
    )


def test_lead_uploads_translates_and_codes_a_bengali_transcript(
    journey: Journey, web_app: Any, tmp_path: Path
) -> None:
    page = journey.page
    journey.sign_in(*web_app.accounts["programme_lead"])
    project = _first_project(journey)

    # An event, and its paper sign-in sheet counted by sex.
    journey.goto(f"/open/projects/{project}/events/new/")
    page.get_by_label("Kind").select_option("community_conversation")
    page.get_by_label("Title").fill("Coding journey: Bengali women's group")
    page.get_by_label("Date", exact=True).fill("2025-05-01")
    page.get_by_label("Languages used").fill("Bengali, English")
    page.get_by_label("Consent basis").fill("Verbal consent, recorded")
    page.get_by_label("Keep the records until").fill("2027-05-01")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    event = re.search(r"#event-(\d+)", page.url)
    assert event, page.url
    journey.goto(f"/open/events/{event.group(1)}/tally/")
    page.get_by_label("Counted by").select_option("sex")
    page.get_by_label("Female").first.fill("9")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    # The Bengali transcript: the language is suggested, then confirmed.
    upload = tmp_path / "bengali-group.txt"
    upload.write_text(TRANSCRIPT, encoding="utf-8")
    journey.goto(f"/open/events/{event.group(1)}/sources/new/")
    journey.look("upload")
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_label("What it is").select_option("transcript")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "looks like Bengali" in page.content()
    journey.look("confirm-language")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    source_url = page.url
    assert re.search(r"/open/sources/\d+/$", source_url), source_url

    # Its English translation, beside the original.
    page.get_by_role("link", name="Add a translation").click()
    page.get_by_label("Made by").select_option("human")
    page.get_by_label("Translator").fill("Community interpreter")
    page.locator("textarea[name=text]").fill(TRANSLATION)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#source-text[lang=bn][dir=ltr]").count() == 1
    assert page.get_by_text("Human translation").count() == 1

    # A code, then the passage selected and coded.
    journey.goto(f"/open/projects/{project}/codebook/")
    page.get_by_label("Name").fill("Evening access")
    page.get_by_role("button", name="Add the code").click()
    page.wait_for_load_state()
    journey.look("codebook")
    page.goto(source_url)
    journey.look("source")
    _select(page, PASSAGE)
    page.wait_for_function("() => document.querySelector('input[name=utf16_start]').value !== ''")
    assert page.locator("textarea[name=passage]").input_value() == PASSAGE
    page.get_by_label("Code", exact=True).select_option(label="Evening access")
    page.get_by_role("button", name="Apply the code").click()
    page.wait_for_load_state()
    start = TRANSCRIPT.index(PASSAGE)  # code points: the emoji counts once
    message = page.locator(".focuson-message").first.inner_text()
    assert f"characters {start} to {start + len(PASSAGE)}" in message, message
    assert page.locator("mark.focuson-coded").first.inner_text() == PASSAGE
    journey.look("coded")

    # A whole line, as a triple click selects it (ending at the start of the next line).
    page.evaluate(
        """() => {
            const lines = document.querySelectorAll('#source-text .focuson-source__line');
            const range = document.createRange();
            range.setStart(lines[1].querySelector('.focuson-source__text'), 0);
            range.setEnd(lines[2], 0);
            document.getSelection().removeAllRanges();
            document.getSelection().addRange(range);
        }"""
    )
    page.wait_for_function("() => document.querySelector('input[name=utf16_start]').value !== ''")
    page.get_by_label("Code", exact=True).select_option(label="Evening access")
    page.get_by_role("button", name="Apply the code").click()
    page.wait_for_load_state()
    second = TRANSCRIPT.split("\n")[1]
    begins = TRANSCRIPT.index(second)
    message = page.locator(".focuson-message").first.inner_text()
    assert f"characters {begins} to {begins + len(second)}" in message, message

    # An insight tied to the finding, supported by the passage.
    journey.goto(f"/open/projects/{project}/insights/new/")
    page.get_by_label("Statement").fill("Evening clinics are out of reach by bus.")
    page.get_by_label("Type").select_option("barrier")
    finding = page.get_by_label("Finding", exact=True)
    options = finding.locator("option").evaluate_all("os => os.map(o => o.value)")
    if len([o for o in options if o]) > 0:
        finding.select_option(index=1)
        page.get_by_label("How it bears on the finding").select_option("explains")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    ours = page.locator("li", has_text="Evening clinics are out of reach by bus.")
    ours.get_by_role("link", name=re.compile("Link supporting excerpts")).click()
    journey.look("support")
    page.get_by_label(re.compile("Evening access")).first.check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    ours = page.locator("li", has_text="Evening clinics are out of reach by bus.")
    # Nobody was named as the speaker: one excerpt from one event, no one counted as a voice.
    assert "Strength: 0 people in 1 events, 1 supporting excerpts." in ours.inner_text()
    journey.look("open")

    for path, name in (
        (f"/open/projects/{project}/sources/", "sources"),
        (f"/open/projects/{project}/agreement/", "agreement"),
        (f"/open/projects/{project}/tables/", "tables"),
    ):
        journey.goto(path)
        journey.look(name)
    # The demo's coders compared (the results table and the sample's checkboxes looked at too).
    journey.goto(f"/open/projects/{project}/agreement/")
    coders = page.get_by_label("First coder").locator("option").count() - 1
    if coders >= 2:
        page.get_by_label("First coder").select_option(index=1)
        page.get_by_label("Second coder").select_option(index=2)
        page.get_by_role("button", name="Compare").click()
        page.wait_for_load_state()
        journey.look("agreement-compared")
    assert not journey.violations, journey.violations
