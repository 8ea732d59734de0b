"""The decision rule: at most N selected, the others parked with a reason."""

from __future__ import annotations

import pandas as pd
import pytest

from focuson.ideas.decision import DecisionError, decide, suggest_shortlist

IDEAS = ["a", "b", "c", "d", "e"]
REASONS = {"d": "Costs more than the budget", "e": "Study cannot measure it"}


def test_three_selected_and_the_rest_parked_is_accepted():
    decision = decide(IDEAS, ["a", "b", "c"], REASONS)
    assert decision.selected == ("a", "b", "c")
    assert decision.parked == REASONS
    assert decision.max_selected == 3


def test_more_than_three_is_refused_with_what_to_do():
    with pytest.raises(DecisionError, match=r"At most 3 ideas can be selected; 4 were chosen "
                                            r"\(a, b, c, d\)\. Park the others"):  # fmt: skip
        decide(IDEAS, ["a", "b", "c", "d"], {"e": "Later"})


def test_the_programme_may_set_its_own_maximum():
    with pytest.raises(DecisionError, match="At most 2 ideas"):
        decide(IDEAS, ["a", "b", "c"], REASONS, max_selected=2)
    assert decide(IDEAS, ["a", "b", "c", "d"], {"e": "x"}, max_selected=4).max_selected == 4
    with pytest.raises(DecisionError, match="1 or more"):
        decide(IDEAS, ["a"], {}, max_selected=0)


@pytest.mark.parametrize(
    ("selected", "parked", "message"),
    [
        ([], {i: "x" for i in IDEAS}, "Select at least one idea"),
        (["a", "b", "c"], {"d": "x"}, "Park these ideas with a reason, or select them: e"),
        (["a", "b", "c"], {"d": "x", "e": "  "}, "Give the reason each idea was parked: e"),
        (["a", "b", "c"], {"d": "x", "e": "x", "z": "x"}, "Not ideas of this round: z"),
        (["a", "b", "c"], {"c": "x", "d": "x", "e": "x"}, "Selected and parked at once: c"),
    ],
)
def test_incomplete_or_contradictory_decisions_are_refused(selected, parked, message):
    with pytest.raises(DecisionError, match=message):
        decide(IDEAS, selected, parked)


def test_suggested_shortlist_ranks_by_the_lowest_group_and_parks_opposed_ideas():
    scores = pd.DataFrame(
        [
            # idea, community, professional: a is liked by both; b by residents only.
            ("side", "community", "a", 0.7),
            ("side", "professional", "a", 0.6),
            ("side", "community", "b", 0.9),
            ("side", "professional", "b", 0.2),
            ("side", "community", "c", 0.8),
            ("side", "professional", "c", 0.8),
            ("side", "community", "d", 0.5),
            ("side", "professional", "d", 0.5),
            ("everyone", "Everyone", "e", 0.9),
        ],
        columns=["dimension", "group", "idea", "score"],
    )
    support = pd.DataFrame(
        {"dimension": "side", "idea": ["a", "b", "c", "d"], "opposed": [False, False, True, False],
         "opposed_by": [(), (), ("professional",), ()]}
    )  # fmt: skip
    suggestion = suggest_shortlist(scores, support, max_selected=2)
    # c has the best lowest score (0.8) but professionals oppose it; then a (0.6), d (0.5), b (0.2).
    assert suggestion.selected == ("a", "d")
    assert suggestion.parked["c"] == "Opposed by professional"
    assert suggestion.parked["b"] == "Ranked 3 of 3 by its lowest group score (0.20, professional)"
    assert suggestion.parked["e"] == "Too few scores from its groups to compare"
    # The suggestion is a valid decision.
    decide(list(dict.fromkeys(scores.idea)), suggestion.selected, suggestion.parked, max_selected=2)
