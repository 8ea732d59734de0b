"""Requests as the walk makes them: a target's objects built as ``who`` meets them, then the
page or API operation requested (pages signed in by session, the API by bearer token).

How the objects and bodies are found: ``tests/web/walk.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from tests.web.factories.user import UserFactory
from tests.web.walk import Target, World, api_schema, bodies, builders

from focuson.web.accounts.models import ApiToken


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            options = [s for s in schema[combined] if s.get("type") != "null"]
            return _resolve(options[0], components)
    return schema


def make_value(
    name: str, schema: dict[str, Any], components: dict[str, Any], value_of: Callable[[str], Any]
) -> Any:
    """A valid value for property ``name`` of ``schema``, using a builder when there is one."""
    schema = _resolve(schema, components)
    built = value_of(name)
    if built is not None:
        return built
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type", "string")
    if kind == "object":
        return {
            prop: make_value(prop, sub, components, value_of)
            for prop, sub in schema.get("properties", {}).items()
            if prop in schema.get("required", [])
        }
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return float(max(1, schema.get("minimum", 1)))
    if kind == "boolean":
        return False
    fmt = schema.get("format", "")
    if fmt == "date":
        return "2026-01-01"
    if fmt == "date-time":
        return "2026-01-01T09:00:00Z"
    if fmt == "binary":
        from django.core.files.uploadedfile import SimpleUploadedFile

        return SimpleUploadedFile("walk.txt", b"walk")
    return "walk"[: schema.get("maxLength", 4)] or "w"


def instance_value(value: Any) -> Any:
    """A builder's result as a URL value: a model instance gives its primary key."""
    return value.pk if isinstance(value, Model) else value


def argument_value(target: Target, world: World, kwarg: str) -> Any:
    for key in target.keys(kwarg):
        if key in builders():
            return instance_value(builders()[key](world))
    pytest.fail(
        f"{target.test_id}: no builder for the URL argument {kwarg!r}. Add one of "
        f"{', '.join(map(repr, target.keys(kwarg)))} to WALK_OBJECTS in "
        f"tests/web/{target.app or '<app>'}/walk.py (see tests/web/walk.py)."
    )


def request_body(target: Target, world: World) -> tuple[Any, str | None]:
    """The request's body (and its content type) for an API write."""
    key = f"api:{target.name}"
    if key in bodies():
        given = bodies()[key](world)
        return (given if isinstance(given, str | bytes) else json.dumps(given)), "application/json"
    schema = api_schema()
    spec = schema["paths"][target.path][target.method.lower()]
    content = spec.get("requestBody", {}).get("content", {})
    if not content:
        return None, None
    components = schema.get("components", {}).get("schemas", {})

    def value_of(name: str) -> Any:
        found = next((k for k in target.keys(name) if k in builders()), None)
        return instance_value(builders()[found](world)) if found else None

    if "multipart/form-data" in content:
        form = content["multipart/form-data"]["schema"]
        return make_value("", form, components, value_of), None
    body = content["application/json"]["schema"]
    return json.dumps(make_value("", body, components, value_of)), "application/json"


def query_values(target: Target, world: World) -> dict[str, Any]:
    """Values for the operation's required query parameters."""
    spec = api_schema()["paths"][target.path][target.method.lower()]
    components = api_schema().get("components", {}).get("schemas", {})
    return {
        p["name"]: make_value(p["name"], p.get("schema", {}), components, lambda _name: None)
        for p in spec.get("parameters", [])
        if p.get("in") == "query" and p.get("required")
    }


def request_as(client: Client, target: Target, who: str, *, member: bool) -> tuple[Any, World, str]:
    """Make the target's objects as ``who`` would meet them, and request it."""
    assert target.permission is not None and not target.problem, (
        f"{target.test_id}: the walk cannot use it: {target.problem or 'no permission'}"
    )
    user = None if who == "anonymous" else UserFactory(role=who)
    world = World(role=who, user=user, member=user if member and who == "facilitator" else None)
    values = {kwarg: argument_value(target, world, kwarg) for kwarg in target.kwargs}
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
        return client.get(url, query_values(target, world), headers=headers), world, url
    data, content_type = request_body(target, world)
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
