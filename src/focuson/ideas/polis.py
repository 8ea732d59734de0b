"""Read a Pol.is conversation export into a vote matrix.

A Pol.is export is a folder of CSV files; two of them carry the statement round:

- ``comments.csv``: one row per statement (``comment-id``, ``comment-body``, ``moderated``, and
  ``agrees``/``disagrees`` as Pol.is counted them);
- ``participants-votes.csv``: one row per participant (``participant``, optionally ``xid``,
  ``group-id`` = the opinion group Pol.is placed them in, blank if unplaced, ``n-votes``...),
  then one column per statement id holding ``1`` (agree), ``-1`` (disagree), ``0`` (pass) or
  blank (not voted).

The matrix keeps each participant's latest vote. Pol.is's own ``agrees``/``disagrees`` in
``comments.csv`` count vote *events* (a participant who changed their vote is counted twice),
so they can exceed the matrix counts; :func:`read_polis_export` keeps them for comparison.

Every error names the file, the line (as a spreadsheet shows it, header = line 1) and the column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
ObjectArray = NDArray[np.object_]

#: Pol.is's ``moderated`` values: -1 moderated out (hidden), 0 not yet moderated, 1 accepted.
MODERATED_OUT = -1

COMMENTS = "comments.csv"
PARTICIPANTS_VOTES = "participants-votes.csv"
_COMMENT_COLUMNS = ("comment-id", "comment-body")
_PARTICIPANT_META = ("participant", "xid", "group-id", "n-comments", "n-votes", "n-agree",
                     "n-disagree")  # fmt: skip
_VOTE_VALUES = {"1": 1.0, "-1": -1.0, "0": 0.0, "": np.nan}


@dataclass(frozen=True)
class PolisConversation:
    """One Pol.is conversation as a vote matrix (participants x statements).

    Attributes
    ----------
    votes
        ``P x S`` floats: +1 agree, -1 disagree, 0 pass, NaN not voted.
    participants
        Pol.is participant ids, one per row of ``votes``.
    statements
        Pol.is comment ids, one per column of ``votes`` (sorted).
    texts
        The statement texts, one per column.
    moderated
        Pol.is's moderation state per statement (-1 out, 0 unmoderated, 1 in).
    polis_groups
        Pol.is's opinion group per participant (its ``group-id``), -1 where unplaced.
    polis_agrees, polis_disagrees
        ``agrees``/``disagrees`` from ``comments.csv`` (vote events, see the module notes).
    """

    votes: FloatArray
    participants: IntArray
    statements: IntArray
    texts: ObjectArray
    moderated: IntArray
    polis_groups: IntArray
    polis_agrees: IntArray
    polis_disagrees: IntArray

    @property
    def shown(self) -> NDArray[np.bool_]:
        """True for statements not moderated out (those Pol.is shows)."""
        return np.asarray(self.moderated != MODERATED_OUT)


class PolisExportError(ValueError):
    """A Pol.is export that cannot be read; the message names file, line and column."""


def read_polis_export(folder: str | Path) -> PolisConversation:
    """Read ``comments.csv`` and ``participants-votes.csv`` from a Pol.is export folder.

    Parameters
    ----------
    folder
        The export folder (as downloaded from Pol.is's report page, or the open-data collection).

    Returns
    -------
    PolisConversation

    Raises
    ------
    PolisExportError
        As :func:`read_polis_files`, or a file missing from the folder.
    """
    folder = Path(folder)
    for name in (COMMENTS, PARTICIPANTS_VOTES):
        if not (folder / name).is_file():
            raise PolisExportError(
                f"{name}: not found in {folder}; download the conversation's export from Pol.is "
                f"(it holds {COMMENTS} and {PARTICIPANTS_VOTES})"
            )
    return read_polis_files(folder / COMMENTS, folder / PARTICIPANTS_VOTES)


def read_polis_files(
    comments: str | Path | IO[str] | IO[bytes], participants_votes: str | Path | IO[str] | IO[bytes]
) -> PolisConversation:
    """Read a Pol.is export's two files, given as paths or open files (an upload, say).

    Parameters
    ----------
    comments
        ``comments.csv``.
    participants_votes
        ``participants-votes.csv``.

    Returns
    -------
    PolisConversation

    Raises
    ------
    PolisExportError
        A missing column, a non-numeric id, a duplicate id, a vote other than 1, -1, 0 or blank,
        or a vote column for a statement ``comments.csv`` lacks; the message names the file, the
        line and the column, and says what to do.
    """
    notes = _read(comments, COMMENTS, _COMMENT_COLUMNS)
    people = _read(participants_votes, PARTICIPANTS_VOTES, ("participant",))
    statement_ids = _ids(notes, "comment-id", COMMENTS)
    order = np.argsort(statement_ids, kind="stable")
    statement_ids = statement_ids[order]
    notes = notes.iloc[order]

    vote_columns = [c for c in people.columns if c not in _PARTICIPANT_META]
    not_ids = [c for c in vote_columns if not c.strip().lstrip("-").isdigit()]
    if not_ids:
        raise PolisExportError(
            f"{PARTICIPANTS_VOTES}, line 1: column {not_ids[0]!r} is neither a participant "
            f"column nor a statement id; vote columns are headed by the comment-id from {COMMENTS}"
        )
    column_ids = np.array([int(c) for c in vote_columns], dtype=np.int64)
    unknown = ~np.isin(column_ids, statement_ids)
    if unknown.any():
        raise PolisExportError(
            f"{PARTICIPANTS_VOTES}, line 1: column {vote_columns[int(np.argmax(unknown))]!r} is a "
            f"statement that {COMMENTS} does not list; export both files from the same conversation"
        )
    raw = people[vote_columns].to_numpy(dtype=object)
    stripped = np.char.strip(raw.astype(str))
    valid = np.isin(stripped, list(_VOTE_VALUES))
    if not valid.all():
        row, col = np.argwhere(~valid)[0]
        raise PolisExportError(
            f"{PARTICIPANTS_VOTES}, line {row + 2}, column {vote_columns[col]!r}: vote "
            f"{raw[row, col]!r} is not 1 (agree), -1 (disagree), 0 (pass) or blank (not voted)"
        )
    # Vectorised decode: map each allowed text to its value via a lookup on the unique texts.
    texts, inverse = np.unique(stripped, return_inverse=True)
    lookup = np.array([_VOTE_VALUES[t] for t in texts])
    votes_by_column = lookup[inverse.reshape(stripped.shape)]
    # Place columns by statement id; statements without a column were never voted on.
    votes = np.full((len(people), statement_ids.size), np.nan)
    votes[:, np.searchsorted(statement_ids, column_ids)] = votes_by_column

    return PolisConversation(
        votes=votes,
        participants=_ids(people, "participant", PARTICIPANTS_VOTES),
        statements=statement_ids,
        texts=notes["comment-body"].to_numpy(dtype=object),
        moderated=_ints(notes, "moderated", COMMENTS, default=1),
        polis_groups=_ints(people, "group-id", PARTICIPANTS_VOTES, default=-1),
        polis_agrees=_ints(notes, "agrees", COMMENTS, default=-1),
        polis_disagrees=_ints(notes, "disagrees", COMMENTS, default=-1),
    )


def _read(
    source: str | Path | IO[str] | IO[bytes], name: str, required: tuple[str, ...]
) -> pd.DataFrame:
    """Read a CSV as text (blank stays blank) and check its required columns."""
    try:
        frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise PolisExportError(f"{name}: not a readable CSV file ({exc})") from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise PolisExportError(
            f"{name}, line 1: column {missing[0]!r} is missing; is this a Pol.is export?"
        )
    return frame


def _ids(frame: pd.DataFrame, column: str, name: str) -> IntArray:
    """Whole-number ids, unique; errors name the first bad line."""
    ids = _ints(frame, column, name, default=None)
    duplicated = pd.Series(ids).duplicated().to_numpy()
    if duplicated.any():
        row = int(np.argmax(duplicated))
        raise PolisExportError(
            f"{name}, line {row + 2}, column {column!r}: id {ids[row]} appears twice; "
            f"each row must have its own id"
        )
    return ids


def _ints(frame: pd.DataFrame, column: str, name: str, *, default: int | None) -> IntArray:
    """A column of whole numbers; blanks become ``default`` (an error when it is None)."""
    if column not in frame.columns:
        if default is None:
            raise PolisExportError(f"{name}, line 1: column {column!r} is missing")
        return np.full(len(frame), default, dtype=np.int64)
    text = frame[column].str.strip()
    blank = (text == "").to_numpy()
    numbers = pd.to_numeric(text.where(~blank, "0"), errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(numbers) | (numbers != np.round(numbers)) | (blank & (default is None))
    if bad.any():
        row = int(np.argmax(bad))
        raise PolisExportError(
            f"{name}, line {row + 2}, column {column!r}: {frame[column].iat[row]!r} is not a "
            f"whole number"
        )
    return np.where(blank, default if default is not None else 0, numbers).astype(np.int64)
