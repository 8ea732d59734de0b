"""Who may do what: one permission list and one check used by every view and API endpoint.

Roles are data (:mod:`focuson.web.roles`). Views say which permission they need with
:func:`requires` (or :func:`public`); a view that says nothing answers 404
(``core.middleware.DenyByDefaultMiddleware``). Objects a user may not see answer 404 too
(:func:`get_visible_or_404`), so a facilitator cannot learn that another project exists.

Examples
--------
>>> Permission.RECORD_DECISION.value
'record_decision'
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import Http404, HttpRequest, HttpResponse

F = TypeVar("F", bound=Callable[..., Any])


class Permission(enum.StrEnum):
    """Everything a person can be allowed to do in the web app."""

    VIEW_PUBLIC = "view_public"
    #: The programme: pillars, workstreams, the board, every project.
    VIEW_PROGRAMME = "view_programme"
    #: A project's page (facilitators: only projects they are members of).
    VIEW_PROJECT = "view_project"
    VIEW_EVIDENCE = "view_evidence"
    IMPORT_RESULTS = "import_results"
    EDIT_PROGRAMME = "edit_programme"
    CREATE_PROJECT = "create_project"
    EDIT_PROJECT = "edit_project"
    EDIT_PROJECT_STEPS = "edit_project_steps"
    #: Open's workspace: read a project's notes and transcripts, code them, write memos and
    #: compare coders (raw words of residents: not for every reader of the project).
    CODE_SOURCES = "code_sources"
    RECORD_DECISION = "record_decision"
    #: A project's Study: freeze or amend its plan, link the Study results run on it.
    EDIT_STUDY = "edit_study"
    EDIT_MONTHLY_UPDATE = "edit_monthly_update"
    PUBLISH_MONTHLY_UPDATE = "publish_monthly_update"
    DELETE = "delete"
    RESTORE = "restore"
    MANAGE_PEOPLE = "manage_people"
    VIEW_AUDIT = "view_audit"
    USE_API = "use_api"


#: Permissions held inside a project only by its members when the role is a facilitator.
MEMBER_SCOPED = frozenset(
    {Permission.VIEW_PROJECT, Permission.EDIT_PROJECT_STEPS, Permission.CODE_SOURCES}
)


def role_permissions(user: Any) -> frozenset[Permission]:
    """The permissions of ``user``'s role; the public's for anonymous or inactive users."""
    from focuson.web.roles import PUBLIC, ROLES

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return PUBLIC
    role = ROLES.get(getattr(user, "role", ""))
    return role.permissions if role else PUBLIC


def has_permission(user: Any, permission: Permission, obj: Any = None) -> bool:
    """Whether ``user`` may do ``permission`` (to ``obj``, when given).

    An object that belongs to a project (it has ``project`` or is one) is checked against
    membership when the user is a facilitator: their project permissions hold only there.
    """
    if permission not in role_permissions(user):
        return False
    if obj is None or getattr(user, "role", "") != "facilitator":
        return True
    project = obj if hasattr(obj, "is_member") else getattr(obj, "project", None)
    if project is None:
        return permission not in MEMBER_SCOPED
    return bool(project.is_member(user))


def check(request: HttpRequest, permission: Permission, obj: Any = None) -> None:
    """Raise 404 unless ``request.user`` may do ``permission`` (to ``obj``)."""
    if not has_permission(request.user, permission, obj):
        raise Http404


def get_visible_or_404(
    request: HttpRequest, queryset: Any, permission: Permission, **lookup: Any
) -> Any:
    """The object of ``queryset`` matching ``lookup`` if ``request.user`` may see it, else 404."""
    try:
        obj = queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError) as error:
        raise Http404 from error
    check(request, permission, obj)
    return obj


def requires(permission: Permission) -> Callable[[F], F]:
    """Mark a view as needing ``permission``: anyone without it gets the login page or 404.

    Anonymous visitors are sent to sign in (they may have the permission once signed in);
    signed-in people without it get 404, so a page's existence is not given away.
    """

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_permission(request.user, permission):
                if not request.user.is_authenticated:
                    from django.contrib.auth.views import redirect_to_login

                    return redirect_to_login(request.get_full_path())
                raise Http404
            return view(request, *args, **kwargs)

        wrapped.focuson_permission = permission  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def public(view: F) -> F:
    """Mark a view as open to everyone, the anonymous public included."""
    view.focuson_permission = Permission.VIEW_PUBLIC  # type: ignore[attr-defined]
    return view
