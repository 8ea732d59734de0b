"""Reading a Pol.is export: the vote matrix, and errors that name the file, line and column."""

from __future__ import annotations

import io

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from focuson.ideas.polis import PolisExportError, read_polis_export, read_polis_files

COMMENTS = """timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body
3,x,2,7,1,1,-1,"Hidden, with a comma"
1,x,0,5,2,0,1,First
2,x,1,6,0,2,1,Second
"""
# Columns for statements 0 and 2 only: statement 1 was never voted on. Participant 11 is
# unplaced (blank group-id) and voted on nothing.
PEOPLE = """participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,2
10,0,1,2,1,1,1,-1
12,1,0,2,1,0,0,1
11,,0,0,0,0,,
"""


def _export(tmp_path, comments=COMMENTS, people=PEOPLE):
    (tmp_path / "comments.csv").write_text(comments)
    (tmp_path / "participants-votes.csv").write_text(people)
    return tmp_path


def test_reads_the_vote_matrix_with_statements_sorted_by_id(tmp_path):
    conv = read_polis_export(_export(tmp_path))
    assert_array_equal(conv.statements, [0, 1, 2])
    assert_array_equal(conv.participants, [10, 12, 11])
    # Rows as in the file; column 1 (never voted) is all NaN; blanks are NaN, 0 is a pass.
    expected = np.array([[1, np.nan, -1], [0, np.nan, 1], [np.nan, np.nan, np.nan]])
    assert_array_equal(conv.votes, expected)
    assert conv.texts.tolist() == ["First", "Second", "Hidden, with a comma"]
    assert_array_equal(conv.moderated, [1, 1, -1])
    assert_array_equal(conv.shown, [True, True, False])
    assert_array_equal(conv.polis_groups, [0, 1, -1])
    assert_array_equal(conv.polis_agrees, [2, 0, 1])
    assert_array_equal(conv.polis_disagrees, [0, 2, 1])


def test_an_export_without_a_group_id_column_leaves_everyone_unplaced(tmp_path):
    people = "participant,0\n1,1\n2,-1\n"
    conv = read_polis_export(_export(tmp_path, people=people))
    assert_array_equal(conv.polis_groups, [-1, -1])
    assert_array_equal(conv.votes[:, 0], [1, -1])


@pytest.mark.parametrize(
    ("people", "message"),
    [
        (PEOPLE.replace("12,1,0,2,1,0,0,1", "12,1,0,2,1,0,yes,1"),
         "participants-votes.csv, line 3, column '0': vote 'yes' is not 1"),
        (PEOPLE.replace("12,1,0,2,1,0,0,1", "12,1,0,2,1,0,2,1"),
         "participants-votes.csv, line 3, column '0': vote '2'"),
        (PEOPLE.replace(",0,2\n", ",0,9\n"),
         "line 1: column '9' is a statement that comments.csv does not list"),
        (PEOPLE.replace(",0,2\n", ",0,note\n"), "line 1: column 'note' is neither"),
        (PEOPLE.replace("11,,0", "10,,0"),
         "participants-votes.csv, line 4, column 'participant': id 10 appears twice"),
        (PEOPLE.replace("11,,0", "x1,,0"),
         "participants-votes.csv, line 4, column 'participant': 'x1' is not a whole number"),
        (PEOPLE.replace("12,1,0", "12,one,0"),
         "participants-votes.csv, line 3, column 'group-id': 'one' is not a whole number"),
        (PEOPLE.replace("participant,", "person,"), "column 'participant' is missing"),
    ],
)  # fmt: skip
def test_bad_participant_files_are_refused_naming_line_and_column(tmp_path, people, message):
    with pytest.raises(PolisExportError, match=message.replace("(", r"\(")):
        read_polis_export(_export(tmp_path, people=people))


def test_bad_comment_files_are_refused_naming_line_and_column(tmp_path):
    with pytest.raises(PolisExportError, match=r"comments\.csv, line 3, column 'comment-id'"):
        read_polis_export(_export(tmp_path, comments=COMMENTS.replace("1,x,0,5", "1,x,2,5")))
    with pytest.raises(PolisExportError, match=r"comments\.csv, line 1: column 'comment-body'"):
        read_polis_export(_export(tmp_path, comments=COMMENTS.replace("comment-body", "body")))


def test_a_missing_file_says_what_to_download(tmp_path):
    with pytest.raises(PolisExportError, match=r"comments\.csv: not found in .* download"):
        read_polis_export(tmp_path)


def test_uploaded_files_read_the_same_as_a_folder(tmp_path):
    from_folder = read_polis_export(_export(tmp_path))
    uploaded = read_polis_files(io.BytesIO(COMMENTS.encode()), io.StringIO(PEOPLE))
    assert_array_equal(uploaded.votes, from_folder.votes)
    assert uploaded.texts.tolist() == from_folder.texts.tolist()


def test_an_empty_upload_is_refused(tmp_path):
    with pytest.raises(PolisExportError, match=r"comments\.csv: not a readable CSV file"):
        read_polis_files(io.BytesIO(b""), io.StringIO(PEOPLE))
