"""The demo's Study: ``seed_study`` gives an example project a frozen plan, the Study results
of the synthetic intervention (run by ``focuson study`` on the demo's monitoring results) and
its card; a rerun changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from tests.web.factories.study_run import PLAN_TEXT as DOCS_PLAN
from tests.web.factories.user import UserFactory

from focuson.data.synthetic import generate
from focuson.runs.monitor import run_monitor
from focuson.study.plan import plan_hash, read_plan_text
from focuson.web.evidence.models import Run
from focuson.web.programme.models import Project, ProjectStep
from focuson.web.programme.seed import seed_programme
from focuson.web.study import results as study_results
from focuson.web.study.demo import PLAN_TEXT, PROJECT_TITLE, seed_study


@pytest.fixture(scope="module")
def monitored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Monitoring results of a synthetic North West London at scale 0.01, as the demo writes."""
    folder = tmp_path_factory.mktemp("demo")
    data = generate(folder / "data", scale=0.01)
    run_monitor(data.mapping, folder / "results", report=False)
    return folder / "results"


def _quiet(_: str) -> None:
    pass


def test_the_demo_plan_is_the_docs_example_plan():
    assert plan_hash(read_plan_text(PLAN_TEXT)) == plan_hash(read_plan_text(DOCS_PLAN))


@pytest.mark.django_db
def test_seed_study_fills_an_example_projects_study_step(monitored, client_as):
    seed_programme()
    analyst, lead = UserFactory(role="analyst"), UserFactory(role="programme_lead")
    seeded = seed_study(monitored, find_run=None, analyst=analyst, lead=lead, say=_quiet)

    assert seeded is not None and seeded.created
    project = Project.objects.get(pk=seeded.project_id)
    assert project.title == PROJECT_TITLE and project.owner == lead
    assert [b.name for b in project.boroughs.all()] == ["Brent"]
    study = project.study
    assert study.plan_hash == plan_hash(read_plan_text(PLAN_TEXT)) and study.version == 1
    run = Run.objects.get(pk=seeded.run_id)
    assert run.kind == Run.Kind.STUDY and study.run == run
    assert ProjectStep.objects.get(project=project, step="study").status == "in_progress"
    # The verdict (at this scale Brent is mostly suppressed: descriptive) and the card.
    verdict = study_results.verdict(run)
    assert verdict is not None and verdict.overall
    assert study_results.card_file(run) is not None
    page = client_as(lead).get(reverse("study:study", args=[project.pk]))
    assert page.status_code == 200 and verdict.overall in page.text
    card = client_as(lead).get(reverse("study:card", args=[project.pk]))
    assert card.status_code == 200 and "Study card" in card.text

    again = seed_study(monitored, find_run=None, analyst=analyst, lead=lead, say=_quiet)
    assert again is not None and not again.created
    assert (again.project_id, again.run_id) == (seeded.project_id, seeded.run_id)
    assert Run.objects.filter(kind=Run.Kind.STUDY).count() == 1
    assert Project.objects.filter(title=PROJECT_TITLE).count() == 1


@pytest.mark.django_db
def test_seed_study_without_monitoring_results_leaves_the_study_out(tmp_path):
    said: list[str] = []
    user = UserFactory(role="analyst")
    assert seed_study(tmp_path, find_run=None, analyst=user, lead=user, say=said.append) is None
    assert said == ["No monitoring results here: the demo's Study is left out."]
    assert not Project.objects.exists()
