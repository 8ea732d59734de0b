"""Coding: the codebook (add, nest, rename), a passage coded by start and end, by its words or by
a browser selection (UTF-16), stored as code points in every script; coders attributed; memos
on codes, codings and sources; supporting excerpts and an insight's strength."""

from __future__ import annotations

from html import escape

import pytest
from django.urls import reverse
from tests.web.factories.insight_code import CodeFactory
from tests.web.factories.insight_coding import CodingFactory
from tests.web.factories.insight_event import EventFactory
from tests.web.factories.insight_insight import InsightFactory
from tests.web.factories.insight_participant import ParticipantFactory
from tests.web.factories.insight_source import SourceFactory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.project_membership import ProjectMembershipFactory
from tests.web.insight.test_passages import SCRIPTS

from focuson.web.insight.models import Code, Coding, Memo, code_paths


def _member(role_user, project, role="facilitator"):
    user = role_user(role)
    ProjectMembershipFactory(project=project, user=user)
    return user


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.django_db
def test_codebook_nests_renames_and_refuses_loops(client_as, role_user):
    project = ProjectFactory()
    client = client_as(_member(role_user, project, role="analyst"))
    url = reverse("insight:codebook", args=[project.pk])
    client.post(url, {"name": "Access", "description": "Getting there", "is_codable": "on"})
    access = Code.objects.get(name="Access")
    client.post(url, {"name": "Transport", "parent": access.pk, "is_codable": "on"})
    transport = Code.objects.get(name="Transport")
    assert transport.parent == access and transport.path == "Access > Transport"
    assert code_paths(project.pk) == {access.pk: "Access", transport.pk: "Access > Transport"}
    assert transport.created_by.role == "analyst"
    # The same name twice under one parent is refused; nothing saved.
    again = client.post(url, {"name": "transport", "parent": access.pk})
    assert "already there" in again.text and Code.objects.count() == 2
    # Rename and move to the top; a code cannot go under its own child.
    page = reverse("insight:code", args=[access.pk])
    loop = client.post(page, {"name": "Access", "parent": transport.pk})
    assert loop.status_code == 200 and "Select a valid choice" in loop.text
    client.post(page, {"name": "Getting to care", "is_codable": "on"})
    access.refresh_from_db()
    assert access.name == "Getting to care" and access.history.count() == 2
    tree = client.get(url).text
    assert tree.index("Getting to care") < tree.index("focuson-depth-1")


@pytest.mark.django_db
@pytest.mark.parametrize("script", SCRIPTS)
def test_selection_in_every_script_is_stored_as_code_points(client_as, role_user, script):
    text, passage = SCRIPTS[script]
    source = SourceFactory(text=text)
    code = CodeFactory(project=source.project)
    client = client_as(_member(role_user, source.project))
    start = text.index(passage)
    end = start + len(passage)
    response = client.post(
        reverse("insight:coding_new", args=[source.pk]),
        {
            "code": code.pk,
            # What the page's script sends: a browser's UTF-16 offsets, and the words.
            "utf16_start": _u16(text[:start]),
            "utf16_end": _u16(text[:end]),
            "passage": passage,
            "text_hash": source.text_hash,
        },
    )
    assert response.status_code == 302
    coding = Coding.objects.get()
    assert (coding.start, coding.end) == (start, end)
    assert coding.excerpt == text[coding.start : coding.end] == passage


@pytest.mark.django_db
@pytest.mark.parametrize("script", SCRIPTS)
def test_coding_without_javascript_by_words_or_offsets(client_as, role_user, script):
    text, passage = SCRIPTS[script]
    source = SourceFactory(text=text)
    code = CodeFactory(project=source.project)
    client = client_as(_member(role_user, source.project))
    url = reverse("insight:coding_new", args=[source.pk])
    client.post(url, {"code": code.pk, "passage": passage})
    start = text.index(passage)
    client.post(url, {"code": code.pk, "start": start, "end": start + len(passage)})
    # Both ways give the same passage; the same coder coding it twice keeps one coding.
    coding = Coding.objects.get()
    assert coding.excerpt == passage and coding.start == start


@pytest.mark.django_db
def test_bad_passages_are_refused_with_what_to_do(client_as, role_user):
    source = SourceFactory(text="Bus late. Bus late again.")
    code = CodeFactory(project=source.project)
    other = CodeFactory()  # another project's codebook
    client = client_as(_member(role_user, source.project))
    url = reverse("insight:coding_new", args=[source.pk])
    cases = [
        ({"code": code.pk}, "Give the passage"),
        ({"code": code.pk, "passage": "Bus late"}, "appear 2 times"),
        ({"code": code.pk, "passage": "train"}, "not in the text"),
        ({"code": code.pk, "start": 5, "end": 500}, "which has 25 characters"),
        ({"code": code.pk, "start": 4, "end": 1}, "after its start"),
        ({"code": other.pk, "start": 0, "end": 3}, "Select a valid choice"),
        ({"code": code.pk, "start": 0, "end": 3, "text_hash": "0" * 64}, "reload"),
    ]
    for body, message in cases:
        response = client.post(url, body)
        assert response.status_code == 200, body
        assert message in response.text, body
    assert not Coding.objects.exists()


@pytest.mark.django_db
def test_several_coders_each_attributed(client_as, role_user):
    source = SourceFactory(text="The bus stops at six, so evening clinics are out of reach.")
    event_person = ParticipantFactory(event=source.event, pseudonym="P7")
    code = CodeFactory(project=source.project, name="Transport")
    first = _member(role_user, source.project)
    second = _member(role_user, source.project, role="analyst")
    url = reverse("insight:coding_new", args=[source.pk])
    for user in (first, second):
        client_as(user).post(
            url, {"code": code.pk, "start": 0, "end": 20, "participant": event_person.pk}
        )
    codings = Coding.objects.order_by("pk")
    assert [c.coder for c in codings] == [first, second]
    assert codings[0].selection_guid == codings[1].selection_guid  # one REFI selection
    assert codings[0].guid != codings[1].guid
    page = client_as(first).get(source.get_absolute_url()).text
    for user in (first, second):
        assert escape(user.get_full_name() or user.username) in page
    assert "P7" in page
    assert '<mark class="focuson-coded" title="Transport">' in page


@pytest.mark.django_db
def test_participant_of_another_event_cannot_be_named(client_as, role_user):
    source = SourceFactory()
    code = CodeFactory(project=source.project)
    stranger = ParticipantFactory(event=EventFactory(project=source.project))
    client = client_as(_member(role_user, source.project))
    url = reverse("insight:coding_new", args=[source.pk])
    response = client.post(url, {"code": code.pk, "start": 0, "end": 5, "participant": stranger.pk})
    assert "Select a valid choice" in response.text and not Coding.objects.exists()


@pytest.mark.django_db
def test_memos_on_a_code_a_coding_and_a_source(client_as, role_user):
    coding = CodingFactory()
    user = _member(role_user, coding.source.project)
    client = client_as(user)
    targets = [
        ("code_memo", coding.code, "code"),
        ("coding_memo", coding, "coding"),
        ("source_memo", coding.source, "source"),
    ]
    for name, target, field in targets:
        empty = client.post(reverse(f"insight:{name}", args=[target.pk]), {"text": ""})
        assert "Write the memo" in empty.text
        response = client.post(
            reverse(f"insight:{name}", args=[target.pk]), {"text": f"About this {field}."}
        )
        assert response.status_code == 302 and response["Location"].endswith("#memos")
        memo = Memo.objects.get(**{field: target})
        assert memo.author == user and memo.project == coding.source.project
    assert "About this coding." in client.get(reverse("insight:coding", args=[coding.pk])).text
    assert "About this code." in client.get(reverse("insight:code", args=[coding.code_id])).text
    assert "About this source." in client.get(coding.source.get_absolute_url()).text


@pytest.mark.django_db
def test_coding_removed_is_hidden_and_audited(client_as, role_user):
    coding = CodingFactory()
    user = _member(role_user, coding.source.project)
    client = client_as(user)
    client.post(reverse("insight:coding_delete", args=[coding.pk]))
    assert not Coding.objects.exists()
    hidden = Coding.all_objects.get()
    assert hidden.deleted_by == user and hidden.history.first().history_user == user


@pytest.mark.django_db
def test_insight_strength_counts_people_and_events(client_as, role_user):
    project = ProjectFactory()
    code = CodeFactory(project=project)
    links = []
    for _event in range(2):
        source = SourceFactory(event=EventFactory(project=project))
        people = [ParticipantFactory(event=source.event) for _ in range(2)]
        # Person 0 spoke twice: two excerpts, one voice.
        for person, start in ((people[0], 0), (people[0], 20), (people[1], 30)):
            links.append(
                CodingFactory(
                    source=source, code=code, start=start, end=start + 5, participant=person
                )
            )
    insight = InsightFactory(project=project)
    client = client_as(_member(role_user, project))
    response = client.post(
        reverse("insight:insight_support", args=[insight.pk]), {"codings": [c.pk for c in links]}
    )
    assert response.status_code == 302
    assert set(insight.codings.all()) == set(links)
    assert insight.history.first().history_change_reason == "Supporting excerpts changed"
    page = client.get(reverse("insight:open", args=[project.pk])).text
    assert "Strength: 4 people in 2 events, 6 supporting excerpts." in page
    (api,) = client.get(f"/api/open/projects/{project.pk}").json()["insights"]
    assert (api["people"], api["events"], api["supporting_excerpts"]) == (4, 2, 6)
    # A viewer reads the strength but gets no link into the sources.
    seen = client_as("viewer").get(reverse("insight:open", args=[project.pk])).text
    assert "Strength: 4 people" in seen
    assert reverse("insight:insight_support", args=[insight.pk]) not in seen
    assert escape(reverse("insight:workspace", args=[project.pk])) not in seen


@pytest.mark.django_db
def test_deleting_a_code_hides_it_with_its_children_and_codings(client_as, role_user):
    coding = CodingFactory()
    parent = coding.code
    child = CodeFactory(project=parent.project, parent=parent, name="Below")
    CodingFactory(source=coding.source, code=child, start=2, end=8)
    client = client_as(_member(role_user, parent.project))
    url = reverse("insight:code_delete", args=[parent.pk])
    ask = client.get(url).text
    assert "Its 2 coded passages stop showing" in ask and "Below" in ask
    response = client.post(url)
    assert response["Location"] == reverse("insight:codebook", args=[parent.project_id])
    assert not Code.objects.exists() and Code.all_objects.count() == 2
    page = client.get(coding.source.get_absolute_url()).text
    assert "Nothing coded yet." in page
    Code.all_objects.get(pk=parent.pk).restore()
    assert coding.code.name in client.get(coding.source.get_absolute_url()).text


@pytest.mark.django_db
def test_transcript_speaker_attributes_the_passage(client_as, role_user):
    text = "[00:00:01] P12: The bus stops at six.\n[00:00:05] Facilitator: Why?"
    cues = [[16, 37, "P12", 1.0, 4.0], [62, 66, "Facilitator", 5.0, 6.0]]
    source = SourceFactory(text=text, cues=cues, file_kind="vtt", kind="transcript")
    p12 = ParticipantFactory(event=source.event, pseudonym="p12")
    code = CodeFactory(project=source.project)
    client = client_as(_member(role_user, source.project))
    url = reverse("insight:coding_new", args=[source.pk])
    response = client.post(url, {"code": code.pk, "passage": "bus stops at six"}, follow=True)
    assert "Attributed to p12, the transcript&#x27;s speaker" in response.text
    assert Coding.objects.get().participant == p12
    # A passage across two voices, or a voice that is no participant, is attributed to nobody.
    client.post(url, {"code": code.pk, "start": 20, "end": 66})
    client.post(url, {"code": code.pk, "passage": "Why?"})
    assert list(Coding.objects.order_by("pk").values_list("participant", flat=True)) == [
        p12.pk,
        None,
        None,
    ]
