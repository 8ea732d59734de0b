"""Unite scores and support per voter group, against values worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from focuson.ideas.small_groups import MERGED
from focuson.ideas.unite import Criterion, score_ideas, support_ideas
from focuson.stats import DisclosureRule

#: No suppression, no rounding: for checking the arithmetic by hand.
EXACT = DisclosureRule(suppress_to=0, round_to=1)
CRITERIA = [Criterion("gap", weight=2), Criterion("cost", weight=1, higher_is_better=False)]


def _scores(rows):
    return pd.DataFrame(rows, columns=["voter", "role", "channel", "idea", "criterion", "score"])


# Idea X scored by two residents and a clinician on 1..5 scales.
#   r1: gap 5 -> 1.0; cost 1 -> (1 - 0) = 1.0 (cost: lower is better)
#   r2: gap 3 -> 0.5; cost 5 -> 0.0
#   c1: gap 1 -> 0.0; cost 5 -> 0.0
BALLOTS = _scores(
    [
        ("r1", "resident", "online", "X", "gap", 5),
        ("r1", "resident", "online", "X", "cost", 1),
        ("r2", "champion", "paper", "X", "gap", 3),
        ("r2", "champion", "paper", "X", "cost", 5),
        ("c1", "clinician", "in_person", "X", "gap", 1),
        ("c1", "clinician", "in_person", "X", "cost", 5),
    ]
)


def _row(table, dimension, group, idea="X"):
    hit = table[(table.dimension == dimension) & (table.group == group) & (table.idea == idea)]
    assert len(hit) == 1, (dimension, group, idea)
    return hit.iloc[0]


def test_weighted_scores_per_side_role_and_everyone_by_hand():
    out = score_ideas(BALLOTS, CRITERIA, rule=EXACT)
    # Community (r1, r2): gap mean 0.75, cost mean 0.5: (2 * 0.75 + 1 * 0.5) / 3 = 2/3.
    community = _row(out.table, "side", "community")
    assert_allclose(community["score"], 2 / 3)
    assert_allclose([community["mean[gap]"], community["mean[cost]"]], [0.75, 0.5])
    assert community["voters"] == 2
    # Professional (c1): 0.
    assert_allclose(_row(out.table, "side", "professional")["score"], 0.0)
    # Everyone: gap mean 0.5, cost mean 1/3: (1 + 1/3) / 3 = 4/9.
    assert_allclose(_row(out.table, "everyone", "Everyone")["score"], 4 / 9)
    # Roles: resident r1 = (2 + 1) / 3 = 1; champion r2 = (1 + 0) / 3 = 1/3.
    assert_allclose(_row(out.table, "role", "resident")["score"], 1.0)
    assert_allclose(_row(out.table, "role", "champion")["score"], 1 / 3)
    spread = out.spread.set_index(["dimension", "idea"]).loc[("side", "X")]
    assert (spread["lowest_group"], spread["highest_group"]) == ("professional", "community")
    assert_allclose([spread["lowest"], spread["highest"]], [0.0, 2 / 3])
    assert "group" not in set(out.table.dimension)  # nobody declared a group


def test_a_paper_ballot_counts_the_same_as_an_online_one():
    online = score_ideas(BALLOTS, CRITERIA, rule=EXACT)
    paper = score_ideas(BALLOTS.assign(channel="paper"), CRITERIA, rule=EXACT)
    pd.testing.assert_frame_equal(online.table, paper.table)
    assert online.channels.to_dict() == {"online": 1, "in_person": 1, "paper": 1, "phone": 0}
    assert paper.channels.to_dict() == {"online": 0, "in_person": 0, "paper": 3, "phone": 0}


def test_a_criterion_a_group_left_unscored_leaves_its_score_blank():
    ballots = BALLOTS[~((BALLOTS.voter == "c1") & (BALLOTS.criterion == "cost"))]
    out = score_ideas(ballots, CRITERIA, rule=EXACT)
    assert np.isnan(_row(out.table, "side", "professional")["score"])
    assert_allclose(_row(out.table, "side", "professional")["mean[gap]"], 0.0)


def _crowd(n_residents, n_clinicians, n_managers, score_of, groups=None):
    rows = []
    people = (
        [(f"r{i}", "resident") for i in range(n_residents)]
        + [(f"c{i}", "clinician") for i in range(n_clinicians)]
        + [(f"m{i}", "manager") for i in range(n_managers)]
    )
    for voter, role in people:
        for criterion in ("gap", "cost"):
            rows.append((voter, role, "online", "X", criterion, score_of(role, criterion)))
    frame = _scores(rows)
    if groups is not None:
        frame["group"] = frame["voter"].map(dict(zip([p for p, _ in people], groups, strict=True)))
    return frame


def test_small_groups_are_merged_and_residents_never_merged_with_professionals():
    ballots = _crowd(10, 5, 4, lambda role, c: 5 if role == "resident" else 3)
    out = score_ideas(ballots, CRITERIA)  # NHS rule: 1-7 small, counts rounded to 5
    sides = out.table[out.table.dimension == "side"]
    # Professionals: 5 + 4 = 9 people, shown; 9 is published as 10.
    assert sorted(sides.group) == ["community", "professional"]
    assert _row(out.table, "side", "professional")["voters"] == 10
    # Roles: clinicians (5) and managers (4) are each small: merged into one group of 9.
    roles = out.table[out.table.dimension == "role"]
    assert sorted(roles.group) == [MERGED, "resident"]
    assert out.merged["role"] == ("clinician", "manager")
    assert_allclose(_row(out.table, "role", MERGED)["score"], 0.5)


def test_a_small_side_is_left_out_rather_than_merged():
    ballots = _crowd(10, 5, 0, lambda role, c: 4)
    out = score_ideas(ballots, CRITERIA)
    assert out.left_out["side"] == ("professional",)
    assert set(out.table[out.table.dimension == "side"].group) == {"community"}


def test_declared_groups_are_scored_and_too_few_scorers_of_an_idea_blank_it():
    groups = ["Bangladeshi"] * 8 + ["White British"] * 8
    ballots = _crowd(16, 0, 0, lambda role, c: 5, groups=groups)
    # Only three of the White British group scored idea Y.
    extra = ballots[ballots.voter.isin(["r8", "r9", "r10"])].assign(idea="Y")
    out = score_ideas(pd.concat([ballots, extra]), CRITERIA)
    # Every score 5: gap 5 -> 1, cost 5 -> 0 (a high cost is worse): (2 * 1 + 0) / 3 = 2/3.
    assert_allclose(_row(out.table, "group", "Bangladeshi")["score"], 2 / 3)
    blank = _row(out.table, "group", "White British", idea="Y")
    assert np.isnan(blank["score"]) and np.isnan(blank["voters"])


def _supports(rows):
    return pd.DataFrame(rows, columns=["voter", "role", "channel", "idea", "support"])


def test_support_split_by_side_with_an_opposing_group_flagged():
    # Idea A: 10 residents for, 10 clinicians against. Idea B: everyone for. (Multiples of 5,
    # so the published counts are the true ones: shares come from the published counts.)
    rows = []
    for i in range(10):
        rows += [(f"r{i}", "resident", "online", "A", 1), (f"r{i}", "resident", "online", "B", 1)]
        rows += [(f"c{i}", "clinician", "paper", "A", -1), (f"c{i}", "clinician", "paper", "B", 1)]
    out = support_ideas(_supports(rows))
    table = out.table.set_index(["dimension", "group", "idea"])
    # Residents on A: for 10 of 10: (10 + 1) / (10 + 2) = 11/12; clinicians 1/12.
    assert_allclose(table.loc[("side", "community", "A"), "p_support"], 11 / 12)
    assert_allclose(table.loc[("side", "professional", "A"), "p_support"], 1 / 12)
    assert table.loc[("side", "professional", "A"), "opposes"]
    assert table.loc[("side", "community", "A"), "for"] == 10
    consensus = out.consensus.set_index(["dimension", "idea"])
    assert_allclose(consensus.loc[("side", "A"), "consensus"], 11 / 12 * 1 / 12)
    assert_allclose(consensus.loc[("side", "B"), "consensus"], (11 / 12) ** 2)
    assert consensus.loc[("side", "A"), "opposed_by"] == ("professional",)
    assert not consensus.loc[("side", "B"), "opposed"]
    # Everyone together: 10 for, 10 against of 20: (10 + 1) / 22 = 0.5: not opposed.
    assert_allclose(table.loc[("everyone", "Everyone", "A"), "p_support"], 0.5)
    assert not consensus.loc[("everyone", "A"), "opposed"]


def test_shares_come_from_the_published_counts_never_the_true_ones():
    # 8 residents for A: published 10 (rounded to 5), so the share is (10 + 1) / (10 + 2), not
    # (8 + 1) / (8 + 2): a share of the true counts at full precision would give them back.
    rows = [(f"r{i}", "resident", "online", "A", 1) for i in range(8)]
    rows += [(f"r{i}", "resident", "online", "A2", 1 if i < 3 else 0) for i in range(8)]
    table = support_ideas(_supports(rows)).table.set_index(["dimension", "group", "idea"])
    assert table.loc[("side", "community", "A"), "for"] == 10
    assert_allclose(table.loc[("side", "community", "A"), "p_support"], 11 / 12)
    # 3 for of 8 is a hidden 1-7: its share is blank too.
    assert np.isnan(table.loc[("side", "community", "A2"), "for"])
    assert np.isnan(table.loc[("side", "community", "A2"), "p_support"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"role": "mayor"}, r"ballots row 0 \(voter 'r1'\): role 'mayor' is not one of resident"),
        ({"channel": "fax"}, "channel 'fax' is not one of online, in_person, paper, phone"),
        ({"score": 6}, "score 6 is off the scale"),
        ({"score": "five"}, "score 'five' is off the scale"),
        ({"criterion": "speed"}, "criterion 'speed' is not a criterion of this round"),
    ],
)
def test_bad_score_ballots_are_refused_naming_the_row(change, message):
    ballots = BALLOTS.astype(object).copy()
    for column, value in change.items():
        ballots.loc[0, column] = value
    with pytest.raises(ValueError, match=message):
        score_ideas(ballots, CRITERIA, rule=EXACT)


def test_duplicate_and_inconsistent_ballots_are_refused():
    with pytest.raises(ValueError, match="scored twice by the same voter"):
        score_ideas(pd.concat([BALLOTS, BALLOTS.iloc[[0]]]), CRITERIA, rule=EXACT)
    changed = BALLOTS.copy()
    changed.loc[1, "role"] = "manager"
    with pytest.raises(ValueError, match=r"voter 'r1'.*role 'resident' differs between"):
        score_ideas(changed, CRITERIA, rule=EXACT)
    with pytest.raises(ValueError, match="column 'channel' is missing"):
        score_ideas(BALLOTS.drop(columns="channel"), CRITERIA, rule=EXACT)
    with pytest.raises(ValueError, match="support 2 is not 1"):
        support_ideas(_supports([("r1", "resident", "online", "A", 2)]))


def test_criteria_are_checked():
    with pytest.raises(ValueError, match="weight must be positive"):
        Criterion("gap", weight=0)
    with pytest.raises(ValueError, match="scale_max"):
        Criterion("gap", scale_min=5, scale_max=1)
    with pytest.raises(ValueError, match="each with its own name"):
        score_ideas(BALLOTS, [Criterion("gap"), Criterion("gap")])


def test_a_groups_shares_for_an_idea_few_of_it_voted_on_are_blank():
    # Ten residents and ten clinicians; only three clinicians voted on idea C (all against).
    rows = []
    for i in range(10):
        rows += [(f"r{i}", "resident", "online", "C", 1), (f"c{i}", "clinician", "online", "D", 0)]
    rows += [(f"c{i}", "clinician", "online", "C", -1) for i in range(3)]
    out = support_ideas(_supports(rows))
    row = out.table.set_index(["dimension", "group", "idea"]).loc[("side", "professional", "C")]
    assert np.isnan(row["p_support"]) and np.isnan(row["votes"])
    assert not row["opposes"]
    consensus = out.consensus.set_index(["dimension", "idea"])
    assert not consensus.loc[("side", "C"), "opposed"]
    # The consensus across groups is blank: over the hidden group it would give its 3 votes back.
    assert np.isnan(consensus.loc[("side", "C"), "consensus"])


def test_published_means_say_no_more_about_how_many_voted_than_the_rounded_counts():
    # Three "other" voters: a side left out for being small. At full precision the everyone and
    # side means were fractions k / (4 n) whose denominators gave back 33 - 20 - 10 = 3.
    rng = np.random.default_rng(7)
    people = [(f"r{i}", "resident") for i in range(20)]
    people += [(f"c{i}", "clinician") for i in range(10)] + [(f"o{i}", "other") for i in range(3)]
    rows = [
        (voter, role, "online", idea, criterion, int(rng.integers(1, 6)))
        for voter, role in people
        for idea in ("X", "Y", "Z")
        for criterion in ("gap", "cost")
    ]
    out = score_ideas(_scores(rows), CRITERIA)  # NHS rule: 1-7 hidden, counts rounded to 5
    assert out.left_out["side"] == ("other",)
    means = out.table[["mean[gap]", "mean[cost]"]].to_numpy().ravel()
    means = means[~np.isnan(means)]
    assert means.size >= 12
    # On the 0.05 grid (scores 1-5 and the NHS rule's smallest shown count 8: 1 / 32 <= 0.05)...
    assert_allclose(means / 0.05, np.round(means / 0.05), atol=1e-9)
    # ...so every number of voters from 8 up has some total of scores that rounds to each mean.
    n = np.arange(8, 200)[:, None]
    nearest = np.round(means[None, :] * 4 * n) / (4 * n)
    assert (np.abs(nearest - means[None, :]) <= 0.025 + 1e-12).all()


def test_a_criterion_too_few_in_a_group_scored_is_blank_not_a_small_mean():
    # Ten residents scored gap, only three of them scored cost: the cost mean of three is hidden.
    rows = [(f"r{i}", "resident", "online", "X", "gap", 4) for i in range(10)]
    rows += [(f"r{i}", "resident", "online", "X", "cost", 2) for i in range(3)]
    out = score_ideas(_scores(rows), CRITERIA)
    everyone = _row(out.table, "everyone", "Everyone")
    assert_allclose(everyone["mean[gap]"], 0.75)
    assert np.isnan(everyone["mean[cost]"]) and np.isnan(everyone["score"])
