"""API tokens: ``ApiTokenFactory()`` makes a live token; its plain text is on ``.plain``."""

from __future__ import annotations

from typing import Any

import factory
from tests.web.factories.user import UserFactory

from focuson.web.accounts.models import ApiToken


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A live token of a new user (``user=`` to choose whose).

    The model stores only a digest, so the factory goes through ``ApiToken.issue`` and keeps
    the plain token on the instance as ``plain`` for the test to send.
    """

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"script {n}")

    @classmethod
    def _create(cls, model_class: type[ApiToken], *args: Any, **kwargs: Any) -> ApiToken:
        token, plain = model_class.issue(user=kwargs["user"], name=kwargs["name"])
        token.plain = plain  # type: ignore[attr-defined]
        return token


def bearer(token: ApiToken) -> dict[str, str]:
    """The header a script sends with ``token``: ``client.get(url, headers=bearer(token))``."""
    return {"authorization": f"Bearer {token.plain}"}  # type: ignore[attr-defined]
