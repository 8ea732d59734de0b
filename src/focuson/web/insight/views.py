"""Open's pages: the project's Open page, events, participants, paper tallies, insights."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from focuson.web.insight import actions, bands, coding_analysis, heard
from focuson.web.insight.forms import EventForm, InsightForm, ParticipantForm, TallyForm
from focuson.web.insight.models import Event, Insight, Participant
from focuson.web.permissions import Permission, get_visible_or_404, has_permission, requires
from focuson.web.programme.models import Project


def _project(request: HttpRequest, pk: int, permission: Permission) -> Project:
    return get_visible_or_404(request, Project.objects, permission, pk=pk)


def _event(request: HttpRequest, pk: int, permission: Permission) -> Event:
    live = Event.objects.select_related("project").filter(project__deleted_at__isnull=True)
    return get_visible_or_404(request, live, permission, pk=pk)


def _posted(request: HttpRequest) -> Any:
    # An empty POST is still a submission: bind it, so its errors are shown.
    return request.POST if request.method == "POST" else None


def _open_url(project_id: int) -> str:
    return reverse("insight:open", args=[project_id])


@requires(Permission.VIEW_PROJECT)
def open_step(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's Open step: events, insights, and who was heard against who is affected."""
    project = _project(request, pk, Permission.VIEW_PROJECT)
    events = Event.objects.filter(project=project).select_related("borough")
    insights = coding_analysis.insights_with_strength(project)
    found = heard.who_was_heard(project)
    context = {
        "project": project,
        "events": events.annotate(people=Count("participants", distinct=True)).prefetch_related(
            "facilitators"
        ),
        "insights": insights,
        "heard": found,
        "heard_table": heard.table(found.result) if found.result is not None else [],
        "not_yet_heard": heard.not_yet_heard(found.result) if found.result is not None else [],
        "can_edit": has_permission(request.user, Permission.EDIT_PROJECT_STEPS, project),
        "can_code": has_permission(request.user, Permission.CODE_SOURCES, project),
        "today": timezone.localdate(),
        "finding_explained": insights.filter(
            finding_id=project.finding_id, relation=Insight.Relation.EXPLAINS
        ).exists(),
    }
    return render(request, "insight/open.html", context)


@requires(Permission.EDIT_PROJECT_STEPS)
def event_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an event of the project."""
    project = _project(request, pk, Permission.EDIT_PROJECT_STEPS)
    form = EventForm(_posted(request), project=project)
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        event.project, event.created_by = project, request.user
        event.save()
        form.save_m2m()
        messages.success(request, _("Event recorded: now add who took part."))
        return redirect(event)
    return render(request, "insight/event_form.html", {"form": form, "project": project})


@requires(Permission.EDIT_PROJECT_STEPS)
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an event's details."""
    event = _event(request, pk, Permission.EDIT_PROJECT_STEPS)
    form = EventForm(_posted(request), instance=event, project=event.project)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Event changed."))
        return redirect(event)
    return render(
        request, "insight/event_form.html", {"form": form, "project": event.project, "event": event}
    )


@requires(Permission.EDIT_PROJECT_STEPS)
def participant_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add one participant of an event (a small form per person)."""
    event = _event(request, pk, Permission.EDIT_PROJECT_STEPS)
    form = ParticipantForm(_posted(request), event=event)
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        person.event = event
        person.save()
        messages.success(
            request, _("Participant %(name)s added: add the next one below.") % {"name": person}
        )
        return redirect("insight:participant_new", pk=event.pk)
    return render(
        request,
        "insight/participant_form.html",
        {"form": form, "project": event.project, "event": event},
    )


@requires(Permission.EDIT_PROJECT_STEPS)
def tally(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter a paper sign-in sheet's tally: how many people in each group of one breakdown."""
    event = _event(request, pk, Permission.EDIT_PROJECT_STEPS)
    form = TallyForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        n = actions.record_tally(
            user=request.user,
            event=event,
            dimension=form.cleaned_data["dimension"],
            counts=form.cleaned_data["counts"],
        )
        messages.success(
            request,
            _("Tally recorded: %(n)s people counted. Enter another breakdown, or go back.")
            % {"n": n},
        )
        return redirect(event)
    groups = [
        (label, form.fields_of(dimension)) for dimension, label in bands.DIMENSION_LABELS.items()
    ]
    return render(
        request,
        "insight/tally_form.html",
        {"form": form, "project": event.project, "event": event, "groups": groups},
    )


@requires(Permission.EDIT_PROJECT_STEPS)
def insight_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an insight of the project, linked to the finding it bears on."""
    project = _project(request, pk, Permission.EDIT_PROJECT_STEPS)
    form = InsightForm(_posted(request), project=project)
    if request.method == "POST" and form.is_valid():
        insight = form.save(commit=False)
        insight.project, insight.created_by = project, request.user
        insight.save()
        messages.success(request, _("Insight recorded."))
        return redirect(_open_url(project.pk) + "#insights")
    return render(request, "insight/insight_form.html", {"form": form, "project": project})


@requires(Permission.EDIT_PROJECT_STEPS)
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then hide the event (its participants and tallies stop counting; restorable)."""
    event = _event(request, pk, Permission.EDIT_PROJECT_STEPS)
    if request.method == "POST":
        event.soft_delete(user=request.user)
        messages.success(
            request, _("Event deleted. An administrator can restore it from the admin pages.")
        )
        return redirect(_open_url(event.project_id))
    return render(request, "insight/event_delete.html", {"event": event, "project": event.project})


@requires(Permission.EDIT_PROJECT_STEPS)
def participant_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then erase one participant for good (on their request), history included."""
    live = Participant.objects.select_related("event__project").filter(
        event__deleted_at__isnull=True, event__project__deleted_at__isnull=True
    )
    person = get_visible_or_404(request, live, Permission.EDIT_PROJECT_STEPS, pk=pk)
    event = person.event
    if request.method == "POST":
        erased = actions.erase_participant(user=request.user, participant=person)
        messages.success(
            request,
            _(
                "Participant erased, with their history: %(codings)s coded passages, "
                "%(memos)s memos on them, and their words in %(sources)s sources (blanked)."
            )
            % {"codings": erased.codings, "memos": erased.memos, "sources": erased.sources},
        )
        if erased.translations or erased.quotes:
            messages.warning(
                request,
                _(
                    "Also removed, because they held their words: %(translations)s "
                    "translations of those sources (translate the sources again) and "
                    "%(quotes)s released quotes of passages that overlapped theirs."
                )
                % {"translations": erased.translations, "quotes": erased.quotes},
            )
        return redirect("insight:participant_new", pk=event.pk)
    return render(
        request,
        "insight/participant_erase.html",
        {"person": person, "event": event, "project": event.project},
    )


def _insight(request: HttpRequest, pk: int) -> Insight:
    live = Insight.objects.select_related("project").filter(project__deleted_at__isnull=True)
    return get_visible_or_404(request, live, Permission.EDIT_PROJECT_STEPS, pk=pk)


@requires(Permission.EDIT_PROJECT_STEPS)
def insight_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an insight: its words, type, or the finding it bears on."""
    insight = _insight(request, pk)
    form = InsightForm(_posted(request), instance=insight, project=insight.project)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Insight changed."))
        return redirect(_open_url(insight.project_id) + "#insights")
    return render(
        request,
        "insight/insight_form.html",
        {"form": form, "project": insight.project, "insight": insight},
    )


@requires(Permission.EDIT_PROJECT_STEPS)
def insight_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then hide the insight (an administrator can restore it)."""
    insight = _insight(request, pk)
    if request.method == "POST":
        insight.soft_delete(user=request.user)
        messages.success(
            request, _("Insight deleted. An administrator can restore it from the admin pages.")
        )
        return redirect(_open_url(insight.project_id) + "#insights")
    return render(
        request, "insight/insight_delete.html", {"insight": insight, "project": insight.project}
    )
