"""The monthly update: the list, generating a month, editing its narrative, publishing it, and
the published page with its printable version."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from focuson.web.permissions import Permission, has_permission, public, requires
from focuson.web.programme import actions
from focuson.web.programme.forms import GenerateUpdateForm, NarrativeForm
from focuson.web.programme.models import MonthlyUpdate
from focuson.web.programme.views.common import allowed


def _can(request: HttpRequest) -> dict[str, bool]:
    return allowed(
        request,
        programme=Permission.VIEW_PROGRAMME,
        edit=Permission.EDIT_MONTHLY_UPDATE,
        publish=Permission.PUBLISH_MONTHLY_UPDATE,
    )


def _visible_updates(request: HttpRequest) -> QuerySet[MonthlyUpdate]:
    updates = MonthlyUpdate.objects.all()
    if not has_permission(request.user, Permission.EDIT_MONTHLY_UPDATE):
        updates = updates.filter(status=MonthlyUpdate.State.PUBLISHED)
    return updates


def _update_or_404(request: HttpRequest, month: str) -> MonthlyUpdate:
    # Drafts do not exist for the public: 404, like any object a person may not see.
    return get_object_or_404(_visible_updates(request), month=month)


@public
def updates(request: HttpRequest) -> HttpResponse:
    """Published updates for everyone; drafts too, and the generate form, for editors."""
    can = _can(request)
    form = GenerateUpdateForm(initial={"month": timezone.localdate().strftime("%Y-%m")})
    return render(
        request,
        "programme/updates.html",
        {"updates": _visible_updates(request), "can": can, "form": form},
    )


@requires(Permission.EDIT_MONTHLY_UPDATE)
@require_POST
def update_generate(request: HttpRequest) -> HttpResponse:
    """Make or remake a month's draft from what changed in it."""
    form = GenerateUpdateForm(request.POST)
    if form.is_valid():
        try:
            update = actions.generate_monthly_update(
                user=request.user, month=form.cleaned_data["month"]
            )
        except actions.ActionError as error:
            form.add_error("month", str(error))
        else:
            messages.success(
                request, _("Draft made from what changed. Read it, edit the narrative, publish.")
            )
            return redirect(update)
    can = _can(request)
    context = {"updates": _visible_updates(request), "can": can, "form": form}
    return render(request, "programme/updates.html", context)


@public
def update(request: HttpRequest, month: str) -> HttpResponse:
    """One month's update (a draft only for the people who edit updates)."""
    obj = _update_or_404(request, month)
    can = _can(request)
    return render(request, "programme/update.html", {"update": obj, "can": can})


@public
def update_print(request: HttpRequest, month: str) -> HttpResponse:
    """The update laid out for printing (or saving as PDF from the browser's print dialog)."""
    obj = _update_or_404(request, month)
    return render(request, "programme/update_print.html", {"update": obj})


@requires(Permission.EDIT_MONTHLY_UPDATE)
def update_edit(request: HttpRequest, month: str) -> HttpResponse:
    """Write the narrative of a draft update."""
    obj = _update_or_404(request, month)
    if obj.is_published:
        messages.info(request, _("This update is published: its narrative is not changed."))
        return redirect(obj)
    form = NarrativeForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Narrative saved. Publish when it is ready."))
        return redirect(obj)
    return render(request, "programme/update_form.html", {"form": form, "update": obj})


@requires(Permission.PUBLISH_MONTHLY_UPDATE)
@require_POST
def update_publish(request: HttpRequest, month: str) -> HttpResponse:
    """Publish a draft: the public can read it from now on."""
    obj = _update_or_404(request, month)
    try:
        actions.publish_monthly_update(user=request.user, update=obj)
    except actions.ActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Published: the update is now public."))
    return redirect(obj)
