"""Writes for sources: store an uploaded file's text, with the language suggested offline."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from focuson.insight.sources import SourceText, canonical
from focuson.web.insight import languages
from focuson.web.insight.models import Event, Source, Translation


@transaction.atomic
def add_source(
    *,
    user: Any,
    event: Event,
    read: SourceText,
    title: str,
    kind: str,
    language: str = "",
) -> Source:
    """Store a source read by :func:`focuson.insight.sources.read_source` for ``event``.

    With no ``language`` given, the offline detector suggests one (English when it cannot
    tell) and the source waits for a person to confirm it (``language_confirmed`` False).
    """
    confirmed = bool(language)
    if not language:
        language = languages.detect(read.text) or "en"
    return Source.objects.create(
        event=event,
        project=event.project,
        title=title or read.name,
        kind=kind,
        language=language,
        language_confirmed=confirmed,
        text=read.text,
        original_name=read.name,
        file_kind=read.kind,
        cues=[[c.start_cp, c.end_cp, c.speaker, c.start, c.end] for c in read.cues],
        uploaded_by=user,
    )


def add_translation(
    *, user: Any, source: Source, language: str, kind: str, text: str, translator: str = ""
) -> Translation:
    """A translation of ``source`` (text made canonical, as the source's is)."""
    return Translation.objects.create(
        source=source,
        language=language,
        kind=kind,
        text=canonical(text),
        translator=translator,
        added_by=user,
    )
