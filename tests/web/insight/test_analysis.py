"""Agreement between two coders on a double-coded sample (hand-worked kappa and alpha), and the
coding tables as distinct participants with small numbers hidden."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.factories.insight_code import CodeFactory
from tests.web.factories.insight_coding import CodingFactory
from tests.web.factories.insight_participant import ParticipantFactory
from tests.web.factories.insight_source import SourceFactory
from tests.web.factories.project_membership import ProjectMembershipFactory

from focuson.web.insight import coding_analysis


def _member(role_user, project, role="analyst"):
    user = role_user(role)
    ProjectMembershipFactory(project=project, user=user)
    return user


def _line(text: str, n: int) -> tuple[int, int]:
    """Code points of line ``n`` of ``text``."""
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[:n])
    return start, start + len(lines[n])


@pytest.fixture
def double_coded(role_user):
    """Four paragraphs; coder A codes "Transport" on 0 and 1, B on 0 and 2; A alone codes
    "Trust" on 3. A third source coded by A only is outside the sample."""
    text = "The bus stops at six.\nNo evening slots.\nDrivers are rude.\nI do not trust them."
    source = SourceFactory(text=text, title="Sample")
    project = source.project
    transport = CodeFactory(project=project, name="Transport")
    trust = CodeFactory(project=project, name="Trust")
    a, b = _member(role_user, project), _member(role_user, project)
    for coder, lines in ((a, [0, 1]), (b, [0, 2])):
        for n in lines:
            start, end = _line(text, n)
            # A passage that stops short of the line's end still counts for the paragraph.
            CodingFactory(source=source, code=transport, start=start, end=end - 1, coder=coder)
    start, end = _line(text, 3)
    CodingFactory(source=source, code=trust, start=start, end=end, coder=a)
    alone = SourceFactory(event=source.event, text="Only A read this.")
    CodingFactory(source=alone, code=trust, start=0, end=4, coder=a)
    return project, a, b


@pytest.mark.django_db
def test_agreement_matches_hand_worked_values(double_coded):
    project, a, b = double_coded
    result = coding_analysis.compare_coders(project, a, b)
    assert [s.title for s in result.sources] == ["Sample"] and result.units == 4
    rows = result.table.set_index("code")
    transport = rows.loc[str(project.codes.get(name="Transport").pk)]
    # Both 1, A only 1, B only 1, neither 1: p_o = 2/4; p_e = (2*2 + 2*2)/16 = 1/2; kappa 0.
    assert (transport.both, transport.a_only, transport.b_only, transport.neither) == (1, 1, 1, 1)
    assert transport.percent_agreement == pytest.approx(50.0)
    assert transport.kappa == pytest.approx(0.0)
    # Nominal alpha: D_o = 4/8; D_e = 2*4*4/(8*7) = 4/7; alpha = 1 - (1/2)/(4/7) = 1/8.
    assert transport.alpha == pytest.approx(0.125)
    assert transport.coded_agreement == pytest.approx(1 / 3)
    trust = rows.loc[str(project.codes.get(name="Trust").pk)]
    # A alone on 1 of 4: p_o = 3/4, p_e = (1*0 + 3*4)/16 = 3/4, kappa 0/(1/4) = 0.
    assert trust.percent_agreement == pytest.approx(75.0) and trust.kappa == pytest.approx(0.0)


@pytest.mark.django_db
def test_agreement_page(client_as, double_coded):
    project, a, b = double_coded
    client = client_as(a)
    url = reverse("insight:agreement", args=[project.pk])
    page = client.get(url, {"coder_a": a.pk, "coder_b": b.pk}).text
    assert "Sample: 1 source coded by both, 4 paragraphs." in page
    assert "Transport" in page and "50.0" in page and "0.33" in page
    same = client.get(url, {"coder_a": a.pk, "coder_b": a.pk}).text
    assert "Choose a second coder who is not the first." in same


@pytest.mark.django_db
def test_agreement_with_no_common_source_says_what_to_do(client_as, role_user):
    first = CodingFactory()
    project = first.source.project
    a = first.coder
    b = _member(role_user, project)
    CodingFactory(source=SourceFactory(event=first.source.event), code=first.code, coder=b)
    page = client_as(b).get(
        reverse("insight:agreement", args=[project.pk]), {"coder_a": a.pk, "coder_b": b.pk}
    )
    assert "have not coded any source in common" in page.text


def _row(page: str, name: str) -> list[str]:
    """The cells of code ``name``'s row in the codes-by-attribute table (the page's second)."""
    row = page.split(f'<th scope="row" class="nhsuk-table__cell">{name}</th>')[2].split("</tr>")[0]
    return [c.split("</td>")[0] for c in row.split('<td class="nhsuk-table__cell">')[1:]]


@pytest.mark.django_db
def test_tables_count_people_and_hide_small_numbers(client_as, role_user):
    text = "\n".join(f"Line {i}: the bus is late and they distrust the clinic." for i in range(20))
    source = SourceFactory(text=text)
    project = source.project
    late = CodeFactory(project=project, name="Transport")
    trust = CodeFactory(project=project, name="Trust")
    people = [ParticipantFactory(event=source.event, sex="F") for _ in range(10)]
    for i, person in enumerate(people):
        # Two paragraphs each: two excerpts, but each person counts once.
        for n in (2 * i, 2 * i + 1):
            start, _end = _line(text, n)
            CodingFactory(source=source, code=late, start=start, end=start + 8, participant=person)
    CodingFactory(source=source, code=trust, start=0, end=6)  # nobody named: left out
    client = client_as(_member(role_user, project))
    url = reverse("insight:tables", args=[project.pk])
    page = client.get(url, {"attribute": "sex"}).text
    assert "1 coded passage is not attributed to a participant" in page
    # Female 10, Male 0, not stated 0, all 10.
    assert _row(page, "Transport") == ["10", "0", "0", "10"]
    for i, person in enumerate(people[:3]):
        start, _end = _line(text, 2 * i)
        CodingFactory(
            source=source, code=trust, start=start + 30, end=start + 40, participant=person
        )
    found = coding_analysis.tables(project, attribute="sex", bands=["F", "M"])
    together = found.cooccurrence.participants
    assert together.loc[late.pk, late.pk] == 10 and together.loc[late.pk, trust.pk] == 3
    assert found.cooccurrence.excerpts.loc[late.pk, late.pk] == 20
    page = client.get(url, {"attribute": "sex"}).text
    # Trust's 3 people are hidden; so is Transport's 10, which with the (assumed known) grand
    # total of 13 would give the 3 away: the library's secondary suppression.
    assert _row(page, "Trust") == ["[c]", "0", "0", "[c]"]
    assert _row(page, "Transport") == ["[c]", "0", "0", "[c]"]


@pytest.mark.django_db
def test_tables_page_with_nothing_coded(client_as, role_user):
    source = SourceFactory()
    client = client_as(_member(role_user, source.project))
    page = client.get(reverse("insight:tables", args=[source.project_id]), {"attribute": "nope"})
    assert page.status_code == 200 and "Nothing attributed to a participant" in page.text


@pytest.mark.django_db
def test_agreement_sample_can_be_narrowed(client_as, double_coded):
    project, a, b = double_coded
    sample = project.insight_sources.get(title="Sample")
    other = SourceFactory(event=sample.event, text="Both read this.\nAnd this.", title="Second")
    code = project.codes.get(name="Trust")
    for coder in (a, b):
        CodingFactory(source=other, code=code, start=0, end=4, coder=coder)
    whole = coding_analysis.compare_coders(project, a, b)
    assert [s.title for s in whole.sources] == ["Sample", "Second"] and whole.units == 6
    narrowed = coding_analysis.compare_coders(project, a, b, only=[other.pk])
    assert [s.title for s in narrowed.sources] == ["Second"] and narrowed.units == 2
    assert len(narrowed.common) == 2
    page = (
        client_as(a)
        .get(
            reverse("insight:agreement", args=[project.pk]),
            {"coder_a": a.pk, "coder_b": b.pk, "source": [other.pk]},
        )
        .text
    )
    assert "Sample: 1 source coded by both, 2 paragraphs." in page
    assert f'value="{sample.pk}">' in page and f'value="{other.pk}" checked>' in page
