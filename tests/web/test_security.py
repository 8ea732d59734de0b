"""Security settings and behaviour: deployment checks, the secret key, login throttling, the
content security policy, cookies and sessions, the audit trail, soft deletion and restore, and
the API's authentication (tokens, sessions with CSRF)."""

from __future__ import annotations

import importlib
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.web.factories.api_token import ApiTokenFactory, bearer
from tests.web.factories.user import PASSWORD
from tests.web.walk import INLINE, api_schema, endpoints
from tests.web.walk_request import request_as

from focuson.web.accounts.models import ApiToken

WEB = Path(__file__).resolve().parents[2] / "src" / "focuson" / "web"
FOCUSON = Path(sys.executable).with_name("focuson")


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FOCUSON_"))}
    env.pop("DATABASE_URL", None)
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "focuson.web.settings.production",
        "FOCUSON_VAR": str(tmp_path),
        **extra,
    }


# -- deployment -------------------------------------------------------------------------------


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = _production_env(tmp_path, FOCUSON_SECRET_KEY=secrets.token_urlsafe(50))
    # The settings, not the build: `focuson serve` builds the assets folder before it starts.
    (tmp_path / "web" / "assets").mkdir(parents=True)
    checked = subprocess.run(
        [str(FOCUSON), "web", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no issues" in checked.stdout


@pytest.mark.parametrize("key", [None, "", "too-short-to-be-a-secret"])
def test_production_refuses_a_missing_or_short_secret_key(monkeypatch, key):
    if key is None:
        monkeypatch.delenv("FOCUSON_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("FOCUSON_SECRET_KEY", key)
    monkeypatch.delitem(sys.modules, "focuson.web.settings.production", raising=False)
    with pytest.raises(ImproperlyConfigured, match="FOCUSON_SECRET_KEY"):
        importlib.import_module("focuson.web.settings.production")


def test_production_cookies_are_secure_and_https_is_required(monkeypatch):
    monkeypatch.setenv("FOCUSON_SECRET_KEY", secrets.token_urlsafe(50))
    monkeypatch.delitem(sys.modules, "focuson.web.settings.production", raising=False)
    production = importlib.import_module("focuson.web.settings.production")
    assert production.DEBUG is False
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SECURE_SSL_REDIRECT and production.SECURE_HSTS_SECONDS >= 31_536_000


# -- signing in -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_five_failures_lock_the_account_even_with_the_right_password(client, role_user):
    user = role_user("viewer", username="ann")
    login = reverse("accounts:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login, {"username": "ann", "password": "not the password"})
        assert response.status_code == 200
        assert "The username or password is not right" in response.content.decode()
    # The fifth failure pauses sign-in, and the right password does not get past it.
    response = client.post(login, {"username": "ann", "password": "not the password"})
    assert response.status_code == 429
    response = client.post(login, {"username": "ann", "password": PASSWORD})
    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Someone else signing in from the same address is not locked out.
    other = role_user("viewer", username="bob")
    response = client.post(login, {"username": other.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)
    assert user.pk != other.pk


@pytest.mark.django_db
def test_login_sets_a_session_cookie_that_scripts_cannot_read_and_that_expires(client, role_user):
    role_user("viewer", username="ann")
    response = client.post(reverse("accounts:login"), {"username": "ann", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    # Gone when the browser closes, and never longer than a working day.
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() <= 8 * 60 * 60


# -- the content security policy ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/roles/", "/accounts/login/"])
def test_pages_send_a_policy_that_allows_nothing_from_elsewhere(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


def _templates() -> list[Path]:
    return sorted(WEB.glob("**/templates/**/*.html"))


def test_templates_have_no_inline_script_or_style():
    assert len(_templates()) > 3
    found = [
        f"{path.relative_to(WEB)}:{text[: match.start()].count(chr(10)) + 1}: {what}"
        for path in _templates()
        for text in [path.read_text()]
        for what, pattern in INLINE.items()
        for match in pattern.finditer(text)
    ]
    assert found == []


# -- the audit trail ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_audit_records_who_made_and_revoked_a_token_through_the_pages(client_as):
    client = client_as("analyst")
    response = client.post(reverse("accounts:me"), {"name": "the nightly import"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=client.user)
    made = token.history.get()
    assert (made.history_type, made.history_user) == ("+", client.user)

    response = client.post(reverse("accounts:revoke_token", kwargs={"pk": token.pk}))
    assert response.status_code == 302
    revoked = token.history.order_by("history_date").last()
    assert (revoked.history_type, revoked.history_user) == ("~", client.user)
    assert revoked.revoked_at is not None


@pytest.mark.django_db
def test_audit_bad_input_saves_nothing(client_as):
    client = client_as("viewer")
    response = client.post(reverse("accounts:me"), {"name": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "nhsuk-error-summary" in page and "Enter what the token is for" in page
    assert not ApiToken.objects.exists() and not ApiToken.history.exists()


def _history_by(user: object, since: object) -> int:
    """Audit entries recorded for ``user`` since ``since``, over every audited model."""
    return sum(
        model.objects.filter(history_user=user, history_date__gte=since).count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical") and hasattr(model, "history_user")
    )


@pytest.mark.django_db
def test_audit_records_the_token_owner_for_api_writes(client):
    # Scripts write as the token's owner: the audit trail names them, not "nobody".
    writes = [t for t in endpoints() if t.method != "GET"]
    assert writes, "the API has no write operation to check"
    done = []
    for target in writes:
        since = timezone.now()
        response, world, url = request_as(client, target, "administrator", member=False)
        if 200 <= response.status_code < 300:
            assert _history_by(world.user, since) > 0, f"{target.method} {url} left no audit entry"
            done.append(url)
    assert done, "no API write succeeded as an administrator"


# -- soft deletion and restore ------------------------------------------------------------------


@pytest.mark.django_db
def test_soft_deleted_record_is_hidden_and_an_administrator_restores_it(client_as, role_user):
    from focuson.web.programme.models import Pillar

    lead = role_user("programme_lead")
    pillar = Pillar.objects.create(name="Healthy start")
    pillar.soft_delete(user=lead)
    assert not Pillar.objects.filter(pk=pillar.pk).exists()
    assert Pillar.all_objects.get(pk=pillar.pk).deleted_by == lead

    admin_client = client_as("administrator")
    changelist = reverse("admin:programme_pillar_changelist")
    assert "Healthy start" in admin_client.get(changelist, {"deleted_at__isempty": "0"}).text
    response = admin_client.post(
        changelist, {"action": "restore_selected", "_selected_action": [pillar.pk]}
    )
    assert response.status_code == 302
    restored = Pillar.objects.get(pk=pillar.pk)
    assert restored.deleted_at is None and restored.deleted_by is None
    # Who restored it is in the audit trail.
    last = restored.history.order_by("history_date").last()
    assert last.history_user == admin_client.user


@pytest.mark.django_db
def test_admin_deletes_softly_and_never_removes_a_record(client_as):
    from focuson.web.programme.models import Pillar

    pillar = Pillar.objects.create(name="Healthy start")
    admin_client = client_as("administrator")
    changelist = reverse("admin:programme_pillar_changelist")
    page = admin_client.get(changelist).text
    assert "soft_delete_selected" in page and 'value="delete_selected"' not in page
    change = admin_client.get(reverse("admin:programme_pillar_change", args=[pillar.pk])).text
    assert reverse("admin:programme_pillar_delete", args=[pillar.pk]) not in change

    response = admin_client.post(
        changelist, {"action": "soft_delete_selected", "_selected_action": [pillar.pk]}
    )
    assert response.status_code == 302
    deleted = Pillar.all_objects.get(pk=pillar.pk)
    assert deleted.is_deleted and deleted.deleted_by == admin_client.user
    assert deleted.history.order_by("history_date").last().history_user == admin_client.user
    # Django's own delete is refused, so the row stays.
    response = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [pillar.pk], "post": "yes"}
    )
    assert Pillar.all_objects.filter(pk=pillar.pk).exists()


# -- the API ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_token_valid_revoked_wrong_and_of_an_inactive_person(client):
    me = "/api/accounts/me"
    token = ApiTokenFactory(user__role="analyst")
    assert client.get(me, headers=bearer(token)).json()["role"] == "analyst"
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None

    assert client.get(me, headers={"authorization": "Bearer fo_not-a-token"}).status_code == 401
    assert client.get(me, headers={"authorization": f"Token {token.plain}"}).status_code == 401
    assert client.get(me).status_code == 401

    token.user.is_active = False
    token.user.save()
    assert client.get(me, headers=bearer(token)).status_code == 401
    token.user.is_active = True
    token.user.save()
    token.revoked_at = timezone.now()
    token.save()
    assert client.get(me, headers=bearer(token)).status_code == 401


def _write_operations() -> list[tuple[str, str]]:
    return [
        (method.upper(), re.sub(r"\{\w+\}", "1", path))
        for path, methods in api_schema()["paths"].items()
        for method in methods
        if method in ("post", "put", "patch", "delete")
    ]


@pytest.mark.django_db
def test_api_session_writes_need_the_csrf_token(role_user):
    operations = _write_operations()
    assert operations, "the API has no write operation to check"
    client = Client(enforce_csrf_checks=True)
    client.force_login(role_user("administrator"))
    for method, url in operations:
        response = client.generic(method, url, "{}", content_type="application/json")
        assert response.status_code == 403, f"{method} {url} without a CSRF token"
        assert "CSRF" in response.json()["detail"]
    # With the token the request gets past authentication (to the operation's own checks).
    client.get(reverse("accounts:me"))
    csrf = client.cookies[settings.CSRF_COOKIE_NAME].value
    for method, url in operations:
        response = client.generic(
            method, url, "{}", content_type="application/json", headers={"x-csrftoken": csrf}
        )
        assert response.status_code != 403, f"{method} {url} with a CSRF token"


@pytest.mark.django_db
def test_api_token_writes_need_no_csrf_token(role_user):
    # Scripts send a bearer token, which a browser never sends by itself: no CSRF to forge.
    operations = _write_operations()
    client = Client(enforce_csrf_checks=True)
    token = ApiTokenFactory(user=role_user("administrator"))
    for method, url in operations:
        response = client.generic(
            method, url, "{}", content_type="application/json", headers=bearer(token)
        )
        assert response.status_code not in (401, 403), f"{method} {url} with a token"
