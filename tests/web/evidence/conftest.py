"""A small real results folder (Find with monitoring, and a Study of it), built once per session
by the library itself, and helpers to import it and to make damaged copies of it."""

from __future__ import annotations

import json
import shutil
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from focuson.data.synthetic import generate
from focuson.reference_folder import find_reference_folder
from focuson.runs.find import run_find
from focuson.runs.monitor import run_monitor

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_CATALOGUE = ROOT / "src" / "focuson" / "engine" / "catalogues" / "default.yaml"
#: Three indicators keep the folder small (a few thousand findings) and quick to import.
INDICATORS = ("rtt_18_weeks", "screening_breast", "emergency_admissions")


@pytest.fixture(scope="session")
def results_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Find then Monitor into one folder, on a synthetic population at scale 0.01."""
    folder = tmp_path_factory.mktemp("evidence-results")
    catalogue = yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    catalogue["indicators"] = [i for i in catalogue["indicators"] if i["id"] in INDICATORS]
    catalogue_file = folder / "catalogue.yaml"
    catalogue_file.write_text(yaml.safe_dump(catalogue, sort_keys=False), encoding="utf-8")
    data = generate(folder / "data", scale=0.01, reference_dir=find_reference_folder(None).path)
    results = folder / "results"
    run_find(data.mapping, results, catalogue=catalogue_file, report=False)
    run_monitor(data.mapping, results, catalogue=catalogue_file, report=False)
    return results


@pytest.fixture
def copy_of(tmp_path: Path) -> Callable[[Path], Path]:
    """A copy of a results folder in this test's own folder, to damage."""

    def copy(folder: Path) -> Path:
        target = tmp_path / f"copy-{folder.name}"
        shutil.copytree(folder, target)
        return target

    return copy


def rewrite_table(folder: Path, name: str, change: Callable[[Any], Any], *, manifest: bool) -> None:
    """Rewrite ``folder/name`` (Parquet) through ``change``; with ``manifest``, record the new
    file's SHA-256 and size in the manifest, as if focuson had written it."""
    import hashlib

    import pandas as pd

    path = folder / name
    frame = change(pd.read_parquet(path))
    frame.to_parquet(path, index=False)
    if manifest:
        manifest_file = folder / "manifest.json"
        content = json.loads(manifest_file.read_text(encoding="utf-8"))
        entry = content["outputs"][name]
        entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        entry["bytes"] = path.stat().st_size
        manifest_file.write_text(json.dumps(content, indent=2, sort_keys=True), encoding="utf-8")


def zip_folder(folder: Path, target: Path, *, inside: str = "results") -> Path:
    """``folder`` zipped with its files under ``inside/``."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{inside}/{path.relative_to(folder).as_posix()}")
    return target


@pytest.fixture(autouse=True)
def _evidence_storage(settings: Any, tmp_path: Path) -> None:
    """Uploads and unpacked runs in this test's own folder, never the checkout's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FOCUSON_RUNS_ROOT = tmp_path / "runs"
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def study_folder(results_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example Study plan (Brent breast screening) run on the monitoring results."""
    from focuson.runs.study import run_study

    out = tmp_path_factory.mktemp("evidence-study") / "study"
    plan = ROOT / "docs" / "examples" / "study-brent-breast-screening.yaml"
    with warnings.catch_warnings():
        # focuson.runs.study_series triggers pandas' fillna downcasting FutureWarning (not this
        # app's code; reported), which the strict warning filter would turn into an error.
        warnings.filterwarnings("ignore", "Downcasting object dtype", FutureWarning)
        run_study(plan, out, levels=results_folder)
    return out


@pytest.fixture
def imported(db: None, results_folder: Path) -> Any:
    """The results folder imported (an ``ImportOutcome``)."""
    from focuson.web.evidence.importing import import_results

    return import_results(results_folder)
