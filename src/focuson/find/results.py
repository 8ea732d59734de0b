"""Write a Find run to a results folder: Parquet tables plus ``manifest.json``, byte for byte.

A results folder holds ``findings.parquet``, ``gradients.parquet`` and ``manifest.json``. The
Parquet files are written without the pandas index, with fixed compression and no timestamps, and
the manifest as sorted, indented JSON, so that re-running with the same inputs gives the same
bytes. The manifest given by the caller (input fingerprints, catalogue and reference versions,
parameters, code version) is written as it is, plus ``outputs``: each file's SHA-256 and rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from focuson.find.findings import FindResult

FINDINGS_FILE = "findings.parquet"
GRADIENTS_FILE = "gradients.parquet"
MANIFEST_FILE = "manifest.json"


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    # The pandas metadata is kept (it restores dtypes on reading) and is deterministic.
    pq.write_table(table, path, compression="zstd", write_statistics=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_results(
    result: FindResult, out_dir: Path | str, *, manifest: Mapping[str, Any]
) -> dict[str, Any]:
    """Write findings, gradients and the manifest to ``out_dir`` (created if needed).

    Parameters
    ----------
    result
        What :func:`~focuson.find.findings.find` returned.
    out_dir
        The results folder; files already there with the same names are replaced.
    manifest
        JSON-ready provenance: input fingerprints, catalogue and reference versions,
        parameters, code version. Must not hold times that change between runs if the run is
        to be byte-for-byte reproducible.

    Returns
    -------
    dict
        The manifest as written (with ``outputs``).

    Examples
    --------
    >>> import tempfile
    >>> res = FindResult(pd.DataFrame({"a": [1]}), pd.DataFrame({"b": [2.0]}))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     written = write_results(res, tmp, manifest={"code_version": "0.1.0"})
    >>> sorted(written["outputs"]), written["outputs"][FINDINGS_FILE]["rows"]
    (['findings.parquet', 'gradients.parquet'], 1)
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    outputs: dict[str, Any] = {}
    for name, frame in ((FINDINGS_FILE, result.findings), (GRADIENTS_FILE, result.gradients)):
        path = out / name
        _write_parquet(frame, path)
        outputs[name] = {"rows": len(frame), "sha256": _sha256(path)}
    written = {**dict(manifest), "outputs": outputs}
    text = json.dumps(written, sort_keys=True, indent=2, ensure_ascii=False, default=str)
    (out / MANIFEST_FILE).write_text(text + "\n", encoding="utf-8")
    return written


def read_results(out_dir: Path | str) -> tuple[FindResult, dict[str, Any]]:
    """Read a results folder back: the findings, gradients and manifest.

    >>> import tempfile
    >>> res = FindResult(pd.DataFrame({"a": [1]}), pd.DataFrame({"b": [2.0]}))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = write_results(res, tmp, manifest={})
    ...     back, manifest = read_results(tmp)
    >>> back.findings["a"].tolist(), list(manifest)
    ([1], ['outputs'])
    """
    out = Path(out_dir)
    findings = pd.read_parquet(out / FINDINGS_FILE)
    gradients = pd.read_parquet(out / GRADIENTS_FILE)
    manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    return FindResult(findings, gradients), manifest
