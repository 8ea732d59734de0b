"""Open's source pages: the project's sources, upload, the text with its translation, memos.

Sources hold residents' own words, so every page here needs ``CODE_SOURCES`` (the project's
workspace: its facilitators, analysts and leads), not just a reader's ``VIEW_PROJECT``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from focuson.web.insight import source_actions, source_text
from focuson.web.insight.coding_forms import CodingForm, MemoForm
from focuson.web.insight.models import Coding, Event, Memo, Source, Translation
from focuson.web.insight.source_forms import (
    SourceLanguageForm,
    SourceUploadForm,
    TranslationForm,
)
from focuson.web.permissions import Permission, get_visible_or_404, requires
from focuson.web.programme.models import Project

P = Permission.CODE_SOURCES


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def live_sources() -> Any:
    """Sources whose event and project are not deleted."""
    return Source.objects.select_related("project", "event").filter(
        event__deleted_at__isnull=True, project__deleted_at__isnull=True
    )


def get_source(request: HttpRequest, pk: int) -> Source:
    return get_visible_or_404(request, live_sources(), P, pk=pk)


@requires(P)
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's sources by event, with the way to the codebook, agreement and tables."""
    project = get_visible_or_404(request, Project.objects, P, pk=pk)
    events = (
        Event.objects.filter(project=project)
        .prefetch_related("sources")
        .annotate(n=Count("sources", filter=Q(sources__deleted_at__isnull=True)))
    )
    sources = (
        Source.objects.filter(project=project, event__deleted_at__isnull=True)
        .select_related("event", "uploaded_by")
        .annotate(
            n_codings=Count("codings", filter=Q(codings__deleted_at__isnull=True), distinct=True),
            n_translations=Count(
                "translations", filter=Q(translations__deleted_at__isnull=True), distinct=True
            ),
        )
        .order_by("event__date", "title")
    )
    return render(
        request,
        "insight/workspace.html",
        {"project": project, "events": events, "sources": sources},
    )


@requires(P)
def source_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload notes or a transcript of an event."""
    live = Event.objects.select_related("project").filter(project__deleted_at__isnull=True)
    event = get_visible_or_404(request, live, P, pk=pk)
    form = SourceUploadForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        source = source_actions.add_source(
            user=request.user,
            event=event,
            read=form.read,
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            language=form.cleaned_data["language"],
        )
        if source.language_confirmed:
            messages.success(request, _("Source uploaded: select a passage to code it."))
            return redirect(source)
        messages.success(
            request,
            _("Source uploaded. It looks like %(language)s: confirm or change it.")
            % {"language": source.language_name},
        )
        return redirect("insight:source_details", pk=source.pk)
    return render(
        request,
        "insight/source_new.html",
        {"form": form, "event": event, "project": event.project},
    )


@requires(P)
def source_details(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm or change a source's language, title and kind."""
    source = get_source(request, pk)
    form = SourceLanguageForm(_posted(request), instance=source)
    if request.method == "POST" and form.is_valid():
        source = form.save(commit=False)
        source.language_confirmed = True
        source.save()
        messages.success(request, _("Source details saved."))
        return redirect(source)
    return render(
        request,
        "insight/source_details.html",
        {"form": form, "source": source, "project": source.project},
    )


@requires(P)
def source(request: HttpRequest, pk: int) -> HttpResponse:
    """A source's text (with a translation beside it), its codings, memos and a coding form."""
    source = get_source(request, pk)
    codings = (
        Coding.objects.filter(source=source, code__deleted_at__isnull=True)
        .select_related("code", "coder", "participant")
        .prefetch_related("memos")
    )
    translations = list(source.translations.all())
    chosen = next(
        (t for t in translations if str(t.pk) == request.GET.get("translation")),
        translations[0] if translations else None,
    )
    return render(
        request,
        "insight/source.html",
        {
            "source": source,
            "project": source.project,
            "event": source.event,
            "lines": source_text.lines(
                source.text, [(c.start, c.end, c.code.name) for c in codings]
            ),
            "codings": codings,
            "translations": translations,
            "translation": chosen,
            "coding_form": CodingForm(source=source),
            "memo_form": MemoForm(),
            "memos": Memo.objects.filter(source=source).select_related("author"),
        },
    )


@requires(P)
def translation_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a translation of a source (pasted or uploaded), labelled by how it was made."""
    source = get_source(request, pk)
    form = TranslationForm(_posted(request), request.FILES or None, source=source)
    if request.method == "POST" and form.is_valid():
        made = source_actions.add_translation(
            user=request.user,
            source=source,
            language=form.cleaned_data["language"],
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            translator=form.cleaned_data["translator"],
        )
        messages.success(request, _("Translation added beside the original."))
        return redirect(reverse("insight:source", args=[source.pk]) + f"?translation={made.pk}")
    return render(
        request,
        "insight/translation_form.html",
        {"form": form, "source": source, "project": source.project},
    )


@requires(P)
def source_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then hide a source and its codings (an administrator can restore it)."""
    source = get_source(request, pk)
    if request.method == "POST":
        source.soft_delete(user=request.user)
        messages.success(
            request, _("Source deleted. An administrator can restore it from the admin pages.")
        )
        return redirect("insight:workspace", pk=source.project_id)
    return render(
        request, "insight/source_delete.html", {"source": source, "project": source.project}
    )


@requires(P)
def translation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then hide a translation (e.g. one that still holds an erased person's words)."""
    live = Translation.objects.select_related("source").filter(source__in=live_sources())
    translation = get_visible_or_404(request, live, P, pk=pk)
    source = translation.source
    if request.method == "POST":
        translation.soft_delete(user=request.user)
        messages.success(
            request,
            _("Translation deleted. An administrator can restore it from the admin pages."),
        )
        return redirect(source)
    return render(
        request,
        "insight/translation_delete.html",
        {"translation": translation, "source": source, "project": source.project},
    )
