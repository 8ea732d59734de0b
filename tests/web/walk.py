"""The permission walk's machinery: every page and API operation, who may use it, and the objects
its URL needs.

The walk (``tests/web/test_permission_walk.py``) finds every URL pattern of the app
(``django.urls.get_resolver()``, recursively; Django's admin and the API namespaces apart) and
every operation of the API (its OpenAPI description), and requests each as the anonymous public
and as every role. Who may is read from the code itself: a page's ``focuson_permission`` (set by
``permissions.requires``/``permissions.public``), an API operation's first ``Permission.X`` (every
endpoint calls ``permissions.check`` or ``get_visible_or_404`` first; or the function carries
``focuson_permission``), and ``roles.py``.

Objects for URL arguments
-------------------------
A URL such as ``projects/<int:pk>/`` needs an object to point at. Each app's tests say how to make
one in ``tests/web/<app>/walk.py``, in a dict ``WALK_OBJECTS`` mapping a key to a builder: a
function taking the :class:`World` and returning the value for the URL (a model instance, whose
``pk`` is used, or the value itself). For argument ``kwarg`` of the URL named ``ns:name`` (for the
API: the operation id and the path's first folder after ``/api/``, e.g. ``programme``), the walk
looks up, most specific first::

    "ns:name:kwarg"   e.g. "accounts:revoke_token:pk"   (one URL)
    "ns:kwarg"        e.g. "programme:project_id"        (every URL of the app)
    "kwarg"           e.g. "project_id"                  (everywhere)

A URL whose argument has no builder fails the walk, so no new URL escapes it. An API operation
whose request body the walk cannot make up from its schema can be given one in ``WALK_BODIES``
(``"api:<operationId>" -> builder returning the body``).

Builders share objects through :meth:`World.once` (a step's builder and its project's builder must
point at the same project). A builder that makes a project (or anything of one) registers it with
:meth:`World.project` and makes ``world.member`` a member of it when ``world.member`` is not None:
the walk asserts both. With that, the walk checks the facilitator twice: as a member of the
project (the role's permissions apply) and as an outsider (every project-scoped URL answers 404).

Examples
--------
``tests/web/programme/walk.py``::

    def _project(world):
        def make():
            project = ProjectFactory()
            if world.member is not None:
                ProjectMembershipFactory(project=project, user=world.member)
            return world.project(project)

        return world.once("project", make)

    WALK_OBJECTS = {"programme:pk": _project, "project_id": _project}
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from focuson.web.core.middleware import SELF_CHECKED
from focuson.web.permissions import Permission
from focuson.web.roles import PUBLIC, ROLES

WEB_TESTS = Path(__file__).resolve().parent
#: The anonymous public, then every role.
WHO = ("anonymous", *ROLES)


@dataclass
class World:
    """What a builder knows: who is asking, and who must be a member of any project it makes."""

    #: The role making the request ("anonymous" for the public).
    role: str
    user: Any
    #: The person to make a member of every project a builder makes (or None: nobody).
    member: Any
    projects: list[Any] = field(default_factory=list)
    _made: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        """``make()`` the first time ``key`` is asked for in this request, the same value after."""
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

    def project(self, project: Any) -> Any:
        """Register ``project`` as one the URL's objects belong to; returns it."""
        self.projects.append(project)
        return project


Builder = Callable[[World], Any]


def _walk_modules() -> Iterator[tuple[str, Any]]:
    for path in sorted(WEB_TESTS.glob("*/walk.py")):
        name = f"tests.web.{path.parent.name}.walk"
        yield name, importlib.import_module(name)


def _collect(attribute: str) -> dict[str, Builder]:
    found: dict[str, Builder] = {}
    where: dict[str, str] = {}
    for name, module in _walk_modules():
        for key, builder in getattr(module, attribute, {}).items():
            if key in found:
                raise ValueError(f"{attribute}[{key!r}] is defined in {where[key]} and {name}")
            found[key], where[key] = builder, name
    return found


@functools.cache
def builders() -> dict[str, Builder]:
    """Every ``WALK_OBJECTS`` entry of ``tests/web/*/walk.py``."""
    return _collect("WALK_OBJECTS")


@functools.cache
def bodies() -> dict[str, Builder]:
    """Every ``WALK_BODIES`` entry of ``tests/web/*/walk.py``."""
    return _collect("WALK_BODIES")


@dataclass(frozen=True)
class Target:
    """A page or an API operation: how to reach it and who may."""

    kind: str  # "page" or "api"
    #: "ns:name" for a page, the operation id for the API.
    name: str
    #: The folder of the app ("accounts", "programme", ...): the middle lookup key.
    app: str
    method: str
    kwargs: tuple[str, ...]
    permission: Permission | None
    #: Why the permission is unknown, when it is.
    problem: str = ""
    #: The API's path template ("/api/programme/projects/{pk}").
    path: str = ""
    public_without_auth: bool = False

    @property
    def test_id(self) -> str:
        return f"{self.kind}:{self.name}:{self.method}"

    def keys(self, kwarg: str) -> tuple[str, ...]:
        """The builder keys tried for ``kwarg``, most specific first."""
        if self.kind == "api":
            return (f"api:{self.name}:{kwarg}", f"{self.app}:{kwarg}", kwarg)
        return (f"{self.name}:{kwarg}", f"{self.app}:{kwarg}", kwarg)

    def missing_builders(self, known: dict[str, Builder]) -> list[str]:
        return [k for k in self.kwargs if not any(key in known for key in self.keys(k))]

    def url(self, values: dict[str, Any]) -> str:
        if self.kind == "page":
            return reverse(self.name, kwargs=values)
        return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), self.path)

    def may(self, role: str) -> bool:
        """Whether ``role`` holds the permission (the anonymous public: public pages only)."""
        held = PUBLIC if role == "anonymous" else ROLES[role].permissions
        return self.permission in held


#: What the content security policy blocks in a page or template: inline scripts and styles,
#: event handlers, htmx's inline code.
INLINE = {
    "an inline <script> (give it a src)": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "a <style> element": re.compile(r"<style\b", re.I),
    "a style= attribute": re.compile(r"\sstyle\s*=", re.I),
    "an on...= event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "an hx-on attribute": re.compile(r"\shx-on", re.I),
}


# -- pages --------------------------------------------------------------------------------------


def _patterns(resolvers: list[Any], namespaces: tuple[str, ...] = ()) -> Iterator[Any]:
    for pattern in resolvers:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield namespaces, pattern


def view_permission(view: Any) -> Permission | None:
    """The permission a view was marked with (``requires``/``public``), on it or its class."""
    found = getattr(view, "focuson_permission", None)
    if found is None:
        found = getattr(getattr(view, "view_class", None), "focuson_permission", None)
    return found


def pages() -> list[Target]:
    """Every URL pattern outside the admin and the API, for GET and for POST."""
    found = []
    for namespaces, pattern in _patterns(get_resolver().url_patterns):
        if SELF_CHECKED.intersection(namespaces):
            continue
        name = ":".join((*namespaces, pattern.name or f"<unnamed {pattern.pattern}>"))
        kwargs = tuple(pattern.pattern.regex.groupindex)
        for method in ("GET", "POST"):
            found.append(
                Target(
                    kind="page",
                    name=name,
                    app=namespaces[0] if namespaces else "",
                    method=method,
                    kwargs=kwargs,
                    permission=view_permission(pattern.callback),
                    problem="" if pattern.name else "the URL pattern has no name",
                )
            )
    return found


def login_url() -> str:
    return str(resolve_url(settings.LOGIN_URL))


# -- the API ------------------------------------------------------------------------------------


@functools.cache
def api_schema() -> dict[str, Any]:
    """The API's OpenAPI description (made once: it takes a while)."""
    from focuson.web.api import api

    prefix = reverse("api:openapi-json").removesuffix("openapi.json")
    return api.get_openapi_schema(path_prefix=prefix)


def _operations() -> dict[str, Any]:
    """Operation id -> ninja Operation (after the schema has bound the routers)."""
    from focuson.web.api import api

    api_schema()
    found = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                found[operation.operation_id or api.get_openapi_operation_id(operation)] = operation
    return found


_FIRST_PERMISSION = re.compile(r"\b(?:check|get_visible_or_404)\(.*?Permission\.([A-Z_]+)", re.S)


def endpoint_permission(function: Any) -> tuple[Permission | None, str]:
    """The permission an endpoint checks first, and what is wrong when none is found."""
    marked = getattr(function, "focuson_permission", None)
    if marked is not None:
        return marked, ""
    source = textwrap.dedent(inspect.getsource(inspect.unwrap(function)))
    body = source[source.index("def ") :]
    match = _FIRST_PERMISSION.search(body)
    if match is None or match.group(1) not in Permission.__members__:
        return None, (
            "the endpoint calls no permissions.check(request, Permission.X) or "
            "get_visible_or_404(request, ..., Permission.X, ...) that the walk can read"
        )
    return Permission[match.group(1)], ""


def endpoints() -> list[Target]:
    """Every operation in the API's OpenAPI description."""
    operations = _operations()
    found = []
    for path, methods in api_schema()["paths"].items():
        app = path.removeprefix(reverse("api:openapi-json").removesuffix("openapi.json"))
        app = app.split("/", 1)[0]
        for method, spec in methods.items():
            operation = operations.get(spec["operationId"])
            if operation is None:
                permission, problem = None, "the walk found no function for this operation"
            else:
                permission, problem = endpoint_permission(operation.view_func)
            path_params = tuple(
                p["name"] for p in spec.get("parameters", []) if p.get("in") == "path"
            )
            found.append(
                Target(
                    kind="api",
                    name=spec["operationId"],
                    app=app,
                    method=method.upper(),
                    kwargs=path_params,
                    permission=permission,
                    problem=problem,
                    path=path,
                    public_without_auth=not spec.get("security"),
                )
            )
    return found


def api_url_patterns() -> list[str]:
    """Every URL pattern in the API namespace, as an OpenAPI path ("/api/x/{pk}")."""
    paths = []
    for namespaces, pattern in _patterns(get_resolver().url_patterns):
        # The description itself, and ninja's root (always 404: it only anchors reverse()).
        if "api" not in namespaces or pattern.name in ("openapi-json", "api-root"):
            continue
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        paths.append(reverse("api:openapi-json").removesuffix("openapi.json") + route)
    return paths
