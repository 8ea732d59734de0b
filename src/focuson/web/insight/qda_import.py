"""Bring a REFI-QDA project (read by :func:`focuson.insight.refi_qda.read_qdpx`) into an event.

Everything goes into the one event chosen (its consent basis and retention date then cover it),
in one transaction: the codes (merged into the codebook by name under the same parent), the
text sources (their language suggested offline, for a person to confirm), the selections and
their codings (offsets in code points, checked against the text), the cases as participants
(the banded attributes Open knows), and the notes as memos on what they were attached to.
Every row gets a new GUID, so a project exported and imported into the same installation is a
copy, not a clash. What could not be brought across is said in words.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from focuson.insight import refi_model as refi
from focuson.web.insight import bands, languages
from focuson.web.insight.models import Code, Coding, Event, Memo, Participant, Source
from focuson.web.insight.qda_export import VARIABLES, user_guid
from focuson.web.programme.models import Borough

_CHOICES: dict[str, set[str]] = {
    "age_band": {c for c, _ in bands.AGE_BANDS},
    "sex": {c for c, _ in bands.SEXES},
    "ethnic_group": {c for c, _ in bands.ETHNIC_GROUPS},
    "imd_quintile": {c for c, _ in bands.IMD_QUINTILES},
    "interpreter_needed": {c for c, _ in bands.YES_NO},
}


@dataclass
class Report:
    """What an import brought across, and in words what it could not."""

    codes: int = 0
    codes_reused: int = 0
    sources: int = 0
    codings: int = 0
    participants: int = 0
    memos: int = 0
    dropped: list[str] = field(default_factory=list)


def _valid_colour(value: str | None) -> str:
    if value and len(value) == 7 and value[0] == "#":
        try:
            int(value[1:], 16)
        except ValueError:
            return ""
        return value.upper()
    return ""


def _walk(codes: tuple[refi.Code, ...], parent: refi.Code | None = None) -> list[Any]:
    out: list[Any] = []
    for code in codes:
        out.append((code, parent))
        out.extend(_walk(code.children, code))
    return out


def _codes(user: Any, project: Any, codes: tuple[refi.Code, ...], report: Report) -> dict:
    """Each REFI code's Code: an existing one of the same name under the same parent, or new."""
    mapped: dict[str, Code] = {}
    existing = {(c.parent_id, c.name.casefold()): c for c in Code.objects.filter(project=project)}
    for code, parent in _walk(codes):
        parent_row = mapped[parent.guid] if parent is not None else None
        key = (parent_row.pk if parent_row else None, code.name[:120].casefold())
        row = existing.get(key)
        if row is None:
            row = Code(
                project=project,
                parent=parent_row,
                name=code.name[:120] or "Unnamed code",
                description=code.description,
                colour=_valid_colour(code.color),
                is_codable=code.is_codable,
                created_by=user,
            )
            row._history_user = user
            row.save()
            existing[key] = row
            report.codes += 1
        else:
            report.codes_reused += 1
        mapped[code.guid] = row
    return mapped


def _participants(
    user: Any, event: Event, project: refi.Project, report: Report
) -> dict[str, Participant]:
    """Each case as a participant of the event, with the attributes Open keeps, by case GUID."""
    names = {v.guid: v.name for v in project.variables}
    fields = {name.casefold(): f for name, f in VARIABLES.items()}
    boroughs = {b.name.casefold(): b for b in Borough.objects.all()}
    taken = set(Participant.objects.filter(event=event).values_list("pseudonym", flat=True))
    unknown: set[str] = set()
    refused = 0
    rows: list[Participant] = []
    by_case: dict[str, Participant] = {}
    for i, case in enumerate(project.cases, start=1):
        pseudonym = (case.name or f"Case {i}")[:55]
        while pseudonym in taken:
            pseudonym = f"{pseudonym[:50]} ({i})"
        taken.add(pseudonym)
        person = Participant(event=event, pseudonym=pseudonym)
        for variable, value in case.values:
            name = names.get(variable, "")
            target = fields.get(name.casefold())
            value = value.strip()
            if target is None:
                unknown.add(name or variable)
            elif target == "borough__name":
                person.borough = boroughs.get(value.casefold())
                refused += person.borough is None and bool(value)
            elif target == "language":
                person.language = value[:60]
            elif value in _CHOICES[target]:
                setattr(person, target, value)
            elif value:
                refused += 1
        rows.append(person)
        by_case[case.guid] = person
    bulk_create_with_history(rows, Participant, default_user=user)
    report.participants = len(rows)
    if unknown:
        report.dropped.append(
            f"case variables Open does not keep: {', '.join(sorted(unknown))} (left out)"
        )
    if refused:
        report.dropped.append(
            f"{refused} case value(s) not among Open's bands or boroughs (left blank)"
        )
    return by_case


@transaction.atomic
def import_project(*, user: Any, event: Event, imported: refi.Imported) -> Report:
    """Bring ``imported`` into ``event``'s project (see the module's docstring)."""
    project = imported.project
    report = Report(dropped=list(imported.dropped))
    codes = _codes(user, event.project, project.codes, report)
    people = _participants(user, event, project, report)
    speaker = {sel: people[case.guid] for case in project.cases for sel in case.selections}
    coders = {user_guid(u): u for u in get_user_model().objects.all()}
    strangers: set[str] = set()
    outside = 0
    codings: list[Coding] = []
    note_targets: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for code in _walk(project.codes):
        for note in code[0].notes:
            note_targets[note].append({"code": codes[code[0].guid]})
    for item in project.sources:
        if not item.text.strip():
            report.dropped.append(f"source {item.name!r}: no text (left out)")
            continue
        source = Source(
            event=event,
            project=event.project,
            title=(item.name or "Imported source")[:200],
            kind=Source.Kind.NOTES,
            language=languages.detect(item.text) or "en",
            language_confirmed=False,
            text=item.text,
            original_name=f"{item.name or item.guid}.txt"[:255],
            file_kind=Source.FileKind.TXT,
            uploaded_by=user,
        )
        source._history_user = user
        source.save()
        report.sources += 1
        for note in item.notes:
            note_targets[note].append({"source": source})
        for sel in item.selections:
            if not 0 <= sel.start < sel.end <= len(item.text):
                outside += 1
                continue
            selection_guid = uuid.uuid4()
            first: Coding | None = None
            for c in sel.codings:
                code = codes.get(c.code)
                if code is None:
                    continue  # the reader has already said so
                coder = coders.get(c.user or sel.user or "")
                if coder is None:
                    strangers.add(c.user or sel.user or "")
                coding = Coding(
                    source=source,
                    code=code,
                    start=sel.start,
                    end=sel.end,
                    excerpt=item.text[sel.start : sel.end],
                    coder=coder or user,
                    participant=speaker.get(sel.guid),
                    selection_guid=selection_guid,
                )
                codings.append(coding)
                first = first or coding
            if first is not None:
                for note in sel.notes:
                    note_targets[note].append({"coding": first})
    bulk_create_with_history(codings, Coding, default_user=user)
    report.codings = len(codings)
    if outside:
        report.dropped.append(
            f"{outside} selection(s) empty or outside their source's text (left out)"
        )
    if strangers:
        report.dropped.append(
            f"codings by {len(strangers)} coder(s) with no account here: recorded as yours"
        )
    memos = []
    unattached = 0
    for note in project.notes:
        targets = note_targets.get(note.guid, [])
        if not targets or not note.text.strip():
            unattached += 1
        memos += [
            Memo(project=event.project, text=note.text, author=user, **target)
            for target in targets
            if note.text.strip()
        ]
    bulk_create_with_history(memos, Memo, default_user=user)
    report.memos = len(memos)
    if unattached:
        report.dropped.append(
            f"{unattached} note(s) empty or attached to no code, selection or source "
            "(Open keeps memos on those only)"
        )
    if project.sets:
        report.dropped.append(
            f"{len(project.sets)} set(s): everything was brought into the one event chosen"
        )
    return report
