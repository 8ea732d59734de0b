"""Every page and API operation, as the anonymous public and as every role: allowed or refused
exactly as the permission list says.

Pages: anonymous visitors without the permission are sent to sign in; signed-in people without it
get 404 (a page's existence is not given away). The API: no credentials give 401; a role without
the permission gets 404, like the pages. A facilitator is walked twice: as a member of the
projects the URL's objects belong to, and as an outsider, who gets 404 on all of them. How the
walk finds URLs, their permissions and the objects their arguments point at:
``tests/web/walk.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.urls import reverse
from tests.web.factories.user import UserFactory
from tests.web.walk import (
    INLINE,
    WHO,
    Target,
    api_schema,
    api_url_patterns,
    builders,
    endpoints,
    login_url,
    pages,
)
from tests.web.walk_request import request_as

from focuson.web.permissions import Permission

TARGETS = pages() + endpoints()
#: Status codes that mean "refused" or "broken", never "allowed".
REFUSALS = {401, 403, 404}


#: What a response's own policy may allow: the Study card (a self-contained report with its own
#: styles, no scripts) is served with inline styles allowed for that response only.
STYLES = {"a <style> element", "a style= attribute"}


def _styles_allowed(policy: str) -> bool:
    for part in policy.split(";"):
        name, _, values = part.strip().partition(" ")
        if name == "style-src":
            return "'unsafe-inline'" in values.split()
    return False


def _assert_nothing_inline(response: Any, said: str) -> None:
    """Every page sends the policy, and holds nothing the policy would block."""
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy, said
    page = response.content.decode()
    allowed = STYLES if _styles_allowed(policy) else set()
    blocked = [w for w, pattern in INLINE.items() if w not in allowed and pattern.search(page)]
    assert blocked == [], f"{said} with {', '.join(blocked)}, which the policy blocks"


def _assert_outcome(response: Any, target: Target, who: str, url: str, *, allowed: bool) -> None:
    status = response.status_code
    said = f"{target.method} {url} as {who} (needs {target.permission}) answered {status}"
    if target.kind == "page":
        to_login = status == 302 and response["Location"].startswith(login_url())
        if allowed:
            assert status < 500 and status not in REFUSALS and not to_login, said
            if status == 200 and response["Content-Type"].startswith("text/html"):
                _assert_nothing_inline(response, said)
        elif who == "anonymous":
            assert to_login, f"{said}, not a redirect to sign in"
        else:
            assert status == 404, f"{said}, not 404"
        return
    if allowed:
        assert status < 500 and status not in REFUSALS, said
    elif who == "anonymous":
        assert status == 401, f"{said}, not 401"
    else:
        assert status == 404, f"{said}, not 404"


def _may(target: Target, who: str) -> bool:
    if target.kind == "api" and who == "anonymous":
        # The API asks everyone for credentials except an operation open to all.
        return target.public_without_auth and target.permission == Permission.VIEW_PUBLIC
    return target.may(who)


@pytest.mark.django_db
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.test_id)
def test_walk_allows_or_refuses_as_the_permission_list_says(client, target, who):
    response, _world, url = request_as(client, target, who, member=True)
    _assert_outcome(response, target, who, url, allowed=_may(target, who))


@pytest.mark.django_db
@pytest.mark.parametrize("target", [t for t in TARGETS if t.kwargs], ids=lambda t: t.test_id)
def test_walk_facilitator_outside_the_project_is_not_found(client, target):
    response, world, url = request_as(client, target, "facilitator", member=False)
    if world.projects:
        assert response.status_code == 404, (
            f"{target.method} {url} answered {response.status_code} to a facilitator who is "
            "not a member of its project, not 404"
        )
    else:
        _assert_outcome(response, target, "facilitator", url, allowed=_may(target, "facilitator"))


def test_walk_every_url_argument_has_a_builder():
    missing = {
        f"{t.test_id} {kwarg}": " or ".join(t.keys(kwarg))
        for t in TARGETS
        for kwarg in t.missing_builders(builders())
    }
    assert missing == {}, "add these to WALK_OBJECTS in tests/web/<app>/walk.py"


def test_walk_every_page_and_operation_says_who_may_use_it():
    unknown = {t.test_id: t.problem for t in TARGETS if t.permission is None or t.problem}
    assert unknown == {}


def test_walk_every_api_url_is_in_the_openapi_description():
    described = set(api_schema()["paths"])
    assert [path for path in api_url_patterns() if path not in described] == []


def test_walk_covers_the_foundation():
    names = {t.name for t in TARGETS}
    assert {"core:home", "accounts:me", "accounts:revoke_token", "core:set_language"} <= names
    assert "focuson_web_accounts_api_me" in names
    # The admin and the API's own URLs are walked apart.
    assert not any(name.startswith(("admin:", "api:")) for name in names)


ADMIN_URLS = ["admin:index"] + [
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
    for model in admin.site._registry
]


@pytest.mark.django_db
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", ADMIN_URLS)
def test_walk_admin_site_is_for_administrators_only(client, name, who):
    if who != "anonymous":
        client.force_login(UserFactory(role=who))
    response = client.get(reverse(name))
    if who == "administrator":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_walk_api_description_is_public_and_the_api_root_is_not_found(client):
    # The OpenAPI description names operations, never data; the root only anchors reverse().
    assert client.get(reverse("api:openapi-json")).status_code == 200
    assert client.get(reverse("api:api-root")).status_code == 404
