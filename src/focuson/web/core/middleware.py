"""Views deny by default: a view that does not say who may see it answers 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

#: URL namespaces with their own checks: Django's admin (staff only, see accounts.User) and
#: the API (every endpoint calls focuson.web.permissions.check).
SELF_CHECKED = frozenset({"admin", "api"})


class DenyByDefaultMiddleware:
    """Refuse (404) any view not marked with ``permissions.requires`` or ``permissions.public``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if getattr(view, "focuson_permission", None) is not None:
            return None
        match = request.resolver_match
        if match is not None and SELF_CHECKED.intersection(match.namespaces):
            return None
        # Class-based views carry the mark on the class.
        view_class = getattr(view, "view_class", None)
        if view_class is not None and getattr(view_class, "focuson_permission", None):
            return None
        raise Http404
