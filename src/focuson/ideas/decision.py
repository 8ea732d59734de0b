"""The Unite decision: at most N ideas selected (3 by default), the others parked with a reason.

"We do not have unlimited resources and therefore we need to select one to three ideas that we
will robustly test" (issue 16). :func:`decide` checks a decision as people made it;
:func:`suggest_shortlist` proposes one from the round's results for them to start from: ideas
ranked by their *lowest* group score (acceptable to every group, not only the largest), ideas a
group opposes set aside.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

#: The issue's limit; a programme may set its own.
MAX_SELECTED = 3


@dataclass(frozen=True)
class Decision:
    """Ideas selected and ideas parked, each parked one with its reason."""

    selected: tuple[str, ...]
    parked: dict[str, str]
    max_selected: int = MAX_SELECTED


class DecisionError(ValueError):
    """A decision that breaks the rules; the message says what to change."""


def decide(
    ideas: Sequence[str],
    selected: Sequence[str],
    parked: Mapping[str, str],
    *,
    max_selected: int = MAX_SELECTED,
) -> Decision:
    """Check and record a decision on a round's ideas.

    Parameters
    ----------
    ideas
        Every idea in the round.
    selected
        The ideas chosen for prototyping: at least one, at most ``max_selected``.
    parked
        Every other idea, with the reason it was parked (not blank).
    max_selected
        The programme's maximum (3 by default).

    Raises
    ------
    DecisionError
        Too many or no ideas selected, an idea both selected and parked, an idea neither, an
        unknown idea, or a blank reason; the message names the ideas and what to do.

    Examples
    --------
    >>> decide(["a", "b", "c"], ["a"], {"b": "Costs too much", "c": "Opposed by residents"})
    Decision(selected=('a',), parked={'b': 'Costs too much', 'c': 'Opposed by residents'}, \
max_selected=3)
    """
    if isinstance(max_selected, bool) or not isinstance(max_selected, int) or max_selected < 1:
        raise DecisionError(f"The maximum number of ideas must be 1 or more, not {max_selected!r}")
    known = list(dict.fromkeys(ideas))
    if len(known) != len(ideas):
        raise DecisionError("Each idea may appear only once in the round")
    chosen = list(dict.fromkeys(selected))
    if not chosen:
        raise DecisionError(
            "Select at least one idea to prototype, or leave the round open until you can"
        )
    if len(chosen) > max_selected:
        raise DecisionError(
            f"At most {max_selected} ideas can be selected; {len(chosen)} were chosen "
            f"({_names(chosen)}). Park the others with a reason, or ask the programme lead to "
            f"raise the maximum"
        )
    unknown = [i for i in [*chosen, *parked] if i not in known]
    if unknown:
        raise DecisionError(f"Not ideas of this round: {_names(unknown)}")
    both = [i for i in chosen if i in parked]
    if both:
        raise DecisionError(f"Selected and parked at once: {_names(both)}; choose one for each")
    undecided = [i for i in known if i not in chosen and i not in parked]
    if undecided:
        raise DecisionError(f"Park these ideas with a reason, or select them: {_names(undecided)}")
    blank = [i for i, reason in parked.items() if not str(reason).strip()]
    if blank:
        raise DecisionError(f"Give the reason each idea was parked: {_names(blank)}")
    return Decision(
        selected=tuple(chosen),
        parked={i: str(parked[i]).strip() for i in known if i in parked},
        max_selected=max_selected,
    )


def suggest_shortlist(
    scores: pd.DataFrame,
    support: pd.DataFrame | None = None,
    *,
    dimension: str = "side",
    max_selected: int = MAX_SELECTED,
) -> Decision:
    """Propose a shortlist: best lowest-group score first; ideas a group opposes parked.

    Parameters
    ----------
    scores
        ``IdeaScores.table`` from :func:`focuson.ideas.unite.score_ideas`.
    support
        ``IdeaSupport.consensus`` from :func:`focuson.ideas.unite.support_ideas`, or None.
    dimension
        The breakdown whose groups must all find an idea acceptable ("side" by default:
        residents and professionals).
    max_selected
        How many to propose at most.

    Returns
    -------
    Decision
        A proposal, with reasons in words, for people to confirm or change through :func:`decide`.
    """
    rows = scores[scores["dimension"] == dimension]
    ideas = list(dict.fromkeys(scores["idea"]))
    lowest = rows.groupby("idea")["score"].min().reindex(ideas)  # NaN if no group scored it
    lowest_group = rows.dropna(subset=["score"]).set_index("group").groupby("idea")["score"]
    weakest = lowest_group.idxmin().reindex(ideas) if len(rows.dropna(subset=["score"])) else None
    opposed: dict[str, tuple[str, ...]] = {}
    if support is not None and not support.empty:
        flagged = support[(support["dimension"] == dimension) & support["opposed"]]
        opposed = dict(zip(flagged["idea"], flagged["opposed_by"], strict=True))
    ranked = lowest.drop(list(opposed), errors="ignore").dropna().sort_values(ascending=False)
    chosen = list(ranked.index[:max_selected])
    parked: dict[str, str] = {}
    for place, idea in enumerate(ranked.index, start=1):
        if idea not in chosen:
            group = weakest[idea] if weakest is not None else "a group"
            parked[idea] = (
                f"Ranked {place} of {len(ranked)} by its lowest group score "
                f"({lowest[idea]:.2f}, {group})"
            )
    for idea, groups in opposed.items():
        parked[idea] = f"Opposed by {', '.join(groups)}"
    for idea in ideas:
        if idea not in chosen and idea not in parked:
            parked[idea] = "Too few scores from its groups to compare"
    return Decision(selected=tuple(chosen), parked=parked, max_selected=max_selected)


def _names(ideas: Sequence[str]) -> str:
    return ", ".join(str(i) for i in ideas)
