"""Uploading a zip of a results folder, and the page that follows its import."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from focuson.web.evidence.folder import ImportRefusedError
from focuson.web.evidence.forms import UploadForm
from focuson.web.evidence.models import ImportJob
from focuson.web.evidence.tasks import import_upload, uploads_root
from focuson.web.evidence.unpack import check_zip
from focuson.web.permissions import Permission, get_visible_or_404, requires


@requires(Permission.IMPORT_RESULTS)
def upload(request: HttpRequest) -> HttpResponse:
    """Take a zip, check it is safe to unpack, and import it in the background."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        received = form.cleaned_data["results"]
        folder = uploads_root()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{uuid.uuid4().hex}.zip"
        with path.open("wb") as out:
            for chunk in received.chunks():
                out.write(chunk)
        try:
            # Refuse an unsafe zip here, on the form, before any work is queued.
            check_zip(path, name=received.name)
        except ImportRefusedError as error:
            path.unlink(missing_ok=True)
            form.add_error("results", str(error))
        else:
            job = ImportJob.objects.create(
                source=received.name[:255], upload=str(path), created_by=request.user
            )
            import_upload.enqueue(job.pk)
            return redirect("evidence:job", pk=job.pk)
    return render(request, "evidence/upload.html", {"form": form})


@requires(Permission.IMPORT_RESULTS)
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """How an import is going; with htmx the progress part refreshes itself every second."""
    found: ImportJob = get_visible_or_404(
        request, ImportJob.objects.select_related("run"), Permission.IMPORT_RESULTS, pk=pk
    )
    template = "evidence/job.html"
    if request.headers.get("HX-Request"):
        template = "evidence/includes/job_progress.html"
    return render(
        request, template, {"job": found, "title": _("Importing %(file)s") % {"file": found.source}}
    )
