"""Hand Find's findings on as a CSV file or an Excel workbook, with labelled columns.

For colleagues who live in Excel: readable headers ("Indicator", "Month", "Breakdown",
"Group", ...), indicator titles rather than ids, breakdowns and groups in plain English, numbers
as numbers, and suppressed cells blank with a "Suppressed" column. The workbook also holds an
"About" sheet (what the data are, the disclosure rule, the run it came from), a "Columns" sheet
(what each column means) and the run's manifest.

Only what the results folder already holds is exported: ``findings.parquet`` (after disclosure
control) and ``manifest.json``, checked against each other; nothing is recomputed from patient
data. The indicator titles and units come from the catalogue the manifest names.

Examples
--------
>>> findings = pd.DataFrame({
...     "indicator": ["rtt_18_weeks"] * 2, "period": ["2025-03"] * 2,
...     "dimension": ["imd_quintile"] * 2, "group": ["1", "2"], "reference_group": ["5"] * 2,
...     "value": [61.25, float("nan")], "suppressed": [False, True]})
>>> indicators = pd.DataFrame({"id": ["rtt_18_weeks"], "title": ["Waits of 18 weeks or less"],
...                            "unit": ["%"]})
>>> table = labelled_findings(findings, indicators)
>>> table[["Indicator", "Breakdown", "Group", "Value", "Suppressed"]].values.tolist()
[['Waits of 18 weeks or less', 'IMD quintile', 'Most deprived fifth', 61.25, 'No'], \
['Waits of 18 weeks or less', 'IMD quintile', 'Second most deprived fifth', nan, 'Yes']]
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from focuson.labels import label_columns

FINDINGS_FILE = "findings.parquet"
MANIFEST_FILE = "manifest.json"
FORMATS: tuple[str, ...] = ("csv", "xlsx")

#: findings.parquet column -> (header, meaning), in the order the export shows them. Columns
#: that a results folder does not hold are left out.
NUMBER_COLUMNS: dict[str, tuple[str, str]] = {
    "numerator": ("Numerator", "People or events counted (after disclosure control)."),
    "denominator": ("Denominator", "People or events the value is out of (after disclosure)."),
    "value": ("Value", "The indicator's value for the group, in the unit given."),
    "lower": ("Lower 95% limit", "Lower end of the 95% confidence interval of the value."),
    "upper": ("Upper 95% limit", "Upper end of the 95% confidence interval of the value."),
    "reference_value": ("Comparator value", "The value of the group it is compared with."),
    "difference": ("Difference", "Value minus the comparator value, in the unit given."),
    "ratio": ("Ratio", "Value divided by the comparator value."),
    "p_value": ("p-value", "Probability of a difference this large if there were none."),
    "q_value": ("q-value", "p-value adjusted for the many comparisons (Benjamini-Hochberg)."),
    "excess": ("People affected", "How many more people missed out than at the comparator's rate."),
    "gap_to_standard": ("Gap to standard", "How far the value falls short of the standard."),
    "gap_to_target": ("Gap to target", "How far the value falls short of the target."),
    "people_to_standard": ("People to reach standard", "People short of the standard."),
}
TEXT_COLUMNS: dict[str, tuple[str, str]] = {
    "statistic": ("Statistic", "How the value is computed (proportion, rate, DSR...)."),
    "test": ("Test", "The significance test used."),
    "reason": ("Note", "Why a value is missing, where it is."),
}
LABEL_COLUMNS: dict[str, str] = {
    "Indicator": "The indicator's title in the catalogue.",
    "Month": "The month (YYYY-MM) the value is for.",
    "Breakdown": "How the population is divided (IMD quintile, ethnicity, age...).",
    "Group": "The group within the breakdown.",
    "Compared with": "The group the value is compared with.",
    "Unit": "The unit of the value, the limits and the differences.",
}
FLAG_COLUMNS: dict[str, str] = {
    "Significant": "Yes when the q-value is below the run's false discovery rate.",
    "Direction": "Whether the group fares better, worse or similarly to its comparator.",
    "Suppressed": "Yes when disclosure control withheld the cell: its numbers are blank.",
    "Indicator ID": "The indicator's id in the catalogue (for matching other files).",
}


class ExportError(ValueError):
    """A results folder that cannot be exported, with what to do instead."""


def _yes_no(flags: pd.Series) -> pd.Series:
    return flags.astype("boolean").map({True: "Yes", False: "No"}).astype("string")


def labelled_findings(findings: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """The findings with readable headers and labels, one row per finding, same order.

    Parameters
    ----------
    findings
        ``findings.parquet`` of a Find results folder, as it is.
    indicators
        ``id``, ``title`` and ``unit`` of each indicator (the catalogue's
        :func:`~focuson.engine.indicators_frame`); an indicator missing from it keeps its id.

    Returns
    -------
    pandas.DataFrame
        Label columns, then numbers (floats; blank where suppressed or not available), then
        flags and text. Every number of a suppressed row is blank, whatever the input held.
    """
    units = dict(zip(indicators["id"], indicators["unit"].fillna(""), strict=True))
    ids = findings["indicator"].astype(str)
    # The same labels as the results' own label columns: one place turns codes into words.
    labelled = label_columns(
        findings[["indicator", "dimension", "group"]].assign(
            reference_group=findings.get("reference_group")
        ),
        indicators,
    )
    out = pd.DataFrame(
        {
            "Indicator": labelled["indicator_title"].astype(object),
            "Month": findings["period"].astype(str),
            "Breakdown": labelled["dimension_label"].astype(object),
            "Group": labelled["group_label"].astype(object),
            "Compared with": labelled["reference_label"].fillna("").astype(object),
            "Unit": ids.map(units).fillna(""),
        },
        index=findings.index,
    )
    suppressed = findings["suppressed"].fillna(False).astype(bool)
    for column, (header, _) in NUMBER_COLUMNS.items():
        if column in findings:
            values = pd.to_numeric(findings[column], errors="coerce").astype("float64")
            out[header] = values.mask(suppressed)
    if "significant" in findings:
        out["Significant"] = _yes_no(findings["significant"]).mask(suppressed)
    if "direction" in findings:
        out["Direction"] = findings["direction"].astype("string").mask(suppressed)
    out["Suppressed"] = _yes_no(suppressed)
    for column, (header, _) in TEXT_COLUMNS.items():
        if column in findings:
            out[header] = findings[column].astype("string").fillna("")
    out["Indicator ID"] = ids
    return out.reset_index(drop=True)


def column_notes(table: pd.DataFrame) -> pd.DataFrame:
    """What each column of :func:`labelled_findings` means, in its order.

    >>> column_notes(pd.DataFrame(columns=["Group", "Value"]))["Column"].tolist()
    ['Group', 'Value']
    """
    meaning = {
        **LABEL_COLUMNS,
        **{header: text for header, text in NUMBER_COLUMNS.values()},
        **{header: text for header, text in TEXT_COLUMNS.values()},
        **FLAG_COLUMNS,
    }
    return pd.DataFrame(
        {"Column": list(table.columns), "Meaning": [meaning.get(c, "") for c in table.columns]}
    )


def read_results(results: Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """``findings.parquet`` and ``manifest.json`` of a Find results folder, checked together.

    Raises
    ------
    ExportError
        For a folder that is not a Find results folder, or a ``findings.parquet`` whose
        SHA-256 is not the one its manifest records (changed after the run).
    """
    findings_file, manifest_file = results / FINDINGS_FILE, results / MANIFEST_FILE
    if not results.is_dir():
        raise ExportError(f"{results}: no such folder; give the --out folder of focuson find")
    if not findings_file.is_file() or not manifest_file.is_file():
        raise ExportError(
            f"{results}: no {FINDINGS_FILE} and {MANIFEST_FILE} here; give the --out folder of "
            "focuson find (the folder holding report.html)"
        )
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    recorded = manifest.get("outputs", {}).get(FINDINGS_FILE, {}).get("sha256")
    actual = hashlib.sha256(findings_file.read_bytes()).hexdigest()
    if recorded is not None and actual != recorded:
        raise ExportError(
            f"{findings_file}: not the file its {MANIFEST_FILE} records (its SHA-256 "
            "differs): it was changed after the run. Run focuson find again to export."
        )
    return pd.read_parquet(findings_file), manifest


def catalogue_indicators(manifest: Mapping[str, Any]) -> tuple[pd.DataFrame, str]:
    """Titles and units of the indicators, from the catalogue the manifest names, and a
    sentence saying where they came from (ids are shown when the catalogue file is gone)."""
    from focuson.engine import indicators_frame, load_catalogue, load_default_catalogue

    named = manifest.get("catalogue", {}).get("file")
    if not named or named == "focuson default catalogue":
        return indicators_frame(load_default_catalogue()), "focuson's default catalogue"
    if Path(named).is_file():
        return indicators_frame(load_catalogue(Path(named))), str(named)
    empty = pd.DataFrame({"id": [], "title": [], "unit": []})
    return empty, f"{named} (not found: indicator ids shown instead of titles)"


def _disclosure_text(manifest: Mapping[str, Any]) -> str:
    from focuson.stats.disclosure import NHS_RULE

    rule = str(manifest.get("parameters", {}).get("disclosure", ""))
    if rule in ("", "NHS rule"):
        return f"{NHS_RULE.name}: {NHS_RULE.description}"
    return rule


def about_rows(
    manifest: Mapping[str, Any], findings: pd.DataFrame, results: Path, catalogue: str
) -> pd.DataFrame:
    """The "About" sheet: what the data are, the disclosure rule and the source run."""
    periods = findings["period"].astype(str)
    parameters = manifest.get("parameters", {})
    engine = manifest.get("engine", {})
    inputs = manifest.get("inputs", {})
    suppressed = int(findings["suppressed"].fillna(False).astype(bool).sum())
    rows = [
        (
            "What this is",
            "Findings of a focuson Find run: every indicator by every breakdown and month, each "
            "group compared with a reference group. One row per indicator, month, breakdown "
            "and group.",
        ),
        ("Months", f"{periods.min()} to {periods.max()}" if len(periods) else "none"),
        ("Rows", f"{len(findings):,}, of which {suppressed:,} suppressed"),
        (
            "Disclosure control",
            f"{_disclosure_text(manifest)} Suppressed cells are blank here, with "
            "Suppressed = Yes. Everything in this file was already in the results folder, "
            "after disclosure control; nothing was recomputed from patient data.",
        ),
        (
            "Significance",
            f"Significant: q-value below {parameters.get('alpha', 0.05)} (Benjamini-Hochberg "
            f"false discovery rate); intervals at {parameters.get('confidence', 0.95):.0%}.",
        ),
        ("Indicator titles from", catalogue),
        ("Source run", str(results.resolve())),
        ("Run created", str(manifest.get("created", "not recorded"))),
        ("Input tables", str(inputs.get("mapping") or "tables in the engine")),
        ("Engine", str(engine.get("name", "not recorded"))),
        ("focuson version", str(manifest.get("focuson_version", "not recorded"))),
        ("Manifest", "The run's manifest.json, entry by entry, is on the Manifest sheet."),
    ]
    return pd.DataFrame(rows, columns=["About", "Details"])


def _flatten(value: Any, key: str = "") -> list[tuple[str, str]]:
    """``manifest.json`` as (dotted key, value) rows for the Manifest sheet."""
    if isinstance(value, Mapping):
        return [row for k in sorted(value) for row in _flatten(value[k], f"{key}.{k}".strip("."))]
    if isinstance(value, list) and any(isinstance(v, Mapping | list) for v in value):
        return [row for i, v in enumerate(value) for row in _flatten(v, f"{key}[{i}]")]
    if isinstance(value, list):
        return [(key, ", ".join(str(v) for v in value))]
    return [(key, "" if value is None else str(value))]


def _replace_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Write through ``write(path)`` into a temporary file beside ``target``, then rename it:
    an interrupted export leaves no half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.stem}.{os.getpid()}.partial{target.suffix}")
    try:
        write(partial)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _write_xlsx(path: Path, sheets: Mapping[str, pd.DataFrame]) -> None:
    """Write each frame to a sheet: bold headers, frozen header row, a filter on Findings.

    Cells are written column by column with the writer's typed methods (numbers as numbers,
    text as text; blanks skipped): three times faster than through pandas for ~40,000 rows.
    """
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    try:
        for name, frame in sheets.items():
            sheet = workbook.add_worksheet(name)
            sheet.write_row(0, 0, [str(c) for c in frame.columns], bold)
            sheet.freeze_panes(1, 0)
            for col, column in enumerate(frame.columns):
                values = frame[column]
                keep = (values.notna() & (values.astype("string") != "")).to_numpy()
                number = pd.api.types.is_numeric_dtype(values)
                write = sheet.write_number if number else sheet.write_string
                rows = (np.flatnonzero(keep) + 1).tolist()
                for row, value in zip(rows, values[keep].tolist(), strict=True):
                    write(row, col, value)
                # Widths from the header and the first rows: no need to measure every cell.
                sample = values.head(200).astype("string").fillna("").str.len()
                longest = max(len(str(column)), int(sample.max()) if len(sample) else 0)
                width = min(max(longest, 8), 60 if name == "Findings" else 100) + 2
                sheet.set_column(col, col, width, None if number else wrap)
            if name == "Findings" and len(frame):
                sheet.autofilter(0, 0, len(frame), len(frame.columns) - 1)
    finally:
        workbook.close()


def export_findings(
    results: Path, *, fmt: str = "xlsx", out: Path | None = None, overwrite: bool = False
) -> Path:
    """Write the findings of a Find results folder as CSV or an Excel workbook.

    Parameters
    ----------
    results
        The folder ``focuson find`` wrote (``findings.parquet``, ``manifest.json``).
    fmt
        ``"csv"`` (the labelled findings, UTF-8 with a byte-order mark so that Excel reads
        accents right) or ``"xlsx"`` (sheets Findings, About, Columns and Manifest).
    out
        The file to write; by default ``<results>-findings.<fmt>`` beside the results folder
        (the results folder itself is left as the run wrote it).
    overwrite
        Replace ``out`` when it exists.

    Returns
    -------
    Path
        The file written (whole: written to a temporary file, then renamed).

    Raises
    ------
    ExportError
        For a folder that is not Find's, an unknown format, or an ``out`` that exists.
    """
    if fmt not in FORMATS:
        raise ExportError(f"--format must be one of {', '.join(FORMATS)}, got {fmt}")
    results = Path(results)
    target = Path(out) if out is not None else results.parent / f"{results.name}-findings.{fmt}"
    if target.is_dir():
        raise ExportError(f"{target} is a folder; give --out a file name ending .{fmt}")
    suffix = target.suffix.lower()
    if suffix in (".csv", ".xlsx", ".xls") and suffix != f".{fmt}":
        other = "csv" if suffix == ".csv" else "xlsx"
        raise ExportError(
            f"{target} ends {target.suffix} but --format is {fmt}: give a file ending .{fmt}, "
            f"or --format {other}"
        )
    if target.exists() and not overwrite:
        raise ExportError(f"{target} exists; give --overwrite to replace it, or another --out")
    findings, manifest = read_results(results)
    indicators, catalogue = catalogue_indicators(manifest)
    table = labelled_findings(findings, indicators)
    if fmt == "csv":
        _replace_atomically(
            target, lambda path: table.to_csv(path, index=False, encoding="utf-8-sig")
        )
        return target
    sheets = {
        "Findings": table,
        "About": about_rows(manifest, findings, results, catalogue),
        "Columns": column_notes(table),
        "Manifest": pd.DataFrame(_flatten(manifest), columns=["Entry", "Value"]),
    }
    _replace_atomically(target, lambda path: _write_xlsx(path, sheets))
    return target
