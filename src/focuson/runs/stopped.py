"""What a run stopped part-way (Ctrl-C) left in its output folder, in one plain line.

A run replaces its results whole (a temporary folder swapped into place, ``docs/results.md``),
so a run stopped before the swap leaves the previous results as they were, and one stopped after
it leaves the new results complete. Rather than assume it, the command line takes a
:class:`FolderState` of the output folder before the run and compares it after the stop (and,
when it changed, checks it against its manifests): the line it prints says what is really there.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     out = Path(tmp) / "results"
...     before = FolderState.of(out)
...     FolderState.of(out).stopped_line(before)  # doctest: +ELLIPSIS
'Stopped: nothing was written; ... was not created.'
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.json"


def _matches(manifest: Path) -> bool:
    """Whether every file ``manifest`` lists under ``outputs`` is beside it, as recorded."""
    try:
        outputs = json.loads(manifest.read_text(encoding="utf-8")).get("outputs")
        if not isinstance(outputs, dict) or not outputs:
            return False
        for name, entry in outputs.items():
            recorded = entry.get("sha256") if isinstance(entry, dict) else None
            path = manifest.parent / name
            if recorded is None or not path.is_file():
                return False
            if hashlib.sha256(path.read_bytes()).hexdigest() != recorded:
                return False
    except (OSError, ValueError, AttributeError):
        return False
    return True


@dataclass(frozen=True)
class FolderState:
    """The files under a folder, each with its size and modification time (nanoseconds).

    Attributes
    ----------
    folder
        The folder.
    exists
        Whether it existed.
    files
        ``{relative path: (size, mtime_ns)}`` of every file under it, recursively.
    """

    folder: Path
    exists: bool
    files: dict[str, tuple[int, int]]

    @classmethod
    def of(cls, folder: Path) -> FolderState:
        """The state of ``folder`` now (a results folder holds a few files: this is quick)."""
        if not folder.is_dir():
            return cls(folder, folder.exists(), {})
        files = {}
        for path in folder.rglob("*"):
            try:
                if path.is_file():
                    stat = path.stat()
                    files[str(path.relative_to(folder))] = (stat.st_size, stat.st_mtime_ns)
            except OSError:  # removed while we looked: a temporary file of the run
                continue
        return cls(folder, True, files)

    def complete(self) -> bool:
        """Whether the folder holds whole results: at least one ``manifest.json``, and every
        file each manifest lists under ``outputs`` there with the SHA-256 it records.

        >>> FolderState(Path("/no/such"), False, {}).complete()
        False
        """
        manifests = [self.folder / name for name in self.files if Path(name).name == MANIFEST]
        return bool(manifests) and all(_matches(manifest) for manifest in manifests)

    def stopped_line(self, before: FolderState) -> str:
        """One line saying what a run stopped between ``before`` and now left in the folder.

        >>> gone = FolderState(Path("out"), False, {})
        >>> held = FolderState(Path("out"), True, {"findings.parquet": (10, 1)})
        >>> held.stopped_line(held)
        'Stopped: nothing was written; the previous results in out are unchanged.'
        >>> held.stopped_line(gone)
        'Stopped: part of this run was written to out; run the command again for complete results.'
        """
        if self.files == before.files and self.exists == before.exists:
            if before.files:
                return (
                    "Stopped: nothing was written; the previous results in "
                    f"{self.folder} are unchanged."
                )
            if not before.exists:
                return f"Stopped: nothing was written; {self.folder} was not created."
            return f"Stopped: nothing was written; {self.folder} is as it was (empty)."
        if self.complete():
            return (
                f"Stopped after the results were written: {self.folder} holds this run's "
                "complete results."
            )
        return (
            f"Stopped: part of this run was written to {self.folder}; run the command again "
            "for complete results."
        )
