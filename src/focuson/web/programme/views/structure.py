"""The programme's pillars and workstreams: the list, and forms to add and change them."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from focuson.web.permissions import Permission, requires
from focuson.web.programme.forms import PillarForm, WorkstreamForm
from focuson.web.programme.models import Pillar, Workstream
from focuson.web.programme.views.common import allowed


@requires(Permission.VIEW_PROGRAMME)
def pillars(request: HttpRequest) -> HttpResponse:
    """The pillars, each with its workstreams and how many live projects they hold."""
    workstreams = (
        Workstream.objects.select_related("lead")
        .annotate(n_projects=Count("projects", filter=Q(projects__deleted_at__isnull=True)))
        .order_by("name")
    )
    rows = Pillar.objects.prefetch_related(Prefetch("workstreams", queryset=workstreams))
    can = allowed(request, edit=Permission.EDIT_PROGRAMME)
    return render(request, "programme/pillars.html", {"pillars": rows, "can": can})


def _edit(
    request: HttpRequest, form_class: type, instance: object, template_title: str
) -> HttpResponse:
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("programme:pillars")
    return render(
        request, "programme/structure_form.html", {"form": form, "heading": template_title}
    )


@requires(Permission.EDIT_PROGRAMME)
def pillar_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, PillarForm, None, _("Add a pillar"))


@requires(Permission.EDIT_PROGRAMME)
def pillar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(
        request, PillarForm, get_object_or_404(Pillar.objects, pk=pk), _("Change a pillar")
    )


@requires(Permission.EDIT_PROGRAMME)
def workstream_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, WorkstreamForm, None, _("Add a workstream"))


@requires(Permission.EDIT_PROGRAMME)
def workstream_edit(request: HttpRequest, pk: int) -> HttpResponse:
    instance = get_object_or_404(Workstream.objects, pk=pk)
    return _edit(request, WorkstreamForm, instance, _("Change a workstream"))
