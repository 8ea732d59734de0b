"""A source's text for its page: lines with their offsets, coded stretches marked.

Each line carries its code-point offset (shown, so a person without JavaScript can give a
passage's start and end) and its UTF-16 offset (for the page's script, which counts as browsers
do). Stretches covered by codings are marked, with the codes' names.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    """A stretch of a line, and the names of the codes covering it (empty: not coded)."""

    text: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Line:
    """One line of the text: where it starts (code points and UTF-16 units) and its pieces."""

    cp: int
    u16: int
    segments: tuple[Segment, ...]


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def lines(text: str, spans: Iterable[tuple[int, int, str]]) -> list[Line]:
    """Split ``text`` into lines, each cut where a coding starts or ends.

    Parameters
    ----------
    text
        The canonical text.
    spans
        ``(start, end, code name)`` per coding, in code points.

    Examples
    --------
    >>> out = lines("ab\\ncd", [(1, 4, "Access")])
    >>> [(l.cp, l.u16, [(s.text, s.codes) for s in l.segments]) for l in out]
    [(0, 0, [('a', ()), ('b', ('Access',))]), (3, 3, [('c', ('Access',)), ('d', ())])]
    """
    spans = sorted(spans)
    out: list[Line] = []
    cp = u16 = 0
    for raw in text.split("\n"):
        end = cp + len(raw)
        inside = [s for s in spans if s[0] < end and cp < s[1]]
        cuts = sorted(
            {cp, end, *(max(s[0], cp) for s in inside), *(min(s[1], end) for s in inside)}
        )
        segments = []
        for a, b in itertools.pairwise(cuts):
            names = tuple(sorted({name for s, e, name in inside if s < b and a < e}))
            segments.append(Segment(text[a:b], names))
        out.append(Line(cp, u16, tuple(segments)))
        u16 += _u16(raw) + 1
        cp = end + 1
    return out
