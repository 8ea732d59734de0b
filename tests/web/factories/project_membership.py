"""A person's membership of a project."""

from __future__ import annotations

import factory
from tests.web.factories.project import ProjectFactory
from tests.web.factories.user import UserFactory

from focuson.web.programme.models import ProjectMembership


class ProjectMembershipFactory(factory.django.DjangoModelFactory):
    """A new facilitator made a member of a new project (``project=``, ``user=`` to choose)."""

    class Meta:
        model = ProjectMembership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory, role="facilitator")
    role_in_project = "community partner"
