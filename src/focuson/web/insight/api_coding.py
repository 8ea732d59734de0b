"""Open's workspace in the API: a project's codebook, and a source with its codings.

Residents' own words: every endpoint needs ``CODE_SOURCES`` in the project, like the pages.
Offsets are Unicode code points from 0, the end excluded (``text[start:end]`` in Python; a
JavaScript client converts from UTF-16).
"""

from __future__ import annotations

import datetime
import uuid

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Router, Schema

from focuson.web.insight.models import Code, Coding
from focuson.web.insight.source_views import live_sources
from focuson.web.permissions import Permission, get_visible_or_404
from focuson.web.programme.models import Project

router = Router(tags=["open"])


class CodeOut(Schema):
    id: int
    guid: uuid.UUID
    name: str
    parent_id: int | None
    description: str
    colour: str
    is_codable: bool
    #: Live coded passages, and the distinct participants whose words they are.
    passages: int
    people: int


class CodingOut(Schema):
    id: int
    guid: uuid.UUID
    selection_guid: uuid.UUID
    code_id: int
    start: int
    end: int
    excerpt: str
    coder: str
    participant_id: int | None
    created: datetime.datetime


class TranslationOut(Schema):
    id: int
    language: str
    kind: str
    translator: str
    text: str


class SourceOut(Schema):
    id: int
    guid: uuid.UUID
    event_id: int
    title: str
    kind: str
    language: str
    language_confirmed: bool
    direction: str
    text: str
    text_hash: str
    translations: list[TranslationOut]
    codings: list[CodingOut]


@router.get("/projects/{project_id}/codebook", response=list[CodeOut])
def codebook(request: HttpRequest, project_id: int) -> list[CodeOut]:
    """A project's codebook (``parent_id`` nests codes), with how much each was used."""
    project = get_visible_or_404(request, Project.objects, Permission.CODE_SOURCES, pk=project_id)
    live = Q(codings__deleted_at__isnull=True, codings__source__deleted_at__isnull=True)
    codes = Code.objects.filter(project=project).annotate(
        passages=Count("codings", filter=live, distinct=True),
        people=Count("codings__participant", filter=live, distinct=True),
    )
    return [
        CodeOut(
            id=c.pk,
            guid=c.guid,
            name=c.name,
            parent_id=c.parent_id,
            description=c.description,
            colour=c.colour,
            is_codable=c.is_codable,
            passages=c.passages,
            people=c.people,
        )
        for c in codes
    ]


@router.get("/sources/{source_id}", response=SourceOut)
def source(request: HttpRequest, source_id: int) -> SourceOut:
    """A source's canonical text, its translations and its codings (code-point offsets)."""
    found = get_visible_or_404(request, live_sources(), Permission.CODE_SOURCES, pk=source_id)
    codings = Coding.objects.filter(source=found, code__deleted_at__isnull=True).select_related(
        "coder"
    )
    return SourceOut(
        id=found.pk,
        guid=found.guid,
        event_id=found.event_id,
        title=found.title,
        kind=found.kind,
        language=found.language,
        language_confirmed=found.language_confirmed,
        direction=found.direction,
        text=found.text,
        text_hash=found.text_hash,
        translations=[
            TranslationOut(
                id=t.pk, language=t.language, kind=t.kind, translator=t.translator, text=t.text
            )
            for t in found.translations.all()
        ],
        codings=[
            CodingOut(
                id=c.pk,
                guid=c.guid,
                selection_guid=c.selection_guid,
                code_id=c.code_id,
                start=c.start,
                end=c.end,
                excerpt=c.excerpt,
                coder=c.coder.username,
                participant_id=c.participant_id,
                created=c.created,
            )
            for c in codings
        ],
    )
