"""Write a Find run to a results folder: Parquet tables plus ``manifest.json``, byte for byte.

A results folder holds ``findings.parquet``, ``gradients.parquet``, ``report.html`` (when
asked for) and ``manifest.json``. The Parquet files are written without the pandas index, with
fixed compression and no timestamps, and the manifest as sorted, indented JSON, so that
re-running with the same inputs gives the same bytes. The manifest given by the caller (input
fingerprints, catalogue and reference versions, parameters, code version) is written as it is,
plus ``kind`` (``"focuson results"``: what marks a folder as focuson's) and ``outputs``: every
file the manifest belongs with, its SHA-256, size and rows. :mod:`focuson.runs.output` writes
the whole folder at once (``docs/results.md``). Each table carries label columns beside its
codes (``indicator_title``, ``dimension_label``, ``group_label``...: :mod:`focuson.labels`);
``docs/outputs.md`` describes every column.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from focuson.find.findings import FindResult
from focuson.labels import LABEL_COLUMNS, label_columns

FINDINGS_FILE = "findings.parquet"
GRADIENTS_FILE = "gradients.parquet"
REPORT_FILE = "report.html"
MANIFEST_FILE = "manifest.json"
FIND_KIND = "focuson results"
# Every name Find writes: a rerun replaces all of them (no report.html is kept from an earlier run).
FIND_FILES = frozenset({FINDINGS_FILE, GRADIENTS_FILE, REPORT_FILE, MANIFEST_FILE})
MANIFEST_SCHEMA = 1


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as Parquet the same way every time (no index, zstd, no timestamps)."""
    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    # The pandas metadata is kept (it restores dtypes on reading) and is deterministic.
    pq.write_table(table, path, compression="zstd", write_statistics=True)


def sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(
    folder: Path | str,
    manifest: Mapping[str, Any],
    *,
    kind: str,
    files: Iterable[str],
    rows: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Write ``folder/manifest.json``: ``manifest`` plus ``kind`` and every file's SHA-256.

    Parameters
    ----------
    folder
        Where the files are.
    manifest
        JSON-ready provenance (inputs with their SHA-256, versions, parameters).
    kind
        What marks the folder as focuson's: :data:`FIND_KIND`, or the monitoring history's.
    files
        The files the manifest belongs with, relative to ``folder``.
    rows
        Rows of the tables among them.

    Returns
    -------
    dict
        The manifest as written (sorted, indented JSON: equal content, equal bytes).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "a.txt").write_text("a")
    ...     written = write_manifest(tmp, {"x": 1}, kind=FIND_KIND, files=["a.txt"])
    >>> written["kind"], written["outputs"]["a.txt"]["bytes"]
    ('focuson results', 1)
    """
    where = Path(folder)
    outputs: dict[str, Any] = {}
    for name in sorted(files):
        entry: dict[str, Any] = {
            "bytes": (where / name).stat().st_size,
            "sha256": sha256(where / name),
        }
        if rows is not None and name in rows:
            entry["rows"] = int(rows[name])
        outputs[name] = entry
    written = {**dict(manifest), "kind": kind, "schema": MANIFEST_SCHEMA, "outputs": outputs}
    text = json.dumps(written, sort_keys=True, indent=2, ensure_ascii=False, default=str)
    (where / MANIFEST_FILE).write_text(text + "\n", encoding="utf-8")
    return written


def read_manifest(path: Path) -> dict[str, Any] | None:
    """A JSON object from ``path``, or ``None`` when it is missing or not one."""
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def find_manifest(out_dir: Path | str) -> dict[str, Any] | None:
    """The manifest of Find's results in ``out_dir``, or ``None`` when it holds none.

    Manifests written before ``kind`` was recorded are recognised by their version and outputs;
    another program's ``manifest.json`` (a synthetic dataset's, say) is not Find's.
    """
    manifest = read_manifest(Path(out_dir) / MANIFEST_FILE)
    if manifest is None:
        return None
    if manifest.get("kind") == FIND_KIND:
        return manifest
    outputs = manifest.get("outputs")
    legacy = isinstance(outputs, dict) and FINDINGS_FILE in outputs
    return manifest if legacy and "focuson_version" in manifest else None


def write_results(
    result: FindResult,
    out_dir: Path | str,
    *,
    manifest: Mapping[str, Any],
    also: Iterable[str] = (),
    indicators: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Write findings, gradients and the manifest into ``out_dir`` (created if needed).

    This writes in place: a run writes into a new folder that replaces the results folder
    whole (:func:`focuson.runs.output.replacing`).

    Parameters
    ----------
    result
        What :func:`~focuson.find.findings.find` returned.
    out_dir
        The folder to write into; files already there with the same names are replaced.
    manifest
        JSON-ready provenance: input fingerprints, catalogue and reference versions,
        parameters, code version. Must not hold times that change between runs if the run is
        to be byte-for-byte reproducible.
    also
        Other files already in ``out_dir`` the manifest belongs with (``report.html``).
    indicators
        The INDICATORS frame (``id``, ``title``), for the ``indicator_title`` column; without
        it an indicator is labelled with its id.

    Returns
    -------
    dict
        The manifest as written (with ``kind`` and ``outputs``).

    Examples
    --------
    >>> import tempfile
    >>> res = FindResult(pd.DataFrame({"a": [1]}), pd.DataFrame({"b": [2.0]}))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     written = write_results(res, tmp, manifest={"code_version": "0.1.0"})
    >>> sorted(written["outputs"]), written["outputs"][FINDINGS_FILE]["rows"]
    (['findings.parquet', 'gradients.parquet'], 1)
    >>> res = FindResult(pd.DataFrame({"indicator": ["a"], "dimension": ["sex"], "group": ["F"]}),
    ...                  pd.DataFrame({"indicator": ["a"], "measure": ["sii"]}))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = write_results(res, tmp, manifest={})
    ...     pd.read_parquet(Path(tmp) / FINDINGS_FILE).iloc[0].tolist()
    ['a', 'a', 'sex', 'Sex', 'F', 'Female']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    for name, frame in ((FINDINGS_FILE, result.findings), (GRADIENTS_FILE, result.gradients)):
        write_parquet(label_columns(frame, indicators), out / name)
        rows[name] = len(frame)
    return write_manifest(out, manifest, kind=FIND_KIND, files=[*rows, *also], rows=rows)


def read_results(out_dir: Path | str) -> tuple[FindResult, dict[str, Any]]:
    """Read a results folder back: the findings, gradients and manifest.

    The tables come back as :func:`~focuson.find.findings.find` made them: the label columns,
    written for people reading the files, are left out (code reads the codes).

    >>> import tempfile
    >>> res = FindResult(pd.DataFrame({"a": [1]}), pd.DataFrame({"b": [2.0]}))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = write_results(res, tmp, manifest={})
    ...     back, manifest = read_results(tmp)
    >>> back.findings["a"].tolist(), sorted(manifest)
    ([1], ['kind', 'outputs', 'schema'])
    """
    out = Path(out_dir)
    labels = set(LABEL_COLUMNS.values())
    findings, gradients = (
        _without(pd.read_parquet(out / name), labels) for name in (FINDINGS_FILE, GRADIENTS_FILE)
    )
    manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    return FindResult(findings, gradients), manifest


def _without(frame: pd.DataFrame, columns: set[str]) -> pd.DataFrame:
    return frame.drop(columns=[c for c in frame.columns if c in columns])
