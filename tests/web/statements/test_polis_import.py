"""A Pol.is export imported through the page gives the library's numbers on the results page,
in the exports and the API; bad files are refused naming the file, line and column, and nothing
is saved."""

from __future__ import annotations

import json

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from numpy.testing import assert_allclose, assert_array_equal
from tests.web.factories.project import ProjectFactory

from focuson.ideas.polis import read_polis_export
from focuson.ideas.rounds import statement_round
from focuson.web.statements.models import Moderation, Statement, StatementRound, Vote, Voter
from focuson.web.statements.results import vote_matrix


def _nan(value):
    return np.nan if value is None else value


def _upload(folder, comments=None, people=None):
    return {
        "title": "Seattle $15 per hour",
        "question": "What do you think of a $15 minimum wage in Seattle?",
        "comments": SimpleUploadedFile(
            "comments.csv", comments or (folder / "comments.csv").read_bytes(), "text/csv"
        ),
        "participants_votes": SimpleUploadedFile(
            "participants-votes.csv",
            people or (folder / "participants-votes.csv").read_bytes(),
            "text/csv",
        ),
    }


@pytest.fixture
def imported(client_as, polis_folder):
    project = ProjectFactory()
    client = client_as(project.owner)
    response = client.post(
        reverse("statements:import_polis", args=[project.pk]), _upload(polis_folder)
    )
    found = StatementRound.objects.get(project=project)
    assert response.status_code == 302
    assert response["Location"] == reverse("statements:results", args=[found.pk])
    return client, found, read_polis_export(polis_folder)


@pytest.mark.django_db
def test_import_keeps_the_vote_matrix_the_library_reads(imported):
    _client, found, conv = imported
    assert not found.accepting() and found.imported_from
    statements = list(found.statements.order_by("pk"))
    assert [s.polis_id for s in statements] == conv.statements.tolist()
    assert [s.status == Moderation.REJECTED for s in statements] == (~conv.shown).tolist()
    assert sum(s.status == Moderation.REJECTED for s in statements) == 23
    matrix = vote_matrix(found)
    # Voters with no vote at all are not voters; everyone else's row is Pol.is's row.
    voted = ~np.isnan(conv.votes).all(axis=1)
    assert_array_equal(matrix.votes, conv.votes[voted])
    assert Vote.objects.filter(voter__round=found).count() == int((~np.isnan(conv.votes)).sum())
    # Audited: every statement, voter and vote has its history row.
    assert Statement.history.filter(round_id=found.pk).count() == len(statements)
    assert Voter.history.filter(round_id=found.pk).count() == int(voted.sum())


@pytest.mark.django_db
def test_results_page_shows_the_library_numbers_for_the_polis_conversation(imported):
    client, found, conv = imported
    expected = statement_round(conv.votes, shown=conv.shown)
    assert expected.groups == ("Opinion group A", "Opinion group B")
    page = client.get(reverse("statements:results", args=[found.pk]))
    assert page.status_code == 200
    analysis = next(a for a in page.context["results"]["analyses"] if a.kind == "opinion")
    assert [size for _name, size in analysis.groups] == expected.published_sizes.tolist()
    by_statement = {line.statement.polis_id: line for line in analysis.lines}
    shown = np.flatnonzero(conv.shown)
    assert sorted(by_statement) == conv.statements[shown].tolist()
    for i in shown:
        line = by_statement[int(conv.statements[i])]
        # Blank (None) exactly where the library left it blank (1-7 of a group voted).
        assert_allclose(_nan(line.consensus), expected.support.consensus[i])
        assert_allclose([_nan(c.agree) for c in line.cells], expected.support.p_agree[:, i])
    assert any(line.consensus is None for line in analysis.lines)
    # The most agreed statement across groups, and each group's representative statements.
    best = int(np.nanargmax(np.where(conv.shown, expected.support.consensus, -1)))
    assert analysis.consensus[0].statement.polis_id == int(conv.statements[best])
    for name, reps in analysis.representative:
        chosen = expected.representative[expected.representative["group"] == name]
        assert [r.statement.polis_id for r in reps] == conv.statements[chosen.statement].tolist()
    # On the page, in words and numbers: the group sizes and the top consensus as shown.
    text = page.text
    assert "Opinion group A" in text and "about 90 people" in text and "about 50 people" in text
    assert f"{expected.support.consensus[best]:.2f}" in text
    assert escape(str(conv.texts[best]).strip()) in text
    # Statements moderated out never appear.
    hidden = str(conv.texts[int(np.flatnonzero(~conv.shown)[0])])
    assert escape(hidden.strip()) not in text
    # No voter declared a group in Pol.is: the page says so instead of a table.
    assert "No voter has declared a group yet." in text


@pytest.mark.django_db
def test_exports_and_api_carry_the_library_numbers_and_no_voter_rows(imported, api_token):
    client, found, conv = imported
    expected = statement_round(conv.votes, shown=conv.shown)
    rows = client.get(reverse("statements:results_json", args=[found.pk])).json()["rows"]
    consensus = {r["statement_id"]: r["consensus"] for r in rows if r["measure"] == "consensus"}
    by_polis = dict(found.statements.values_list("pk", "polis_id"))
    polis_index = {int(pid): i for i, pid in enumerate(conv.statements)}
    for pk, value in consensus.items():
        assert_allclose(_nan(value), expected.support.consensus[polis_index[by_polis[pk]]])
    sizes = [r["published_size"] for r in rows if r["measure"] == "group"]
    assert sizes == expected.published_sizes.tolist()
    # Aggregates only: no voter, participant or label column, and no row per voter.
    assert {r["measure"] for r in rows} == {"group", "support", "consensus", "representative"}
    assert not any({"voter", "participant", "label"} & set(r) for r in rows)
    csv = client.get(reverse("statements:results_csv", args=[found.pk]))
    assert csv["Content-Type"].startswith("text/csv")
    assert len(csv.text.strip().splitlines()) == len(rows) + 1
    token = api_token(found.project.owner)
    api = client.get(
        f"/api/statements/rounds/{found.pk}/results",
        headers={"authorization": f"Bearer {token.plain}"},
    )
    assert api.status_code == 200
    assert json.loads(api.content)["rows"] == rows


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("which", "old", "new", "message"),
    [
        ("people", b"\n1,1,0,13,8,4,1,", b"\n1,1,0,13,8,4,yes,",
         "participants-votes.csv, line 3, column &#x27;0&#x27;: vote &#x27;yes&#x27;"),
        ("comments", b"comment-body", b"body",
         "comments.csv, line 1: column &#x27;comment-body&#x27; is missing"),
    ],
)  # fmt: skip
def test_a_bad_export_is_refused_naming_file_line_and_column_and_saves_nothing(
    client_as, polis_folder, which, old, new, message
):
    project = ProjectFactory()
    client = client_as(project.owner)
    name = "participants-votes.csv" if which == "people" else "comments.csv"
    content = (polis_folder / name).read_bytes()
    assert old in content
    bad = content.replace(old, new, 1)
    data = _upload(polis_folder, **({"people": bad} if which == "people" else {"comments": bad}))
    response = client.post(reverse("statements:import_polis", args=[project.pk]), data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert not StatementRound.objects.filter(project=project).exists()
    assert not Statement.objects.exists() and not Voter.objects.exists()


@pytest.mark.django_db
def test_an_import_without_files_says_which_are_missing(client_as):
    project = ProjectFactory()
    client = client_as(project.owner)
    response = client.post(
        reverse("statements:import_polis", args=[project.pk]), {"title": "", "question": "q"}
    )
    errors = response.context["form"].errors
    assert errors["comments"] == ["Choose the export's comments.csv file."]
    assert errors["participants_votes"] == ["Choose the export's participants-votes.csv file."]
    assert errors["title"] == ["Give the round a title."]
    assert not StatementRound.objects.exists()


@pytest.mark.django_db
def test_a_file_too_large_is_refused_before_it_is_read(client_as, polis_folder, monkeypatch):
    from focuson.web.statements import forms

    monkeypatch.setattr(forms, "MAX_UPLOAD", 1000)
    project = ProjectFactory()
    client = client_as(project.owner)
    response = client.post(
        reverse("statements:import_polis", args=[project.pk]), _upload(polis_folder)
    )
    errors = response.context["form"].errors
    assert errors["comments"][0].startswith("comments.csv is larger than 0.000")
    assert "participants_votes" in errors
    assert not StatementRound.objects.exists()
