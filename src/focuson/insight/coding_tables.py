"""Code co-occurrence and codes by participant attribute, as excerpts and as distinct participants.

A theme's voice is the number of distinct people behind it, not the number of excerpts (one
talkative participant can fill a code): ``../shared/reference/participation.md`` section 2.3.
Counts of people are published under the same small-number rule as Find (:mod:`focuson.stats`):
1-7 suppressed, others rounded to 5; the code x attribute table is published with its row totals
(the people behind each code), so secondary suppression protects them (``disclose_table``).
Excerpt counts are not counts of people and are returned as they are, for the analysts' own use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from focuson.stats import NHS_RULE, DisclosureRule, disclose_counts, disclose_table


@dataclass(frozen=True)
class Cooccurrence:
    """Pairs of codes applied to the same excerpt.

    Attributes
    ----------
    excerpts
        ``K x K`` (codes in the order given): excerpts coded with both (the diagonal: with the
        code).
    participants
        ``K x K``: distinct participants with at least one excerpt coded with both.
    published
        ``participants`` after the small-number rule (NaN where suppressed).
    """

    excerpts: pd.DataFrame
    participants: pd.DataFrame
    published: pd.DataFrame


def cooccurrence(
    codings: pd.DataFrame, *, codes: Sequence[str], rule: DisclosureRule = NHS_RULE
) -> Cooccurrence:
    """Code co-occurrence on excerpts, counted as excerpts and as distinct participants.

    Parameters
    ----------
    codings
        ``excerpt``, ``code`` and ``participant`` (who spoke), one row per code applied to an
        excerpt (several coders' rows of the same code count once).
    codes
        The codes, in the order of the result.
    rule
        The disclosure rule for the participant counts.

    Examples
    --------
    >>> codings = pd.DataFrame({"excerpt": [1, 1, 2, 2, 3], "code": ["a", "b", "a", "b", "a"],
    ...                         "participant": ["p", "p", "p", "p", "q"]})
    >>> out = cooccurrence(codings, codes=["a", "b"])
    >>> out.excerpts.values.tolist(), out.participants.values.tolist()
    ([[3, 2], [2, 2]], [[2, 1], [1, 1]])
    """
    frame = _codings(codings, codes).drop_duplicates(["excerpt", "code"])
    pairs = frame.merge(frame, on=["excerpt", "participant"], suffixes=("_a", "_b"))
    index = pd.Index(list(codes))
    shape = (len(codes), len(codes))
    excerpts = np.zeros(shape, dtype=int)
    np.add.at(
        excerpts,
        (
            index.get_indexer(pd.Index(pairs["code_a"])),
            index.get_indexer(pd.Index(pairs["code_b"])),
        ),
        1,
    )
    people = pairs.drop_duplicates(["participant", "code_a", "code_b"])
    participants = np.zeros(shape, dtype=int)
    np.add.at(
        participants,
        (
            index.get_indexer(pd.Index(people["code_a"])),
            index.get_indexer(pd.Index(people["code_b"])),
        ),
        1,
    )
    published = disclose_counts(participants, rule=rule).value
    return Cooccurrence(
        excerpts=pd.DataFrame(excerpts, index=index, columns=index),
        participants=pd.DataFrame(participants, index=index, columns=index),
        published=pd.DataFrame(published, index=index, columns=index),
    )


@dataclass(frozen=True)
class CodesByAttribute:
    """Distinct participants behind each code, by one attribute's bands.

    Attributes
    ----------
    participants
        Codes x bands (the last column ``"not stated"``) with the row total ``"all"``.
    published
        The same after the small-number rule with secondary suppression against the row totals.
    excerpts
        Codes x bands: excerpts (not people), for the analysts.
    """

    participants: pd.DataFrame
    published: pd.DataFrame
    excerpts: pd.DataFrame


def codes_by_attribute(
    codings: pd.DataFrame,
    participants: pd.DataFrame,
    *,
    attribute: str,
    codes: Sequence[str],
    bands: Sequence[object],
    rule: DisclosureRule = NHS_RULE,
) -> CodesByAttribute:
    """Codes by a participant attribute, counted as distinct participants (and as excerpts).

    Parameters
    ----------
    codings
        ``excerpt``, ``code`` and ``participant``.
    participants
        ``participant`` and the attribute's column (NaN = not stated).
    attribute
        The column, e.g. ``"age_band"``.
    codes, bands
        Rows and columns of the result, in order. A participant whose band is not listed
        (or is missing) counts as "not stated".
    rule
        The disclosure rule.

    Raises
    ------
    ValueError
        Missing columns, codes outside ``codes``, participants in the codings with no row in
        ``participants`` (naming up to five).

    Examples
    --------
    >>> codings = pd.DataFrame(
    ...     {"excerpt": [1, 2, 3], "code": "access", "participant": ["p", "p", "q"]}
    ... )
    >>> people = pd.DataFrame({"participant": ["p", "q"], "age_band": ["65-79", None]})
    >>> out = codes_by_attribute(
    ...     codings, people, attribute="age_band", codes=["access"], bands=["65-79"]
    ... )
    >>> out.participants.values.tolist(), out.excerpts.values.tolist()
    ([[1, 1, 2]], [[2, 1]])
    """
    frame = _codings(codings, codes).drop_duplicates(["excerpt", "code"])
    for column in ("participant", attribute):
        if column not in participants.columns:
            raise ValueError(f"participants: missing column {column}")
    unknown = pd.Index(frame["participant"].unique()).difference(
        pd.Index(participants["participant"])
    )
    if len(unknown):
        shown = ", ".join(map(str, unknown[:5]))
        raise ValueError(f"codings: participants with no attributes recorded: {shown}")
    band_of = participants.drop_duplicates("participant").set_index("participant")[attribute]
    columns = [*bands, "not stated"]
    position = pd.Index(list(bands)).get_indexer(pd.Index(frame["participant"].map(band_of)))
    frame = frame.assign(_band=np.where(position < 0, len(bands), position))
    rows = pd.Index(list(codes)).get_indexer(pd.Index(frame["code"]))
    excerpts = np.zeros((len(codes), len(columns)), dtype=int)
    np.add.at(excerpts, (rows, frame["_band"].to_numpy()), 1)
    people_frame = frame.assign(_row=rows).drop_duplicates(["_row", "participant"])
    people = np.zeros_like(excerpts)
    np.add.at(people, (people_frame["_row"].to_numpy(), people_frame["_band"].to_numpy()), 1)
    # A code's people fall in exactly one band each, so each row adds up to its total; the
    # columns do not (one person can speak to several codes), so only row totals are published.
    disclosed = disclose_table(people, rule=rule, row_totals=True, col_totals=False)
    index = pd.Index(list(codes), name="code")
    with_total = [*columns, "all"]
    return CodesByAttribute(
        participants=pd.DataFrame(
            np.column_stack([people, people.sum(axis=1)]), index=index, columns=with_total
        ),
        published=pd.DataFrame(
            np.column_stack([disclosed.cells, np.asarray(disclosed.row_totals)]),
            index=index,
            columns=with_total,
        ),
        excerpts=pd.DataFrame(excerpts, index=index, columns=columns),
    )


def _codings(codings: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    missing = [c for c in ("excerpt", "code", "participant") if c not in codings.columns]
    if missing:
        raise ValueError(
            f"codings: missing column {', '.join(missing)} (expected excerpt, code, participant)"
        )
    stray = pd.Index(codings["code"].unique()).difference(pd.Index(list(codes)))
    if len(stray):
        raise ValueError(f"codings: codes not listed: {', '.join(map(str, stray[:5]))}")
    return codings[["excerpt", "code", "participant"]]
