"""Notes and transcripts (TXT, DOCX, WebVTT) read into canonical plain text.

The original is always the record, in its own language and script. Canonical means: UTF-8
decoded (a byte-order mark dropped), Unicode NFC, line endings LF. Offsets of codings count code
points of this text (``../shared/reference/participation.md`` section 4), so it is frozen before
anyone codes it: CRLF against LF, or a decomposed accent against a composed one, would shift
every offset after it.

Readers are maintained libraries: ``python-docx`` for Word, ``webvtt-py`` for WebVTT. A file
that cannot be read gives one :class:`SourceError` naming the file and, where there is one, the
line, and saying what to do.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import docx
import webvtt
from docx.opc.exceptions import PackageNotFoundError
from webvtt.errors import MalformedCaptionError, MalformedFileError

SourceKind = Literal["txt", "docx", "vtt"]
_SUFFIXES: dict[str, SourceKind] = {".txt": "txt", ".docx": "docx", ".vtt": "vtt"}
_TIMING = re.compile(
    r"^\s*(?:[0-9]{2,}:)?[0-5][0-9]:[0-5][0-9]\.[0-9]{3}\s+-->\s+(?:[0-9]{2,}:)?[0-5][0-9]:[0-5][0-9]\.[0-9]{3}(?:\s.*)?$"
)


class SourceError(ValueError):
    """A source that cannot be read, naming the file and (where there is one) the line."""

    def __init__(self, name: str, message: str, line: int | None = None) -> None:
        self.name, self.line = name, line
        where = f"{name}, line {line}" if line is not None else name
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Cue:
    """One cue of a transcript: who spoke, when, and where its words are in the text.

    Attributes
    ----------
    start_cp, end_cp
        Code-point offsets of the cue's words in the canonical text (end excluded).
    speaker
        The voice (``<v Name>``), or None.
    start, end
        Seconds from the start of the recording.
    """

    start_cp: int
    end_cp: int
    speaker: str | None
    start: float
    end: float


@dataclass(frozen=True)
class SourceText:
    """A source as canonical plain text.

    Attributes
    ----------
    name
        The file name.
    kind
        ``"txt"``, ``"docx"`` or ``"vtt"``.
    text
        Canonical text (NFC, LF).
    cues
        For transcripts, one :class:`Cue` per cue; empty otherwise.
    """

    name: str
    kind: SourceKind
    text: str
    cues: tuple[Cue, ...] = field(default=())


def canonical(text: str) -> str:
    """NFC, LF line endings, no byte-order mark.

    >>> canonical("\\ufeffCafe\\u0301\\r\\nnext\\rline") == "Caf\\u00e9\\nnext\\nline"
    True
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def read_source(source: str | Path | bytes, *, name: str | None = None) -> SourceText:
    """Read a TXT, DOCX or WebVTT file (by its suffix) into canonical text.

    Parameters
    ----------
    source
        A path, or the file's bytes (then ``name`` gives the file name and so the kind).
    name
        The file name to report (defaults to the path's name).

    Raises
    ------
    SourceError
        An unknown kind, or a file that cannot be read (naming the file and line).

    Examples
    --------
    >>> read_source("Hello\\r\\nworld".encode("utf-8-sig"), name="notes.txt").text
    'Hello\\nworld'
    """
    if isinstance(source, bytes):
        if name is None:
            raise ValueError("name: give the file name when passing bytes")
        data = source
    else:
        path = Path(source)
        name = name or path.name
        data = path.read_bytes()
    kind = _SUFFIXES.get(Path(name).suffix.lower())
    if kind is None:
        raise SourceError(
            name, "only .txt, .docx and .vtt files can be read; save it as one of those"
        )
    reader = {"txt": read_txt, "docx": read_docx, "vtt": read_vtt}[kind]
    return reader(data, name=name)


def read_txt(data: bytes, *, name: str = "notes.txt") -> SourceText:
    """Plain text in UTF-8 (with or without a byte-order mark).

    >>> read_txt("নমস্কার\\n".encode(), name="bn.txt").text
    'নমস্কার\\n'
    """
    return SourceText(name=name, kind="txt", text=canonical(_decode(data, name)))


def read_docx(data: bytes, *, name: str = "notes.docx") -> SourceText:
    """A Word document: its paragraphs and table rows, in order, one per line.

    Table cells are separated by a tab. Formatting, headers, footers and comments are left
    out; the text is what was said.
    """
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise SourceError(
            name, "not a Word document (.docx); open it in Word and save it as .docx, or as .txt"
        ) from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            lines.extend("\t".join(cell.text for cell in row.cells) for row in block.rows)
        else:
            lines.append(block.text)
    return SourceText(name=name, kind="docx", text=canonical("\n".join(lines)))


def read_vtt(data: bytes, *, name: str = "transcript.vtt") -> SourceText:
    """A WebVTT transcript: one line per cue, ``[hh:mm:ss] Speaker: words``.

    The speaker comes from the cue's voice tag (``<v Amina>``); cues without one have no
    speaker. The cue's words keep their own line breaks as spaces.

    Examples
    --------
    >>> vtt = "WEBVTT\\n\\n00:00:01.000 --> 00:00:04.000\\n<v Amina>Hello\\nthere\\n"
    >>> out = read_vtt(vtt.encode(), name="t.vtt")
    >>> out.text
    '[00:00:01] Amina: Hello there'
    >>> cue = out.cues[0]
    >>> out.text[cue.start_cp : cue.end_cp], cue.speaker, cue.start, cue.end
    ('Hello there', 'Amina', 1.0, 4.0)
    """
    text = canonical(_decode(data, name))
    lines = text.split("\n")
    if not lines[0].startswith("WEBVTT"):
        raise SourceError(name, "a WebVTT file starts with the word WEBVTT", line=1)
    for number, line in enumerate(lines, start=1):
        if "-->" in line and not _TIMING.match(line):
            raise SourceError(
                name,
                "cue timing not understood; expected e.g. 00:00:01.000 --> 00:00:04.000",
                line=number,
            )
    try:
        captions = webvtt.from_string(text)
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise SourceError(name, f"not a WebVTT file the reader understands ({exc})") from exc
    out: list[str] = []
    cues: list[Cue] = []
    offset = 0
    for caption in captions.captions:
        words = " ".join(part.strip() for part in caption.text.split("\n") if part.strip())
        speaker = caption.voice or None
        stamp = caption.start.split(".")[0]
        prefix = f"[{stamp}] " + (f"{speaker}: " if speaker else "")
        start_cp = offset + len(prefix)
        cues.append(
            Cue(
                start_cp,
                start_cp + len(words),
                speaker,
                float(caption.start_in_seconds) + _millis(caption.start),
                float(caption.end_in_seconds) + _millis(caption.end),
            )
        )
        out.append(prefix + words)
        offset += len(prefix) + len(words) + 1
    return SourceText(name=name, kind="vtt", text="\n".join(out), cues=tuple(cues))


def _millis(stamp: str) -> float:
    """The fraction of a second in ``hh:mm:ss.mmm`` (``*_in_seconds`` drops it)."""
    return int(stamp.rsplit(".", 1)[1]) / 1000 if "." in stamp else 0.0


def _decode(data: bytes, name: str) -> str:
    """UTF-8 (a byte-order mark allowed), or an error naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            name,
            f"not UTF-8 text (byte 0x{data[exc.start]:02X}); save it as UTF-8 and upload it again",
            line=line,
        ) from exc
