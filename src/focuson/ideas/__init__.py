"""Co-create and Unite: the statement round and the prioritisation round, as arithmetic.

Pure numpy/scipy/pandas (no Django): the ``ideas`` web app calls these functions.

- :mod:`~focuson.ideas.polis`: read a Pol.is conversation export into a vote matrix.
- :mod:`~focuson.ideas.statements`: votes per group, smoothed support, group-aware consensus.
- :mod:`~focuson.ideas.repness`: the statements that represent each group (as Pol.is).
- :mod:`~focuson.ideas.opinion_groups`: opinion groups from the votes (PCA + k-means).
- :mod:`~focuson.ideas.small_groups`: groups below the disclosure threshold merged or suppressed.
- :mod:`~focuson.ideas.rounds`: a statement round end to end, for declared or opinion groups.
- :mod:`~focuson.ideas.unite`: scores and support per voter group, ideas a group opposes.
- :mod:`~focuson.ideas.decision`: at most N ideas selected, the others parked with a reason.
- :mod:`~focuson.ideas.gap`: the expected narrowing of a gap, with its assumptions in words.
"""

from focuson.ideas.decision import (
    MAX_SELECTED,
    Decision,
    DecisionError,
    decide,
    suggest_shortlist,
)
from focuson.ideas.gap import GapNarrowing, expected_gap_narrowing
from focuson.ideas.opinion_groups import (
    OpinionGroups,
    adjusted_rand_index,
    opinion_groups,
    silhouette,
)
from focuson.ideas.polis import (
    PolisConversation,
    PolisExportError,
    read_polis_export,
    read_polis_files,
)
from focuson.ideas.repness import Repness, repness, representative_statements
from focuson.ideas.rounds import StatementRound, statement_round
from focuson.ideas.small_groups import MERGED, DisclosedGroups, disclose_groups
from focuson.ideas.statements import (
    GroupVotes,
    StatementSupport,
    count_group_votes,
    encode_groups,
    statement_support,
)
from focuson.ideas.unite import (
    CHANNELS,
    DEFAULT_CRITERIA,
    ROLES,
    SIDES,
    Criterion,
    IdeaScores,
    IdeaSupport,
    score_ideas,
    support_ideas,
)

__all__ = [
    "CHANNELS",
    "DEFAULT_CRITERIA",
    "MAX_SELECTED",
    "MERGED",
    "ROLES",
    "SIDES",
    "Criterion",
    "Decision",
    "DecisionError",
    "DisclosedGroups",
    "GapNarrowing",
    "GroupVotes",
    "IdeaScores",
    "IdeaSupport",
    "OpinionGroups",
    "PolisConversation",
    "PolisExportError",
    "Repness",
    "StatementRound",
    "StatementSupport",
    "adjusted_rand_index",
    "count_group_votes",
    "decide",
    "disclose_groups",
    "encode_groups",
    "expected_gap_narrowing",
    "opinion_groups",
    "read_polis_export",
    "read_polis_files",
    "repness",
    "representative_statements",
    "score_ideas",
    "silhouette",
    "statement_round",
    "statement_support",
    "suggest_shortlist",
    "support_ideas",
]
