"""Import jobs: ``ImportJobFactory()`` is a finished import of a zip."""

from __future__ import annotations

import factory
from tests.web.factories.run import RunFactory
from tests.web.factories.user import UserFactory

from focuson.web.evidence.models import ImportJob


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    source = "results.zip"
    status = ImportJob.Status.DONE
    done = 10
    total = 10
    message = "Imported."
    run = factory.SubFactory(RunFactory)
    created_by = factory.SubFactory(UserFactory, role="analyst")
