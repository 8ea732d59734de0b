"""REFI-QDA exchange pages: export a project (.qdpx) or its codebook (.qdc), import a .qdpx.

Exports hold residents' own words and imports add sources, so both need ``CODE_SOURCES``.
Every export is validated against the REFI-QDA schema before it is sent
(:func:`focuson.insight.refi_qda.write_qdpx`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from focuson.insight.refi_qda import codebook_xml, read_qdpx, write_qdpx
from focuson.web.core.forms import NHSFormMixin
from focuson.web.insight import qda_export, qda_import
from focuson.web.insight.models import Event
from focuson.web.permissions import Permission, get_visible_or_404, requires
from focuson.web.programme.models import Project

P = Permission.CODE_SOURCES
#: Largest .qdpx accepted for upload, and what its files may add up to once unpacked.
MAX_UPLOAD = 20 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024


class ImportForm(NHSFormMixin, forms.Form):
    """A .qdpx file and the event of the project its sources, cases and codings belong to."""

    file = forms.FileField(
        label=gettext_lazy("REFI-QDA project (.qdpx)"),
        help_text=gettext_lazy(
            "Exported from NVivo, ATLAS.ti, MAXQDA, QualCoder or focuson; at most 20 MB."
        ),
    )
    event = forms.ModelChoiceField(
        label=gettext_lazy("Event it comes from"),
        help_text=gettext_lazy(
            "Its consent basis and retention date will cover everything imported."
        ),
        queryset=Event.objects.none(),
        empty_label=gettext_lazy("Choose an event"),
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(project=project)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".qdpx"):
            raise forms.ValidationError(_("Choose a .qdpx file (a REFI-QDA project)."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("The file is larger than 20 MB: export the text sources only and try again.")
            )
        try:
            self.imported = read_qdpx(upload.read(), max_bytes=MAX_UNPACKED)
        except ValueError as error:
            raise forms.ValidationError(
                _("The file could not be read: %(why)s.") % {"why": error}
            ) from error
        return upload


def _project(request: HttpRequest, pk: int) -> Project:
    return get_visible_or_404(request, Project.objects, P, pk=pk)


@requires(P)
def qda(request: HttpRequest, pk: int) -> HttpResponse:
    """Export the project for a QDA tool, or import one into an event of the project."""
    project = _project(request, pk)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        project=project,
    )
    report = None
    if request.method == "POST" and form.is_valid():
        report = qda_import.import_project(
            user=request.user, event=form.cleaned_data["event"], imported=form.imported
        )
        messages.success(request, _("Project imported: see below what was brought across."))
    return render(
        request, "insight/qda/qda.html", {"project": project, "form": form, "report": report}
    )


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(P)
def qdpx_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The project as a .qdpx, validated against the REFI-QDA schema."""
    project = _project(request, pk)
    try:
        data = write_qdpx(qda_export.export_project(project))
    except (ValueError, FileNotFoundError) as error:
        messages.error(request, _("The export could not be made: %(why)s") % {"why": error})
        return redirect("insight:qda", pk=project.pk)
    name = f"{slugify(project.title) or 'project'}.qdpx"
    return _download(data, name, "application/zip")


@requires(P)
def qdc_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's codebook as a .qdc."""
    project = _project(request, pk)
    try:
        xml = codebook_xml(qda_export.export_project(project).codes)
    except (ValueError, FileNotFoundError) as error:
        messages.error(request, _("The export could not be made: %(why)s") % {"why": error})
        return redirect("insight:qda", pk=project.pk)
    name = f"{slugify(project.title) or 'project'}-codebook.qdc"
    return _download(xml.encode("utf-8"), name, "application/xml")
