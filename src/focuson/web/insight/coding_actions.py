"""Writes for coding: apply a code, link excerpts to an insight, erase one person's passages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import transaction

from focuson.web.insight.models import (
    Code,
    Coding,
    Insight,
    Memo,
    Participant,
    Source,
    Translation,
    descendants,
)

#: What an erased passage becomes: one block per character, so every offset after it (other
#: people's codings) still points at the same words.
ERASED = "\u2588"


@transaction.atomic
def apply_code(
    *,
    user: Any,
    source: Source,
    code: Code,
    start: int,
    end: int,
    participant: Participant | None = None,
) -> Coding:
    """Code ``source.text[start:end]`` with ``code`` as ``user`` (offsets already checked).

    The same coder applying the same code to the same passage again gets the existing coding
    back, not a second one (a double click must not double the count). With no participant
    given, a transcript's passage spoken by one voice is attributed to the event's participant
    of that pseudonym, if there is one (:func:`speaker_of`).
    """
    if code.project_id != source.project_id:
        raise ValueError("code: belongs to another project's codebook")
    existing = Coding.objects.filter(
        source=source, code=code, start=start, end=end, coder=user
    ).first()
    if existing is not None:
        return existing
    if participant is None:
        participant = speaker_of(source, start, end)
    # Another coder's coding of the same passage shares its REFI selection.
    twin = Coding.objects.filter(source=source, start=start, end=end).first()
    extra = {"selection_guid": twin.selection_guid} if twin is not None else {}
    return Coding.objects.create(
        source=source,
        code=code,
        start=start,
        end=end,
        excerpt=source.text[start:end],
        coder=user,
        participant=participant,
        **extra,
    )


def speaker_of(source: Source, start: int, end: int) -> Participant | None:
    """The participant whose words ``start:end`` are, from a WebVTT transcript's voices.

    Only when every cue the passage touches has the same speaker, and the event has a
    participant with that pseudonym (``<v P12>``): a name that matches nobody attributes
    nothing, so no one is counted by guesswork.
    """
    speakers = {
        speaker
        for cue_start, cue_end, speaker, *_times in source.cues
        if cue_start < end and start < cue_end
    }
    if len(speakers) != 1 or None in speakers:
        return None
    (speaker,) = speakers
    return Participant.objects.filter(event_id=source.event_id, pseudonym__iexact=speaker).first()


@transaction.atomic
def delete_code(*, user: Any, code: Code) -> int:
    """Hide ``code`` and every code under it (their codings stop showing and counting with
    them; an administrator restores the codes). Returns how many codes were hidden."""
    hidden = [code, *Code.objects.filter(pk__in=descendants(code))]
    for each in hidden:  # one by one, so the audit trail records each (a handful at most)
        each.soft_delete(user=user)
    return len(hidden)


@transaction.atomic
def set_support(*, user: Any, insight: Insight, codings: list[Coding]) -> None:
    """Make ``codings`` the insight's supporting excerpts (audited on the insight's history)."""
    insight.codings.set(codings)
    insight._change_reason = "Supporting excerpts changed"
    insight._history_user = user
    insight.save()


@dataclass(frozen=True)
class Erased:
    """What erasing one participant's passages removed, for the person who asked."""

    codings: int
    memos: int
    sources: int
    #: Translations of those sources, removed: they held the words in another language.
    translations: int
    #: Released quotes of other codings that overlapped the words, removed.
    quotes: int


def erase_passages(*, participant: Participant) -> Erased:
    """Remove everything coded as ``participant``'s words, and blank those words in the text.

    Their codings (by any coder, deleted ones too), the memos on them and the audit history of
    both go for good. In each source the passages are overwritten with :data:`ERASED`, one per
    character, so other codings keep their offsets; other codings that overlapped a passage get
    their copied excerpt (and its history) blanked the same way, and quotes released from them are
    removed (their text held the words). Translations cannot be matched passage for passage, so
    the translations of those sources are removed (their audit rows never held the text): the
    original is the record, and can be translated again. Run inside the caller's transaction
    (``actions.erase_participant``).
    """
    theirs = Coding.all_objects.filter(participant=participant)
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for source_id, start, end in theirs.values_list("source_id", "start", "end"):
        spans[source_id].append((start, end))
    ids = list(theirs.values_list("pk", flat=True))
    memos = Memo.all_objects.filter(coding_id__in=ids)
    memo_ids = list(memos.values_list("pk", flat=True))
    Memo.history.filter(id__in=memo_ids).delete()
    memos.delete()
    Memo.history.filter(id__in=memo_ids).delete()  # the rows the deletion itself wrote
    Insight.codings.through.objects.filter(coding_id__in=ids).delete()
    apps.get_model("insight", "HistoricalInsight_codings").objects.filter(
        coding_id__in=ids
    ).delete()
    Coding.history.filter(id__in=ids).delete()
    theirs.delete()
    Coding.history.filter(id__in=ids).delete()
    translations = quotes = 0
    for source in Source.all_objects.filter(pk__in=spans):
        text = list(source.text)
        for start, end in spans[source.pk]:
            # Line breaks stay, so the text keeps its lines (and every offset).
            text[start:end] = [c if c == "\n" else ERASED for c in text[start:end]]
        source.text = "".join(text)
        source._change_reason = "A participant's passages were erased on request"
        source.save()
        quotes += _blank_overlapping(source, spans[source.pk])
        removed = Translation.all_objects.filter(source=source).delete()[1]
        translations += removed.get("insight.Translation", 0)
    return Erased(len(ids), len(memo_ids), len(spans), translations, quotes)


def _blank_overlapping(source: Source, spans: list[tuple[int, int]]) -> int:
    """Refresh the excerpt copies (and their history) of codings overlapping erased spans, and
    remove the quotes released from them; return how many quotes went."""
    overlapping = []
    for coding in Coding.all_objects.filter(source=source):
        if any(coding.start < end and start < coding.end for start, end in spans):
            excerpt = source.text[coding.start : coding.end]
            Coding.all_objects.filter(pk=coding.pk).update(excerpt=excerpt)
            Coding.history.filter(id=coding.pk).update(excerpt=excerpt)
            overlapping.append(coding.pk)
    quote = apps.get_model("insight", "Quote")
    return quote.objects.filter(coding_id__in=overlapping).delete()[1].get("insight.Quote", 0)
