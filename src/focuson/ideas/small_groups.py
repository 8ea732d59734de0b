"""Groups too small to publish: merged, or left out when even the merged group is too small.

Support and scores by demographic group describe people; a group of three residents of one
ethnic group in one round could be recognised. Before anything is shown per group, groups whose
size the disclosure rule would suppress (:data:`focuson.stats.NHS_RULE`: 1-7) are merged into
one "Other groups (merged)" group; if that merged group is still small, its members are left out
of the per-group figures (they still count in the everyone-together figures). The published size
of each group is rounded as the rule says.

Leaving a small group out also leaves out its view from the consensus across groups, which is
the price of not identifying it; the result names the groups merged or left out so that a page can
say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from focuson.stats import NHS_RULE, DisclosureRule, disclose_counts

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

MERGED = "Other groups (merged)"


@dataclass(frozen=True)
class DisclosedGroups:
    """Group membership after small groups were merged or left out.

    Attributes
    ----------
    codes
        Per participant, the code of their group in ``names``, or -1 (in no group, or left out).
    names
        The groups that may be shown, in their original order, then the merged group if any.
    sizes
        True sizes of the groups in ``names`` (for computation, not for display).
    published_sizes
        Sizes as they may be shown (rounded by the rule).
    merged
        Original groups merged into :data:`MERGED`.
    left_out
        Original groups left out because even merged they were too small.
    """

    codes: IntArray
    names: tuple[str, ...]
    sizes: IntArray
    published_sizes: FloatArray
    merged: tuple[str, ...]
    left_out: tuple[str, ...]


def disclose_groups(
    codes: ArrayLike,
    names: Sequence[str],
    *,
    rule: DisclosureRule = NHS_RULE,
    merge: bool = True,
    merged_name: str = MERGED,
) -> DisclosedGroups:
    """Merge groups the rule would suppress; leave them out if the merged group is still small.

    Parameters
    ----------
    codes
        Per participant, ``0..G-1`` into ``names``, or -1 for no group.
    names
        The group names.
    rule
        The disclosure rule (NHS England's by default: sizes 1-7 are small).
    merge
        False to leave small groups out without merging them (for groups that must be kept
        apart, such as residents and professionals).
    merged_name
        Name of the merged group.

    Examples
    --------
    Groups of 10, 5 and 4: the two small ones make a merged group of 9, which may be shown.

    >>> out = disclose_groups([0] * 10 + [1] * 5 + [2] * 4, ["a", "b", "c"])
    >>> out.names, out.sizes.tolist(), out.merged
    (('a', 'Other groups (merged)'), [10, 9], ('b', 'c'))

    Groups of 10 and 5: the merged group would be 5, so it is left out.

    >>> out = disclose_groups([0] * 10 + [1] * 5, ["a", "b"])
    >>> out.names, out.left_out, int((out.codes == -1).sum())
    (('a',), ('b',), 5)
    """
    c = np.asarray(codes, dtype=np.int64)
    n_groups = len(names)
    if c.size and (c.min() < -1 or c.max() >= n_groups):
        raise ValueError(f"codes: expected -1 or 0..{n_groups - 1} (one per group name)")
    sizes = np.bincount(c[c >= 0], minlength=n_groups)
    small = rule.suppresses(sizes)
    present = sizes > 0
    keep = present & ~small
    new_code = np.full(n_groups, -1, dtype=np.int64)
    new_code[keep] = np.arange(int(keep.sum()))
    out_names = [names[int(g)] for g in np.flatnonzero(keep)]
    merged = tuple(names[int(g)] for g in np.flatnonzero(small))
    left_out: tuple[str, ...] = ()
    merged_size = int(sizes[small].sum())
    if merged and merge and not rule.suppresses(np.array([merged_size]))[0]:
        new_code[small] = len(out_names)
        out_names.append(merged_name)
    elif merged:
        left_out, merged = merged, ()
    mapped = np.where(c >= 0, new_code[np.maximum(c, 0)], -1)
    out_sizes = np.bincount(mapped[mapped >= 0], minlength=len(out_names)).astype(np.int64)
    return DisclosedGroups(
        codes=mapped,
        names=tuple(out_names),
        sizes=out_sizes,
        published_sizes=disclose_counts(out_sizes, rule=rule).value,
        merged=merged,
        left_out=left_out,
    )
