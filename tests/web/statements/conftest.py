"""Fixtures for statement rounds: the Pol.is open-data conversation's folder.

Read in place from ``../shared/data/polis/`` (never copied into the project; set
``FOCUSON_POLIS_DATA`` to read it elsewhere), as ``tests/oracle/test_polis.py`` does.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

POLIS = Path(
    os.environ.get(
        "FOCUSON_POLIS_DATA",
        Path(__file__).resolve().parents[3].parent / "shared" / "data" / "polis"
        / "15-per-hour-seattle",
    )
)  # fmt: skip


@pytest.fixture
def polis_folder() -> Path:
    """The Pol.is export of the Seattle $15/hour conversation (skipped where it is absent)."""
    if not (POLIS / "participants-votes.csv").is_file():
        pytest.skip(f"Pol.is open data not found at {POLIS}")
    return POLIS
