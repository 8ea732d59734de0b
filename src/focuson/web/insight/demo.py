"""The demo's Open step: events, people heard, sources in three languages, coding and insights.

:func:`seed_open` gives one example project what a month of listening in its borough leaves
behind: a listening event counted on a paper sign-in sheet, a community conversation in Bengali
(transcript and its human translation), one-to-one interviews (one in Arabic with a machine
translation, one in English), about twenty pseudonymous participants with banded attributes,
a small codebook, codings by two coders on the Bengali transcript (so the agreement page has
numbers), memos, four insights tied to the project's finding, and one released quote.

Everything is synthetic and says so ("Demo" in every title); the texts were written by hand and
name no real person. Writes go through Open's actions where they exist, so the demo is made as a
page would make it. Running it again changes nothing: a project with a demo event is left as it is.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from focuson.insight.sources import read_txt
from focuson.web.insight import coding_actions, release_actions, source_actions
from focuson.web.insight.actions import record_tally
from focuson.web.insight.demo_people import affected_groups, people
from focuson.web.insight.demo_texts import CODEBOOK, CODINGS, INSIGHTS, SOURCES, TALLY
from focuson.web.insight.models import (
    Code,
    Coding,
    Event,
    Insight,
    Memo,
    Participant,
    Quote,
    Source,
)
from focuson.web.programme.models import Borough, Status, Step

#: Every title the demo writes starts with this, so no one takes it for real work.
PREFIX = "Demo"
#: The random seed of the participants' attributes (one stream per example project).
SEED = 20250415


@dataclass(frozen=True)
class DemoOpen:
    """What :func:`seed_open` made on one project (or found there from an earlier run)."""

    project_id: int
    events: int
    participants: int
    sources: int
    codings: int
    insights: int
    quotes: int
    created: bool


def _borough(project: Any) -> Borough:
    """The project's borough; else the one where its finding affects most people (published
    rows only); else Brent."""
    chosen = project.boroughs.order_by("name").first()
    if chosen is not None:
        return chosen
    if project.finding_id is not None:
        f = project.finding
        row = (
            type(f)
            .objects.filter(
                run_id=f.run_id,
                indicator=f.indicator,
                period=f.period,
                dimension="borough",
                suppressed=False,
                denominator__isnull=False,
            )
            .order_by("-denominator", "group")
            .first()
        )
        if row is not None:
            found = Borough.objects.filter(name=row.group).first()
            if found is not None:
                return found
    found = Borough.objects.filter(name="Brent").first() or Borough.objects.order_by("name").first()
    if found is None:
        raise RuntimeError("The programme has no boroughs: seed_programme() made none.")
    return found


def _event(project: Any, user: Any, borough: Borough, when: datetime.date, **fields: Any) -> Event:
    event = Event(
        project=project,
        borough=borough,
        date=when,
        retention_date=when + datetime.timedelta(days=730),
        consent_basis="Verbal consent to notes and recording, explained in the person's language",
        created_by=user,
        **fields,
    )
    event._history_user = user
    event.save()
    event.facilitators.set([user])
    return event


def _lines(text: str) -> list[tuple[int, str, str]]:
    """Each transcript line as (offset of its words, speaker label, words)."""
    out, at = [], 0
    for line in text.split("\n"):
        label, sep, words = line.partition(": ")
        if sep and words:
            out.append((at + len(label) + 2, label, words))
        elif line.strip():
            out.append((at, "", line))
        at += len(line) + 1
    return out


def _code_lines(
    source: Source,
    coder: Any,
    plan: dict[int, tuple[str, ...]],
    codes: dict[str, Code],
    people: dict[str, Participant],
) -> dict[tuple[int, str], Coding]:
    """Apply ``plan`` (line number -> code names) to ``source`` as ``coder``."""
    made = {}
    lines = _lines(source.text)
    for number, names in plan.items():
        start, label, words = lines[number]
        for name in names:
            made[(number, name)] = coding_actions.apply_code(
                user=coder,
                source=source,
                code=codes[name],
                start=start,
                end=start + len(words),
                participant=people.get(label),
            )
    return made


def _codebook(project: Any, user: Any) -> dict[str, Code]:
    codes: dict[str, Code] = {}
    for name, parent, description in CODEBOOK:
        code = Code(
            project=project,
            parent=codes.get(parent) if parent else None,
            name=name,
            description=description,
            is_codable=bool(parent) or name == "Care not in the records",
            created_by=user,
        )
        code._history_user = user
        code.save()
        codes[name] = code
    return codes


def _memo(project: Any, user: Any, text: str, **target: Any) -> None:
    memo = Memo(project=project, author=user, text=text, **target)
    memo._history_user = user
    memo.save()


def _events(project: Any, lead: Any, first: Any, borough: Borough) -> dict[str, Event]:
    """The three events, the listening event with its paper sign-in sheet's tally."""
    today = timezone.localdate()
    place = borough.name
    listening = _event(
        project, lead, borough, today - datetime.timedelta(days=56),
        kind=Event.Kind.LISTENING, title=f"{PREFIX} listening event, {place} community hub",
        venue=f"{place} community hub", partners="Demo Health Champions Network",
        languages="English, Bengali, Arabic", interpreters=2,
        attendance=sum(TALLY["ethnicity_6"].values()),
    )  # fmt: skip
    for dimension, counts in TALLY.items():
        affected = affected_groups(project, dimension) if dimension == "sex" else set()
        if len(affected & set(counts)) == 1:
            # A finding about one sex (breast screening): the listening event was for them.
            counts = {
                (affected & set(counts)).pop(): sum(n for b, n in counts.items() if b),
                "": counts[""],
            }
        record_tally(user=lead, event=listening, dimension=dimension, counts=counts)
    conversation = _event(
        project, first, borough, today - datetime.timedelta(days=42),
        kind=Event.Kind.CONVERSATION, title=f"{PREFIX} community conversation in Bengali, {place}",
        venue=f"{place} mosque community room", partners="Demo Bangladeshi Community Association",
        languages="Bengali, English", interpreters=1, attendance=16,
    )  # fmt: skip
    interviews = _event(
        project, lead, borough, today - datetime.timedelta(days=28),
        kind=Event.Kind.INTERVIEW, title=f"{PREFIX} one-to-one interviews, {place}",
        venue="Residents' homes and by phone", partners="Demo Refugee Support Project",
        languages="Arabic, English, Somali", interpreters=1, attendance=4,
    )  # fmt: skip
    return {"listening": listening, "conversation": conversation, "interviews": interviews}


def _memos(
    project: Any,
    *,
    lead: Any,
    analyst: Any,
    first: Any,
    codes: dict[str, Code],
    sources: dict[str, Source],
    coded: dict[tuple[str, str, int, str], Coding],
) -> None:
    """A memo on a code, on a coded passage and on a source."""
    _memo(project, lead, "Comes up at every event and in every language: the letters are the "
          "first thing people mention.", code=codes["Letters and language"])  # fmt: skip
    abroad = coded[("bengali", "first", 8, "Care not in the records")]
    _memo(project, analyst, "Check with the screening hub whether care abroad or private care "
          "can be recorded.", coding=abroad)  # fmt: skip
    _memo(project, first, "Transcribed and translated by a Bengali-speaking volunteer; speaker "
          "labels added by the facilitator.", source=sources["bengali"])  # fmt: skip


def _start_open(project: Any, user: Any) -> None:
    """Open in progress, unless the project is past it already (a later step has started)."""
    from focuson.web.programme.actions import move_step

    steps = {s.step: s for s in project.steps.all()}
    order = list(Step)
    later = order[order.index(Step.OPEN) + 1 :]
    if steps.get(Step.OPEN) is None or steps[Step.OPEN].status != Status.NOT_STARTED:
        return
    if any(steps[s].status != Status.NOT_STARTED for s in later if s in steps):
        return
    move_step(
        user=user,
        project=project,
        step=Step.OPEN,
        status=Status.IN_PROGRESS,
        notes="Demo: three events held; the Bengali and Arabic transcripts are coded.",
    )


def _summary(project: Any, created: bool) -> DemoOpen:
    return DemoOpen(
        project_id=project.pk,
        events=Event.objects.filter(project=project).count(),
        participants=Participant.objects.filter(event__project=project).count(),
        sources=Source.objects.filter(project=project).count(),
        codings=Coding.objects.filter(source__project=project).count(),
        insights=Insight.objects.filter(project=project).count(),
        quotes=Quote.objects.filter(project=project).count(),
        created=created,
    )


@transaction.atomic
def seed_open(
    project: Any,
    *,
    lead: Any,
    analyst: Any,
    facilitator: Any = None,
    index: int = 0,
    say: Callable[[str], None] = print,
) -> DemoOpen:
    """Give ``project`` a demo Open step (once: a project with a demo event is left as it is).

    Parameters
    ----------
    project
        An example project of the demo.
    lead, analyst, facilitator
        The demo's accounts: the lead runs the events and links the insights; the facilitator
        (when a member of the project, else the lead) and the analyst code the Bengali
        transcript, so two coders' agreement can be measured.
    index
        Which example project this is: each gets its own stream of random attributes.
    say
        Where progress sentences go.
    """
    if Event.all_objects.filter(project=project, title__startswith=PREFIX).exists():
        return _summary(project, created=False)
    say(f"Seeding Open on {project.title}...")
    rng = np.random.default_rng(SEED + index)
    borough = _borough(project)
    first = facilitator if facilitator is not None and project.is_member(facilitator) else lead

    events = _events(project, lead, first, borough)
    rows = people(rng, project, borough)
    bulk_create_with_history(
        [Participant(event=events[r.pop("group")], **r) for r in rows],
        Participant,
        default_user=lead,
    )
    # Pseudonyms are unique within an event; the conversation's and the interviews' differ.
    speakers = {
        p.pseudonym: p
        for p in Participant.objects.filter(
            event__in=[events["conversation"], events["interviews"]]
        )
    }
    coders = {"first": first, "second": analyst, "lead": lead}
    sources: dict[str, Source] = {}
    for key, event, title, name, kind, language, text, translation in SOURCES:
        by = first if key == "bengali" else lead
        read = read_txt(text.encode("utf-8"), name=name)
        sources[key] = source_actions.add_source(
            user=by, event=events[event], read=read, title=f"{PREFIX}: {title}", kind=kind,
            language=language,
        )  # fmt: skip
        if translation is not None:
            made_by, words, translator = translation
            source_actions.add_translation(
                user=by, source=sources[key], language="en", kind=made_by, text=words,
                translator=translator,
            )  # fmt: skip

    codes = _codebook(project, lead)
    coded: dict[tuple[str, str, int, str], Coding] = {}
    for key, coder, plan in CODINGS:
        made = _code_lines(sources[key], coders[coder], plan, codes, speakers)
        coded.update({(key, coder, *k): v for k, v in made.items()})

    _memos(project, lead=lead, analyst=analyst, first=first, codes=codes, sources=sources,
           coded=coded)  # fmt: skip

    for statement, kind, relation, support in INSIGHTS:
        insight = Insight(
            project=project,
            statement=statement,
            type=kind,
            finding=project.finding if project.finding_id else None,
            relation=relation if project.finding_id else "",
            created_by=lead,
        )
        insight._history_user = lead
        insight.save()
        chosen = [v for k, v in coded.items() if k[-1] in support]
        coding_actions.set_support(user=lead, insight=insight, codings=chosen)

    # One quote released: the English interviewee's words, their phone number redacted.
    said = coded[("english", "lead", 2, "Phone booking")]
    confirmed = [(s.start, s.end) for s in release_actions.suggestions(said.excerpt)]
    draft = release_actions.draft(
        said, confirmed=confirmed, names=["Sandra"], chosen=["age_band", "sex"]
    )
    release_actions.release_quote(user=lead, coding=said, quote=draft)
    _start_open(project, lead)
    return _summary(project, created=True)
