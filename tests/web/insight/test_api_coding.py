"""The workspace's API: a project's codebook and a source with its codings (code-point offsets),
for the project's workspace only."""

from __future__ import annotations

import pytest
from tests.web.factories.insight_code import CodeFactory
from tests.web.factories.insight_coding import CodingFactory
from tests.web.factories.insight_participant import ParticipantFactory
from tests.web.factories.insight_source import SourceFactory
from tests.web.factories.insight_translation import TranslationFactory
from tests.web.factories.project_membership import ProjectMembershipFactory

TEXT = "🚌 বাস ছয়টায় থামে"


@pytest.mark.django_db
def test_codebook_and_source_with_codings(client_as, role_user):
    source = SourceFactory(text=TEXT, language="bn")
    TranslationFactory(source=source, text="The bus stops at six")
    parent = CodeFactory(project=source.project, name="Access")
    child = CodeFactory(project=source.project, name="Transport", parent=parent)
    person = ParticipantFactory(event=source.event)
    start = TEXT.index("বাস")
    CodingFactory(source=source, code=child, start=start, end=start + 3, participant=person)
    user = role_user("analyst")
    client = client_as(user)
    codes = client.get(f"/api/open/projects/{source.project_id}/codebook").json()
    by_name = {c["name"]: c for c in codes}
    assert by_name["Transport"]["parent_id"] == parent.pk
    assert (by_name["Transport"]["passages"], by_name["Transport"]["people"]) == (1, 1)
    assert by_name["Access"]["guid"] == str(parent.guid)
    body = client.get(f"/api/open/sources/{source.pk}").json()
    assert body["text"] == TEXT and body["direction"] == "ltr" and body["language"] == "bn"
    (coding,) = body["codings"]
    # Code points: the emoji before the passage counts once (a browser would say 3, not 2).
    assert (coding["start"], coding["end"]) == (2, 5)
    assert body["text"][coding["start"] : coding["end"]] == coding["excerpt"] == "বাস"
    assert body["translations"][0]["text"] == "The bus stops at six"


@pytest.mark.django_db
def test_readers_and_outsiders_get_404(client_as, role_user):
    source = SourceFactory()
    for who in ("viewer", "facilitator"):
        client = client_as(who)
        assert client.get(f"/api/open/sources/{source.pk}").status_code == 404
        assert client.get(f"/api/open/projects/{source.project_id}/codebook").status_code == 404
    member = role_user("facilitator")
    ProjectMembershipFactory(project=source.project, user=member)
    assert client_as(member).get(f"/api/open/sources/{source.pk}").status_code == 200
