"""REFI-QDA projects (``.qdpx``): export codebook, sources, cases and codings; import them back.

A ``.qdpx`` is a zip holding ``project.qde`` (XML in the namespace ``urn:QDA-XML:project:1.0``,
QDA-XML 1.0 of 18 March 2019, Rotterdam Exchange Format Initiative) and a flat ``sources/``
folder (``Sources/`` is accepted on import) with one ``<guid>.txt`` per text source, referred to
as ``internal://<guid>.txt``. Every export is validated against the published ``Project.xsd``
with ``xmlschema`` before it is written (see :func:`schema_path` for where the schema is found;
it is not shipped with focuson).

Conventions (``../shared/reference/participation.md`` section 4):

* positions count Unicode code points from 0; ``endPosition`` is the first code point *after*
  the selection (``start + length``): QualCoder's importer reads a selection as
  ``fulltext[startPosition:endPosition]`` on a Python string, i.e. code points with the end
  excluded (ccbogel/QualCoder ``src/qualcoder/refi.py``), and writes its own stored positions
  the same way; the specification's wording ("first and last character") reads otherwise;
* QualCoder writes source text files with a byte-order mark: it is dropped on import;
* GUIDs are written in lower case without braces; on import, upper case and braces are accepted
  and normalised, so references still match;
* codes nest (``Code`` inside ``Code``), and each coding carries its coder (``creatingUser``).

Import brings across users, the code tree, text variables and cases (with the sources and
selections that are theirs), text sources (by path or inline), selections with their codings,
notes and sets; whatever it cannot (PDF, picture, audio and video sources, codings of a whole
source, links, graphs) is listed in words.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import xmlschema

from focuson.insight.refi_model import (
    Case,
    Code,
    Coding,
    Imported,
    Note,
    Project,
    Selection,
    Set,
    Source,
    User,
    Variable,
    new_guid,
)

__all__ = [
    "ENV_VAR",
    "MAX_BYTES",
    "NS",
    "Case",
    "Code",
    "Coding",
    "Imported",
    "Note",
    "Project",
    "Selection",
    "Set",
    "Source",
    "User",
    "Variable",
    "codebook_xml",
    "new_guid",
    "project_xml",
    "read_qdpx",
    "schema_path",
    "validate",
    "write_qdpx",
]

NS = "urn:QDA-XML:project:1.0"
#: The namespace of a codebook exchanged on its own (``.qdc``).
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
_Q = f"{{{NS}}}"
#: The environment variable naming the reference folder that holds ``refi-qda/Project.xsd``.
ENV_VAR = "FOCUSON_REFERENCE"
_GUID = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$"
)
#: Largest total size a .qdpx may unpack to on import.
MAX_BYTES = 200 * 1024 * 1024
_OTHER_SOURCES = {
    "PDFSource": "PDF",
    "PictureSource": "picture",
    "AudioSource": "audio",
    "VideoSource": "video",
}


def schema_path(environ: Any = None) -> Path:
    """Where ``Project.xsd`` is: ``$FOCUSON_REFERENCE/refi-qda/``, else ``shared/reference``.

    The default is ``shared/reference/refi-qda/Project.xsd`` beside the checkout (for a checkout
    at ``PARENT/main``, ``PARENT/shared/reference``), found from this file, not the working
    directory.

    >>> schema_path({ENV_VAR: "/ref"}).as_posix()
    '/ref/refi-qda/Project.xsd'
    """
    env = os.environ if environ is None else environ
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]) / "refi-qda" / "Project.xsd"
    return (
        Path(__file__).resolve().parents[3].parent
        / "shared"
        / "reference"
        / "refi-qda"
        / "Project.xsd"
    )


@lru_cache(maxsize=4)
def _schema(path: Path) -> xmlschema.XMLSchema:
    if not path.is_file():
        raise FileNotFoundError(
            f"REFI-QDA schema not found at {path}; set {ENV_VAR} to the folder holding "
            "refi-qda/Project.xsd"
        )
    return xmlschema.XMLSchema(str(path))


def validate(xml: str | bytes, *, schema: Path | None = None) -> None:
    """Check ``project.qde`` against ``Project.xsd``; raise ValueError saying what is wrong."""
    errors = list(_schema(schema or schema_path()).iter_errors(xml))
    if errors:
        first = errors[0]
        raise ValueError(
            f"project.qde does not match the REFI-QDA schema ({len(errors)} problems); "
            f"first at {first.path}: {first.reason}"
        )


def project_xml(project: Project) -> str:
    """``project.qde`` for a project (sources referred to as ``internal://<guid>.txt``)."""
    root = ET.Element("Project", {"xmlns": NS, "name": project.name, "origin": project.origin})
    if project.users:
        users = ET.SubElement(root, "Users")
        for user in project.users:
            ET.SubElement(users, "User", {"guid": user.guid, "name": user.name})
    if project.codes:
        codes = ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes")
        for code in project.codes:
            _code_xml(codes, code)
    if project.variables:
        variables = ET.SubElement(root, "Variables")
        for var in project.variables:
            ET.SubElement(
                variables,
                "Variable",
                {"guid": var.guid, "name": var.name, "typeOfVariable": var.kind},
            )
    if project.cases:
        # A value is written in the element its variable's type names (TextValue for Text...).
        kinds = {var.guid: var.kind for var in project.variables}
        cases = ET.SubElement(root, "Cases")
        for case in project.cases:
            element = ET.SubElement(cases, "Case", {"guid": case.guid, "name": case.name})
            for variable, value in case.values:
                holder = ET.SubElement(element, "VariableValue")
                ET.SubElement(holder, "VariableRef", {"targetGUID": variable})
                ET.SubElement(holder, f"{kinds.get(variable, 'Text')}Value").text = value
            for source_guid in case.sources:
                ET.SubElement(element, "SourceRef", {"targetGUID": source_guid})
            for selection_guid in case.selections:
                ET.SubElement(element, "SelectionRef", {"targetGUID": selection_guid})
    if project.sources:
        sources = ET.SubElement(root, "Sources")
        for source in project.sources:
            _source_xml(sources, source)
    if project.notes:
        notes = ET.SubElement(root, "Notes")
        for note in project.notes:
            element = ET.SubElement(notes, "Note", {"guid": note.guid, "name": note.name})
            ET.SubElement(element, "PlainTextContent").text = note.text
    if project.sets:
        sets = ET.SubElement(root, "Sets")
        for group in project.sets:
            element = ET.SubElement(sets, "Set", {"guid": group.guid, "name": group.name})
            for tag, guids in (
                ("MemberCode", group.codes),
                ("MemberSource", group.sources),
                ("MemberNote", group.notes),
            ):
                for guid in guids:
                    ET.SubElement(element, tag, {"targetGUID": guid})
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")


def codebook_xml(
    codes: tuple[Code, ...], *, origin: str = "focuson", schema: Path | None = None
) -> str:
    """A codebook on its own (``.qdc``): ``<CodeBook xmlns="urn:QDA-XML:codebook:1.0">``.

    Its ``Codes`` are those of a project's ``CodeBook`` (the same type in ``Project.xsd``), so
    they are validated inside a project holding only them before the codebook is written.

    Raises
    ------
    ValueError
        Codes the schema refuses.
    """
    validate(project_xml(Project(name="codebook", codes=codes)), schema=schema)
    root = ET.Element("CodeBook", {"xmlns": NS_CODEBOOK, "origin": origin})
    holder = ET.SubElement(root, "Codes")
    for code in codes:
        _code_xml(holder, code)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")


def write_qdpx(project: Project, *, schema: Path | None = None) -> bytes:
    """The ``.qdpx`` (zip) of a project, validated against the schema first.

    Raises
    ------
    ValueError
        A selection outside its source's text, or XML the schema refuses.
    FileNotFoundError
        The schema cannot be found (see :func:`schema_path`).
    """
    for source in project.sources:
        for sel in source.selections:
            if not 0 <= sel.start <= sel.end <= len(source.text):
                raise ValueError(
                    f"source {source.name!r}: selection {sel.start}-{sel.end} lies outside its "
                    f"text (0-{len(source.text)} code points)"
                )
    xml = project_xml(project)
    validate(xml, schema=schema)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml.encode("utf-8"))
        for source in project.sources:
            archive.writestr(f"sources/{source.guid}.txt", source.text.encode("utf-8"))
    return buffer.getvalue()


def read_qdpx(data: bytes | str | Path, *, max_bytes: int = MAX_BYTES) -> Imported:
    """A project from a ``.qdpx`` made by focuson, NVivo, ATLAS.ti, MAXQDA or QualCoder.

    Parameters
    ----------
    data
        The file's bytes, or its path.
    max_bytes
        Refuse archives whose files add up to more than this once unpacked (a zip bomb).

    Raises
    ------
    ValueError
        Not a zip, too large unpacked, no ``project.qde``, XML with a document type (REFI-QDA
        needs none; entity expansion is refused), XML that is not a REFI-QDA project, or a
        text source whose file is missing (naming it).
    """
    raw = data if isinstance(data, bytes) else Path(data).read_bytes()
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as exc:
        raise ValueError("not a .qdpx file (a REFI-QDA project is a zip)") from exc
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > max_bytes:
        raise ValueError(
            f"the .qdpx unpacks to {unpacked:,} bytes, more than the {max_bytes:,} allowed; "
            "export the text sources only"
        )
    members = {name.lower(): name for name in archive.namelist()}
    qde = next((members[n] for n in members if n.endswith(".qde") and "/" not in n), None)
    if qde is None:
        raise ValueError("the .qdpx holds no project.qde")
    xml = archive.read(qde)
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise ValueError(f"{qde}: has a document type or entities, which REFI-QDA never uses")
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise ValueError(f"{qde}: not readable XML ({exc})") from exc
    if root.tag != f"{_Q}Project":
        raise ValueError(
            f"{qde}: not a REFI-QDA project (root {root.tag}, expected Project in {NS})"
        )
    dropped: list[str] = []

    def text_of(element: ET.Element, what: str) -> str:
        inline = element.find(f"{_Q}PlainTextContent")
        if inline is not None:
            return inline.text or ""
        path = element.get("plainTextPath", "")
        if not path.startswith("internal://"):
            raise ValueError(f"{what}: text at {path or 'no path'} is not inside the .qdpx")
        wanted = path.removeprefix("internal://").lower()
        member = members.get(f"sources/{wanted}")
        if member is None:
            raise ValueError(f"{what}: its text file {path} is missing from the .qdpx")
        return archive.read(member).decode("utf-8-sig")

    users = tuple(User(_guid(u.get("guid")), u.get("name", "")) for u in root.iter(f"{_Q}User"))
    book = root.find(f"{_Q}CodeBook/{_Q}Codes")
    codes = tuple(_code_from(c) for c in book.findall(f"{_Q}Code")) if book is not None else ()
    variables = tuple(
        Variable(_guid(v.get("guid")), v.get("name", ""), v.get("typeOfVariable", "Text"))
        for v in root.findall(f"{_Q}Variables/{_Q}Variable")
    )
    cases = tuple(_case_from(c) for c in root.findall(f"{_Q}Cases/{_Q}Case"))
    sources = []
    for element in root.findall(f"{_Q}Sources/{_Q}TextSource"):
        name = element.get("name", "")
        whole = element.findall(f"{_Q}Coding")
        if whole:
            dropped.append(f"{len(whole)} coding(s) of the whole source {name!r}")
        sources.append(
            Source(
                _guid(element.get("guid")),
                name,
                text_of(element, f"source {name!r}"),
                tuple(_selection_from(s) for s in element.findall(f"{_Q}PlainTextSelection")),
                _refs(element, "NoteRef"),
            )
        )
    for tag, label in _OTHER_SOURCES.items():
        count = len(root.findall(f"{_Q}Sources/{_Q}{tag}"))
        if count:
            dropped.append(f"{count} {label} source(s) (only text sources are brought across)")
    notes = tuple(
        Note(_guid(n.get("guid")), n.get("name", ""), text_of(n, f"note {n.get('name', '')!r}"))
        for n in root.findall(f"{_Q}Notes/{_Q}Note")
    )
    sets = tuple(
        Set(
            _guid(e.get("guid")),
            e.get("name", ""),
            _refs(e, "MemberCode"),
            _refs(e, "MemberSource"),
            _refs(e, "MemberNote"),
        )
        for e in root.findall(f"{_Q}Sets/{_Q}Set")
    )
    for tag, label in (("Links", "links"), ("Graphs", "graphs")):
        extra = root.find(f"{_Q}{tag}")
        if extra is not None and len(extra):
            dropped.append(f"{len(extra)} {label}")
    known = {c.guid for c in _walk(codes)}
    orphans = sum(
        1 for s in sources for sel in s.selections for c in sel.codings if c.code not in known
    )
    if orphans:
        dropped.append(f"{orphans} coding(s) naming a code not in the codebook")
    project = Project(
        name=root.get("name", ""),
        users=users,
        codes=codes,
        variables=variables,
        cases=cases,
        sources=tuple(sources),
        notes=notes,
        sets=sets,
        origin=root.get("origin", ""),
    )
    return Imported(project, tuple(dropped))


def _code_xml(parent: ET.Element, code: Code) -> None:
    attrs = {
        "guid": code.guid,
        "name": code.name,
        "isCodable": "true" if code.is_codable else "false",
    }
    if code.color:
        attrs["color"] = code.color
    element = ET.SubElement(parent, "Code", attrs)
    if code.description:
        ET.SubElement(element, "Description").text = code.description
    for note in code.notes:
        ET.SubElement(element, "NoteRef", {"targetGUID": note})
    for child in code.children:
        _code_xml(element, child)


def _source_xml(parent: ET.Element, source: Source) -> None:
    element = ET.SubElement(
        parent,
        "TextSource",
        {
            "guid": source.guid,
            "name": source.name,
            "plainTextPath": f"internal://{source.guid}.txt",
        },
    )
    for sel in source.selections:
        attrs = {"guid": sel.guid, "startPosition": str(sel.start), "endPosition": str(sel.end)}
        attrs |= _who(sel.user, sel.created)
        sel_element = ET.SubElement(element, "PlainTextSelection", attrs)
        for coding in sel.codings:
            c_element = ET.SubElement(
                sel_element, "Coding", {"guid": coding.guid} | _who(coding.user, coding.created)
            )
            ET.SubElement(c_element, "CodeRef", {"targetGUID": coding.code})
        for note in sel.notes:
            ET.SubElement(sel_element, "NoteRef", {"targetGUID": note})
    for note in source.notes:
        ET.SubElement(element, "NoteRef", {"targetGUID": note})


def _who(user: str | None, created: datetime | None) -> dict[str, str]:
    attrs = {}
    if user:
        attrs["creatingUser"] = user
    if created:
        attrs["creationDateTime"] = created.isoformat()
    return attrs


def _code_from(element: ET.Element) -> Code:
    description = element.find(f"{_Q}Description")
    return Code(
        guid=_guid(element.get("guid")),
        name=element.get("name", ""),
        is_codable=element.get("isCodable", "true").lower() in ("true", "1"),
        color=element.get("color"),
        description=(description.text or "") if description is not None else "",
        children=tuple(_code_from(c) for c in element.findall(f"{_Q}Code")),
        notes=_refs(element, "NoteRef"),
    )


def _selection_from(element: ET.Element) -> Selection:
    codings = tuple(
        Coding(
            guid=_guid(c.get("guid")),
            code=_guid(c.find(f"{_Q}CodeRef").get("targetGUID")),  # type: ignore[union-attr]
            user=_guid(c.get("creatingUser")) if c.get("creatingUser") else None,
            created=_when(c.get("creationDateTime")),
        )
        for c in element.findall(f"{_Q}Coding")
    )
    return Selection(
        guid=_guid(element.get("guid")),
        start=int(element.get("startPosition", "0")),
        end=int(element.get("endPosition", "0")),
        codings=codings,
        user=_guid(element.get("creatingUser")) if element.get("creatingUser") else None,
        created=_when(element.get("creationDateTime")),
        notes=_refs(element, "NoteRef"),
    )


def _case_from(element: ET.Element) -> Case:
    values = []
    for holder in element.findall(f"{_Q}VariableValue"):
        ref = holder.find(f"{_Q}VariableRef")
        value = next((child.text or "" for child in holder if child is not ref), "")
        if ref is not None:
            values.append((_guid(ref.get("targetGUID")), value))
    return Case(
        _guid(element.get("guid")),
        element.get("name", ""),
        tuple(values),
        _refs(element, "SourceRef"),
        _refs(element, "SelectionRef"),
    )


def _refs(element: ET.Element, tag: str) -> tuple[str, ...]:
    return tuple(_guid(r.get("targetGUID")) for r in element.findall(f"{_Q}{tag}"))


def _walk(codes: tuple[Code, ...]) -> list[Code]:
    out: list[Code] = []
    for code in codes:
        out.append(code)
        out.extend(_walk(code.children))
    return out


def _guid(value: str | None) -> str:
    """GUIDs in lower case without braces (exporters differ; references must still match)."""
    match = _GUID.match((value or "").strip())
    if match is None:
        raise ValueError(f"not a GUID: {value!r} (expected 8-4-4-4-12 hexadecimal digits)")
    return match.group(1).lower()


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
