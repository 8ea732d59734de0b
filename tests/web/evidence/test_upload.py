"""The upload page and the import job page (tasks run at once under the test settings)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.web.evidence.conftest import zip_folder
from tests.web.factories.import_job import ImportJobFactory

from focuson.web.evidence.models import Finding, ImportJob, Run
from focuson.web.evidence.tasks import runs_root


def _upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/zip")


@pytest.mark.django_db
def test_upload_imports_the_zip_and_shows_the_job_done(
    client_as, results_folder: Path, tmp_path: Path
) -> None:
    client = client_as("analyst")
    archive = zip_folder(results_folder, tmp_path / "results.zip")

    response = client.post("/evidence/upload/", {"results": _upload(archive)})

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/evidence/imports/{job.pk}/"
    assert job.status == ImportJob.Status.DONE and job.run is not None
    assert job.created_by == client.user and job.run.imported_by == client.user
    assert Finding.objects.filter(run=job.run).exists()
    # The unpacked folder is kept under the run's content hash; the zip is gone.
    kept = runs_root() / job.run.content_hash / "results"
    assert (kept / "manifest.json").is_file() and job.run.source == str(kept)
    assert not Path(job.upload).exists()
    page = client.get(f"/evidence/imports/{job.pk}/")
    assert page.status_code == 200 and b"Open the results" in page.content


@pytest.mark.django_db
def test_upload_of_the_same_zip_again_makes_no_second_run(
    client_as, results_folder: Path, tmp_path: Path
) -> None:
    client = client_as("analyst")
    archive = zip_folder(results_folder, tmp_path / "results.zip")
    client.post("/evidence/upload/", {"results": _upload(archive)})

    client.post("/evidence/upload/", {"results": _upload(archive)})

    assert Run.objects.count() == 1
    assert "imported before" in ImportJob.objects.order_by("-pk").first().message


@pytest.mark.django_db
def test_upload_refuses_a_zip_slip_on_the_form_and_queues_nothing(
    client_as, tmp_path: Path
) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("../../outside.txt", b"x")

    response = client_as("analyst").post("/evidence/upload/", {"results": _upload(archive)})

    assert response.status_code == 200
    assert b"There is a problem" in response.content and b"outside the folder" in response.content
    assert not ImportJob.objects.exists() and not Run.objects.exists()


@pytest.mark.django_db
def test_upload_refuses_a_file_over_the_size_limit(client_as, settings, tmp_path: Path) -> None:
    settings.FOCUSON_MAX_UPLOAD_BYTES = 10
    archive = tmp_path / "results.zip"
    archive.write_bytes(b"x" * 100)

    response = client_as("analyst").post("/evidence/upload/", {"results": _upload(archive)})

    assert response.status_code == 200 and b"files up to" in response.content
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_upload_of_a_folder_with_a_small_count_fails_the_job_naming_the_file(
    client_as, results_folder: Path, copy_of, tmp_path: Path
) -> None:
    from tests.web.evidence.conftest import rewrite_table

    folder = copy_of(results_folder)

    def small(frame):
        frame.loc[frame.index[~frame["suppressed"]][0], "denominator"] = 6.0
        return frame

    rewrite_table(folder, "findings.parquet", small, manifest=True)
    archive = zip_folder(folder, tmp_path / "bad.zip")

    client_as("analyst").post("/evidence/upload/", {"results": _upload(archive)})

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.run is None
    assert job.message.startswith("bad.zip/results/findings.parquet: column 'denominator'")
    assert not Run.objects.exists()
    assert not any(runs_root().glob(".incoming-*"))


@pytest.mark.django_db
def test_upload_page_is_not_found_for_a_viewer(client_as) -> None:
    assert client_as("viewer").get("/evidence/upload/").status_code == 404


@pytest.mark.django_db
def test_job_page_polls_while_running_and_answers_htmx_with_the_progress_only(client_as) -> None:
    job = ImportJobFactory(status=ImportJob.Status.RUNNING, done=3, total=4, run=None)
    client = client_as("analyst")

    page = client.get(f"/evidence/imports/{job.pk}/")
    part = client.get(f"/evidence/imports/{job.pk}/", headers={"HX-Request": "true"})

    assert b'hx-trigger="every 1s"' in page.content and b"75% done" in page.content
    assert b"refresh it" in page.content  # without JavaScript
    assert part.status_code == 200 and b"<html" not in part.content and b"75% done" in part.content
