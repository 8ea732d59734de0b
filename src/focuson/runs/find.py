"""The whole of Find, from a mapped dataset to a results folder.

``run_find`` loads the user's tables through the data contracts, counts every indicator of the
catalogue by every breakdown inside the engine, compares and ranks the groups (disclosure control
included), and writes the results folder: ``findings.parquet``, ``gradients.parquet``,
``manifest.json`` recording what went in, and ``report.html`` (self-contained, charts inline).
The raw aggregates are never written: they have not been through disclosure control. This is the
function behind ``focuson find``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from focuson import __version__
from focuson.data.contracts import load_dataset, read_mapping
from focuson.engine import aggregate, indicators_frame, load_catalogue, load_default_catalogue
from focuson.find.findings import FindResult, find, top_findings
from focuson.find.results import write_results
from focuson.reports import write_find_report

Step = Callable[[str], None]


@dataclass(frozen=True)
class FindRun:
    """What ``run_find`` produced."""

    result: FindResult
    top: pd.DataFrame
    indicators: pd.DataFrame
    out_dir: Path
    manifest: dict[str, Any]
    aggregate_rows: int
    report: Path | None


def mapping_path(data: Path) -> Path:
    """A mapping file, or a folder holding ``focuson.toml`` (as ``focuson synth`` writes)."""
    if data.is_dir():
        for name in ("focuson.toml", "focuson.yaml", "focuson.yml"):
            if (data / name).is_file():
                return data / name
        raise FileNotFoundError(
            f"{data}: no focuson.toml in this folder; give the mapping file of your tables "
            "(see docs/data-contracts.md) or a folder written by focuson synth"
        )
    if not data.is_file():
        raise FileNotFoundError(f"{data}: no such mapping file or folder")
    return data


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_find(
    data: Path,
    out_dir: Path,
    *,
    catalogue: Path | None = None,
    imd: Path | None = None,
    alpha: float = 0.05,
    report: bool = True,
    step: Step | None = None,
) -> FindRun:
    """Run Find on the dataset mapped by ``data`` and write the results to ``out_dir``.

    Parameters
    ----------
    data
        The mapping file of the user's tables, or a folder holding ``focuson.toml``.
    out_dir
        The results folder (created; its files are replaced).
    catalogue
        An indicator catalogue (YAML); the default catalogue when ``None``.
    imd
        The IMD file giving each LSOA's decile and borough; by default the mapping's reference
        LSOA file when it is an IMD file.
    alpha
        The false discovery rate for ``significant`` (Benjamini-Hochberg q-values).
    report
        Also write ``report.html``.
    step
        Called with a plain-English description as each stage starts (for progress display).
    """
    say = step or (lambda _text: None)
    mapping_file = mapping_path(data)
    mapping = read_mapping(mapping_file)
    imd_file = imd or mapping.reference_lsoa
    if imd_file is None:
        raise ValueError(
            f"{mapping_file}: no IMD file to give each LSOA its deprivation decile and borough; "
            "pass --imd or name one under [reference] lsoa in the mapping file"
        )
    cat = load_catalogue(catalogue) if catalogue is not None else load_default_catalogue()

    say("Loading and checking the tables")
    with load_dataset(mapping) as loaded:
        say("Counting every indicator by every breakdown in the engine")
        aggregates = aggregate(loaded, cat, imd=imd_file)
        sources = {
            table: [{"file": str(p), "sha256": sha, "bytes": size} for p, sha, size in files]
            for table, files in loaded.sources.items()
        }
        row_counts = dict(loaded.row_counts)
    indicators = indicators_frame(cat)

    say("Comparing groups, ranking gaps and applying disclosure control")
    result = find(aggregates, indicators, alpha=alpha)
    manifest: dict[str, Any] = {
        "focuson_version": __version__,
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "inputs": {"mapping": str(mapping_file), "tables": sources, "rows": row_counts},
        "catalogue": {
            "file": str(catalogue) if catalogue else "focuson default catalogue",
            "sha256": _sha256(catalogue) if catalogue else None,
            "indicators": list(indicators["id"]),
        },
        "reference": {"imd": str(imd_file), "imd_sha256": _sha256(Path(imd_file))},
        "parameters": {"alpha": alpha, "confidence": 0.95, "disclosure": "NHS rule"},
    }
    say("Writing the results")
    write_results(result, out_dir, manifest=manifest)
    report_path = None
    if report:
        say("Drawing the charts and writing the report")
        report_path = write_find_report(
            result.findings,
            result.gradients,
            indicators,
            Path(out_dir) / "report.html",
            manifest=manifest,
            rank_all_periods=True,
        )
    return FindRun(
        result=result,
        top=top_findings(result.findings, n=10),
        indicators=indicators,
        out_dir=Path(out_dir),
        manifest=manifest,
        aggregate_rows=len(aggregates),
        report=report_path,
    )
