"""The web tests run on the database ``DATABASE_URL`` names: SQLite by default, PostgreSQL when
``scripts/test.sh`` runs them a second time against the server it starts."""

import os

import pytest
from django.db import connection

from focuson.web.accounts.models import User


@pytest.mark.django_db
def test_database_is_the_one_database_url_names(role_user):
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    # A case-insensitive lookup (SQLite and PostgreSQL do these differently).
    role_user("viewer", username="Ann.Smith")
    assert User.objects.filter(username__iexact="ann.smith").count() == 1
