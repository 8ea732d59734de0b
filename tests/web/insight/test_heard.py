"""Who was heard against who is affected: the page's and the API's numbers are the library's on
a small hand-made case (participants and a paper tally against the finding's denominators)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from django.urls import reverse
from tests.web.factories.borough import BoroughFactory
from tests.web.factories.finding import FindingFactory
from tests.web.factories.insight_attendance_count import AttendanceCountFactory
from tests.web.factories.insight_event import EventFactory
from tests.web.factories.insight_participant import ParticipantFactory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.run import RunFactory

from focuson.insight.representation import compare
from focuson.web.insight import heard

BOROUGHS = [("Brent", "E09000005"), ("Harrow", "E09000015"), ("Ealing", "E09000009")]
#: The affected population by sex and by IMD quintile (the finding's run's denominators).
SEX = {"F": 600.0, "M": 400.0}
IMD = {"1": 300.0, "2": 250.0, "3": 200.0, "4": 150.0, "5": 100.0}


def _project():
    run = RunFactory()
    finding = FindingFactory(run=run, dimension="imd_quintile", group="1", denominator=IMD["1"])
    for group, n in IMD.items():
        if group != "1":
            FindingFactory(run=run, dimension="imd_quintile", group=group, denominator=n)
    for group, n in SEX.items():
        FindingFactory(run=run, dimension="sex", group=group, group_label=group, denominator=n)
    # Not a group anyone is heard as; another indicator and month: both left out.
    FindingFactory(run=run, dimension="sex", group="U", denominator=50.0)
    FindingFactory(run=run, dimension="sex", group="F", indicator="other", denominator=9e9)
    FindingFactory(run=run, dimension="sex", group="F", period="2024-01", denominator=9e9)
    project = ProjectFactory(finding=finding)
    event = EventFactory(project=project)
    # 30 women and 10 men recorded one by one, 12 without a quintile; 70 women on paper.
    for i in range(40):
        ParticipantFactory(
            event=event,
            sex="F" if i < 30 else "M",
            imd_quintile="" if i < 12 else str(1 + i % 5),
        )
    AttendanceCountFactory(event=event, dimension="sex", band="F", count=70)
    # A deleted event counts for nothing.
    gone = EventFactory(project=project)
    ParticipantFactory(event=gone, sex="M")
    gone.soft_delete(user=project.owner)
    return project


def _expected() -> object:
    imd_known = [1 + i % 5 for i in range(12, 40)]
    counts = pd.DataFrame(
        [("sex", "F", 100), ("sex", "M", 10)]
        + [("imd_quintile", str(q), imd_known.count(q)) for q in range(1, 6)]
        + [("imd_quintile", None, 12)],
        columns=["dimension", "band", "count"],
    )
    population = pd.DataFrame(
        [("imd_quintile", k, v) for k, v in IMD.items()] + [("sex", k, v) for k, v in SEX.items()],
        columns=["dimension", "band", "population"],
    )
    return compare(counts, population)


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-12)


@pytest.mark.django_db
def test_heard_equals_the_library_on_a_hand_made_case():
    project = _project()
    found = heard.who_was_heard(project)
    assert found.participants == 40 and found.counted == 70
    expected = _expected()
    got = found.result.bands.set_index(["dimension", "band"]).sort_index()
    want = expected.bands.set_index(["dimension", "band"]).sort_index()
    assert list(got.index) == list(want.index)
    for column in ["participants", "population", "share", "ratio", "ratio_lower", "ratio_upper"]:
        assert all(_same(a, b) for a, b in zip(got[column], want[column], strict=True)), column
    assert list(got["not_yet_heard"]) == list(want["not_yet_heard"])
    got_d = found.result.dimensions.set_index("dimension").sort_index()
    want_d = expected.dimensions.set_index("dimension").sort_index()
    for column in ["participants", "not_stated", "known", "chi_square", "p_value"]:
        assert all(_same(a, b) for a, b in zip(got_d[column], want_d[column], strict=True))
    # Men: 10 of 110 heard against 40% affected, so clearly under half: not yet heard.
    men = want.loc[("sex", "M")]
    assert men["participants"] == 10 and men["not_yet_heard"]


@pytest.mark.django_db
def test_page_and_api_show_the_library_numbers(client_as):
    project = _project()
    want = _expected().bands.set_index(["dimension", "band"])
    client = client_as(project.owner)
    page = client.get(reverse("insight:open", args=[project.pk]))
    men = want.loc[("sex", "M")]
    assert f"{men['ratio']:.2f} ({men['ratio_lower']:.2f} to {men['ratio_upper']:.2f})" in page.text
    assert "not yet heard" in page.text
    body = client.get(f"/api/open/projects/{project.pk}").json()
    rows = {(r["dimension"], r["band"]): r for r in body["heard"]}
    assert rows[("sex", "M")]["ratio"] == pytest.approx(men["ratio"])
    assert rows[("sex", "M")]["not_yet_heard"] is True
    assert len(body["events"]) == 1 and body["events"][0]["participants"] == 40


@pytest.mark.django_db
def test_small_numbers_hidden(client_as):
    run = RunFactory()
    finding = FindingFactory(run=run, dimension="sex", group="F", denominator=500.0)
    FindingFactory(run=run, dimension="sex", group="M", denominator=500.0)
    project = ProjectFactory(finding=finding)
    event = EventFactory(project=project)
    for i in range(23):
        ParticipantFactory(event=event, sex="F" if i < 20 else "M")
    found = heard.who_was_heard(project)
    bands = found.result.bands.set_index("band")
    assert math.isnan(bands.loc["M", "participants"]) and math.isnan(bands.loc["M", "ratio"])
    page = client_as(project.owner).get(reverse("insight:open", args=[project.pk]))
    assert "hidden (small number)" in page.text
    body = client_as(project.owner).get(f"/api/open/projects/{project.pk}").json()
    male = next(r for r in body["heard"] if r["band"] == "M")
    assert male["participants"] is None and male["ratio"] is None


@pytest.mark.django_db
def test_no_finding_says_so(client_as):
    project = ProjectFactory()
    ParticipantFactory(event=EventFactory(project=project), sex="F")
    assert heard.who_was_heard(project).why == "no_finding"
    page = client_as(project.owner).get(reverse("insight:open", args=[project.pk]))
    assert "no affected population to compare with" in page.text


@pytest.mark.django_db
def test_outsider_gets_404_from_the_api(client_as):
    project = ProjectFactory()
    response = client_as("facilitator").get(f"/api/open/projects/{project.pk}")
    assert response.status_code == 404


@pytest.mark.django_db
def test_boroughs_compared_by_name_and_one_outside_the_finding_is_not_stated():
    brent, harrow, ealing = (BoroughFactory(name=n, code=c) for n, c in BOROUGHS)
    run = RunFactory()
    finding = FindingFactory(run=run, dimension="borough", group="Brent", denominator=300.0)
    FindingFactory(run=run, dimension="borough", group="Harrow", denominator=100.0)
    FindingFactory(run=run, dimension="borough", group="Not known", denominator=40.0)
    project = ProjectFactory(finding=finding)
    event = EventFactory(project=project)
    for borough, n in ((brent, 10), (harrow, 40), (ealing, 10)):
        for _ in range(n):
            ParticipantFactory(event=event, borough=borough)
    found = heard.who_was_heard(project).result
    counts = pd.DataFrame(
        {"dimension": "borough", "band": ["Brent", "Harrow", None], "count": [10, 40, 10]}
    )
    population = pd.DataFrame(
        {"dimension": "borough", "band": ["Brent", "Harrow"], "population": [300.0, 100.0]}
    )
    want = compare(counts, population)
    assert list(found.bands["band"]) == ["Brent", "Harrow"]
    assert found.bands["ratio"].tolist() == pytest.approx(want.bands["ratio"].tolist())
    assert found.dimensions["not_stated"].tolist() == [10.0]
    assert found.bands.set_index("band").loc["Brent", "not_yet_heard"]
