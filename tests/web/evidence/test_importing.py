"""Importing a results folder: what is stored, idempotence, and the folders refused."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests.web.evidence.conftest import rewrite_table
from tests.web.factories.user import UserFactory

from focuson.web.evidence.folder import ImportRefusedError
from focuson.web.evidence.importing import import_results
from focuson.web.evidence.models import Alert, Finding, Gradient, Run, Series


@pytest.mark.django_db
def test_import_stores_findings_alerts_and_series_of_the_folder(results_folder: Path) -> None:
    findings = pd.read_parquet(results_folder / "findings.parquet")
    alerts = pd.read_parquet(results_folder / "monitor" / "alerts.parquet")
    series = pd.read_parquet(results_folder / "monitor" / "series.parquet")
    seen: list[tuple[int, int, str]] = []
    analyst = UserFactory(role="analyst")

    outcome = import_results(
        results_folder, user=analyst, progress=lambda d, t, w: seen.append((d, t, w))
    )

    run = outcome.run
    assert outcome.created and run.kind == Run.Kind.FIND and run.imported_by == analyst
    assert outcome.findings == Finding.objects.filter(run=run).count() == len(findings)
    assert outcome.alerts == Alert.objects.filter(run=run).count() == len(alerts)
    assert Series.objects.filter(run=run).count() == len(series)
    assert Gradient.objects.filter(run=run).count() == len(
        pd.read_parquet(results_folder / "gradients.parquet")
    )
    assert (run.first_period, run.last_period) == (
        findings["period"].min(),
        findings["period"].max(),
    )
    # Units come from the run's indicators; boroughs from the borough breakdowns.
    assert set(Finding.objects.filter(run=run).values_list("unit", flat=True)) == {
        "%",
        "per 100,000 per month",
    }
    assert outcome.alerts > 0, "the synthetic run should raise alerts (the pages test them)"
    by_borough = Finding.objects.filter(run=run, dimension="borough x imd_quintile").first()
    assert by_borough is not None and by_borough.group.startswith(by_borough.borough + " | ")
    # Suppressed rows are stored with blank numbers, as published.
    hidden = Finding.objects.filter(run=run, suppressed=True)
    assert hidden.exists() and not hidden.exclude(value=None).exists()
    level = Series.objects.filter(run=run, kind="level").exclude(points=[]).first()
    assert level is not None and {"period", "value", "mean", "lower", "upper"} <= set(
        level.points[0]
    )
    assert all(done <= total for done, total, _ in seen) and seen[-1][0] == seen[-1][1]


@pytest.mark.django_db
def test_import_again_returns_the_same_run_and_changes_nothing(results_folder: Path) -> None:
    first = import_results(results_folder)
    counts = (Run.objects.count(), Finding.objects.count(), Alert.objects.count())

    again = import_results(results_folder)

    assert not again.created and again.run.pk == first.run.pk
    assert (Run.objects.count(), Finding.objects.count(), Alert.objects.count()) == counts
    assert "imported before" in again.message


@pytest.mark.django_db
def test_import_refuses_a_folder_that_is_not_results(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")

    with pytest.raises(ImportRefusedError, match="not a focuson results folder"):
        import_results(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps({"kind": "something else"}))
    with pytest.raises(ImportRefusedError, match=r"manifest\.json: not a focuson results manifest"):
        import_results(tmp_path)
    assert not Run.objects.exists()


@pytest.mark.django_db
def test_import_refuses_a_file_changed_after_the_run(results_folder: Path, copy_of) -> None:
    folder = copy_of(results_folder)
    rewrite_table(folder, "findings.parquet", lambda f: f.iloc[:-1], manifest=False)

    with pytest.raises(ImportRefusedError, match=r"findings\.parquet: not the file its manifest"):
        import_results(folder)
    assert not Run.objects.exists() and not Finding.objects.exists()


@pytest.mark.django_db
def test_import_refuses_an_unsuppressed_count_of_one_to_seven(
    results_folder: Path, copy_of
) -> None:
    folder = copy_of(results_folder)

    def small(frame: pd.DataFrame) -> pd.DataFrame:
        row = frame.index[~frame["suppressed"]][0]
        frame.loc[row, "numerator"] = 3.0
        return frame

    # The manifest is made to match, so only disclosure control can catch it.
    rewrite_table(folder, "findings.parquet", small, manifest=True)

    with pytest.raises(ImportRefusedError) as refused:
        import_results(folder)
    message = str(refused.value)
    assert "findings.parquet" in message and "'numerator'" in message and "1 and 7" in message
    assert " 3" not in message.replace("1 and 7", "")  # the value itself is never shown
    assert not Run.objects.exists() and not Finding.objects.exists()


@pytest.mark.django_db
def test_import_refuses_a_small_count_in_the_monitoring_alerts(
    results_folder: Path, copy_of
) -> None:
    folder = copy_of(results_folder)
    monitor = folder / "monitor"

    def small(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[frame.index[0], "people"] = 5.0
        return frame

    rewrite_table(monitor, "alerts.parquet", small, manifest=True)

    with pytest.raises(ImportRefusedError, match=r"alerts\.parquet: column 'people'"):
        import_results(folder)


@pytest.mark.django_db
def test_import_of_a_monitoring_history_alone_uses_its_levels(results_folder: Path) -> None:
    levels = pd.read_parquet(results_folder / "monitor" / "levels.parquet")

    outcome = import_results(results_folder / "monitor")

    assert outcome.run.kind == Run.Kind.MONITOR and outcome.findings == len(levels)
    assert outcome.run.series.exists()


@pytest.mark.django_db
def test_import_of_a_study_keeps_its_verdict(study_folder: Path) -> None:
    outcome = import_results(study_folder)

    run = outcome.run
    assert run.kind == Run.Kind.STUDY and run.title.startswith("Study: Breast screening")
    assert {v["estimand"] for v in run.study["verdict"]} == {"overall", "gap"}
    assert not run.findings.exists()
