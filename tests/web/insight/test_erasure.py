"""Erasing a participant removes their coded passages everywhere: codings by every coder, memos
on them, links to insights, the words in the source (blanked, offsets kept) and every audit
copy; nothing of their words is left in any of Open's tables."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone
from tests.web.factories.insight_code import CodeFactory
from tests.web.factories.insight_coding import CodingFactory
from tests.web.factories.insight_insight import InsightFactory
from tests.web.factories.insight_memo import MemoFactory
from tests.web.factories.insight_participant import ParticipantFactory
from tests.web.factories.insight_source import SourceFactory
from tests.web.factories.insight_translation import TranslationFactory
from tests.web.factories.project_membership import ProjectMembershipFactory

from focuson.web.insight.coding_actions import ERASED
from focuson.web.insight.models import Coding, Memo, Participant, Quote, Translation

SECRET = "my neighbour Mrs Begum at 12 Acacia Road"
TEXT = f"P1: The bus stops at six.\nP2: I go with {SECRET} who drives.\nP1: Evenings are hard."


def _rows_holding(needle: str) -> list[str]:
    """Every row of every model of the app (history tables included) whose text holds it."""
    found = []
    for model in apps.get_app_config("insight").get_models():
        manager = getattr(model, "all_objects", model._default_manager)
        fields = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.TextField | models.CharField)
        ]
        query = models.Q()
        for name in fields:
            query |= models.Q(**{f"{name}__contains": needle})
        if fields and manager.filter(query).exists():
            found.append(model.__name__)
    return found


@pytest.mark.django_db
def test_erasing_a_participant_leaves_nothing_of_their_words(client_as, role_user):
    source = SourceFactory(text=TEXT)
    project = source.project
    translation = TranslationFactory(source=source, text=f"Translated: I go with {SECRET}.")
    p2 = ParticipantFactory(event=source.event, pseudonym="P2")
    p1 = ParticipantFactory(event=source.event, pseudonym="P1")
    code, other_code = CodeFactory(project=project), CodeFactory(project=project)
    start = TEXT.index("I go with")
    end = TEXT.index(" who drives") + len(" who drives.")
    user = role_user("facilitator")
    ProjectMembershipFactory(project=project, user=user)
    # P2's passage coded by two coders; one has a memo; an insight rests on it.
    theirs = [
        CodingFactory(source=source, code=code, start=start, end=end, participant=p2),
        CodingFactory(
            source=source, code=other_code, start=start, end=end, participant=p2, coder=user
        ),
    ]
    MemoFactory(coding=theirs[0], text=f"Mentions {SECRET}")
    insight = InsightFactory(project=project)
    insight.codings.set(theirs)
    # Someone else's coding overlapping P2's words (and not attributed to P2), and P1's.
    overlap = CodingFactory(source=source, code=code, start=0, end=start + 20)
    p1_start = TEXT.index("Evenings")
    kept = CodingFactory(source=source, code=code, start=p1_start, end=p1_start + 8, participant=p1)
    # A quote released from the overlapping coding holds part of P2's words.
    quote = Quote.objects.create(
        project=project,
        coding=overlap,
        redacted_text=overlap.excerpt,
        threshold=8,
        released_by=user,
        released_at=timezone.now(),
    )
    assert _rows_holding(SECRET)  # the words are there before

    response = client_as(user).post(reverse("insight:participant_erase", args=[p2.pk]), follow=True)

    assert "2 coded passages, 1 memos on them, and their words in 1 sources" in response.text
    assert "1 translations of those sources (translate the sources again)" in response.text
    assert "1 released quotes of passages that overlapped theirs" in response.text
    assert not Translation.all_objects.filter(pk=translation.pk).exists()
    assert not Quote.objects.filter(pk=quote.pk).exists()
    assert _rows_holding(SECRET) == []
    assert not Participant.objects.filter(pk=p2.pk).exists()
    assert not Coding.all_objects.filter(pk__in=[c.pk for c in theirs]).exists()
    assert not Coding.history.filter(id__in=[c.pk for c in theirs]).exists()
    assert not Memo.all_objects.exists() and not Memo.history.exists()
    assert insight.codings.count() == 0
    history_links = apps.get_model("insight", "HistoricalInsight_codings").objects
    assert not history_links.filter(coding_id__in=[c.pk for c in theirs]).exists()
    # The text keeps its length and lines, so other codings still point at the same words.
    source.refresh_from_db()
    assert len(source.text) == len(TEXT) and source.text.count("\n") == TEXT.count("\n")
    assert source.text[start:end] == ERASED * (end - start)
    kept.refresh_from_db()
    assert source.text[kept.start : kept.end] == kept.excerpt == "Evenings"
    overlap.refresh_from_db()
    assert overlap.excerpt == source.text[: start + 20] and SECRET not in overlap.excerpt
    assert Participant.objects.filter(pk=p1.pk).exists()
