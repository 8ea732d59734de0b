"""Import a results folder into the web app: checked, idempotent, aggregates only.

:func:`import_results` is library code (no request objects): the CLI (``focuson import``), the
background task behind the upload page and the demo call it. It refuses a folder that is not
focuson results, a file changed since the run wrote it and any count of 1-7 (disclosure is
checked again on the way in), and it stores only the published aggregates: findings, summary
measures of inequality, alerts and the SPC series. The same folder imported again finds the run
it made the first time (by a hash over the manifests' outputs) and changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from django.db import transaction
from django.utils.translation import gettext as _

from focuson.web.evidence.disclosure import check_counts
from focuson.web.evidence.folder import ImportRefusedError, ResultsFolder, open_results
from focuson.web.evidence.models import Alert, Finding, Gradient, Run, Series
from focuson.web.evidence.rows import (
    alert_rows,
    finding_rows,
    gradient_rows,
    indicator_table,
    series_rows,
)
from focuson.web.evidence.templatetags.evidence import month

#: Rows written per INSERT: small enough for SQLite's variable limit, big enough to be quick.
BATCH = 2000

Progress = Callable[[int, int, str], None]

__all__ = ["ImportOutcome", "ImportRefusedError", "import_results"]


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did.

    Attributes
    ----------
    run
        The run imported, or the one found when the folder had been imported before.
    created
        Whether this import made the run (False: it was there already; nothing changed).
    findings, alerts
        How many findings and alerts the run holds.
    message
        What happened, in a sentence for people.
    """

    run: Run
    created: bool
    findings: int
    alerts: int
    message: str


def _noop(done: int, total: int, what: str) -> None:
    return None


def _read_tables(results: ResultsFolder, say: Progress) -> dict[str, pd.DataFrame]:
    """Every table the run needs, each checked against the rule of counts as it is read."""
    monitor = results.monitor
    wanted: dict[str, Path | None] = {}
    if results.kind == "find":
        wanted["findings"] = results.path("findings.parquet")
        wanted["gradients"] = results.path("gradients.parquet")
    if results.kind == "study":
        wanted["effects"] = results.path("effects.parquet")
        wanted["verdict"] = results.path("verdict.parquet")
    if monitor is not None:
        for name in ("levels", "gaps", "alerts", "spc_levels", "spc_gaps", "series", "indicators"):
            wanted[name] = monitor / f"{name}.parquet"
    tables: dict[str, pd.DataFrame] = {}
    for index, (name, path) in enumerate(wanted.items()):
        say(index, len(wanted), _("Checking disclosure control: %(name)s") % {"name": name})
        frame = results.table(path)
        if path is not None:
            check_counts(frame, path)
        tables[name] = frame
    return tables


def _title(results: ResultsFolder, first: str, last: str) -> str:
    if results.kind == "study":
        plan_file = results.path("plan.json")
        try:
            versions = json.loads(plan_file.read_text(encoding="utf-8")).get("versions", [])
            plan_title = str(versions[-1]["plan"]["title"])
        except (OSError, ValueError, LookupError, TypeError, AttributeError):
            plan_title = str(results.manifest.get("design", "")).upper()
        return _("Study: %(title)s") % {"title": plan_title}
    span = {"first": month(first), "last": month(last)}
    months = _("%(first)s to %(last)s") % span if first else ""
    if results.kind == "find":
        kind = _("Find with ongoing measurement") if results.monitor else _("Find")
    else:
        kind = _("Ongoing measurement")
    return f"{kind}, {months}" if months else str(kind)


def _created(manifest: dict[str, Any]) -> datetime | None:
    text = manifest.get("created")
    try:
        return datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe rows: NaN as None (study tables are a handful of rows)."""
    rows: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", double_precision=15))
    return rows


def _save(
    model: type[Any], rows: Iterable[dict[str, Any]], count: int, say: Progress, what: str
) -> None:
    """``bulk_create`` in batches, saying how far it is after each."""
    batch: list[Any] = []
    done = 0
    for row in rows:
        batch.append(model(**row))
        if len(batch) == BATCH:
            model.objects.bulk_create(batch)
            done += len(batch)
            batch.clear()
            say(done, count, what)
    if batch:
        model.objects.bulk_create(batch)
        done += len(batch)
    say(done, count, what)


def _periods(frame: pd.DataFrame) -> Sequence[str]:
    if frame.empty or "period" not in frame:
        return []
    periods = frame["period"].dropna().astype(str)
    return [periods.min(), periods.max()] if len(periods) else []


def import_results(
    folder: Path,
    *,
    user: Any = None,
    progress: Progress | None = None,
    source: str | None = None,
) -> ImportOutcome:
    """Import a Find, monitoring or Study results folder.

    Parameters
    ----------
    folder
        The results folder (``--out`` of ``focuson find``, ``monitor`` or ``study``).
    user
        Who imports it (recorded on the run and in its audit history).
    progress
        Called as ``progress(done, total, what)`` while the import works.
    source
        Where the run came from, shown on its page; the folder's path by default.

    Returns
    -------
    ImportOutcome

    Raises
    ------
    ImportRefusedError
        For a folder that is not focuson results, a file changed since the run, or a count of
        1-7 in any count column. Nothing is stored then.
    """
    say = progress or _noop
    folder = Path(folder)
    say(0, 1, _("Checking the files against the manifest"))
    results = open_results(folder)
    content_hash = results.content_hash
    existing = Run.all_objects.filter(content_hash=content_hash).first()
    if existing is not None:
        return _outcome(existing, created=False)
    tables = _read_tables(results, say)
    findings = tables.get("findings")
    if findings is None and "levels" in tables:
        # A monitoring history alone: its level series are the findings (the same comparisons).
        findings = tables["levels"]
    findings = findings if findings is not None else pd.DataFrame()
    span = _periods(findings)
    first, last = (span[0], span[1]) if span else ("", "")
    manifest = results.manifest
    indicators = indicator_table(tables.get("indicators"), manifest)
    run = Run(
        kind=results.kind,
        title=_title(results, first, last)[:200],
        content_hash=content_hash,
        source=(source if source is not None else str(folder))[:500],
        manifest={where or "main": m for where, m in results.manifests.items()},
        created=_created(manifest),
        first_period=first,
        last_period=last,
        focuson_version=str(manifest.get("focuson_version", ""))[:40],
        indicators=indicators,
        imported_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if results.kind == "study":
        run.study = {
            "effects": _records(tables.get("effects", pd.DataFrame())),
            "verdict": _records(tables.get("verdict", pd.DataFrame())),
        }
    gradients = tables.get("gradients", pd.DataFrame())
    alerts = tables.get("alerts", pd.DataFrame())
    series = tables.get("series", pd.DataFrame())
    with transaction.atomic():
        run.save()
        _save(Finding, finding_rows(findings, run, indicators), len(findings), say, _("Findings"))
        _save(Gradient, gradient_rows(gradients, run), len(gradients), say, _("Gradients"))
        _save(Alert, alert_rows(alerts, run), len(alerts), say, _("Alerts"))
        points = series_rows(series, tables.get("spc_levels"), tables.get("spc_gaps"), run)
        _save(Series, points, len(series), say, _("SPC series"))
    return _outcome(run, created=True)


def _outcome(run: Run, *, created: bool) -> ImportOutcome:
    findings, alerts = run.findings.count(), run.alerts.count()
    if created:
        message = _("Imported %(title)s: %(findings)s findings and %(alerts)s alerts.") % {
            "title": run.title,
            "findings": f"{findings:,}",
            "alerts": f"{alerts:,}",
        }
    elif run.is_deleted:
        message = _(
            "These results were imported before and then deleted; an administrator can restore "
            "them. Nothing was changed."
        )
    else:
        message = _("These results were imported before (%(title)s); nothing was changed.") % {
            "title": run.title
        }
    return ImportOutcome(
        run=run, created=created, findings=findings, alerts=alerts, message=message
    )
