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

import json
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from tests.web.factories.user import UserFactory
from tests.web.walk import (
    INLINE,
    WHO,
    Target,
    World,
    api_schema,
    api_url_patterns,
    bodies,
    builders,
    endpoints,
    instance_value,
    login_url,
    make_value,
    pages,
)

from focuson.web.accounts.models import ApiToken
from focuson.web.permissions import Permission

TARGETS = pages() + endpoints()
BUILDERS = builders()
BODIES = bodies()
#: Status codes that mean "refused" or "broken", never "allowed".
REFUSALS = {401, 403, 404}


def _value(target: Target, world: World, kwarg: str) -> Any:
    for key in target.keys(kwarg):
        if key in BUILDERS:
            return instance_value(BUILDERS[key](world))
    pytest.fail(
        f"{target.test_id}: no builder for the URL argument {kwarg!r}. Add one of "
        f"{', '.join(map(repr, target.keys(kwarg)))} to WALK_OBJECTS in "
        f"tests/web/{target.app or '<app>'}/walk.py (see tests/web/walk.py)."
    )


def _body(target: Target, world: World) -> tuple[Any, str | None]:
    """The request's body (and its content type) for an API write."""
    key = f"api:{target.name}"
    if key in BODIES:
        given = BODIES[key](world)
        return (given if isinstance(given, str | bytes) else json.dumps(given)), "application/json"
    schema = api_schema()
    spec = schema["paths"][target.path][target.method.lower()]
    content = spec.get("requestBody", {}).get("content", {})
    if not content:
        return None, None
    components = schema.get("components", {}).get("schemas", {})

    def value_of(name: str) -> Any:
        found = next((k for k in target.keys(name) if k in BUILDERS), None)
        return instance_value(BUILDERS[found](world)) if found else None

    if "multipart/form-data" in content:
        form = content["multipart/form-data"]["schema"]
        return make_value("", form, components, value_of), None
    body = content["application/json"]["schema"]
    return json.dumps(make_value("", body, components, value_of)), "application/json"


def _query(target: Target, world: World) -> dict[str, Any]:
    """Values for the operation's required query parameters."""
    spec = api_schema()["paths"][target.path][target.method.lower()]
    components = api_schema().get("components", {}).get("schemas", {})
    return {
        p["name"]: make_value(p["name"], p.get("schema", {}), components, lambda _name: None)
        for p in spec.get("parameters", [])
        if p.get("in") == "query" and p.get("required")
    }


def _request(client: Client, target: Target, who: str, *, member: bool) -> tuple[Any, World, str]:
    """Make the target's objects as ``who`` would meet them, and request it."""
    assert target.permission is not None and not target.problem, (
        f"{target.test_id}: the walk cannot use it: {target.problem or 'no permission'}"
    )
    user = None if who == "anonymous" else UserFactory(role=who)
    world = World(role=who, user=user, member=user if member and who == "facilitator" else None)
    values = {kwarg: _value(target, world, kwarg) for kwarg in target.kwargs}
    for project in world.projects:
        # The builders' contract (tests/web/walk.py): members are made members, outsiders not.
        assert bool(world.member) == bool(user and project.is_member(user)), (
            f"{target.test_id}: a builder's project does not have world.member as its member"
        )
    url = target.url(values)
    if target.kind == "page":
        if user is not None:
            client.force_login(user)
        if target.method == "GET":
            return client.get(url), world, url
        return client.post(url, {}), world, url
    headers = {}
    if user is not None:
        _token, plain = ApiToken.issue(user=user, name="the permission walk")
        headers["authorization"] = f"Bearer {plain}"
    if target.method == "GET":
        return client.get(url, _query(target, world), headers=headers), world, url
    data, content_type = _body(target, world)
    extra = {"content_type": content_type} if content_type else {}
    response = (
        client.generic(target.method, url, **extra, headers=headers)
        if data is None
        else (
            client.post(url, data, headers=headers, **extra)
            if target.method == "POST"
            else client.generic(target.method, url, data, headers=headers, **extra)
        )
    )
    return response, world, url


def _assert_nothing_inline(response: Any, said: str) -> None:
    """Every page sends the policy, and holds nothing the policy would block."""
    assert "default-src 'self'" in response["Content-Security-Policy"], said
    page = response.content.decode()
    blocked = [what for what, pattern in INLINE.items() if pattern.search(page)]
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
    response, _world, url = _request(client, target, who, member=True)
    _assert_outcome(response, target, who, url, allowed=_may(target, who))


@pytest.mark.django_db
@pytest.mark.parametrize("target", [t for t in TARGETS if t.kwargs], ids=lambda t: t.test_id)
def test_walk_facilitator_outside_the_project_is_not_found(client, target):
    response, world, url = _request(client, target, "facilitator", member=False)
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
        for kwarg in t.missing_builders(BUILDERS)
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
