"""The small dataclass model of a REFI-QDA project: what focuson exports and imports.

GUIDs are strings in lower case without braces (:mod:`focuson.insight.refi_qda` normalises what
other tools write). Offsets are Unicode code points from 0, the end excluded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import uuid4


def new_guid() -> str:
    """A fresh GUID (a random UUID, never derived from a name, so renaming keeps it)."""
    return str(uuid4())


@dataclass(frozen=True)
class User:
    """A coder (pseudonymous)."""

    guid: str
    name: str


@dataclass(frozen=True)
class Code:
    """A code of the codebook; ``children`` nest under it."""

    guid: str
    name: str
    is_codable: bool = True
    color: str | None = None
    description: str = ""
    children: tuple[Code, ...] = ()
    notes: tuple[str, ...] = ()  # GUIDs of Note memos


@dataclass(frozen=True)
class Coding:
    """A code applied to a selection, by a coder."""

    guid: str
    code: str  # GUID of the code
    user: str | None = None  # GUID of the coder
    created: datetime | None = None


@dataclass(frozen=True)
class Selection:
    """Code points ``start`` (from 0) to ``end`` (excluded) of a source, with its codings."""

    guid: str
    start: int
    end: int
    codings: tuple[Coding, ...] = ()
    user: str | None = None
    created: datetime | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """A text source: its canonical text and the selections coded in it."""

    guid: str
    name: str
    text: str
    selections: tuple[Selection, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Variable:
    """A case attribute, e.g. an age band (``kind`` as REFI's ``typeOfVariable``)."""

    guid: str
    name: str
    kind: str = "Text"


@dataclass(frozen=True)
class Case:
    """A participant or group: attribute values (variable GUID, text), its sources, and the
    selections that are its words (``SelectionRef``)."""

    guid: str
    name: str
    values: tuple[tuple[str, str], ...] = ()
    sources: tuple[str, ...] = ()
    selections: tuple[str, ...] = ()


@dataclass(frozen=True)
class Set:
    """A named group of codes, sources and notes (e.g. the sources of one event)."""

    guid: str
    name: str
    codes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Note:
    """A memo (a REFI ``Note``: a text source of its own)."""

    guid: str
    name: str
    text: str


@dataclass(frozen=True)
class Project:
    """Everything a ``.qdpx`` carries that focuson keeps."""

    name: str
    users: tuple[User, ...] = ()
    codes: tuple[Code, ...] = ()
    variables: tuple[Variable, ...] = ()
    cases: tuple[Case, ...] = ()
    sources: tuple[Source, ...] = ()
    notes: tuple[Note, ...] = ()
    sets: tuple[Set, ...] = ()
    origin: str = "focuson"


@dataclass(frozen=True)
class Imported:
    """An imported project and, in words, what could not be brought across."""

    project: Project
    dropped: tuple[str, ...] = field(default=())
