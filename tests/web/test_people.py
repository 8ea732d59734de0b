"""The people fixtures and factories: accounts of every role, signed-in clients, API tokens."""

import pytest
from tests.web.factories.api_token import bearer

from focuson.web.accounts.models import ApiToken
from focuson.web.permissions import Permission, has_permission
from focuson.web.roles import ROLES


@pytest.mark.django_db
@pytest.mark.parametrize("role", tuple(ROLES))
def test_client_as_signs_in_a_user_of_the_role(client_as, role):
    client = client_as(role)
    response = client.get("/api/accounts/me")
    assert response.status_code == 200
    assert response.json()["role"] == role
    assert client.user.role == role


@pytest.mark.django_db
def test_role_fixtures_hold_their_roles(
    administrator, programme_lead, analyst, facilitator, viewer
):
    people = [administrator, programme_lead, analyst, facilitator, viewer]
    assert [p.role for p in people] == list(ROLES)
    # Only administrators reach Django's admin site.
    assert [p.is_staff for p in people] == [True, False, False, False, False]
    assert has_permission(administrator, Permission.RESTORE)
    assert not has_permission(viewer, Permission.RESTORE)


@pytest.mark.django_db
def test_role_user_refuses_an_unknown_role(role_user):
    with pytest.raises(ValueError, match="no role 'superuser'"):
        role_user("superuser")


@pytest.mark.django_db
def test_api_token_fixture_gives_a_working_token(api_token, client):
    token = api_token("analyst")
    assert ApiToken.find(token.plain) == token
    response = client.get("/api/accounts/me", headers=bearer(token))
    assert response.status_code == 200
    assert response.json()["username"] == token.user.username
