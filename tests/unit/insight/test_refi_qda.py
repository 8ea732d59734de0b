"""REFI-QDA export (schema-validated), import and the round trip, with offsets in many scripts."""

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from focuson.insight.refi_qda import (
    ENV_VAR,
    Case,
    Code,
    Coding,
    Note,
    Project,
    Selection,
    Set,
    Source,
    User,
    Variable,
    new_guid,
    project_xml,
    read_qdpx,
    schema_path,
    validate,
    write_qdpx,
)

#: Tests read the schema from ../shared beside the checkout (never copied into the project).
SCHEMA = (
    Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "refi-qda" / "Project.xsd"
)
pytestmark = pytest.mark.skipif(not SCHEMA.is_file(), reason=f"REFI-QDA schema not at {SCHEMA}")

# The passage to code sits after text in the script (offsets in code points, not bytes or
# UTF-16 units): Bengali, Arabic, Somali and Tamil, and text with an emoji and combining marks.
TEXTS = {
    "Bengali": ("আমরা হাসপাতালে যেতে ভয় পাই। ", "ডাক্তার আমাদের ভাষা বোঝেন না।"),
    "Arabic": ("لا نعرف أين نذهب. ", "المترجم لا يأتي أبدا."),
    "Somali": ("Ma garanayno halkaan aadno. ", "Turjubaanku marnaba ma yimaado."),
    "Tamil": ("மருத்துவமனைக்கு செல்ல பயம். ", "மருத்துவர் எங்கள் மொழி புரியவில்லை."),
    "Emoji": ("Cafe\u0301 😀👩🏽‍⚕️ n\u0303 ", "the GP never calls back 📞"),
}


def _project():
    coder_a, coder_b = User(new_guid(), "Coder A"), User(new_guid(), "Coder B")
    language = Code(
        new_guid(), "Language", color="#1D70B8", description="Interpreting, translation"
    )
    fear = Code(new_guid(), "Fear of services")
    barriers = Code(new_guid(), "Barriers", is_codable=False, children=(language, fear))
    when = datetime(2026, 11, 3, 14, 5, tzinfo=UTC)
    memo = Note(new_guid(), "Memo on language", "Raised in every borough")
    sources = []
    for name, (before, passage) in TEXTS.items():
        text = before + passage
        start, end = len(before), len(before) + len(passage)
        selection = Selection(
            guid=new_guid(),
            start=start,
            end=end,
            codings=(
                Coding(new_guid(), language.guid, coder_a.guid, when),
                Coding(new_guid(), fear.guid, coder_b.guid, when),
            ),
            user=coder_a.guid,
            created=when,
            notes=(memo.guid,),
        )
        sources.append(Source(new_guid(), f"{name} listening event", text, (selection,)))
    age = Variable(new_guid(), "Age band")
    ethnic = Variable(new_guid(), "Ethnic group (NHS)")
    case = Case(
        new_guid(),
        "Participant 7",
        ((age.guid, "65-79"), (ethnic.guid, "H")),
        (sources[0].guid,),
        (sources[0].selections[0].guid,),  # the passage is Participant 7's words
    )
    event = Set(new_guid(), "Brent listening event", sources=(sources[0].guid,))
    return Project(
        name="Listening in Brent",
        users=(coder_a, coder_b),
        codes=(
            Code(barriers.guid, barriers.name, False, None, "", barriers.children, (memo.guid,)),
        ),
        variables=(age, ethnic),
        cases=(case,),
        sources=tuple(sources),
        notes=(memo,),
        sets=(event,),
    )


def test_export_validates_and_the_round_trip_keeps_every_code_coding_and_offset():
    project = _project()
    data = write_qdpx(project, schema=SCHEMA)
    back = read_qdpx(data)
    assert back.dropped == ()
    assert back.project == project
    for source in back.project.sources:
        sel = source.selections[0]
        before, passage = TEXTS[source.name.split()[0]]
        assert source.text[sel.start : sel.end] == passage
        assert sel.start == len(before)  # code points, whatever the script
    # Exporting what was imported gives the same project.qde.
    assert project_xml(back.project) == project_xml(project)


def test_qdpx_layout_and_internal_paths():
    project = _project()
    archive = zipfile.ZipFile(io.BytesIO(write_qdpx(project, schema=SCHEMA)))
    names = set(archive.namelist())
    assert names == {"project.qde"} | {f"sources/{s.guid}.txt" for s in project.sources}
    xml = archive.read("project.qde").decode()
    assert f'plainTextPath="internal://{project.sources[0].guid}.txt"' in xml
    assert 'xmlns="urn:QDA-XML:project:1.0"' in xml
    validate(xml, schema=SCHEMA)


def test_export_that_breaks_the_schema_is_refused():
    bad = Project(name="x", codes=(Code(new_guid(), "colour", color="blue"),))
    with pytest.raises(ValueError, match="does not match the REFI-QDA schema"):
        write_qdpx(bad, schema=SCHEMA)


def test_selection_outside_its_text_is_refused():
    source = Source(new_guid(), "short", "abc", (Selection(new_guid(), 1, 9),))
    with pytest.raises(
        ValueError, match=r"selection 1-9 lies outside its text \(0-3 code points\)"
    ):
        write_qdpx(Project(name="x", sources=(source,)), schema=SCHEMA)


def test_schema_is_found_from_the_environment(tmp_path):
    assert schema_path({ENV_VAR: str(tmp_path)}) == tmp_path / "refi-qda" / "Project.xsd"
    with pytest.raises(FileNotFoundError, match=f"set {ENV_VAR}"):
        write_qdpx(Project(name="x"), schema=tmp_path / "refi-qda" / "Project.xsd")


# A project as other tools write it: upper-case GUIDs in braces, a Sources/ folder, inline text,
# a PDF source, a coding of a whole source and a set.
G = {k: v for k, v in zip("UCDSPXYNQ", (new_guid().upper() for _ in range(9)), strict=True)}
FOREIGN = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="From NVivo" origin="NVivo 14">
  <Users><User guid="{{{G["U"]}}}" name="Analyst"/></Users>
  <CodeBook><Codes>
    <Code guid="{G["C"]}" name="Access" isCodable="true">
      <Code guid="{G["D"]}" name="Transport" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{G["S"]}" name="Interview 1" plainTextPath="internal://{G["S"]}.txt">
      <PlainTextSelection guid="{G["X"]}" startPosition="4" endPosition="9" creatingUser="{G["U"]}">
        <Coding guid="{G["Y"]}" creatingUser="{{{G["U"]}}}">
          <CodeRef targetGUID="{{{G["D"]}}}"/>
        </Coding>
      </PlainTextSelection>
      <Coding guid="{G["N"]}"><CodeRef targetGUID="{G["C"]}"/></Coding>
    </TextSource>
    <TextSource guid="{G["Q"]}" name="Inline">
      <PlainTextContent>inline text</PlainTextContent>
    </TextSource>
    <PDFSource guid="{G["P"]}" name="Leaflet" path="internal://{G["P"]}.pdf"/>
  </Sources>
  <Sets><Set guid="{new_guid()}" name="Brent"/></Sets>
</Project>
"""


def _foreign_qdpx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", FOREIGN)
        archive.writestr(f"Sources/{G['S']}.txt", "\ufeffThe bus never comes")
    return buffer.getvalue()


def test_import_from_other_tools_normalises_guids_and_lists_what_it_dropped():
    validate(FOREIGN, schema=SCHEMA)  # the fixture is a valid REFI-QDA project
    imported = read_qdpx(_foreign_qdpx())
    project = imported.project
    assert project.users[0].guid == G["U"].lower()
    (access,) = project.codes
    assert access.children[0].name == "Transport"
    interview, inline = project.sources
    assert interview.text == "The bus never comes"
    sel = interview.selections[0]
    assert interview.text[sel.start : sel.end] == "bus n"
    assert (
        sel.codings[0].code == access.children[0].guid
        and sel.codings[0].user == project.users[0].guid
    )
    assert inline.text == "inline text"
    assert imported.dropped == (
        "1 coding(s) of the whole source 'Interview 1'",
        "1 PDF source(s) (only text sources are brought across)",
    )
    assert [s.name for s in project.sets] == ["Brent"]
    # What was brought across exports again and validates.
    again = read_qdpx(write_qdpx(project, schema=SCHEMA))
    assert again.project == project and again.dropped == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip", "not a .qdpx file"),
        (None, "holds no project.qde"),
    ],
)
def test_import_errors_say_what_is_wrong(data, message):
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "x")
        data = buffer.getvalue()
    with pytest.raises(ValueError, match=message):
        read_qdpx(data)


def test_import_names_a_missing_source_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", FOREIGN)
    with pytest.raises(
        ValueError, match=r"source 'Interview 1': its text file internal://.* is missing"
    ):
        read_qdpx(buffer.getvalue())


def test_typed_variables_are_written_in_their_own_element():
    year = Variable(new_guid(), "Year of first contact", "Integer")
    case = Case(new_guid(), "Participant 1", ((year.guid, "2019"),))
    project = Project(name="typed", variables=(year,), cases=(case,))
    data = write_qdpx(project, schema=SCHEMA)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("project.qde").decode()
    assert "<IntegerValue>2019</IntegerValue>" in xml
    assert read_qdpx(data).project == project
    wrong = Project(
        name="typed", variables=(year,), cases=(Case(case.guid, "P", ((year.guid, "65-79"),)),)
    )
    with pytest.raises(ValueError, match="does not match the REFI-QDA schema"):
        write_qdpx(wrong, schema=SCHEMA)


def _zip(**files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name.replace("__", "/"), content)
    return buffer.getvalue()


def test_import_refuses_entities_and_archives_too_large_unpacked():
    laughs = '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">]><Project name="&a;"/>'
    with pytest.raises(ValueError, match="document type or entities"):
        read_qdpx(_zip(**{"project.qde": laughs}))
    big = _zip(**{"project.qde": FOREIGN, "sources__padding.txt": "0" * 100_000})
    with pytest.raises(ValueError, match="more than the 50,000 allowed"):
        read_qdpx(big, max_bytes=50_000)


def test_codebook_alone_is_written_with_its_own_namespace_after_validation():
    from focuson.insight.refi_qda import codebook_xml

    project = _project()
    xml = codebook_xml(project.codes, schema=SCHEMA)
    root = ET.fromstring(xml)
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    names = [c.get("name") for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")]
    assert names == [c.name for c in _walk_codes(project.codes)]
    bad = Code("not-a-guid", "Broken")
    with pytest.raises(ValueError, match="does not match the REFI-QDA schema"):
        codebook_xml((bad,), schema=SCHEMA)


def _walk_codes(codes):
    out = []
    for code in codes:
        out.append(code)
        out.extend(_walk_codes(code.children))
    return out
