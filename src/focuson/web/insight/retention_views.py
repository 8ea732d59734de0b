"""Retention pages: a project's events past their retention date, and purging one for good.

Purging is what the event's consent promised (records kept until a date), so the people who
record events may do it: ``EDIT_PROJECT_STEPS``, as for erasing a participant on request.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from focuson.web.core.forms import NHSFormMixin
from focuson.web.insight import retention
from focuson.web.insight.models import Event
from focuson.web.permissions import Permission, get_visible_or_404, requires
from focuson.web.programme.models import Project

P = Permission.EDIT_PROJECT_STEPS


class PurgeForm(NHSFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that everything of this event is deleted for good"),
        error_messages={
            "required": gettext_lazy("Tick the box to confirm, or go back to keep the event.")
        },
    )


@requires(P)
def retention_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's events past their retention date (deleted ones too), to purge."""
    project = get_visible_or_404(request, Project.objects, P, pk=pk)
    return render(
        request,
        "insight/retention/events.html",
        {"project": project, "events": retention.overdue(project)},
    )


@requires(P)
def event_purge(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then delete an event past its retention date and everything of it, history too."""
    live = Event.all_objects.select_related("project").filter(project__deleted_at__isnull=True)
    event = get_visible_or_404(request, live, P, pk=pk)
    due = event.retention_date < timezone.localdate()
    form = PurgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and due and form.is_valid():
        project = event.project
        purged = retention.purge_event(user=request.user, event=event)
        messages.success(
            request,
            _(
                "Event purged: %(participants)s participants, %(sources)s sources, "
                "%(codings)s coded passages, %(memos)s memos, %(quotes)s quotes and "
                "%(tallies)s paper tallies deleted, with their history."
            )
            % vars(purged),
        )
        return redirect("insight:retention", pk=project.pk)
    return render(
        request,
        "insight/retention/purge.html",
        {
            "event": event,
            "project": event.project,
            "due": due,
            "form": form,
            "participants": event.participants.count(),
            "sources": event.sources.count(),
        },
    )
