"""Suggested redactions as code-point spans, applying confirmed ones, and the quote k-threshold.

Quotes leave the workspace only through a release step (issue 15): personal data is suggested
for redaction, a person confirms, and a quote card never names a combination of attributes
fewer than ``k`` participants share. Offsets count Unicode code points from 0 with the end
excluded (Python's ``str`` indexing; ``../shared/reference/participation.md`` section 4), so they
hold in every script. Patterns match ASCII digits and letters only where the data are ASCII
(NHS numbers, phone numbers, postcodes, e-mail addresses), so the text around them may be in any
script; boundaries are checked by Unicode category, so a Bengali vowel sign or an Arabic letter
next to a marked name is not taken for a word break.

The suggestions are deliberately generous (a person confirms each one): UK phone numbers in the
usual national and +44 forms, NHS numbers only when their check digit is valid (the
``nhs-number`` package), e-mail addresses, UK postcodes, dates near a word for birth (English,
Polish, Arabic, Urdu, Bengali, Somali, Tamil), and every occurrence of the names a person marks.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import nhs_number
import numpy as np
import pandas as pd

#: Plain-English names of what a span holds.
KINDS = {
    "nhs_number": "NHS number",
    "phone": "phone number",
    "email": "email address",
    "postcode": "postcode",
    "date_of_birth": "date of birth",
    "name": "name",
}

#: Most attributes a quote card may name (every subset is tried: 2^10 = 1,024).
MAX_ATTRIBUTES = 10

_NHS = re.compile(r"(?<![0-9])[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}(?![0-9])")
_PHONE = re.compile(
    r"(?<![0-9+])(?:\+44[ -]?(?:\(0\)[ -]?)?|\(?0)[1-9](?:[ \-)]{0,2}[0-9]){8,9}(?![0-9])"
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = re.compile(
    r"(?<![0-9])(?:"
    r"[0-3]?[0-9][/.\-][01]?[0-9][/.\-](?:19|20)?[0-9]{2}"  # 02/03/1950, 2.3.50
    r"|(?:19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]"  # 1950-03-02
    rf"|[0-3]?[0-9](?:st|nd|rd|th)? {_MONTHS}\.?,? (?:19|20)[0-9]{{2}}"  # 2 March 1950
    rf"|{_MONTHS}\.? [0-3]?[0-9](?:st|nd|rd|th)?,? (?:19|20)[0-9]{{2}}"  # March 2, 1950
    r")(?![0-9])",
    re.IGNORECASE,
)
#: Words for birth: the first date this close after one (or just before) is a date of birth.
_BIRTH = re.compile(
    r"(?<![A-Za-z])(?:born|birth|d\.?o\.?b\b|urodzi\w*|urodzeni\w*|ur\.|dhashay|dhalasho)"
    r"|تاريخ الميلاد|مواليد|ولدت|ولد|پیدائش|پیدا|জন্ম|பிறந்த",
    re.IGNORECASE,
)
_AFTER, _BEFORE = 40, 15


@dataclass(frozen=True)
class Span:
    """A stretch of text to redact: code points ``start`` (from 0) to ``end`` (excluded).

    Attributes
    ----------
    start, end
        Code-point offsets, end excluded.
    kinds
        What it holds (keys of :data:`KINDS`); several when overlapping suggestions merged.
    text
        The text it covers.
    """

    start: int
    end: int
    kinds: tuple[str, ...]
    text: str

    @property
    def label(self) -> str:
        """What the span holds, in words: ``"NHS number or phone number"``."""
        return " or ".join(KINDS.get(k, k) for k in self.kinds)


def suggest_redactions(text: str, *, names: Iterable[str] = ()) -> list[Span]:
    """Personal data a person should consider redacting, as merged code-point spans.

    Parameters
    ----------
    text
        The text (canonical: NFC, LF line endings; offsets refer to it as given).
    names
        Names a person marked; every occurrence is suggested, in any case, when it stands as a
        word (not inside a longer word).

    Returns
    -------
    list of Span
        In order, overlapping suggestions merged.

    Examples
    --------
    >>> text = "Amina (DOB 02/03/1950), NHS 943 476 5919, call 07700 900123"
    >>> [(s.start, s.end, s.label) for s in suggest_redactions(text, names=["amina"])]
    [(0, 5, 'name'), (11, 21, 'date of birth'), (28, 40, 'NHS number'), (47, 59, 'phone number')]
    >>> suggest_redactions("NHS 943 476 5918")  # bad check digit
    []
    """
    found: list[tuple[int, int, str]] = []
    for m in _NHS.finditer(text):
        if nhs_number.is_valid(re.sub(r"[ -]", "", m.group())):
            found.append((m.start(), m.end(), "nhs_number"))
    for kind, pattern in (("phone", _PHONE), ("email", _EMAIL), ("postcode", _POSTCODE)):
        found.extend((m.start(), m.end(), kind) for m in pattern.finditer(text))
    dates = [(m.start(), m.end()) for m in _DATE.finditer(text)]
    # Matches do not overlap, so starts and ends are both sorted: bisect instead of scanning.
    starts, ends = [d[0] for d in dates], [d[1] for d in dates]
    for keyword in _BIRTH.finditer(text):
        # The first date after the word (close enough), else the last one just before it.
        i = bisect_left(starts, keyword.end())
        j = bisect_right(ends, keyword.start()) - 1
        if i < len(dates) and starts[i] - keyword.end() <= _AFTER:
            found.append((*dates[i], "date_of_birth"))
        elif j >= 0 and keyword.start() - ends[j] <= _BEFORE:
            found.append((*dates[j], "date_of_birth"))
    for name in {unicodedata.normalize("NFC", n.strip()) for n in names if n.strip()}:
        for m in re.finditer(re.escape(name), text, re.IGNORECASE):
            if _stands_alone(text, m.start(), m.end()):
                found.append((m.start(), m.end(), "name"))
    return merge_spans(text, found)


def merge_spans(text: str, spans: Iterable[tuple[int, int, str]]) -> list[Span]:
    """Sort spans and merge those that overlap, keeping every kind.

    >>> spans = merge_spans("abcdefgh", [(4, 6, "name"), (0, 2, "phone"), (1, 3, "email")])
    >>> [(s.start, s.end, s.kinds) for s in spans]
    [(0, 3, ('phone', 'email')), (4, 6, ('name',))]
    """
    items = sorted(spans, key=lambda s: (s[0], s[1]))
    merged: list[tuple[int, int, list[str]]] = []
    for start, end, kind in items:
        if not 0 <= start < end <= len(text):
            raise ValueError(
                f"span {start}-{end}: must lie within the text (0-{len(text)} code points) "
                "and not be empty"
            )
        if merged and start < merged[-1][1]:
            last = merged[-1]
            kinds = last[2] if kind in last[2] else [*last[2], kind]
            merged[-1] = (last[0], max(last[1], end), kinds)
        else:
            merged.append((start, end, [kind]))
    return [Span(s, e, tuple(k), text[s:e]) for s, e, k in merged]


def apply_redactions(
    text: str, spans: Iterable[Span | tuple[int, int]], *, replacement: str = "[redacted]"
) -> str:
    """The text with the confirmed spans replaced (overlapping spans merged first).

    Parameters
    ----------
    text
        The original text.
    spans
        Confirmed spans: :class:`Span` objects or ``(start, end)`` code-point pairs.
    replacement
        What stands in for each span.

    Raises
    ------
    ValueError
        A span outside the text or empty (naming it).

    Examples
    --------
    >>> apply_redactions("আমার নাম Amina, ফোন 07700 900123", [(9, 14), (20, 32)])
    'আমার নাম [redacted], ফোন [redacted]'
    """
    pairs = [
        (s.start, s.end, "") if isinstance(s, Span) else (int(s[0]), int(s[1]), "") for s in spans
    ]
    pieces: list[str] = []
    cursor = 0
    for span in merge_spans(text, pairs):
        pieces.append(text[cursor : span.start])
        pieces.append(replacement)
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)


@dataclass(frozen=True)
class QuoteCheck:
    """Whether a quote card's attributes are shared by at least ``k`` participants.

    Attributes
    ----------
    shared_by
        Participants sharing the whole combination.
    safe
        ``shared_by >= k``.
    drop
        Attributes to leave off the card (none when safe): the fewest that bring the rest to
        at least ``k`` participants.
    shared_by_after
        Participants sharing what is left after dropping them.
    """

    shared_by: int
    safe: bool
    drop: tuple[str, ...]
    shared_by_after: int


def quote_check(
    attributes: Mapping[str, object], participants: pd.DataFrame, *, k: int = 5
) -> QuoteCheck:
    """Is this combination of attributes shared by at least ``k`` participants? Else, what to drop.

    Parameters
    ----------
    attributes
        What the quote card would say of the speaker: column -> value (e.g. ``{"age_band":
        "65-79", "borough": "Brent"}``).
    participants
        One row per participant of the project (the speaker included), one column per attribute.
    k
        The threshold.

    Returns
    -------
    QuoteCheck
        Among the sets of attributes to drop, the smallest that leaves a combination shared by
        at least ``k`` participants; among those, the one shared by the most; then the first in
        the order given. Every attribute when even the whole group is smaller than ``k``.

    Examples
    --------
    >>> people = pd.DataFrame(
    ...     {"age_band": ["65-79"] * 6 + ["18-64"] * 4, "borough": ["Brent"] * 2 + ["Ealing"] * 8}
    ... )
    >>> quote_check({"age_band": "65-79", "borough": "Brent"}, people, k=5)
    QuoteCheck(shared_by=2, safe=False, drop=('borough',), shared_by_after=6)
    """
    if k < 1:
        raise ValueError(f"k: must be at least 1, got {k}")
    if len(attributes) > MAX_ATTRIBUTES:
        raise ValueError(
            f"attributes: at most {MAX_ATTRIBUTES} on a quote card, got {len(attributes)}"
        )
    names = list(attributes)
    missing = [a for a in names if a not in participants.columns]
    if missing:
        raise ValueError(f"participants: no column for {', '.join(missing)}")
    # One column per attribute: does each participant share it? Then every subset to keep at once.
    match = (
        np.column_stack([participants[a].to_numpy(object) == attributes[a] for a in names])
        if names
        else np.ones((len(participants), 0), dtype=bool)
    )
    subsets = [
        keep for size in range(len(names), -1, -1) for keep in combinations(range(len(names)), size)
    ]
    keep_matrix = np.zeros((len(subsets), len(names)), dtype=int)
    for row, keep in enumerate(subsets):
        keep_matrix[row, list(keep)] = 1
    hits = (
        match.astype(int) @ keep_matrix.T
    )  # participants x subsets: attributes matched among kept
    shared = (hits == keep_matrix.sum(axis=1)).sum(axis=0)
    full = int(shared[0])
    if full >= k:
        return QuoteCheck(full, True, (), full)
    dropped = len(names) - keep_matrix.sum(axis=1)
    ok = shared >= k
    if not ok.any():
        return QuoteCheck(full, False, tuple(names), int(shared[-1]))
    # Fewest dropped, then most shared, then the first in order (argmin/argmax keep the first).
    candidates = np.flatnonzero(ok & (dropped == dropped[ok].min()))
    best = candidates[np.argmax(shared[candidates])]
    drop = tuple(n for i, n in enumerate(names) if not keep_matrix[best, i])
    return QuoteCheck(full, False, drop, int(shared[best]))


def _stands_alone(text: str, start: int, end: int) -> bool:
    """No letter, mark or digit joins the match to its neighbours (any script)."""
    return not (start > 0 and _wordlike(text[start - 1])) and not (
        end < len(text) and _wordlike(text[end])
    )


def _wordlike(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN"


def spans_as_records(spans: Sequence[Span]) -> list[dict[str, object]]:
    """Spans as plain dictionaries (for JSON): start, end, kinds, label.

    >>> spans_as_records(merge_spans("Amina", [(0, 5, "name")]))
    [{'start': 0, 'end': 5, 'kinds': ['name'], 'label': 'name'}]
    """
    return [
        {"start": s.start, "end": s.end, "kinds": list(s.kinds), "label": s.label} for s in spans
    ]
