"""What an idea's page shows beyond its fields: its versions (from the audit trail) and the
expected narrowing of the gap of each finding it addresses (:mod:`focuson.ideas.gap`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from focuson.ideas.gap import expected_gap_narrowing
from focuson.web.ideas.models import Idea

#: Fields whose changes are bookkeeping, not a new version of the idea.
_QUIET = {"updated", "created", "deleted_at", "deleted_by"}


@dataclass(frozen=True)
class Version:
    """One version of an idea: its number, when, who, and the fields that changed."""

    number: int
    when: Any
    who: str
    changed: list[str]


def versions(idea: Idea) -> list[Version]:
    """The idea's versions, newest first: each save in its history, with what it changed.

    A resident who added an idea in a session has no account: their version says so, without
    anything that could identify them.
    """
    records = list(idea.history.select_related("history_user").order_by("history_date", "pk"))
    out: list[Version] = []
    previous = None
    for record in records:
        if previous is None:
            changed = [_("First version")]
        else:
            delta = record.diff_against(previous, excluded_fields=_QUIET)
            changed = [str(Idea._meta.get_field(c.field).verbose_name) for c in delta.changes]
        previous = record
        if changed:  # a save that changed nothing (a link set again) is not a version
            out.append(
                Version(
                    number=len(out) + 1, when=record.history_date, who=_who(record), changed=changed
                )
            )
    return out[::-1]


def _who(record: Any) -> str:
    user = record.history_user
    if user is not None:
        return str(user.display_name())
    if record.session_id is not None:
        return _("A resident, in a co-creation session")
    return _("Not recorded")


@dataclass(frozen=True)
class GapEstimate:
    """The expected narrowing of one finding's gap by the idea, with its assumptions."""

    finding: Any
    people_affected: float
    people_fewer: float
    people_after: float
    share_closed: float
    gap_before: float | None
    gap_after: float | None
    reach: float
    effect: float
    source: str

    # Percentages, for the page (templates cannot multiply).
    @property
    def closed_percent(self) -> float:
        return 100 * self.share_closed

    @property
    def reach_percent(self) -> float:
        return 100 * self.reach

    @property
    def effect_percent(self) -> float:
        return 100 * self.effect

    @property
    def before_percent(self) -> float | None:
        return None if self.gap_before is None else 100 * self.gap_before

    @property
    def after_percent(self) -> float | None:
        return None if self.gap_after is None else 100 * self.gap_after


def gap_estimates(idea: Idea) -> list[GapEstimate]:
    """One estimate per linked finding with people affected, when the idea has an effect.

    One call of :func:`focuson.ideas.gap.expected_gap_narrowing` for all the findings; the
    group size (the finding's denominator) gives the gap as a proportion when it is known.
    """
    if idea.gap_effect is None:
        return []
    findings = [f for f in idea.findings.all() if f.excess is not None and f.excess >= 0]
    if not findings:
        return []
    sizes = [
        f.denominator if f.denominator is not None and f.denominator >= f.excess else float("nan")
        for f in findings
    ]
    reach = 1.0 if idea.gap_reach is None else idea.gap_reach
    made = expected_gap_narrowing(
        [f.excess for f in findings],
        idea.gap_effect,
        reach=reach,
        group_size=sizes,
        effect_source=idea.gap_effect_source or "a judgement",
    )
    return [
        GapEstimate(
            finding=f,
            people_affected=float(made.people_affected[i]),
            people_fewer=float(made.people_fewer[i]),
            people_after=float(made.people_affected_after[i]),
            share_closed=float(made.share_closed[i]),
            gap_before=_number(made.gap_before[i]),
            gap_after=_number(made.gap_after[i]),
            reach=reach,
            effect=idea.gap_effect,
            source=idea.gap_effect_source,
        )
        for i, f in enumerate(findings)
    ]


def _number(value: float) -> float | None:
    return None if value != value else float(value)  # NaN: no group size
