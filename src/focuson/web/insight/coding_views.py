"""Open's coding pages: the codebook, a code, applying a code, a coding, memos, support.

Every page needs ``CODE_SOURCES`` in the project (see :mod:`.source_views`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from focuson.web.insight import coding_actions
from focuson.web.insight.coding_forms import (
    CodeForm,
    CodingForm,
    MemoForm,
    SupportForm,
)
from focuson.web.insight.models import Code, Coding, Insight, Memo, descendants
from focuson.web.insight.source_views import get_source, live_sources
from focuson.web.permissions import Permission, get_visible_or_404, requires
from focuson.web.programme.models import Project

P = Permission.CODE_SOURCES


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _code(request: HttpRequest, pk: int) -> Code:
    live = Code.objects.select_related("project", "parent").filter(project__deleted_at__isnull=True)
    return get_visible_or_404(request, live, P, pk=pk)


def _coding(request: HttpRequest, pk: int) -> Coding:
    live = Coding.objects.select_related("source__project", "code", "coder", "participant").filter(
        source__in=live_sources(), code__deleted_at__isnull=True
    )
    return get_visible_or_404(request, live, P, pk=pk)


def tree(project: Project) -> list[tuple[Code, int]]:
    """The codebook in reading order, each code with its depth (for indenting)."""
    codes = list(
        Code.objects.filter(project=project).annotate(
            n_codings=Count(
                "codings",
                filter=Q(
                    codings__deleted_at__isnull=True, codings__source__deleted_at__isnull=True
                ),
                distinct=True,
            ),
            n_people=Count(
                "codings__participant",
                filter=Q(
                    codings__deleted_at__isnull=True, codings__source__deleted_at__isnull=True
                ),
                distinct=True,
            ),
            n_memos=Count("memos", filter=Q(memos__deleted_at__isnull=True), distinct=True),
        )
    )
    below: dict[int | None, list[Code]] = {}
    for code in codes:
        below.setdefault(code.parent_id, []).append(code)
    out: list[tuple[Code, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for code in sorted(below.get(parent, []), key=lambda c: c.name.casefold()):
            out.append((code, min(depth, 5)))
            walk(code.pk, depth + 1)

    walk(None, 0)
    return out


@requires(P)
def codebook(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's codebook as a tree, and a form to add a code."""
    project = get_visible_or_404(request, Project.objects, P, pk=pk)
    form = CodeForm(_posted(request), project=project)
    if request.method == "POST" and form.is_valid():
        code = form.save(commit=False)
        code.project, code.created_by = project, request.user
        code.save()
        messages.success(request, _("Code %(name)s added.") % {"name": code.name})
        return redirect("insight:codebook", pk=project.pk)
    return render(
        request,
        "insight/codebook.html",
        {"project": project, "codes": tree(project), "form": form},
    )


@requires(P)
def code(request: HttpRequest, pk: int) -> HttpResponse:
    """A code: rename or move it, its memos, and the passages coded with it."""
    code = _code(request, pk)
    form = CodeForm(_posted(request), instance=code, project=code.project)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Code changed."))
        return redirect("insight:code", pk=code.pk)
    codings = (
        Coding.objects.filter(code=code, source__in=live_sources())
        .select_related("source", "coder", "participant")
        .order_by("source__title", "start")
    )
    return render(
        request,
        "insight/code.html",
        {
            "project": code.project,
            "code": code,
            "form": form,
            "codings": codings,
            "memos": Memo.objects.filter(code=code).select_related("author"),
            "memo_form": MemoForm(),
        },
    )


@requires(P)
def code_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then hide a code, the codes under it and their codings (restorable)."""
    code = _code(request, pk)
    below = Code.objects.filter(pk__in=descendants(code))
    if request.method == "POST":
        coding_actions.delete_code(user=request.user, code=code)
        messages.success(
            request, _("Code deleted. An administrator can restore it from the admin pages.")
        )
        return redirect("insight:codebook", pk=code.project_id)
    return render(
        request,
        "insight/code_delete.html",
        {
            "code": code,
            "project": code.project,
            "below": below,
            "codings": Coding.objects.filter(code__in=[code, *below]).count(),
        },
    )


@requires(P)
def code_memo(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a memo on a code."""
    code = _code(request, pk)
    return _memo(request, {"code": code}, code.project, reverse("insight:code", args=[code.pk]))


@requires(P)
def source_memo(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a memo on a source."""
    source = get_source(request, pk)
    back = reverse("insight:source", args=[source.pk])
    return _memo(request, {"source": source}, source.project, back)


@requires(P)
def coding_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply a code to a passage of a source (the form on the source's page)."""
    source = get_source(request, pk)
    form = CodingForm(_posted(request), source=source)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        coding = coding_actions.apply_code(
            user=request.user,
            source=source,
            code=data["code"],
            start=data["start"],
            end=data["end"],
            participant=data["participant"],
        )
        messages.success(
            request,
            _("Coded as %(code)s: characters %(start)s to %(end)s.")
            % {"code": coding.code.name, "start": coding.start, "end": coding.end},
        )
        if data["participant"] is None and coding.participant is not None:
            messages.info(
                request,
                _("Attributed to %(who)s, the transcript's speaker of the passage.")
                % {"who": coding.participant.pseudonym},
            )
        return redirect(reverse("insight:source", args=[source.pk]) + "#codings")
    return render(
        request,
        "insight/coding_form.html",
        {"form": form, "source": source, "project": source.project},
    )


@requires(P)
def coding(request: HttpRequest, pk: int) -> HttpResponse:
    """A coded passage: its code, coder, memos."""
    coding = _coding(request, pk)
    return render(
        request,
        "insight/coding.html",
        {
            "coding": coding,
            "source": coding.source,
            "project": coding.source.project,
            "memos": Memo.objects.filter(coding=coding).select_related("author"),
            "memo_form": MemoForm(),
        },
    )


@requires(P)
def coding_memo(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a memo on a coding."""
    coding = _coding(request, pk)
    back = reverse("insight:coding", args=[coding.pk])
    return _memo(request, {"coding": coding}, coding.source.project, back)


@requires(P)
def coding_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then remove a coding (hidden; an administrator can restore it)."""
    coding = _coding(request, pk)
    if request.method == "POST":
        coding.soft_delete(user=request.user)
        messages.success(request, _("Coding removed."))
        return redirect(reverse("insight:source", args=[coding.source_id]) + "#codings")
    return render(
        request,
        "insight/coding_delete.html",
        {"coding": coding, "source": coding.source, "project": coding.source.project},
    )


def _memo(request: HttpRequest, target: dict[str, Any], project: Any, back: str) -> HttpResponse:
    form = MemoForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        Memo.objects.create(
            project=project, text=form.cleaned_data["text"], author=request.user, **target
        )
        messages.success(request, _("Memo saved."))
        return redirect(back + "#memos")
    return render(
        request,
        "insight/memo_form.html",
        {"form": form, "project": project, "target": next(iter(target.values())), "back": back},
    )


@requires(P)
def insight_support(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the coded passages an insight rests on."""
    live = Insight.objects.select_related("project").filter(project__deleted_at__isnull=True)
    insight = get_visible_or_404(request, live, P, pk=pk)
    form = SupportForm(
        _posted(request), project=insight.project, initial={"codings": insight.codings.all()}
    )
    if request.method == "POST" and form.is_valid():
        coding_actions.set_support(
            user=request.user, insight=insight, codings=list(form.cleaned_data["codings"])
        )
        messages.success(request, _("Supporting excerpts saved."))
        return redirect(reverse("insight:open", args=[insight.project_id]) + "#insights")
    return render(
        request,
        "insight/insight_support.html",
        {"form": form, "insight": insight, "project": insight.project},
    )
