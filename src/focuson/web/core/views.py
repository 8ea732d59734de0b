"""The home page, the language switcher, the roles page and a health check."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from focuson.web.permissions import public
from focuson.web.roles import ROLES


@public
def home(request: HttpRequest) -> HttpResponse:
    """The front door: what focuson is, the six steps, and where each person goes next."""
    return render(request, "core/home.html")


@public
def roles(request: HttpRequest) -> HttpResponse:
    """Who may do what, in plain English (the roles as data)."""
    return render(request, "core/roles.html", {"roles": ROLES.values()})


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switcher (a form post, so it works without JavaScript)."""
    return django_set_language(request)


@public
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and the serve command: the app answers and its database is there."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
