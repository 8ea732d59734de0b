"""Passages as code points in every script: browsers' UTF-16 offsets converted, whole characters
kept together, words found in the text. No database."""

from __future__ import annotations

import pytest

from focuson.web.insight.passages import PassageError, check_span, locate, snap, utf16_to_cp
from focuson.web.insight.source_text import lines

# Each text holds the passage "P" somewhere after characters that differ between counts.
SCRIPTS = {
    # Bengali: vowel signs and a virama (combining marks after their letter).
    "bengali": ("আমি ক্লিনিকে যেতে পারি না।", "ক্লিনিকে"),
    # Arabic, right to left, with vowel marks (harakat).
    "arabic": ("لا أَستطيعُ الذهابَ إلى العيادة", "الذهابَ"),
    # Somali in Latin script.
    "somali": ("Bas-ka ma imaado xilliga fiidka.", "xilliga fiidka"),
    # Tamil: vowel signs and the pulli.
    "tamil": ("மருத்துவமனைக்கு போக முடியவில்லை", "போக"),
    # Emoji outside the Basic Multilingual Plane (two UTF-16 units each), with a skin tone.
    "emoji": ("Late bus 🚌👋🏽 again, clinic shut 😞", "clinic shut"),
    # A decomposed accent kept as written (e + combining acute).
    "combining": ("Cafe\u0301 near the surgery", "near the surgery"),
}


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize("script", SCRIPTS)
def test_utf16_offsets_become_code_points(script):
    text, passage = SCRIPTS[script]
    start = text.index(passage)
    end = start + len(passage)
    # What a browser reports for the same selection: UTF-16 units before it.
    u_start, u_end = _u16(text[:start]), _u16(text[:end])
    assert (utf16_to_cp(text, u_start), utf16_to_cp(text, u_end)) == (start, end)
    assert text[utf16_to_cp(text, u_start) : utf16_to_cp(text, u_end)] == passage


@pytest.mark.parametrize("script", SCRIPTS)
def test_locate_finds_the_words_as_code_points(script):
    text, passage = SCRIPTS[script]
    start, end = locate(text, passage)
    assert text[start:end] == passage
    assert start == text.index(passage) and end - start == len(passage)


def test_emoji_offsets_differ_between_counts():
    text = "🚌 bus"
    assert utf16_to_cp(text, 3) == 2  # the bus emoji is two units, one code point
    with pytest.raises(PassageError, match="splits a character"):
        utf16_to_cp(text, 1)
    with pytest.raises(PassageError, match="beyond the end"):
        utf16_to_cp(text, 99)


def test_snap_keeps_marks_with_their_letters():
    bengali = "ক্লিনিকে"
    # Cutting after the first letter would split the conjunct (letter, virama, letter).
    assert snap(bengali, 0, 1) == (0, 4)
    assert snap(bengali, 0, 2) == (0, 4)
    # Starting on a vowel sign moves back to its letter; ending before one takes it in.
    assert snap(bengali, 5, 6) == (4, 6)
    assert snap(bengali, 4, 5) == (4, 6)
    # An emoji with a skin tone stays whole; so does an accent written as two code points.
    assert snap("a👋🏽b", 1, 2) == (1, 3)
    assert snap("Cafe\u0301!", 0, 4) == (0, 5)
    tamil = "போக"
    assert snap(tamil, 0, 1) == (0, 2)


def test_check_span_trims_spaces_and_line_breaks():
    # A triple click selects a line and the break after it.
    assert check_span("Bus late.\nClinic shut.", 0, 10) == (0, 9)
    assert check_span("  বাস ", 0, 6) == (2, 5)


def test_check_span_refuses_what_is_not_a_passage():
    with pytest.raises(PassageError, match="within the text"):
        check_span("abc", 0, 4)
    with pytest.raises(PassageError, match="after its start"):
        check_span("abc", 2, 2)
    with pytest.raises(PassageError, match="only spaces"):
        check_span("a   b", 1, 4)


def test_locate_asks_which_of_several():
    text = "Bus late. Bus late again."
    with pytest.raises(PassageError, match="appear 2 times"):
        locate(text, "Bus late")
    assert locate(text, "Bus late", near=5) == (10, 18)
    with pytest.raises(PassageError, match="not in the text"):
        locate(text, "train")


def test_lines_carry_both_offsets_and_coded_stretches():
    text = "🚌 late\nনা ok"
    out = lines(text, [(2, 9, "Transport")])
    assert [(line.cp, line.u16) for line in out] == [(0, 0), (7, 8)]
    assert [(s.text, s.codes) for s in out[0].segments] == [
        ("🚌 ", ()),
        ("late", ("Transport",)),
    ]
    assert [(s.text, s.codes) for s in out[1].segments] == [("না", ("Transport",)), (" ok", ())]
