"""Background work of the evidence app: importing an uploaded zip, with progress on its job.

The upload page saves the zip and an :class:`~focuson.web.evidence.models.ImportJob`, then
enqueues :func:`import_upload`; the worker (``focuson serve`` starts one) unpacks the zip into
``var/web/runs/<content hash>/`` (kept: the run's files stay with the app) and imports it,
writing how far it is on the job, which the job page shows.
"""

from __future__ import annotations

import logging
import shutil
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from focuson.web.evidence.folder import ImportRefusedError
from focuson.web.evidence.importing import import_results
from focuson.web.evidence.models import ImportJob, Run
from focuson.web.evidence.unpack import unpack

logger = logging.getLogger(__name__)


def runs_root() -> Path:
    """Where unpacked uploads are kept, one folder per run (``var/web/runs``)."""
    return Path(getattr(settings, "FOCUSON_RUNS_ROOT", Path(settings.VAR) / "web" / "runs"))


def uploads_root() -> Path:
    """Where uploaded zips wait for the worker."""
    return Path(settings.MEDIA_ROOT) / "imports"


def _progress(job_id: int):  # type: ignore[no-untyped-def]
    def report(done: int, total: int, what: str) -> None:
        ImportJob.objects.filter(pk=job_id).update(done=done, total=total, step=str(what)[:200])

    return report


def _finish(job: ImportJob, status: Any, message: str, run: Run | None = None) -> None:
    job.status = status
    job.message = message
    job.run = run
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "run", "finished_at"])


@task()
def import_upload(job_id: int) -> None:
    """Unpack and import the zip of job ``job_id``; the job ends done or failed, never stuck."""
    job = ImportJob.objects.get(pk=job_id)
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])
    upload = Path(job.upload)
    incoming = runs_root() / f".incoming-{job_id}-{uuid.uuid4().hex}"
    try:
        root = unpack(upload, incoming, name=job.source)
        outcome = import_results(root, user=job.created_by, progress=_progress(job_id))
        run = outcome.run
        if outcome.created:
            final = runs_root() / run.content_hash
            if not final.exists():
                incoming.rename(final)
            where = final / root.relative_to(incoming)
            Run.all_objects.filter(pk=run.pk).update(source=str(where)[:500])
        _finish(job, ImportJob.Status.DONE, outcome.message, run)
    except ImportRefusedError as error:
        # Say where in the upload, not where on the server.
        text = str(error).replace(str(incoming), job.source)
        _finish(job, ImportJob.Status.FAILED, text)
    except Exception:
        logger.exception("import job %s failed", job_id)
        _finish(
            job,
            ImportJob.Status.FAILED,
            _(
                "The import stopped on an unexpected error; nothing was imported. Try again, and "
                "tell your administrator if it happens again."
            ),
        )
    finally:
        shutil.rmtree(incoming, ignore_errors=True)
        upload.unlink(missing_ok=True)
