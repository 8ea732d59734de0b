"""Open's quote release pages: the project's quotes, releasing a coded passage, withdrawing.

Releasing means reading residents' own words, so these pages need ``CODE_SOURCES`` (the
project's workspace), like the sources they come from.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from focuson.web.insight import release_actions
from focuson.web.insight.models import Coding, Quote
from focuson.web.insight.models.release import card
from focuson.web.insight.release_forms import ReleaseForm
from focuson.web.permissions import Permission, get_visible_or_404, requires
from focuson.web.programme.models import Project

P = Permission.CODE_SOURCES
#: Passages offered for release on the quotes page (the newest first; the rest from sources).
OFFERED = 50


def live_codings() -> Any:
    """Codings whose source, event and project are not deleted."""
    return Coding.objects.select_related(
        "source__project", "source__event", "code", "participant__borough"
    ).filter(
        source__deleted_at__isnull=True,
        source__event__deleted_at__isnull=True,
        source__project__deleted_at__isnull=True,
    )


def released() -> Any:
    """Quotes that may be shown outside the workspace (released, their passage still live)."""
    return Quote.objects.filter(
        status=Quote.Status.RELEASED,
        coding__deleted_at__isnull=True,
        coding__source__deleted_at__isnull=True,
        coding__source__event__deleted_at__isnull=True,
    )


@requires(P)
def quotes(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's released and withdrawn quotes, and coded passages to release."""
    project = get_visible_or_404(request, Project.objects, P, pk=pk)
    made = Quote.objects.filter(project=project).select_related("coding__code", "released_by")
    has_quote = Quote.objects.filter(coding=OuterRef("pk"), status=Quote.Status.RELEASED)
    offered = (
        live_codings()
        .filter(source__project=project)
        .exclude(Exists(has_quote))
        .order_by("-created", "-pk")[:OFFERED]
    )
    return render(
        request,
        "insight/release/quotes.html",
        {"project": project, "quotes": made, "offered": offered},
    )


@requires(P)
def release_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Release a coded passage as a quote: confirm redactions, choose the card, preview, release."""
    coding = get_visible_or_404(request, live_codings(), P, pk=pk)
    project = coding.source.project
    suggested = release_actions.suggestions(coding.excerpt)
    known = release_actions.speaker_attributes(coding.participant)
    posted = request.POST if request.method == "POST" else None
    form = ReleaseForm(posted, suggested=suggested, known=known)
    preview = None
    if posted is not None and form.is_valid():
        preview = release_actions.draft(
            coding,
            confirmed=form.spans(),
            names=form.names_list(),
            phrases=form.phrases_list(),
            chosen=form.cleaned_data["attributes"],
        )
        if request.POST.get("action") == "release":
            release_actions.release_quote(user=request.user, coding=coding, quote=preview)
            messages.success(
                request, _("Quote released: it can now appear in the community insight report.")
            )
            return redirect("insight:quotes", pk=project.pk)
    dropped = []
    if preview is not None and preview.check is not None:
        names = dict(form.fields["attributes"].choices)
        dropped = [names[k] for k in form.cleaned_data["attributes"] if k not in preview.attributes]
    return render(
        request,
        "insight/release/release_form.html",
        {
            "project": project,
            "coding": coding,
            "form": form,
            "preview": preview,
            "dropped": dropped,
            "card": card(preview.attributes) if preview is not None else [],
            "threshold": release_actions.THRESHOLD,
            "already": Quote.objects.filter(coding=coding, status=Quote.Status.RELEASED),
        },
    )


@requires(P)
def quote_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then withdraw a released quote (it stays in the audit trail)."""
    live = Quote.objects.select_related("project").filter(project__deleted_at__isnull=True)
    quote = get_visible_or_404(request, live, P, pk=pk)
    if request.method == "POST" and quote.status == Quote.Status.RELEASED:
        release_actions.withdraw_quote(user=request.user, quote=quote)
        messages.success(request, _("Quote withdrawn: it is no longer shown outside Open."))
        return redirect(reverse("insight:quotes", args=[quote.project_id]))
    return render(
        request, "insight/release/quote_withdraw.html", {"quote": quote, "project": quote.project}
    )
