"""Releasing a quote: which spans to redact, what the card may say, and the release itself.

The redaction suggestions and the threshold check are :mod:`focuson.insight.redaction`'s. The
threshold is the disclosure rule's: a combination of attributes shared by fewer participants
than the smallest count Find would publish (8 under the NHS rule) never appears on a card.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db import transaction
from django.utils import timezone

from focuson.insight.redaction import QuoteCheck, Span, apply_redactions, quote_check
from focuson.insight.redaction import suggest_redactions as _suggest
from focuson.stats import NHS_RULE
from focuson.web.insight.models import Coding, Participant, Quote
from focuson.web.insight.models.release import CARD_ATTRIBUTES

#: Fewest participants who must share every combination a quote card names.
THRESHOLD = NHS_RULE.suppress_to + 1


def suggestions(text: str) -> list[Span]:
    """Personal data in ``text`` a person should consider redacting (names come separately)."""
    return _suggest(text)


def spans_to_redact(
    text: str,
    *,
    confirmed: Iterable[tuple[int, int]],
    names: Iterable[str] = (),
    phrases: Iterable[str] = (),
) -> list[tuple[int, int]]:
    """Every span to redact: the confirmed suggestions, each marked name, each added phrase.

    Names are found as whole words (any script, any case); phrases wherever they occur (any
    case), so a person can add what no pattern finds.
    """
    spans = [(int(s), int(e)) for s, e in confirmed]
    spans += [(s.start, s.end) for s in _suggest(text, names=names) if "name" in s.kinds]
    for phrase in {unicodedata.normalize("NFC", p.strip()) for p in phrases if p.strip()}:
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(phrase), text, re.I)]
    return sorted(set(spans))


def speaker_attributes(participant: Participant | None) -> dict[str, str]:
    """What is known of the speaker, by card attribute (blank = prefer not to say: left out)."""
    if participant is None:
        return {}
    values = {
        "age_band": participant.age_band,
        "sex": participant.sex,
        "ethnic_group": participant.ethnic_group,
        "borough": participant.borough.name if participant.borough_id else "",
        "language": participant.language,
    }
    return {key: value for key, value in values.items() if value}


def project_people(project: Any) -> pd.DataFrame:
    """One row per participant of the project's live events, one column per card attribute."""
    rows = Participant.objects.filter(
        event__project=project, event__deleted_at__isnull=True
    ).values_list("age_band", "sex", "ethnic_group", "borough__name", "language")
    people = pd.DataFrame.from_records(list(rows), columns=list(CARD_ATTRIBUTES))
    return people.fillna("")


def check_card(coding: Coding, chosen: Iterable[str]) -> tuple[dict[str, str], QuoteCheck | None]:
    """The attributes the card may name among those chosen, and the check that decided it.

    Attributes the speaker did not give are never named. When the chosen combination is
    shared by fewer than :data:`THRESHOLD` participants, the fewest attributes are dropped
    that bring the rest up to it (all of them when none will do).
    """
    known = speaker_attributes(coding.participant)
    wanted = {key: known[key] for key in CARD_ATTRIBUTES if key in set(chosen) and key in known}
    if not wanted:
        return {}, None
    result = quote_check(wanted, project_people(coding.source.project), k=THRESHOLD)
    if not result.safe and result.shared_by_after < THRESHOLD:
        return {}, result
    return {k: v for k, v in wanted.items() if k not in result.drop}, result


@dataclass(frozen=True)
class Draft:
    """A quote as it would be released: the redacted words and the card."""

    text: str
    spans: list[tuple[int, int]]
    attributes: dict[str, str]
    check: QuoteCheck | None


def draft(
    coding: Coding,
    *,
    confirmed: Iterable[tuple[int, int]],
    names: Iterable[str] = (),
    phrases: Iterable[str] = (),
    chosen: Iterable[str] = (),
) -> Draft:
    """The quote a release with these choices would make (nothing saved)."""
    text = coding.excerpt
    spans = spans_to_redact(text, confirmed=confirmed, names=names, phrases=phrases)
    attributes, check = check_card(coding, chosen)
    return Draft(apply_redactions(text, spans), spans, attributes, check)


@transaction.atomic
def release_quote(*, user: Any, coding: Coding, quote: Draft) -> Quote:
    """Release a quote made from ``coding``: recorded with who released it and when.

    The card is checked again here against the participants as they are now, so a draft made
    before others were erased cannot name a combination that is no longer shared widely enough.
    """
    attributes, _check = check_card(coding, quote.attributes)
    text = apply_redactions(coding.excerpt, quote.spans)
    made = Quote(
        project=coding.source.project,
        coding=coding,
        redacted_text=text,
        spans=[list(span) for span in quote.spans],
        attributes=attributes,
        threshold=THRESHOLD,
        released_by=user,
        released_at=timezone.now(),
    )
    made._history_user = user
    made._change_reason = "Quote released"
    made.save()
    return made


@transaction.atomic
def withdraw_quote(*, user: Any, quote: Quote) -> None:
    """Withdraw a released quote: it is no longer shown outside the workspace (audited)."""
    quote.status = Quote.Status.WITHDRAWN
    quote.withdrawn_at = timezone.now()
    quote._history_user = user
    quote._change_reason = "Quote withdrawn"
    quote.save()
