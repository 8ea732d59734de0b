"""The paths a run is given, checked before anything heavy is imported.

The command line calls these first, so that a wrong path answers at once rather than after
loading the data libraries; the runs call them again, so that the library says the same.
Nothing here imports more than the standard library.

>>> mapping_path(Path("/no/such/folder"))
Traceback (most recent call last):
...
FileNotFoundError: /no/such/folder: no such mapping file or folder
"""

from __future__ import annotations

from pathlib import Path

#: The names of a mapping file that a folder may hold, as ``focuson synth`` writes it first.
MAPPING_NAMES = ("focuson.toml", "focuson.yaml", "focuson.yml")


def mapping_path(data: Path) -> Path:
    """A mapping file, or a folder holding ``focuson.toml`` (as ``focuson synth`` writes).

    Parameters
    ----------
    data
        The mapping file, or a folder holding one of :data:`MAPPING_NAMES`.

    Returns
    -------
    Path
        The mapping file.

    Raises
    ------
    FileNotFoundError
        For a path that does not exist, or a folder with no mapping file, saying what to give.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "focuson.toml").write_text("")
    ...     mapping_path(Path(tmp)).name
    'focuson.toml'
    """
    if data.is_dir():
        for name in MAPPING_NAMES:
            if (data / name).is_file():
                return data / name
        raise FileNotFoundError(
            f"{data}: no focuson.toml in this folder; give the mapping file of your tables "
            "(see docs/data-contracts.md) or a folder written by focuson synth"
        )
    if not data.is_file():
        raise FileNotFoundError(f"{data}: no such mapping file or folder")
    return data


def check_file(path: Path | None, option: str) -> None:
    """Raise ``FileNotFoundError`` naming ``option`` unless ``path`` is ``None`` or a file.

    >>> check_file(None, "--imd")
    >>> check_file(Path("/no/such.csv"), "--imd")
    Traceback (most recent call last):
    ...
    FileNotFoundError: --imd /no/such.csv: no such file
    """
    if path is not None and not path.is_file():
        if path.is_dir():
            what = "a folder, not a file"
        elif path.exists():
            what = "not a regular file (a named pipe, socket or device); give a file on disk"
        else:
            what = "no such file"
        raise FileNotFoundError(f"{option} {path}: {what}")
