"""A project's Open records as a REFI-QDA project (:mod:`focuson.insight.refi_model`).

Row to element: a ``Code`` is a code (nested by ``parent``), the codings sharing a
``selection_guid`` are one selection with a coding per coder, a ``Memo`` is a note referred to
from its code, selection or source, a ``Participant`` is a case with the banded attributes as
text variables and the selections that are their words, an ``Event`` is a set of its sources.
Only live records are exported (nothing deleted, nothing of a deleted event).

Users and variables have no GUID column: theirs are derived (UUID 5) from the user's key and
the attribute's name in a namespace of focuson's own, so they stay the same from export to
export and an export read back into the same installation finds its coders again.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from focuson.insight import refi_model as refi
from focuson.web.insight.models import Code, Coding, Event, Memo, Participant, Source

#: focuson's namespace for derived GUIDs (users, variables, events).
NAMESPACE = uuid.UUID("5f0c3b8e-4a55-4a3c-9b53-2f0d3c1e7a10")

#: The case variables: name written in the file -> the participant's field (banded codes).
VARIABLES: dict[str, str] = {
    "Age band": "age_band",
    "Sex": "sex",
    "Ethnic group": "ethnic_group",
    "Deprivation quintile (IMD)": "imd_quintile",
    "Borough": "borough__name",
    "Main language": "language",
    "Interpreter needed": "interpreter_needed",
}


def derived_guid(kind: str, key: object) -> str:
    """A stable GUID for a row without one (``kind`` = "user", "variable", "event")."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def user_guid(user: Any) -> str:
    return derived_guid("user", user.pk)


def _codes(project: Any, notes: dict[int, list[str]]) -> tuple[refi.Code, ...]:
    rows = list(Code.objects.filter(project=project))
    children: dict[int | None, list[Code]] = defaultdict(list)
    for code in rows:
        children[code.parent_id].append(code)
    live = {code.pk for code in rows}

    def build(code: Code) -> refi.Code:
        return refi.Code(
            guid=str(code.guid),
            name=code.name,
            is_codable=code.is_codable,
            color=code.colour or None,
            description=code.description,
            children=tuple(build(c) for c in children[code.pk]),
            notes=tuple(notes.get(code.pk, ())),
        )

    # A code whose parent was deleted is exported at the top, not lost.
    return tuple(build(c) for c in rows if c.parent_id is None or c.parent_id not in live)


def export_project(project: Any) -> refi.Project:
    """The project's live sources, codebook, codings, memos, participants and events."""
    events = list(Event.objects.filter(project=project))
    sources = list(Source.objects.filter(project=project, event__in=events).order_by("event", "pk"))
    codings = list(
        Coding.objects.filter(source__in=sources, code__deleted_at__isnull=True)
        .select_related("coder", "code")
        .order_by("source", "start", "end", "pk")
    )
    # Memos on what is exported only (not on a deleted event's sources or a deleted coding).
    coding_ids = {c.pk for c in codings}
    memos = [
        m
        for m in Memo.objects.filter(project=project, code__deleted_at__isnull=True).order_by("pk")
        if m.code_id or m.coding_id in coding_ids or m.source_id in {s.pk for s in sources}
    ]
    code_notes: dict[int, list[str]] = defaultdict(list)
    coding_notes: dict[int, list[str]] = defaultdict(list)
    source_notes: dict[int, list[str]] = defaultdict(list)
    for memo in memos:
        if memo.code_id:
            code_notes[memo.code_id].append(str(memo.guid))
        elif memo.coding_id:
            coding_notes[memo.coding_id].append(str(memo.guid))
        elif memo.source_id:
            source_notes[memo.source_id].append(str(memo.guid))
    users = {c.coder_id: c.coder for c in codings}
    by_selection: dict[tuple[int, Any], list[Coding]] = defaultdict(list)
    for coding in codings:
        by_selection[(coding.source_id, coding.selection_guid)].append(coding)
    selections: dict[int, list[refi.Selection]] = defaultdict(list)
    spoken: dict[int, list[str]] = defaultdict(list)
    for (source_id, selection_guid), group in by_selection.items():
        first = group[0]
        selections[source_id].append(
            refi.Selection(
                guid=str(selection_guid),
                start=first.start,
                end=first.end,
                codings=tuple(
                    refi.Coding(str(c.guid), str(c.code.guid), user_guid(c.coder), c.created)
                    for c in group
                ),
                user=user_guid(first.coder),
                created=first.created,
                notes=tuple(n for c in group for n in coding_notes.get(c.pk, ())),
            )
        )
        speakers = {c.participant_id for c in group if c.participant_id}
        for participant_id in speakers:
            spoken[participant_id].append(str(selection_guid))
    variables = tuple(refi.Variable(derived_guid("variable", name), name) for name in VARIABLES)
    people = Participant.objects.filter(event__in=events).values_list(
        "pk", "guid", "pseudonym", "event_id", *VARIABLES.values()
    )
    event_sources: dict[int, list[str]] = defaultdict(list)
    for source in sources:
        event_sources[source.event_id].append(str(source.guid))
    cases = tuple(
        refi.Case(
            guid=str(guid),
            name=pseudonym,
            values=tuple(
                (var.guid, str(value))
                for var, value in zip(variables, values, strict=True)
                if value
            ),
            sources=tuple(event_sources.get(event_id, ())),
            selections=tuple(spoken.get(pk, ())),
        )
        for pk, guid, pseudonym, event_id, *values in people
    )
    return refi.Project(
        name=project.title,
        users=tuple(
            refi.User(user_guid(u), u.get_full_name() or u.username) for u in users.values()
        ),
        codes=_codes(project, code_notes),
        variables=variables,
        cases=cases,
        sources=tuple(
            refi.Source(
                str(s.guid),
                s.title,
                s.text,
                tuple(selections.get(s.pk, ())),
                tuple(source_notes.get(s.pk, ())),
            )
            for s in sources
        ),
        notes=tuple(
            refi.Note(str(m.guid), f"Memo {i}", m.text) for i, m in enumerate(memos, start=1)
        ),
        sets=tuple(
            refi.Set(
                derived_guid("event", e.pk), e.title, sources=tuple(event_sources.get(e.pk, ()))
            )
            for e in events
        ),
    )
