"""REFI-QDA in the web app: exports that validate, an import that reports what it left out, and a
round trip (export, import into a new project, export again) keeping every code, coding and
offset, in Bengali, Arabic and text with emoji and combining marks."""

from __future__ import annotations

import io
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.web.factories.borough import BoroughFactory
from tests.web.factories.insight_code import CodeFactory
from tests.web.factories.insight_coding import CodingFactory
from tests.web.factories.insight_event import EventFactory
from tests.web.factories.insight_memo import MemoFactory
from tests.web.factories.insight_participant import ParticipantFactory
from tests.web.factories.insight_source import SourceFactory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.user import UserFactory

from focuson.insight.refi_qda import read_qdpx, validate, write_qdpx
from focuson.web.insight.models import Code, Coding, Memo, Participant, Source
from focuson.web.insight.qda_export import export_project

TEXTS = {
    "bn": "আমার নাম রহিমা। ক্লিনিকে যেতে বাস নেই, সন্ধ্যায় কেউ নেই।",
    "ar": "لا توجد حافلة إلى العيادة بعد السادسة مساءً.",
    "so": "Baska ma yimaado ka dib lixda fiidnimo, sidaas darteed ma tago.",
    "ta": "மாலை ஆறு மணிக்குப் பிறகு பேருந்து வருவதில்லை.",
    "en": "Emoji 👩🏽‍⚕️ and e\u0301 combining: the bus 🚌 never comes.",
}
PASSAGES = {
    "bn": "বাস নেই",
    "ar": "حافلة",
    "so": "Baska ma yimaado",
    "ta": "பேருந்து வருவதில்லை",
    "en": "the bus 🚌 never comes",
}


def _project():
    project = ProjectFactory(title="Listening in Brent")
    second = UserFactory(role="analyst")
    event = EventFactory(project=project)
    brent = BoroughFactory()
    rahima = ParticipantFactory(
        event=event, age_band="65-79", sex="F", ethnic_group="Asian", borough=brent, language="bn"
    )
    ParticipantFactory(event=event, interpreter_needed="yes")
    access = CodeFactory(project=project, name="Access", is_codable=False, colour="#005EB8")
    transport = CodeFactory(project=project, name="Transport", parent=access)
    evening = CodeFactory(project=project, name="Evening", parent=transport, description="late")
    MemoFactory(project=project, code=access, text="Access covers getting there.")
    for language, text in TEXTS.items():
        source = SourceFactory(event=event, text=text, language=language, title=f"{language} notes")
        start = text.index(PASSAGES[language])
        end = start + len(PASSAGES[language])
        first = CodingFactory(
            source=source, code=transport, start=start, end=end, participant=rahima
        )
        CodingFactory(
            source=source,
            code=evening,
            start=start,
            end=end,
            coder=second,
            selection_guid=first.selection_guid,
        )
        MemoFactory(project=project, coding=first, text=f"Memo on {language}")
        MemoFactory(project=project, source=source, text=f"Source memo {language}")
    return project, event


def _shape(project):
    """What must survive a round trip, without GUIDs (an import makes new ones)."""
    exported = export_project(project)
    names = {v.guid: v.name for v in exported.variables}
    users = {u.guid: u.name for u in exported.users}
    notes = {n.guid: n.text for n in exported.notes}

    def code_tree(codes):
        return sorted(
            (
                c.name,
                c.is_codable,
                c.color,
                c.description,
                code_tree(c.children),
                sorted(notes[n] for n in c.notes),
            )
            for c in codes
        )

    paths = {}

    def walk(codes, above=""):
        for c in codes:
            paths[c.guid] = f"{above}/{c.name}"
            walk(c.children, paths[c.guid])

    walk(exported.codes)
    selections = {}
    sources = []
    for s in exported.sources:
        sels = []
        for sel in s.selections:
            selections[sel.guid] = (s.name, sel.start, sel.end)
            codings = sorted((paths[c.code], users[c.user]) for c in sel.codings)
            sels.append(
                (
                    sel.start,
                    sel.end,
                    s.text[sel.start : sel.end],
                    codings,
                    sorted(notes[n] for n in sel.notes),
                )
            )
        sources.append((s.name, s.text, sorted(sels), sorted(notes[n] for n in s.notes)))
    cases = sorted(
        (
            c.name,
            sorted((names[v], value) for v, value in c.values),
            sorted(selections[g] for g in c.selections),
        )
        for c in exported.cases
    )
    return code_tree(exported.codes), sorted(sources), cases


@pytest.mark.django_db
def test_export_validates_and_carries_every_part(client_as):
    project, _event = _project()
    client = client_as(project.owner)
    response = client.get(reverse("insight:qdpx_export", args=[project.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    validate(archive.read("project.qde"))
    back = read_qdpx(response.content)
    assert back.dropped == ()
    p = back.project
    assert len(p.users) == 2 and len(p.sources) == len(TEXTS) and len(p.sets) == 1
    assert {c.name for c in p.cases} == set(Participant.objects.values_list("pseudonym", flat=True))
    for source in p.sources:
        language = source.name.split()[0]
        (sel,) = source.selections
        assert source.text[sel.start : sel.end] == PASSAGES[language]
        assert len(sel.codings) == 2 and len({c.user for c in sel.codings}) == 2
    rahima = next(c for c in p.cases if c.selections)
    assert len(rahima.selections) == len(TEXTS) and ("65-79" in dict(rahima.values).values())
    codebook = client.get(reverse("insight:qdc_export", args=[project.pk]))
    assert codebook.status_code == 200
    assert b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"' in codebook.content
    assert b"Evening" in codebook.content


@pytest.mark.django_db
def test_round_trip_keeps_every_code_coding_and_offset(client_as):
    project, _event = _project()
    data = write_qdpx(export_project(project))
    copy = ProjectFactory(owner=project.owner, title="Listening in Brent")
    target = EventFactory(project=copy)
    response = client_as(project.owner).post(
        reverse("insight:qda", args=[copy.pk]),
        {"file": SimpleUploadedFile("brent.qdpx", data), "event": target.pk},
    )
    assert response.status_code == 200, response.text
    assert "Everything in the file was brought across" not in response.text  # sets are said
    assert "1 set(s)" in response.text
    assert Source.objects.filter(event=target).count() == len(TEXTS)
    assert Coding.objects.filter(source__event=target).count() == 2 * len(TEXTS)
    assert Memo.objects.filter(project=copy).count() == 1 + 2 * len(TEXTS)
    assert _shape(copy) == _shape(project)
    # Codings keep their offsets into the imported text, in code points.
    for coding in Coding.objects.filter(source__event=target):
        assert coding.source.text[coding.start : coding.end] == coding.excerpt
        assert coding.excerpt in PASSAGES.values()
    # New GUIDs: a copy, not a clash.
    assert not set(Code.objects.filter(project=copy).values_list("guid", flat=True)) & set(
        Code.objects.filter(project=project).values_list("guid", flat=True)
    )


@pytest.mark.django_db
def test_import_is_atomic_and_says_what_is_wrong(client_as):
    project = ProjectFactory()
    event = EventFactory(project=project)
    client = client_as(project.owner)
    url = reverse("insight:qda", args=[project.pk])
    bad = client.post(url, {"file": SimpleUploadedFile("x.qdpx", b"not a zip"), "event": event.pk})
    assert bad.status_code == 200 and "not a .qdpx file" in bad.text
    wrong = client.post(url, {"file": SimpleUploadedFile("x.txt", b"hello"), "event": event.pk})
    assert "Choose a .qdpx file" in wrong.text
    other = EventFactory()
    data = write_qdpx(export_project(_project()[0]))
    foreign = client.post(url, {"file": SimpleUploadedFile("a.qdpx", data), "event": other.pk})
    assert "Select a valid choice" in foreign.text
    assert not Source.objects.filter(event__project=project).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["qda", "qdpx_export", "qdc_export"])
def test_readers_and_outsiders_get_404(client_as, name):
    project = ProjectFactory()
    for role in ("viewer", "facilitator"):
        assert client_as(role).get(reverse(f"insight:{name}", args=[project.pk])).status_code == 404


G = {k: str(uuid.uuid4()).upper() for k in "UCDSXYNKVWM"}
FOREIGN = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="From NVivo" origin="NVivo 14">
  <Users><User guid="{{{G["U"]}}}" name="Analyst at a university"/></Users>
  <CodeBook><Codes>
    <Code guid="{G["C"]}" name="Access" isCodable="true" color="#ff0000">
      <Code guid="{G["D"]}" name="Transport" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="{G["V"]}" name="Age band" typeOfVariable="Text"/>
    <Variable guid="{G["W"]}" name="Occupation" typeOfVariable="Text"/>
  </Variables>
  <Cases>
    <Case guid="{G["K"]}" name="Interviewee 1">
      <VariableValue>
        <VariableRef targetGUID="{G["V"]}"/><TextValue>65-79</TextValue>
      </VariableValue>
      <VariableValue>
        <VariableRef targetGUID="{G["W"]}"/><TextValue>Driver</TextValue>
      </VariableValue>
      <SelectionRef targetGUID="{G["X"]}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{G["S"]}" name="Interview 1" plainTextPath="internal://{G["S"]}.txt">
      <PlainTextSelection guid="{G["X"]}" startPosition="4" endPosition="7" creatingUser="{G["U"]}">
        <Coding guid="{G["Y"]}" creatingUser="{{{G["U"]}}}">
          <CodeRef targetGUID="{{{G["D"]}}}"/>
        </Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{G["M"]}" startPosition="5" endPosition="500">
        <Coding guid="{uuid.uuid4()}"><CodeRef targetGUID="{G["C"]}"/></Coding>
      </PlainTextSelection>
      <Coding guid="{G["N"]}"><CodeRef targetGUID="{G["C"]}"/></Coding>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="{uuid.uuid4()}" name="Loose"><PlainTextContent>On nothing</PlainTextContent></Note>
  </Notes>
</Project>
"""


def _foreign() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", FOREIGN)
        archive.writestr(f"Sources/{G['S']}.txt", "\ufeffThe bus never comes")
    return buffer.getvalue()


@pytest.mark.django_db
def test_import_from_another_tool_says_in_words_what_it_left_out(client_as):
    validate(FOREIGN)  # the fixture is a valid REFI-QDA project
    project = ProjectFactory()
    event = EventFactory(project=project)
    CodeFactory(project=project, name="access")  # merged by name, not doubled
    response = client_as(project.owner).post(
        reverse("insight:qda", args=[project.pk]),
        {"file": SimpleUploadedFile("nvivo.qdpx", _foreign()), "event": event.pk},
    )
    assert response.status_code == 200
    text = response.text
    for said in [
        "1 coding(s) of the whole source &#x27;Interview 1&#x27;",
        "case variables Open does not keep: Occupation (left out)",
        "1 selection(s) empty or outside their source&#x27;s text (left out)",
        "codings by 1 coder(s) with no account here: recorded as yours",
        "1 note(s) empty or attached to no code, selection or source",
    ]:
        assert said in text, said
    (coding,) = Coding.objects.filter(source__event=event)
    assert coding.excerpt == "bus" and coding.code.path == "access > Transport"
    assert coding.coder == project.owner
    person = Participant.objects.get(event=event)
    assert person.pseudonym == "Interviewee 1" and person.age_band == "65-79"
    assert coding.participant == person
    assert Code.objects.filter(project=project).count() == 2


@pytest.mark.django_db
def test_import_refuses_files_too_large_packed_or_unpacked(client_as, monkeypatch):
    from focuson.web.insight import qda

    project = ProjectFactory()
    event = EventFactory(project=project)
    client = client_as(project.owner)
    url = reverse("insight:qda", args=[project.pk])
    monkeypatch.setattr(qda, "MAX_UNPACKED", 100)
    bomb = client.post(url, {"file": SimpleUploadedFile("a.qdpx", _foreign()), "event": event.pk})
    assert "more than the 100 allowed" in bomb.text
    monkeypatch.setattr(qda, "MAX_UPLOAD", 10)
    big = client.post(url, {"file": SimpleUploadedFile("a.qdpx", _foreign()), "event": event.pk})
    assert "larger than 20 MB" in big.text
    assert not Source.objects.exists()
