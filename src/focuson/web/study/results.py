"""What a project's Study shows of its results run: the plan it ran on, the verdict, the effects
and the Study card, all read from what the import stored (aggregates) or the run's own folder.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from focuson.web.evidence.models import Run
from focuson.web.evidence.tasks import runs_root

CARD_FILE = "card.html"
#: A card is one page (tens of kilobytes); anything far bigger is not one.
MAX_CARD_BYTES = 5_000_000

#: The estimands of ``effects.parquet`` shown on the Study page, in words, in this order.
ESTIMANDS: dict[str, Promise] = {
    "overall": _("Overall effect (above zero: better)"),
    "gap": _("Change in the gap (above zero: the gap narrowed)"),
    "baseline_gap": _("The gap before the change (above zero: the most deprived behind)"),
}

UNITS: dict[str, Promise] = {"pp": _("percentage points"), "%": _("per cent")}


def main_manifest(run: Run) -> dict[str, Any]:
    """The run's own manifest (a Study run has one, kept under ``main``)."""
    found = run.manifest.get("main", {}) if isinstance(run.manifest, dict) else {}
    return found if isinstance(found, dict) else {}


def run_plan_hash(run: Run) -> str:
    """The SHA-256 of the plan the Study ran on ('' when the run does not say)."""
    return str(main_manifest(run).get("plan_sha256", ""))


@dataclass(frozen=True)
class Verdict:
    """The verdict in two sentences (overall, then the gap) and its flag."""

    overall: str
    gap: str
    flag: str
    overall_label: str
    gap_label: str


def verdict(run: Run) -> Verdict | None:
    """The run's stored verdict (``verdict.parquet`` rows), or the manifest's when it has none."""
    rows = {str(r.get("estimand")): r for r in run.study.get("verdict", []) if isinstance(r, dict)}
    words = main_manifest(run).get("verdict", {})
    words = words if isinstance(words, dict) else {}
    overall, gap = rows.get("overall", {}), rows.get("gap", {})
    first = str(overall.get("sentence") or words.get("overall") or "")
    second = str(gap.get("sentence") or words.get("gap") or "")
    if not first and not second:
        return None
    flags = {str(r.get("flag") or "") for r in rows.values()} | {str(words.get("flag") or "")}
    flag = "red" if "red" in flags else "amber" if "amber" in flags else ""
    return Verdict(
        overall=first,
        gap=second,
        flag=flag,
        overall_label=str(overall.get("verdict") or ""),
        gap_label=str(gap.get("verdict") or ""),
    )


def effects(run: Run) -> list[dict[str, Any]]:
    """The overall effect and the gap rows of the run, in words, with their intervals."""
    rows = [r for r in run.study.get("effects", []) if isinstance(r, dict)]
    order = list(ESTIMANDS)
    chosen = sorted(
        (r for r in rows if r.get("estimand") in ESTIMANDS),
        key=lambda r: order.index(str(r["estimand"])),
    )
    return [
        {
            "what": ESTIMANDS[str(r["estimand"])],
            "estimand": r["estimand"],
            "group": str(r.get("group") or ""),
            "estimate": r.get("estimate"),
            "lower": r.get("lower"),
            "upper": r.get("upper"),
            "units": str(UNITS.get(str(r.get("units") or ""), r.get("units") or "")),
            "relative": r.get("relative"),
            "relative_lower": r.get("relative_lower"),
            "relative_upper": r.get("relative_upper"),
            "errors": str(r.get("se_convention") or ""),
        }
        for r in chosen
    ]


def _folders(run: Run) -> list[Path]:
    folders = []
    if run.source and Path(run.source).is_absolute():
        folders.append(Path(run.source))
    kept = runs_root() / run.content_hash
    folders += [kept, *(sorted(p for p in kept.glob("*") if p.is_dir()) if kept.is_dir() else [])]
    return folders


def card_file(run: Run) -> Path | None:
    """The run's Study card, if its folder is still there and the card is the one imported.

    The card is looked for where the run came from (``source``) and where uploads are kept
    (``var/web/runs/<content hash>``); it is used only when its SHA-256 is the one the run's
    manifest recorded (checked at import), so a file changed since is never served.
    """
    outputs = main_manifest(run).get("outputs", {})
    expected = outputs.get(CARD_FILE, {}).get("sha256") if isinstance(outputs, dict) else None
    if run.kind != Run.Kind.STUDY or not expected:
        return None
    for folder in _folders(run):
        path = folder / CARD_FILE
        try:
            if not path.is_file() or path.stat().st_size > MAX_CARD_BYTES:
                continue
            if hashlib.sha256(path.read_bytes()).hexdigest() == expected:
                return path
        except OSError:
            continue
    return None
