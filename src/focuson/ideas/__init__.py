"""Co-create and Unite: the statement round and the prioritisation round, as arithmetic.

Pure numpy/scipy/pandas (no Django): the ``ideas`` web app calls these functions.

- :mod:`~focuson.ideas.polis`: read a Pol.is conversation export into a vote matrix.
- :mod:`~focuson.ideas.statements`: votes per group, smoothed support, group-aware consensus.
- :mod:`~focuson.ideas.repness`: the statements that represent each group (as Pol.is).
- :mod:`~focuson.ideas.opinion_groups`: opinion groups from the votes (PCA + k-means).
- :mod:`~focuson.ideas.small_groups`: groups below the disclosure threshold merged or suppressed.
- :mod:`~focuson.ideas.unite`: scores per voter group, support, opposition, the decision rule.
- :mod:`~focuson.ideas.gap`: the expected narrowing of a gap, with its assumptions in words.
"""
