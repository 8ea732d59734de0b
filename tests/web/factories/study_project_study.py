"""A project's Study, frozen the way the app freezes it (``study.actions.save_plan``)."""

from __future__ import annotations

from typing import Any

import factory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.study_run import PLAN_TEXT

from focuson.web.study import actions
from focuson.web.study.models import ProjectStudy


class ProjectStudyFactory(factory.django.DjangoModelFactory):
    """The example plan frozen in a new project by its owner (``run=`` links results)."""

    class Meta:
        model = ProjectStudy

    project = factory.SubFactory(ProjectFactory)
    plan_yaml = PLAN_TEXT
    run = None

    @classmethod
    def _create(cls, model_class: type[ProjectStudy], *args: Any, **kwargs: Any) -> ProjectStudy:
        project = kwargs["project"]
        saved = actions.save_plan(
            user=project.owner, project=project, text=kwargs["plan_yaml"], data_seen=False
        )
        study = saved.study
        if kwargs["run"] is not None:
            study = actions.link_run(user=project.owner, study=study, run=kwargs["run"])
        return study
