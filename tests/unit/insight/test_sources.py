"""Reading notes and transcripts into canonical text: TXT, DOCX, WebVTT, and their errors."""

import io
import unicodedata

import docx
import pytest

from focuson.insight.sources import SourceError, read_source

BENGALI = "আমরা হাসপাতালে যেতে ভয় পাই।"
ARABIC = "لا نعرف أين نذهب"


def test_txt_drops_the_bom_and_normalises_line_endings_and_accents():
    raw = ("\ufeff" + "Cafe\u0301\r\n" + BENGALI + "\r" + ARABIC).encode("utf-8")
    out = read_source(raw, name="notes.TXT")
    assert out.kind == "txt"
    assert out.text == "Caf\u00e9\n" + BENGALI + "\n" + ARABIC
    assert unicodedata.is_normalized("NFC", out.text)


def test_txt_that_is_not_utf8_names_the_file_and_line():
    raw = "line one\nline two\ncaf\u00e9".encode("latin-1")
    with pytest.raises(SourceError, match=r"notes\.txt, line 3: not UTF-8 text \(byte 0xE9\)"):
        read_source(raw, name="notes.txt")


def test_reading_from_a_path(tmp_path):
    path = tmp_path / "event.txt"
    path.write_bytes(BENGALI.encode())
    out = read_source(path)
    assert (out.name, out.text) == ("event.txt", BENGALI)


def _docx_bytes():
    document = docx.Document()
    document.add_paragraph(BENGALI)
    document.add_paragraph("Second paragraph")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Speaker"
    table.cell(0, 1).text = ARABIC
    document.add_paragraph("After the table")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_keeps_paragraphs_and_tables_in_order():
    out = read_source(_docx_bytes(), name="notes.docx")
    assert out.kind == "docx"
    assert out.text.split("\n") == [
        BENGALI,
        "Second paragraph",
        f"Speaker\t{ARABIC}",
        "After the table",
    ]


def test_a_file_that_is_not_a_word_document_says_so():
    with pytest.raises(SourceError, match=r"notes\.docx: not a Word document"):
        read_source(b"plain text, not a zip", name="notes.docx")


VTT = """WEBVTT

1
00:00:01.250 --> 00:00:04.000
<v Rahima>আমরা হাসপাতালে
যেতে ভয় পাই।

2
00:01:05.000 --> 00:01:09.500 align:start
<v Facilitator>Why is that?

00:01:10.000 --> 00:01:12.000
No voice here
"""


def test_vtt_keeps_speaker_and_time_and_cue_offsets():
    out = read_source(VTT.encode("utf-8-sig"), name="listening.vtt")
    assert out.text.split("\n") == [
        f"[00:00:01] Rahima: {BENGALI}",
        "[00:01:05] Facilitator: Why is that?",
        "[00:01:10] No voice here",
    ]
    assert [(c.speaker, c.start, c.end) for c in out.cues] == [
        ("Rahima", 1.25, 4.0),
        ("Facilitator", 65.0, 69.5),
        (None, 70.0, 72.0),
    ]
    assert [out.text[c.start_cp : c.end_cp] for c in out.cues] == [
        BENGALI,
        "Why is that?",
        "No voice here",
    ]


def test_vtt_with_a_bad_timing_names_the_line():
    bad = VTT.replace("00:01:05.000 --> 00:01:09.500", "00:01:05 --> 00:01:09.500")
    with pytest.raises(SourceError, match=r"listening\.vtt, line 9: cue timing not understood"):
        read_source(bad.encode(), name="listening.vtt")


def test_vtt_without_its_header_names_line_1():
    with pytest.raises(
        SourceError, match=r"t\.vtt, line 1: a WebVTT file starts with the word WEBVTT"
    ):
        read_source(VTT.replace("WEBVTT", "NOTES").encode(), name="t.vtt")


def test_unknown_kind_says_which_kinds_can_be_read():
    with pytest.raises(SourceError, match=r"notes\.pdf: only \.txt, \.docx and \.vtt"):
        read_source(b"%PDF", name="notes.pdf")
