"""Uploaded zips of a results folder: checked before anything is written, then unpacked.

A zip is refused when a name would land outside the folder (``../``, an absolute path, a drive
letter: "zip slip"), when it holds links or devices, when it would unpack to more than
``FOCUSON_MAX_UNPACKED_BYTES`` or more than ``MAX_MEMBERS`` files, or when a member claims a
compression ratio no results file has ("zip bomb"). Unpacking stops if a member turns out
bigger than it declared.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings

from focuson.web.evidence.folder import MANIFEST, ImportRefusedError

MAX_MEMBERS = 2000
#: Parquet and JSON compress far less than this; a higher ratio is a bomb.
MAX_RATIO = 200
DEFAULT_MAX_UNPACKED = 2 * 1024 * 1024 * 1024


def _max_unpacked() -> int:
    return int(getattr(settings, "FOCUSON_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED))


def check_zip(path: Path, *, name: str | None = None) -> list[zipfile.ZipInfo]:
    """The members of a safe zip of a results folder.

    Parameters
    ----------
    path
        The zip file.
    name
        What to call it in messages (the uploaded file's name); ``path.name`` by default.

    Raises
    ------
    ImportRefusedError
        Naming the zip (and the member) and saying what to do.
    """
    shown = name or path.name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ImportRefusedError(
            f"{shown}: not a zip file. Zip the results folder (the one holding manifest.json) "
            "and upload that."
        ) from error
    with archive:
        members = archive.infolist()
    if not members:
        raise ImportRefusedError(
            f"{shown}: the zip is empty. Zip the results folder and upload that."
        )
    if len(members) > MAX_MEMBERS:
        raise ImportRefusedError(
            f"{shown}: holds {len(members):,} files; a results folder has far fewer "
            f"(at most {MAX_MEMBERS:,} accepted). Zip only the results folder."
        )
    total = 0
    for member in members:
        pure = PurePosixPath(member.filename.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or ":" in member.filename:
            raise ImportRefusedError(
                f"{shown}: the member {member.filename!r} would be written outside the folder. "
                "Zip the results folder itself, with paths inside it."
            )
        # Unix type bits, when the zip records them (writers that do not leave them 0).
        kind = stat.S_IFMT(member.external_attr >> 16)
        if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
            raise ImportRefusedError(
                f"{shown}: the member {member.filename!r} is a link or a special file; a results "
                "folder holds only files and folders."
            )
        if member.compress_size and member.file_size / member.compress_size > MAX_RATIO:
            raise ImportRefusedError(
                f"{shown}: the member {member.filename!r} unpacks to far more than a results "
                f"file would (compression ratio over {MAX_RATIO}); it was not unpacked."
            )
        total += member.file_size
    if total > _max_unpacked():
        raise ImportRefusedError(
            f"{shown}: would unpack to {total / 1e6:,.0f} MB, more than the "
            f"{_max_unpacked() / 1e6:,.0f} MB accepted."
        )
    return members


def _results_root(folder: Path, shown: str) -> Path:
    """The folder inside the unpacked zip that holds the manifest (the zip's root, or the one
    folder at its top, or ``monitor/`` of a results folder holding only monitoring)."""
    for candidate in (folder, *sorted(p for p in folder.iterdir() if p.is_dir())):
        if (candidate / MANIFEST).is_file() or (candidate / "monitor" / MANIFEST).is_file():
            return candidate
    raise ImportRefusedError(
        f"{shown}: no manifest.json in the zip; not a focuson results folder. Zip the --out "
        "folder of focuson find, monitor or study."
    )


def unpack(path: Path, into: Path, *, name: str | None = None) -> Path:
    """Unpack a checked zip into the new folder ``into``; return the results folder inside.

    Raises
    ------
    ImportRefusedError
        As :func:`check_zip`, or when a member is bigger than it declared.
    """
    shown = name or path.name
    members = check_zip(path, name=shown)
    into.mkdir(parents=True)
    try:
        with zipfile.ZipFile(path) as archive:
            for member in members:
                target = into.joinpath(*PurePosixPath(member.filename.replace("\\", "/")).parts)
                if member.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                _copy_limited(archive, member, target, shown)
        return _results_root(into, shown)
    except BaseException:
        shutil.rmtree(into, ignore_errors=True)
        raise


def _copy_limited(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, shown: str
) -> None:
    """Copy one member, stopping if it is bigger than the zip's directory declared."""
    written = 0
    with archive.open(member) as source, target.open("wb") as out:
        for block in iter(lambda: source.read(1 << 20), b""):
            written += len(block)
            if written > member.file_size:
                raise ImportRefusedError(
                    f"{shown}: the member {member.filename!r} is bigger than the zip declares; "
                    "it was not unpacked."
                )
            out.write(block)
