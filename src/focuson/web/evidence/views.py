from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from focuson.web.permissions import Permission, requires


@requires(Permission.VIEW_EVIDENCE)
def findings(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@requires(Permission.VIEW_EVIDENCE)
def runs(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")
