"""Fixtures for the Study step's tests: a real Study results folder (the evidence tests' own,
built once per session by the library) and the example plan's text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.web.evidence.conftest import results_folder, study_folder
from tests.web.factories.study_run import PLAN_TEXT

__all__ = ["results_folder", "study_folder"]


@pytest.fixture
def plan_text() -> str:
    """The example plan (docs/examples/study-brent-breast-screening.yaml) as written."""
    return PLAN_TEXT


@pytest.fixture(autouse=True)
def _runs_here(settings: Any, tmp_path: Path) -> None:
    """Uploaded runs in this test's own folder, never the checkout's var/."""
    settings.FOCUSON_RUNS_ROOT = tmp_path / "runs"
