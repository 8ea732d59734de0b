"""Fixtures for the web app's tests: people in every role, signed-in clients, API tokens.

Accounts come from the factories (``tests/web/factories/``, one module per model). Sign in
with ``client.force_login`` (what :func:`client_as` does): ``client.login`` goes through
django-axes, which needs a request.

Examples
--------
A test that needs an analyst's view of a page::

    def test_runs_page_lists_runs(client_as):
        response = client_as("analyst").get("/evidence/runs/")
        assert response.status_code == 200
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from tests.web.factories.api_token import ApiTokenFactory
from tests.web.factories.user import UserFactory

from focuson.web.accounts.models import ApiToken, User
from focuson.web.roles import ROLES

#: Every role a user can hold (``roles.ROLES``), in its order.
ROLE_KEYS = tuple(ROLES)


@pytest.fixture
def user_factory() -> type[UserFactory]:
    """The user factory: ``user_factory(role="analyst", username="ann")``."""
    return UserFactory


@pytest.fixture
def role_user(db: None) -> Callable[..., User]:
    """Make a new active user with the given role: ``role_user("facilitator")``."""

    def make(role: str, **fields: object) -> User:
        if role not in ROLES:
            raise ValueError(f"no role {role!r}; the roles are {', '.join(ROLE_KEYS)}")
        return UserFactory(role=role, **fields)

    return make


@pytest.fixture
def administrator(role_user: Callable[..., User]) -> User:
    return role_user("administrator", username="administrator")


@pytest.fixture
def programme_lead(role_user: Callable[..., User]) -> User:
    return role_user("programme_lead", username="programme_lead")


@pytest.fixture
def analyst(role_user: Callable[..., User]) -> User:
    return role_user("analyst", username="analyst")


@pytest.fixture
def facilitator(role_user: Callable[..., User]) -> User:
    return role_user("facilitator", username="facilitator")


@pytest.fixture
def viewer(role_user: Callable[..., User]) -> User:
    return role_user("viewer", username="viewer")


@pytest.fixture
def client_as(role_user: Callable[..., User]) -> Callable[[str | User], Client]:
    """A test client signed in as a new user of a role, or as a given user.

    ``client_as("viewer")`` makes the user; ``client_as(user)`` signs that user in. The client
    remembers who it is as ``client.user``.
    """

    def make(who: str | User) -> Client:
        user = role_user(who) if isinstance(who, str) else who
        client = Client()
        client.force_login(user)
        client.user = user  # type: ignore[attr-defined]
        return client

    return make


@pytest.fixture
def api_token(role_user: Callable[..., User]) -> Callable[[str | User], ApiToken]:
    """A live API token of a new user of a role (or of a given user).

    The plain token is on ``token.plain``; send it as ``headers=bearer(token)``
    (``tests.web.factories.api_token.bearer``).
    """

    def make(who: str | User = "viewer") -> ApiToken:
        user = role_user(who) if isinstance(who, str) else who
        return ApiTokenFactory(user=user)

    return make
