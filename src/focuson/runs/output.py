"""A results folder written whole or not at all, by one run at a time.

A run never writes into the results folder itself. Under a lock, it builds the new folder beside
it (a hidden sibling, so on the same filesystem), copies in the parts it does not own (by hard
link: Find keeps ``monitor/``, Monitor keeps Find's files), writes its own files there, flushes
them to disk, and then swaps the new folder into place in one step. Killed at any moment, the
results folder is the previous complete results or the new complete results, never a mix; the
leftovers of a killed run are cleared by the next one. ``docs/results.md`` describes the layout.

Before any work starts, :func:`check_target` refuses a folder that holds something else than
focuson results (unless ``overwrite``), a file, and the folder of the run's own inputs.

Names beside a results folder ``RESULTS`` (in its parent folder):

=================================  ===============================================================
``.RESULTS.focuson-lock``          the lock file (taken by every run writing to ``RESULTS``)
``.RESULTS.focuson-new-<hex>``     the folder being built; swapped into place when complete
``.RESULTS.focuson-old-<hex>``     the previous folder, only where the swap takes two renames
=================================  ===============================================================

The swap is ``renameat2(RENAME_EXCHANGE)`` on Linux: both folders are exchanged atomically.
Elsewhere (or on a filesystem without it) it is two renames, the old folder aside then the new
one in; a kill between them leaves no ``RESULTS`` for an instant, and the next run puts the old
folder back before anything else.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import json
import os
import secrets
import shutil
import sys
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from focuson.find.results import find_manifest
from focuson.monitor import history

#: What marks a Study results folder (``focuson study``) in its manifest.
STUDY_KIND = "focuson study"
# How long a run waits for another one writing to the same folder before giving up.
LOCK_TIMEOUT = 3600.0


class ResultsFolderError(ValueError):
    """The results folder cannot be written: it holds something else, is a file, is locked."""


def _siblings(target: Path) -> tuple[Path, str, str, Path]:
    parent, name = target.parent, target.name
    return (
        parent / f".{name}.focuson-lock",
        f".{name}.focuson-new-",
        f".{name}.focuson-old-",
        parent,
    )


def is_ours(folder: Path) -> bool:
    """Whether ``folder`` holds focuson results (Find's, a monitoring history, or both).

    >>> import tempfile
    >>> from focuson.find.results import FIND_KIND, write_manifest
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     before = is_ours(Path(tmp))
    ...     _ = write_manifest(Path(tmp), {}, kind=FIND_KIND, files=[])
    ...     before, is_ours(Path(tmp))
    (False, True)
    """
    return find_manifest(folder) is not None or history.is_history(folder) or _is_study(folder)


def _is_study(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("kind") == STUDY_KIND


def timestamp() -> str:
    """When a run was made, for its manifest: now (UTC, to the second), or the time given by
    ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention), so that two runs on the same
    inputs can give the same bytes, time stamp included.

    >>> import os
    >>> os.environ["SOURCE_DATE_EPOCH"] = "0"
    >>> timestamp()
    '1970-01-01T00:00:00+00:00'
    >>> del os.environ["SOURCE_DATE_EPOCH"]
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch.isdigit()
        else dt.datetime.now(dt.UTC).replace(microsecond=0)
    )
    return when.isoformat()


def _is_within(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def check_target(out_dir: Path, *, overwrite: bool = False, inputs: Iterable[Path] = ()) -> None:
    """Refuse, before any work, a results folder this run must not replace.

    Parameters
    ----------
    out_dir
        The results folder: new, empty, or holding focuson results.
    overwrite
        Replace a folder that holds something else (everything in it is lost).
    inputs
        The run's input files (mapping, tables, IMD file, catalogue): a results folder holding
        one of them is refused even with ``overwrite``.

    Raises
    ------
    ResultsFolderError
        With what is wrong and what to do.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     (Path(tmp) / "notes.txt").write_text("mine")
    ...     check_target(Path(tmp) / "new")   # a new folder: fine
    ...     try:
    ...         check_target(Path(tmp))
    ...     except ResultsFolderError as exc:
    ...         print(str(exc).split(": ")[1].split(";")[0])
    4
    this folder holds something else than focuson results (notes.txt)
    """
    out = Path(out_dir)
    ancestor = out
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if ancestor != out and not ancestor.is_dir():
        raise ResultsFolderError(
            f"{out}: {ancestor} is a file, so no folder can be made under it; give --out a "
            "folder name"
        )
    for path in inputs:
        if _is_within(Path(path), out):
            raise ResultsFolderError(
                f"{out}: this folder holds the input of this run ({path}); writing the results "
                "there would replace it. Give --out another folder, such as a new one beside it"
            )
    if not out.exists():
        return
    if not out.is_dir():
        raise ResultsFolderError(
            f"{out}: this is a file, not a folder; give --out a folder name (a new or empty "
            "folder, or one holding focuson results)"
        )
    entries = sorted(p.name for p in out.iterdir())
    if not entries or is_ours(out) or overwrite:
        return
    shown = ", ".join(entries[:3]) + (f" and {len(entries) - 3} more" if len(entries) > 3 else "")
    raise ResultsFolderError(
        f"{out}: this folder holds something else than focuson results ({shown}); nothing was "
        "written. Give --out a new or empty folder, or pass --overwrite to replace this folder "
        "and everything in it"
    )


def _carry(source: Path, destination: Path) -> None:
    """Copy a file or folder by hard links (files are never changed in place), else by copy."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    if source.is_dir() and not source.is_symlink():
        shutil.copytree(source, destination, symlinks=True, copy_function=link)
    elif source.is_symlink():
        os.symlink(os.readlink(source), destination)
    else:
        link(str(source), str(destination))


def _fsync(path: Path, *, folder: bool = False) -> None:
    # Against a power cut; a killed process loses nothing the kernel already holds.
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if folder else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _sync_tree(root: Path) -> None:
    for here, _dirs, names in os.walk(root):
        for name in names:
            _fsync(Path(here) / name)
        _fsync(Path(here), folder=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(staging: Path, target: Path, old_prefix: str) -> None:
    """Put ``staging`` in the place of ``target``; the old folder is deleted."""
    if not os.path.lexists(target):
        os.rename(staging, target)
    elif _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)
    else:
        aside = target.parent / f"{old_prefix}{secrets.token_hex(6)}"
        os.rename(target, aside)
        os.rename(staging, target)
        shutil.rmtree(aside, ignore_errors=True)
    _fsync(target.parent, folder=True)


def _recover(target: Path, new_prefix: str, old_prefix: str) -> None:
    """Clear what killed runs left (called under the lock: no live run has a staging folder)."""
    parent = target.parent
    if not parent.is_dir():
        return
    olds = sorted(p for p in parent.iterdir() if p.name.startswith(old_prefix))
    if olds and not os.path.lexists(target):
        # Killed between the two renames of a swap: the old folder is the last complete one.
        os.rename(olds[-1], target)
        olds = olds[:-1]
    news = [p for p in parent.iterdir() if p.name.startswith(new_prefix)]
    for leftover in [*olds, *news]:
        shutil.rmtree(leftover, ignore_errors=True)


def _acquire(lock: FileLock, out: Path, timeout: float, say: Callable[[str], None] | None) -> None:
    """Take the lock, saying so when another run holds it; ``Timeout`` after ``timeout`` s."""
    try:
        lock.acquire()
    except Timeout:
        if say is not None:
            say(f"Waiting for another focuson run that is writing to {out}")
        lock.acquire(timeout=timeout)


@contextlib.contextmanager
def replacing(
    out_dir: Path,
    *,
    own: Collection[str],
    overwrite: bool = False,
    inputs: Iterable[Path] = (),
    timeout: float = LOCK_TIMEOUT,
    say: Callable[[str], None] | None = None,
) -> Iterator[Path]:
    """Lock ``out_dir`` and give a new folder to write into; it replaces ``out_dir`` on exit.

    Parameters
    ----------
    out_dir
        The results folder.
    own
        Names in ``out_dir`` this run writes: every other entry of the current folder is
        carried over into the new one (by hard link), unless ``overwrite``.
    overwrite
        Replace the folder whatever it holds; nothing in it is kept.
    inputs
        The run's input files (see :func:`check_target`, checked again under the lock).
    timeout
        Seconds to wait for another run writing to the same folder.
    say
        Called with a plain-English line while waiting for another run.

    Yields
    ------
    pathlib.Path
        The folder to write into. If the block raises, it is deleted and ``out_dir`` is left
        as it was.

    Raises
    ------
    ResultsFolderError
        As :func:`check_target`, or when another run holds the folder for ``timeout`` seconds.

    Examples
    --------
    >>> import tempfile
    >>> from focuson.find.results import FIND_KIND, write_manifest
    >>> def run(text):
    ...     with replacing(out, own={"a.txt", "manifest.json"}) as new:
    ...         _ = (new / "a.txt").write_text(text)
    ...         _ = write_manifest(new, {}, kind=FIND_KIND, files=["a.txt"])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = Path(tmp) / "results"
    ...     run("first")
    ...     run("second")
    ...     (out / "a.txt").read_text(), sorted(p.name for p in Path(tmp).iterdir())
    ('second', ['.results.focuson-lock', 'results'])
    """
    out, inputs = Path(out_dir), list(inputs)
    target = Path(os.path.realpath(out) if out.is_symlink() else os.path.abspath(out))
    lock_path, new_prefix, old_prefix, parent = _siblings(target)
    check_target(out, overwrite=overwrite, inputs=inputs)
    lock = FileLock(lock_path, timeout=0)
    try:
        parent.mkdir(parents=True, exist_ok=True)
        _acquire(lock, out, timeout, say)
    except Timeout:
        raise ResultsFolderError(
            f"{out}: another focuson run has been writing to this folder for "
            f"{timeout:.0f} seconds; wait for it to finish, then run again"
        ) from None
    except OSError as exc:  # after Timeout, which is one
        raise ResultsFolderError(
            f"{out}: cannot write beside this folder, in {parent} ({exc.strerror or exc}); "
            "give --out a folder you can write to"
        ) from exc
    try:
        _recover(target, new_prefix, old_prefix)
        check_target(out, overwrite=overwrite, inputs=inputs)
        staging = parent / f"{new_prefix}{secrets.token_hex(6)}"
        os.mkdir(staging)
        try:
            if target.is_dir() and not overwrite:
                for entry in sorted(target.iterdir()):
                    if entry.name not in own:
                        _carry(entry, staging / entry.name)
            yield staging
            _sync_tree(staging)
            _swap(staging, target, old_prefix)
        except BaseException as exc:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, OSError) and not isinstance(exc, ResultsFolderError):
                # A full disk, a lost network share: said plainly, not as a traceback.
                raise ResultsFolderError(
                    f"{out}: could not write the results ({exc.strerror or exc}); the folder is "
                    "as it was before this run"
                ) from exc
            raise
    finally:
        lock.release()
