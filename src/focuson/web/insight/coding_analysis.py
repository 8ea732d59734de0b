"""Agreement between coders and the coding tables, from the database to the library.

The unit both are counted on is a paragraph: a line of a source's text (a transcript's cue is
one line), with words on it. A coding applies its code to every paragraph it overlaps, so two
coders who select slightly different stretches of the same answer still agree. The statistics
are :mod:`focuson.insight.agreement`'s and :mod:`focuson.insight.coding_tables`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd
from django.db.models import Count, Q, QuerySet

from focuson.insight.agreement import agreement
from focuson.insight.coding_tables import (
    CodesByAttribute,
    Cooccurrence,
    codes_by_attribute,
    cooccurrence,
)
from focuson.web.insight.models import Code, Coding, Insight, Participant, Source, code_paths


def paragraphs(text: str) -> pd.DataFrame:
    """``line``, ``start``, ``end`` (code points) of each line of ``text`` with words on it.

    >>> paragraphs("one\\n\\ntwo").values.tolist()
    [[0, 0, 3], [2, 5, 8]]
    """
    parts = text.split("\n")
    lengths = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
    starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]])
    frame = pd.DataFrame({"line": np.arange(len(parts)), "start": starts, "end": starts + lengths})
    worded = np.fromiter((bool(p.strip()) for p in parts), dtype=bool, count=len(parts))
    return frame[worded].reset_index(drop=True)


def by_paragraph(codings: pd.DataFrame, texts: dict[int, str]) -> pd.DataFrame:
    """One row per coding and paragraph it overlaps: the codings' columns plus ``excerpt``.

    ``codings`` has ``source``, ``start`` and ``end``; ``excerpt`` is ``"<source>:<line>"``.
    """
    rows = []
    for key, group in codings.groupby("source", sort=False):
        source = int(cast(Any, key))
        units = paragraphs(texts[source])
        starts, ends = units["start"].to_numpy(), units["end"].to_numpy()
        # Paragraphs are sorted and apart: the first overlapping one ends after the coding's
        # start; the last starts before its end.
        first = np.searchsorted(ends, group["start"].to_numpy(), side="right")
        last = np.searchsorted(starts, group["end"].to_numpy(), side="left") - 1
        count = np.maximum(last - first + 1, 0)
        repeated = group.loc[group.index.repeat(count)].copy()
        offsets = np.concatenate([np.arange(n) for n in count]) if len(count) else np.zeros(0)
        index = np.repeat(first, count) + offsets.astype(np.int64)
        repeated["excerpt"] = [f"{source}:{line}" for line in units["line"].to_numpy()[index]]
        rows.append(repeated)
    if not rows:
        return codings.assign(excerpt=pd.Series(dtype=str)).iloc[0:0]
    return pd.concat(rows, ignore_index=True)


@dataclass(frozen=True)
class Agreement:
    """Two coders compared on the sources both coded."""

    table: pd.DataFrame | None
    #: The sample: the sources compared.
    sources: list[Source]
    units: int
    #: Every source both coders coded (the sample can be narrowed to some of them).
    common: list[Source]


def coders(project: Any) -> list[Any]:
    """Everyone who has coded in the project (live codings of live sources)."""
    from django.contrib.auth import get_user_model

    ids = (
        Coding.objects.filter(source__project=project, source__deleted_at__isnull=True)
        .values_list("coder_id", flat=True)
        .distinct()
    )
    return list(get_user_model().objects.filter(pk__in=ids).order_by("username"))


def compare_coders(
    project: Any, coder_a: Any, coder_b: Any, *, only: list[int] | None = None
) -> Agreement:
    """Agreement per code between two coders, on every source both have coded.

    ``only`` narrows the sample to those sources (of the ones both coded); ``Agreement.common``
    lists every source both coded, for choosing.
    """
    live = Coding.objects.filter(
        source__project=project, source__deleted_at__isnull=True, code__deleted_at__isnull=True
    )
    both = set(live.filter(coder=coder_a).values_list("source_id", flat=True)) & set(
        live.filter(coder=coder_b).values_list("source_id", flat=True)
    )
    common = list(Source.objects.filter(pk__in=both).order_by("title"))
    if only:
        both &= set(only)
    sources = [s for s in common if s.pk in both]
    if not sources:
        return Agreement(None, [], 0, common)
    texts = {s.pk: s.text for s in sources}
    sample = [f"{s.pk}:{line}" for s in sources for line in paragraphs(s.text)["line"]]
    rows = pd.DataFrame.from_records(
        list(
            live.filter(source_id__in=both, coder__in=[coder_a, coder_b]).values_list(
                "source_id", "start", "end", "code_id", "coder_id"
            )
        ),
        columns=["source", "start", "end", "code", "coder"],
    )
    # The library names codes and coders by strings: their primary keys, as text.
    long = by_paragraph(rows, texts).astype({"code": str, "coder": str})
    codes = sorted(long["code"].unique(), key=int)
    table = agreement(
        long[["excerpt", "code", "coder"]].drop_duplicates(),
        sample=sample,
        codes=codes,
        coders=(str(coder_a.pk), str(coder_b.pk)),
    )
    return Agreement(table, sources, len(sample), common)


@dataclass(frozen=True)
class Tables:
    """The coding tables of a project, and how many coded passages they leave out."""

    #: Code primary keys, in the tables' order (``labels`` names them).
    codes: list[int]
    labels: dict[int, str]
    cooccurrence: Cooccurrence | None
    by_attribute: CodesByAttribute | None
    unattributed: int


def tables(project: Any, *, attribute: str, bands: list[str]) -> Tables:
    """Co-occurrence and codes by ``attribute`` (a ``Participant`` field), distinct people."""
    live = Coding.objects.filter(
        source__project=project,
        source__deleted_at__isnull=True,
        source__event__deleted_at__isnull=True,
        code__deleted_at__isnull=True,
    )
    unattributed = live.filter(participant__isnull=True).count()
    rows = pd.DataFrame.from_records(
        list(
            live.filter(participant__isnull=False).values_list(
                "source_id", "start", "end", "code_id", "participant_id"
            )
        ),
        columns=["source", "start", "end", "code", "participant"],
    )
    paths = code_paths(project.pk)
    labels = {
        pk: paths[pk]
        for pk in Code.objects.filter(project=project, is_codable=True).values_list("pk", flat=True)
    }
    codes = sorted(labels, key=lambda pk: labels[pk].casefold())
    if rows.empty or not codes:
        return Tables(codes, labels, None, None, unattributed)
    texts = dict(Source.objects.filter(pk__in=rows["source"].unique()).values_list("pk", "text"))
    long = by_paragraph(rows, texts)
    people = pd.DataFrame.from_records(
        list(
            Participant.objects.filter(pk__in=rows["participant"].unique()).values_list(
                "pk", attribute
            )
        ),
        columns=["participant", attribute],
    )
    people[attribute] = people[attribute].mask(people[attribute] == "")  # "prefer not to say"
    # A code deleted from the codebook keeps its codings hidden from the tables.
    long = long[long["code"].isin(codes)]
    return Tables(
        codes,
        labels,
        cooccurrence(long, codes=codes),
        codes_by_attribute(long, people, attribute=attribute, codes=codes, bands=bands),
        unattributed,
    )


def insights_with_strength(project: Any) -> QuerySet[Insight]:
    """A project's insights, each with its strength: ``n_excerpts`` supporting excerpts, and
    the distinct participants (``n_people``) and events (``n_events``) behind them (voices, not
    lines; deleted codings, sources and events do not count)."""
    live = Q(
        codings__deleted_at__isnull=True,
        codings__source__deleted_at__isnull=True,
        codings__source__event__deleted_at__isnull=True,
    )
    return (
        Insight.objects.filter(project=project)
        .select_related("finding")
        .annotate(
            n_excerpts=Count("codings", filter=live, distinct=True),
            n_people=Count("codings__participant", filter=live, distinct=True),
            n_events=Count("codings__source__event", filter=live, distinct=True),
        )
    )
