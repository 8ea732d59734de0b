"""People: accounts with one role each (``focuson.web.roles``)."""

from __future__ import annotations

import factory

from focuson.web.accounts.models import User

#: The password every factory-made account signs in with.
PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """An active account; ``role`` defaults to viewer (pass ``role="analyst"`` and so on)."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Sequence(lambda n: f"Test{n}")
    last_name = "Person"
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.nhs.uk")
    role = "viewer"
    is_active = True
    password = factory.django.Password(PASSWORD)
