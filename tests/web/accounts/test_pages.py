"""A person's own pages: signing in and out, their role, their API tokens."""

import pytest
from django.urls import reverse
from tests.web.factories.api_token import ApiTokenFactory
from tests.web.factories.user import PASSWORD

from focuson.web.accounts.models import ApiToken


@pytest.mark.django_db
def test_login_takes_you_where_you_were_going(client, role_user):
    role_user("analyst", username="ann")
    response = client.post(
        reverse("accounts:login") + "?next=/accounts/me/",
        {"username": "ann", "password": PASSWORD, "next": "/accounts/me/"},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/me/"


@pytest.mark.django_db
def test_login_page_sends_a_signed_in_person_on(client_as):
    response = client_as("viewer").get(reverse("accounts:login"))
    assert response.status_code == 302 and response["Location"] == reverse("core:home")


@pytest.mark.django_db
def test_logout_signs_you_out(client_as):
    client = client_as("viewer")
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_me_shows_your_role_in_plain_english(client_as):
    page = client_as("facilitator").get(reverse("accounts:me")).content.decode()
    assert "Your role is <strong>Facilitator</strong>" in page
    assert "only the projects they are members of" in page


@pytest.mark.django_db
def test_me_makes_a_token_shown_once(client_as):
    client = client_as("analyst")
    page = client.post(reverse("accounts:me"), {"name": "nightly import"}).content.decode()
    plain = page.split("<code>")[1].split("</code>")[0]
    assert ApiToken.find(plain).user == client.user
    # Shown once: the next visit lists the token by its name, never its text again.
    again = client.get(reverse("accounts:me")).content.decode()
    assert "nightly import" in again and plain not in again


@pytest.mark.django_db
def test_revoke_stops_your_token_and_lists_it_no_more(client_as):
    client = client_as("analyst")
    token = ApiTokenFactory(user=client.user, name="old script")
    response = client.post(reverse("accounts:revoke_token", kwargs={"pk": token.pk}), follow=True)
    assert "Token revoked" in response.content.decode()
    assert "old script" not in response.content.decode()
    assert ApiToken.find(token.plain) is None


@pytest.mark.django_db
def test_revoke_someone_elses_token_is_not_found_and_changes_nothing(client_as):
    token = ApiTokenFactory(user__role="analyst")
    response = client_as("administrator").post(
        reverse("accounts:revoke_token", kwargs={"pk": token.pk})
    )
    assert response.status_code == 404
    assert ApiToken.find(token.plain) == token


@pytest.mark.django_db
def test_api_me_lists_your_role_and_permissions(client_as):
    body = client_as("analyst").get("/api/accounts/me").json()
    assert body["role"] == "analyst"
    assert "import_results" in body["permissions"] and "delete" not in body["permissions"]
