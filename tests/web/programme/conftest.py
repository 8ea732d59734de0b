"""Fixtures for the programme's tests: the seeded programme, and imported evidence to start from.

Runs, findings and alerts are made with the ORM here (the evidence app's factories are its own);
they are aggregates, as an import would store them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from focuson.web.evidence.models import Alert, Finding, Run
from focuson.web.programme.seed import seed_programme


@pytest.fixture
def seeded(db: None) -> dict[str, int]:
    """The North West London programme: three pillars, its workstreams, eight boroughs."""
    return seed_programme()


@pytest.fixture
def make_run(db: None) -> Callable[..., Run]:
    counter = iter(range(10_000))

    def make(**fields: Any) -> Run:
        n = next(counter)
        defaults = {"kind": Run.Kind.FIND, "title": f"Find run {n}", "content_hash": f"{n:064d}"}
        return Run.objects.create(**{**defaults, **fields})

    return make


@pytest.fixture
def make_finding(make_run: Callable[..., Run]) -> Callable[..., Finding]:
    """A significant finding: Black men in Brent with fewer blood pressure checks (by default)."""

    def make(run: Run | None = None, **fields: Any) -> Finding:
        defaults = {
            "indicator": "bp_check",
            "indicator_title": "Blood pressure checked in the last year",
            "period": "2026-10",
            "dimension": "ethnicity",
            "dimension_label": "Ethnic group",
            "group": "black",
            "group_label": "Black",
            "reference_label": "White",
            "borough": "Brent",
            "value": 0.52,
            "reference_value": 0.61,
            "significant": True,
            "excess": 1200.0,
        }
        return Finding.objects.create(run=run or make_run(), **{**defaults, **fields})

    return make


@pytest.fixture
def make_alert(make_run: Callable[..., Run]) -> Callable[..., Alert]:
    def make(run: Run | None = None, **fields: Any) -> Alert:
        defaults = {
            "kind": "widening",
            "indicator": "bp_check",
            "indicator_title": "Blood pressure checked in the last year",
            "about": "ethnicity",
            "about_label": "Ethnic group",
            "group": "black",
            "group_label": "Black",
            "period": "2026-10",
            "people": 300.0,
            "sentence": "The gap in blood pressure checks for Black residents widened.",
        }
        return Alert.objects.create(
            run=run or make_run(kind=Run.Kind.MONITOR), **{**defaults, **fields}
        )

    return make
