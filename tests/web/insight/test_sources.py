"""Sources: TXT, DOCX and WebVTT uploaded through the library's readers, bad files refused naming
the file with nothing saved, the language suggested offline and confirmed by a person,
right-to-left text marked, translations beside the original; only the project's workspace
(CODE_SOURCES) sees them."""

from __future__ import annotations

import io
from html import escape

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.web.factories.insight_event import EventFactory
from tests.web.factories.insight_source import SourceFactory
from tests.web.factories.insight_translation import TranslationFactory
from tests.web.factories.project_membership import ProjectMembershipFactory

from focuson.web.insight import languages
from focuson.web.insight.models import Source, Translation
from focuson.web.insight.source_forms import MAX_UPLOAD_BYTES

BENGALI = (
    "আমরা সন্ধ্যায় ক্লিনিকে যেতে পারি না কারণ বাস ছয়টায় বন্ধ হয়ে যায়।\n"
    "আমার মা ইংরেজি বলতে পারেন না, তাই দোভাষী দরকার।\n"
)
ARABIC = "لا أستطيع الذهاب إلى العيادة في المساء لأن الحافلة تتوقف في السادسة."
VTT = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Amina>The bus stops at six.\n\n"
    "00:00:05.000 --> 00:00:09.500\n<v Facilitator>Would an evening clinic help?\n"
)


def _member(role_user, project, role="facilitator"):
    user = role_user(role)
    ProjectMembershipFactory(project=project, user=user)
    return user


def _docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _upload(client, event, name, data, **fields):
    body = {"kind": "notes", "title": "", "language": "", **fields}
    body["file"] = SimpleUploadedFile(name, data)
    return client.post(reverse("insight:source_new", args=[event.pk]), body)


@pytest.mark.django_db
def test_bengali_text_is_uploaded_and_its_language_suggested(client_as, role_user):
    event = EventFactory()
    client = client_as(_member(role_user, event.project))
    response = _upload(client, event, "harlesden.txt", BENGALI.encode("utf-8-sig"))
    source = Source.objects.get(event=event)
    # The detector suggests; a person is sent to confirm.
    assert response.status_code == 302
    assert response["Location"] == reverse("insight:source_details", args=[source.pk])
    assert source.language == "bn" and not source.language_confirmed
    assert source.text == BENGALI  # byte-order mark dropped, NFC, LF
    assert source.title == "harlesden.txt" and source.file_kind == "txt"
    assert source.project == event.project and source.uploaded_by.role == "facilitator"
    page = client.get(response["Location"])
    assert "looks like Bengali" in page.text
    confirmed = client.post(
        response["Location"], {"title": "Harlesden notes", "kind": "notes", "language": "bn"}
    )
    assert confirmed.status_code == 302
    source.refresh_from_db()
    assert source.language_confirmed and source.title == "Harlesden notes"
    assert source.history.count() == 2  # uploaded, then confirmed: audited


@pytest.mark.django_db
def test_docx_and_webvtt_are_read_by_the_library(client_as, role_user):
    event = EventFactory()
    client = client_as(_member(role_user, event.project))
    _upload(client, event, "notes.docx", _docx("First point.", "Second point."), language="en")
    _upload(client, event, "call.vtt", VTT.encode(), kind="transcript", language="en")
    word = Source.objects.get(file_kind="docx")
    assert word.text == "First point.\nSecond point." and word.language_confirmed
    vtt = Source.objects.get(file_kind="vtt")
    assert vtt.text.startswith("[00:00:01] Amina: The bus stops at six.")
    start, end, speaker, at, until = vtt.cues[0]
    assert vtt.text[start:end] == "The bus stops at six." and speaker == "Amina"
    assert (at, until) == (1.0, 4.0) and vtt.cues[1][4] == 9.5


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.txt", "café".encode("latin-1"), "notes.txt, line 1: not UTF-8 text"),
        ("notes.pdf", b"%PDF-1.4", "notes.pdf: only .txt, .docx and .vtt"),
        ("notes.docx", b"not a zip", "notes.docx: not a Word document"),
        ("call.vtt", b"00:01 --> 00:02\nhello", "call.vtt, line 1: a WebVTT file starts"),
        ("empty.txt", b"  \n", "empty.txt has no text in it"),
        ("big.txt", b"a" * (MAX_UPLOAD_BYTES + 1), "big.txt is larger than 5 MB"),
    ],
)
def test_bad_files_are_refused_naming_the_file(client_as, role_user, name, data, message):
    event = EventFactory()
    client = client_as(_member(role_user, event.project))
    response = _upload(client, event, name, data, language="en")
    assert response.status_code == 200
    assert escape(message) in response.text and "There is a problem" in response.text
    assert not Source.all_objects.exists()


@pytest.mark.django_db
def test_rtl_source_and_its_translation_side_by_side(client_as, role_user):
    source = SourceFactory(text=ARABIC, language="ar", language_confirmed=True)
    client = client_as(_member(role_user, source.project))
    response = client.post(
        reverse("insight:translation_new", args=[source.pk]),
        {
            "language": "en",
            "kind": "reviewed",
            "translator": "Language line, checked by A. Hassan",
            "text": "I cannot go to the clinic\r\nin the evening.",
        },
    )
    made = Translation.objects.get(source=source)
    assert response.status_code == 302 and f"translation={made.pk}" in response["Location"]
    assert made.text == "I cannot go to the clinic\nin the evening."  # canonical, like sources
    page = client.get(response["Location"])
    assert 'id="source-text" lang="ar" dir="rtl"' in page.text
    assert 'lang="en" dir="ltr"' in page.text
    assert "Machine translation, reviewed by a person" in page.text
    assert source.text[:20] in page.text and "I cannot go to the clinic" in page.text
    source.refresh_from_db()
    assert source.text == ARABIC  # the original is the record


@pytest.mark.django_db
def test_translation_needs_text_and_another_language(client_as, role_user):
    source = SourceFactory(language="so")
    client = client_as(_member(role_user, source.project))
    url = reverse("insight:translation_new", args=[source.pk])
    response = client.post(url, {"language": "so", "kind": "human", "text": ""})
    assert "Paste the translation, or upload it as a file." in response.text
    assert "must be in another language" in response.text
    assert not Translation.objects.exists()
    upload = SimpleUploadedFile("en.docx", _docx("The bus stops at six."))
    client.post(url, {"language": "en", "kind": "machine", "text": "", "file": upload})
    assert Translation.objects.get().text == "The bus stops at six."


def test_direction_of_languages():
    assert [languages.direction(c) for c in ("ar", "ur", "fa", "pa-Arab", "ps")] == ["rtl"] * 5
    assert [languages.direction(c) for c in ("bn", "so", "ta", "pa", "en", "zh")] == ["ltr"] * 6


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (BENGALI, "bn"),
        (ARABIC, "ar"),
        ("Baska ma imaado xilliga fiidka, waxaan u baahanahay turjubaan.", "so"),
        ("மாலையில் மருத்துவமனைக்கு போக முடியவில்லை, பேருந்து ஆறு மணிக்கு நிற்கிறது.", "ta"),
        ("میں شام کو کلینک نہیں جا سکتی کیونکہ بس چھ بجے بند ہو جاتی ہے۔", "ur"),
        ("Nie mogę iść do przychodni wieczorem, bo autobus kończy kurs o szóstej.", "pl"),
    ],
)
def test_detector_suggests_north_west_london_languages(text, code):
    assert languages.detect(text) == code


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["source", "source_details", "translation_new", "source_delete"])
def test_viewer_and_outsider_cannot_see_sources(client_as, role_user, name):
    source = SourceFactory()
    TranslationFactory(source=source)
    url = reverse(f"insight:{name}", args=[source.pk])
    assert client_as("viewer").get(url).status_code == 404
    assert client_as("facilitator").get(url).status_code == 404  # not a member
    assert client_as(_member(role_user, source.project)).get(url).status_code == 200


@pytest.mark.django_db
def test_source_deleted_is_hidden_and_restorable(client_as, role_user):
    source = SourceFactory()
    client = client_as(_member(role_user, source.project))
    response = client.post(reverse("insight:source_delete", args=[source.pk]))
    assert response["Location"] == reverse("insight:workspace", args=[source.project_id])
    assert client.get(source.get_absolute_url()).status_code == 404
    hidden = Source.all_objects.get(pk=source.pk)
    assert hidden.deleted_by is not None
    hidden.restore()
    assert client.get(source.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_workspace_lists_sources_by_event(client_as, role_user):
    source = SourceFactory(title="Harlesden notes", language="bn")
    client = client_as(_member(role_user, source.project, role="analyst"))
    page = client.get(reverse("insight:workspace", args=[source.project_id]))
    assert "Harlesden notes" in page.text and "Bengali" in page.text
    assert reverse("insight:source_new", args=[source.event_id]) in page.text


@pytest.mark.django_db
def test_workspace_pages_mark_where_you_are(client_as, role_user):
    source = SourceFactory()
    client = client_as(_member(role_user, source.project, role="analyst"))
    for name in ("workspace", "codebook", "agreement", "tables"):
        url = reverse(f"insight:{name}", args=[source.project_id])
        page = client.get(url).text
        assert f'href="{url}" aria-current="page"' in page
        assert page.count('aria-current="page"') == 1


@pytest.mark.django_db
def test_translation_deleted_leaves_the_original(client_as, role_user):
    translation = TranslationFactory(text="A translation to remove.")
    source = translation.source
    client = client_as(_member(role_user, source.project))
    response = client.post(reverse("insight:translation_delete", args=[translation.pk]))
    assert response["Location"] == source.get_absolute_url()
    assert not Translation.objects.exists() and Translation.all_objects.get().deleted_by
    page = client.get(source.get_absolute_url()).text
    assert "A translation to remove." not in page and source.text.split("\n")[0] in page
