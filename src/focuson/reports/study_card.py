"""The one-page Study card: did the prototype work, and did the gap narrow (``STUDY/card.html``).

:func:`write_study_card` reads a Study results folder (``effects.parquet``, ``verdict.parquet``,
``plan.json``, ``series.parquet``, ``checks.parquet``; :mod:`focuson.runs.study`) and writes one
self-contained page (evaluation.md section 5): the verdict in two plain sentences (with the red
flag when the overall effect improved and the gap widened), the question and the design from
the frozen plan (its SHA-256, freeze time and any amendment, flagged when made after data were
seen), the overall effect with its counterfactual chart, the effect on the gap with a forest
plot by group (absolute and relative, the smallest worthwhile change marked), what the test can
detect, and the checks panel. CSS inline, charts inline SVG rendered offline; it loads nothing,
prints on one A4 page and reads at 390 px.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd

from focuson.reports._html import CSS, Page, e
from focuson.reports._study_card_parts import Card, month_name
from focuson.reports._study_words import (
    CARD_CSS,
)
from focuson.study.plan import PlanRecord

CARD_FILE = "card.html"


def study_card(
    record: PlanRecord,
    effects: pd.DataFrame,
    verdict: pd.DataFrame,
    series: pd.DataFrame,
    checks: pd.DataFrame,
    *,
    manifest: Mapping[str, Any] | None = None,
    title: str | None = None,
) -> str:
    """The Study card as one self-contained HTML page (module docstring).

    Parameters
    ----------
    record
        The frozen plan with its versions.
    effects, verdict, series, checks
        The Study's tables (``docs/outputs.md``, Study).
    manifest
        The run's manifest: the power statement, the code version and the inputs' SHA-256.
    title
        The outcome's title; default the plan's indicator.

    Returns
    -------
    str
        The HTML document; it loads nothing.
    """
    plan = record.current.plan
    card = Card(record, effects, verdict, series, checks, title or plan.outcome.indicator)
    m = dict(manifest or {})
    heading = f"Study card: {plan.title or card.title}"
    most, least = (card.group_name(g, mid_sentence=True) for g in (plan.gap.most, plan.gap.least))
    question = (
        f"Did {card.title[:1].lower()}{card.title[1:]}{card.in_where} change after "
        f"{month_name(plan.windows.post.start)}, and did the gap between the {most} and the {least}"
        " narrow?"
    )
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        page = Page(pool)
        page.add(
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{e(heading)}</title><style>{CSS}{CARD_CSS}</style></head><body>",
            f'<header><h1>{e(heading)}</h1><p class="lede">{e(question)}</p></header><main>',
            card.verdict_box(),
            '<div class="card-grid">',
        )
        card.overall(page)
        card.event_time(page)
        card.gap(page)
        page.add('<section aria-labelledby="design"><h2 id="design">Question and design</h2>',
                 card.design(), "</section>")  # fmt: skip
        power = str(m.get("power") or "Not worked out.")
        page.add('<section aria-labelledby="checks"><h2 id="checks">Checks</h2>',
                 card.checks_panel(),
                 f'<h2 id="power">What this test can detect</h2><p>{e(power)}</p></section>',
                 "</div>", card.numbers())  # fmt: skip
        inputs = m.get("inputs") if isinstance(m.get("inputs"), Mapping) else {}
        levels = inputs.get("levels", {}) if isinstance(inputs, Mapping) else {}
        made = [f"Made by focuson {m['focuson_version']}" if m.get("focuson_version") else
                "Made by focuson"]  # fmt: skip
        if m.get("created"):
            made.append(f"on {str(m['created']).replace('T', ' at ')}")
        if isinstance(levels, Mapping) and levels.get("sha256"):
            made.append(f"from published level series (SHA-256 {str(levels['sha256'])[:12]})")
        page.add(f"</main><footer><p>{e(' '.join(made))}. Aggregates only: every number "
                 "passed disclosure control before the Study read it.</p></footer>",
                 "</body></html>")  # fmt: skip
        return page.html()


def write_study_card(
    folder: Path | str, *, manifest: Mapping[str, Any] | None = None, title: str | None = None
) -> Path:
    """Write ``folder/card.html`` from a Study results folder's tables.

    Parameters
    ----------
    folder
        A Study results folder (or the staging folder a run is writing).
    manifest
        The run's manifest; default ``folder/manifest.json`` when it exists.
    title
        The outcome's title.

    Returns
    -------
    pathlib.Path
        The card written.
    """
    where = Path(folder)
    if manifest is None and (where / "manifest.json").is_file():
        manifest = json.loads((where / "manifest.json").read_text(encoding="utf-8"))
    record = PlanRecord.model_validate_json((where / "plan.json").read_text(encoding="utf-8"))
    tables = {
        name: pd.read_parquet(where / f"{name}.parquet")
        for name in ("effects", "verdict", "series", "checks")
    }
    text = study_card(record, **tables, manifest=manifest, title=title)
    path = where / CARD_FILE
    path.write_text(text, encoding="utf-8")
    return path
