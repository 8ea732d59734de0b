"""The Study step on real results: the example plan frozen in the app, ``focuson study`` run on
the same plan and imported, linked (the hashes agree) and its card served."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from tests.web.factories.project import ProjectFactory
from tests.web.factories.study_project_study import ProjectStudyFactory

from focuson.web.evidence.importing import import_results
from focuson.web.study import actions


@pytest.mark.django_db
def test_results_of_the_frozen_plan_link_and_their_card_is_served(client_as, study_folder: Path):
    study = ProjectStudyFactory(project=ProjectFactory())
    run = import_results(study_folder).run
    actions.link_run(user=study.project.owner, study=study, run=run)
    client = client_as("viewer")
    page = client.get(reverse("study:study", args=[study.project.pk]))
    assert run.study["verdict"][0]["sentence"] in page.text
    card = client.get(reverse("study:card", args=[study.project.pk]))
    assert card.status_code == 200
    assert card.content == (study_folder / "card.html").read_bytes()
