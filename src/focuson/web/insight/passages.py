"""Passages of a source's text: code-point spans, found from the words or from a browser.

Offsets are code points from 0 with the end excluded: ``text[start:end]`` on a Python ``str``
(``../shared/reference/participation.md`` section 4). Browsers count UTF-16 units instead (an
emoji outside the Basic Multilingual Plane is two units, one code point), so a selection made
with JavaScript is converted here (:func:`utf16_to_cp`) and never stored as it came.

A span is widened to whole characters as a reader sees them (:func:`snap`): a Bengali or Tamil
vowel sign, an Arabic vowel mark, a combining accent or an emoji's skin tone is never cut from
the letter or emoji it belongs to. This is an approximation of Unicode grapheme clusters
(UAX #29) that needs no extra package: combining marks, joiners, variation selectors, emoji
modifiers, and the character after a zero-width joiner or a virama (an Indic conjunct) stay
with what precedes them.
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

from focuson.insight.sources import canonical

_ZWJ = "\u200d"


class PassageError(ValueError):
    """A passage that cannot be placed in the text, saying why and what to do."""


def _extends(char: str) -> bool:
    """Whether ``char`` belongs with the character before it (never starts a cluster)."""
    code = ord(char)
    return (
        unicodedata.category(char) in {"Mn", "Mc", "Me"}
        or char in {_ZWJ, "\u200c"}
        or 0xFE00 <= code <= 0xFE0F  # variation selectors (emoji or text presentation)
        or 0x1F3FB <= code <= 0x1F3FF  # emoji skin-tone modifiers
        or 0xE0020 <= code <= 0xE007F  # emoji tag characters (flags of nations)
    )


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``start:end`` to whole characters: no mark or joiner cut from its letter.

    >>> snap("কি ok", 0, 1)  # a Bengali letter and its vowel sign
    (0, 2)
    >>> snap("a\U0001f44b\U0001f3fdb", 1, 2)  # waving hand, medium skin tone
    (1, 3)
    """
    while start > 0 and start < len(text) and (_extends(text[start]) or _joins(text[start - 1])):
        start -= 1
    while end < len(text) and (_extends(text[end]) or (end > 0 and _joins(text[end - 1]))):
        end += 1
    return start, end


def _joins(char: str) -> bool:
    """Whether ``char`` binds the next character to it: a zero-width joiner, or a virama
    (Bengali hasant, Tamil pulli...), which makes a conjunct of the consonants either side."""
    return char == _ZWJ or unicodedata.combining(char) == 9


def check_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without spaces at either edge, widened to whole characters.

    >>> check_span("The bus.\\nNext", 4, 9)
    (4, 8)

    Raises
    ------
    PassageError
        A span out of range, backwards, or of spaces only.
    """
    if start < 0 or end > len(text):
        raise PassageError(
            _("The passage must lie within the text, which has %(n)s characters (counted from 0).")
            % {"n": len(text)}
        )
    if end <= start:
        raise PassageError(_("The end of the passage must come after its start."))
    if not text[start:end].strip():
        raise PassageError(_("The passage is only spaces or line breaks: select some words."))
    # A selection that runs into the next line (a triple click) or takes a space with it is
    # cut back to its words.
    while text[start].isspace():
        start += 1
    while text[end - 1].isspace():
        end -= 1
    return snap(text, start, end)


def utf16_to_cp(text: str, units: int) -> int:
    """The code-point offset of a UTF-16 offset (what browsers give) in ``text``.

    >>> utf16_to_cp("a\U0001f600b", 3)  # "a", the emoji (2 units), then "b"
    2

    Raises
    ------
    PassageError
        An offset beyond the text, or one that falls inside a surrogate pair.
    """
    if units < 0:
        raise PassageError(_("A position cannot be negative."))
    encoded = text.encode("utf-16-le")
    if 2 * units > len(encoded):
        raise PassageError(_("The selection lies beyond the end of the text: reload the page."))
    try:
        return len(encoded[: 2 * units].decode("utf-16-le"))
    except UnicodeDecodeError as error:  # the cut fell between the halves of a surrogate pair
        raise PassageError(_("The selection splits a character: select it again.")) from error


def locate(text: str, passage: str, *, near: int | None = None) -> tuple[int, int]:
    """The span of ``passage`` in ``text`` (its exact words, made canonical like the text).

    Parameters
    ----------
    text
        The source's canonical text.
    passage
        The words to find, as copied from the page (surrounding spaces ignored).
    near
        When the words occur more than once: the occurrence that starts at or after this
        code point (e.g. a start given with them); without it, more than one is an error.

    Raises
    ------
    PassageError
        Words not in the text, or found several times with nothing to choose between them.

    Examples
    --------
    >>> locate("Bus at six. Bus at nine.", "at nine")
    (16, 23)
    """
    words = canonical(passage).strip()
    if not words:
        raise PassageError(_("Enter the passage's exact words, or its start and end."))
    found: list[int] = []
    at = text.find(words)
    while at != -1 and len(found) < 1000:
        found.append(at)
        at = text.find(words, at + 1)
    if not found:
        raise PassageError(
            _(
                "Those words are not in the text: copy them exactly from the source, "
                "or give the start and end."
            )
        )
    if len(found) > 1:
        after = [f for f in found if near is not None and f >= near]
        if not after:
            raise PassageError(
                _(
                    "Those words appear %(n)s times in the text: add a few words around "
                    "them, or give the start of the one you mean."
                )
                % {"n": len(found)}
            )
        found = after[:1]
    return check_span(text, found[0], found[0] + len(words))
