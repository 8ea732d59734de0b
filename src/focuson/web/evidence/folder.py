"""A results folder as the import reads it: which kind it is, its manifests, its files checked.

Find (``manifest.json`` kind ``focuson results``, with its monitoring history in ``monitor/``
when there is one), a monitoring history alone (kind ``focuson monitoring history``, the
``monitor/`` folder itself or a results folder holding only ``monitor/``) and a Study (kind
``focuson study``) are recognised; anything else is refused with a message naming the folder.
Every file a manifest lists must be there with the SHA-256 it records (``docs/results.md``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

MANIFEST = "manifest.json"
FIND_KIND = "focuson results"
MONITOR_KIND = "focuson monitoring history"
STUDY_KIND = "focuson study"
WHAT_TO_GIVE = (
    "give the --out folder of focuson find, focuson monitor or focuson study (the folder "
    "holding manifest.json), or a zip of it"
)


class ImportRefusedError(Exception):
    """The folder cannot be imported; the message names the file and says what to do."""


@dataclass(frozen=True)
class ResultsFolder:
    """A checked results folder.

    Attributes
    ----------
    root
        The folder given.
    kind
        ``"find"``, ``"monitor"`` or ``"study"`` (the values of ``evidence.Run.Kind``).
    manifests
        Each manifest read, by the folder it describes relative to ``root`` (``""`` and
        ``"monitor"`` for Find with its monitoring history).
    """

    root: Path
    kind: str
    manifests: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def manifest(self) -> dict[str, Any]:
        """The main manifest (Find's or the Study's, else the monitoring history's)."""
        return self.manifests.get("", self.manifests.get("monitor", {}))

    @property
    def monitor(self) -> Path | None:
        """The monitoring history's folder, when the run has one."""
        if "monitor" in self.manifests:
            return self.root / "monitor"
        if self.kind == "monitor":
            return self.root
        return None

    def path(self, name: str) -> Path:
        """A file of the main part (``findings.parquet``, ``effects.parquet``...)."""
        return self.root / name

    def table(self, path: Path | None, columns: list[str] | None = None) -> pd.DataFrame:
        """A Parquet table of the run, or an empty frame when the run has none."""
        if path is None or not path.is_file():
            return pd.DataFrame(columns=columns or [])
        try:
            frame = pd.read_parquet(path)
        except Exception as error:  # pyarrow raises several kinds for a damaged file
            raise ImportRefusedError(f"{path}: cannot be read as Parquet ({error}).") from error
        return frame

    @property
    def content_hash(self) -> str:
        """SHA-256 over every manifest's outputs: the same folder always gives the same hash."""
        outputs = {
            where: {name: entry.get("sha256") for name, entry in m.get("outputs", {}).items()}
            for where, m in self.manifests.items()
        }
        canonical = json.dumps({"kind": self.kind, "outputs": outputs}, sort_keys=True)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportRefusedError(
            f"{path}: not a readable manifest ({error.__class__.__name__}); {WHAT_TO_GIVE}."
        ) from error
    if not isinstance(manifest, dict):
        raise ImportRefusedError(f"{path}: not a focuson manifest (no fields); {WHAT_TO_GIVE}.")
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_outputs(folder: Path, manifest: dict[str, Any]) -> None:
    """Check every file the manifest lists against its recorded SHA-256.

    Raises
    ------
    ImportRefusedError
        Naming the first file that is missing or changed since the run wrote it.
    """
    outputs = manifest.get("outputs")
    if not isinstance(outputs, dict) or not outputs:
        raise ImportRefusedError(f"{folder / MANIFEST}: lists no outputs; {WHAT_TO_GIVE}.")
    for name, entry in sorted(outputs.items()):
        path = folder / name
        # A manifest naming a file outside its folder is not one focuson wrote.
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise ImportRefusedError(
                f"{folder / MANIFEST}: names a file outside the folder ({name})."
            )
        if not path.is_file():
            raise ImportRefusedError(
                f"{path}: missing, but {folder / MANIFEST} lists it. Copy the whole results "
                "folder, or run focuson again."
            )
        recorded = entry.get("sha256") if isinstance(entry, dict) else None
        if not recorded or _sha256(path) != recorded:
            raise ImportRefusedError(
                f"{path}: not the file its manifest records (its SHA-256 differs): it was "
                "changed after the run. Import the folder as focuson wrote it, or run focuson "
                "again."
            )


def open_results(root: Path) -> ResultsFolder:
    """Recognise and check a results folder.

    Parameters
    ----------
    root
        The folder to import.

    Returns
    -------
    ResultsFolder

    Raises
    ------
    ImportRefusedError
        When ``root`` is not a results folder, or a file differs from its manifest.
    """
    if not root.is_dir():
        raise ImportRefusedError(f"{root}: no such folder; {WHAT_TO_GIVE}.")
    top, sub = root / MANIFEST, root / "monitor" / MANIFEST
    manifests: dict[str, dict[str, Any]] = {}
    if top.is_file():
        manifests[""] = _read_manifest(top)
        kind_text = manifests[""].get("kind")
        kinds = {FIND_KIND: "find", MONITOR_KIND: "monitor", STUDY_KIND: "study"}
        if kind_text not in kinds:
            raise ImportRefusedError(
                f"{top}: not a focuson results manifest (its kind is {kind_text!r}, not "
                f"{FIND_KIND!r}, {MONITOR_KIND!r} or {STUDY_KIND!r}); {WHAT_TO_GIVE}."
            )
        kind = kinds[kind_text]
        if kind == "find" and sub.is_file():
            manifests["monitor"] = _read_manifest(sub)
            if manifests["monitor"].get("kind") != MONITOR_KIND:
                raise ImportRefusedError(f"{sub}: not a focuson monitoring history manifest.")
    elif sub.is_file():
        manifests["monitor"] = _read_manifest(sub)
        if manifests["monitor"].get("kind") != MONITOR_KIND:
            raise ImportRefusedError(f"{sub}: not a focuson monitoring history manifest.")
        kind = "monitor"
    else:
        raise ImportRefusedError(
            f"{root}: not a focuson results folder (no {MANIFEST}); {WHAT_TO_GIVE}."
        )
    for where, manifest in manifests.items():
        verify_outputs(root / where if where else root, manifest)
    if kind == "find" and "findings.parquet" not in manifests[""].get("outputs", {}):
        raise ImportRefusedError(f"{top}: lists no findings.parquet; {WHAT_TO_GIVE}.")
    return ResultsFolder(root=root, kind=kind, manifests=manifests)
