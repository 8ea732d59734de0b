from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from focuson.web.permissions import Permission, public, requires


@requires(Permission.VIEW_PROGRAMME)
def board(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@public
def updates(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")
