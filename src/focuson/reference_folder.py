"""Where the reference data folder is, found the same way from any working directory.

The official reference files (IMD, lookups, populations) are not shipped with focuson: they sit
in a folder the user points at. ``focuson synth`` and ``focuson demo`` look for it in this order:

1. the command's option (``--reference-data``), when given;
2. the environment variable ``FOCUSON_REFERENCE_DATA``, when set;
3. the default: ``shared/data`` beside the project checkout focuson runs from, found from where
   this package is installed (for a checkout at ``PARENT/main``, ``PARENT/shared/data``),
   never from the working directory.

A folder counts when it holds an ``imd/`` folder. The lookup says which of the three it used, so
that a command can say so, and loudly when it falls back to built-in profiles. This module
imports nothing heavy: the command line answers before loading any data library.

>>> found = find_reference_folder(None, environ={ENV_VAR: "/no/such/folder"})
>>> found.path, found.source
(None, '$FOCUSON_REFERENCE_DATA')
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: The environment variable naming the reference data folder.
ENV_VAR = "FOCUSON_REFERENCE_DATA"


def default_reference_folder() -> Path:
    """The documented default: ``shared/data`` beside the project checkout.

    The checkout is the folder holding ``src/focuson`` (this file is
    ``<checkout>/src/focuson/reference_folder.py``), so the answer does not change with the
    working directory.

    >>> default_reference_folder().parts[-2:]
    ('shared', 'data')
    """
    checkout = Path(__file__).resolve().parents[2]
    return checkout.parent / "shared" / "data"


def is_reference_folder(path: Path) -> bool:
    """Whether ``path`` looks like the reference data folder (it holds ``imd/``).

    >>> is_reference_folder(Path("/no/such/folder"))
    False
    """
    return (path / "imd").is_dir()


@dataclass(frozen=True)
class ReferenceFolder:
    """The outcome of :func:`find_reference_folder`.

    Attributes
    ----------
    path
        The folder (absolute), or ``None`` when none was found: built-in profiles are used.
    source
        Where it came from: the option's name, ``"$FOCUSON_REFERENCE_DATA"`` or ``"default"``.
    looked_at
        The folder the chosen source named, found or not (for messages).
    """

    path: Path | None
    source: str
    looked_at: Path

    def where(self) -> str:
        """The folder looked at and why, e.g. ``"/x/shared/data (the default)"``.

        >>> ReferenceFolder(None, "$FOCUSON_REFERENCE_DATA", Path("/x")).where()
        '/x (from $FOCUSON_REFERENCE_DATA)'
        """
        why = "the default" if self.source == "default" else f"from {self.source}"
        return f"{self.looked_at} ({why})"

    def fallback_warning(self, *, option: str, used: str) -> str:
        """One line saying that no folder was found, where it looked, what is used instead and
        how to point at the data.

        >>> ReferenceFolder(None, "default", Path("/x/shared/data")).fallback_warning(
        ...     option="--reference-data", used="built-in borough profiles")  # doctest: +ELLIPSIS
        'Warning: no reference data folder at /x/shared/data (the default); using built-in...'
        """
        return (
            f"Warning: no reference data folder at {self.where()}; using {used}, "
            f"so the results differ from a run on the real reference data. Give {option} "
            f"FOLDER or set {ENV_VAR}=FOLDER (the folder holding imd/ and population/)."
        )


def find_reference_folder(
    given: Path | None,
    *,
    option: str = "--reference-data",
    environ: Mapping[str, str] | None = None,
) -> ReferenceFolder:
    """Find the reference data folder: the option, else ``$FOCUSON_REFERENCE_DATA``, else the
    default beside the checkout (:func:`default_reference_folder`).

    Parameters
    ----------
    given
        The folder given on the command line, or ``None``. It is returned even when it holds
        no ``imd/`` (the caller refuses it with a message): an explicit choice never falls back.
    option
        The option's name, recorded as the source when ``given`` is used.
    environ
        The environment (default: ``os.environ``).

    Returns
    -------
    ReferenceFolder
        ``path`` is ``None`` when neither the variable's folder nor the default holds ``imd/``.

    Examples
    --------
    >>> find_reference_folder(Path("data"), environ={}).source
    '--reference-data'
    >>> find_reference_folder(None, environ={ENV_VAR: "/no/such"}).looked_at
    PosixPath('/no/such')
    """
    env = os.environ if environ is None else environ
    if given is not None:
        path = given.expanduser().resolve()
        return ReferenceFolder(path, option, path)
    named = env.get(ENV_VAR)
    if named:
        path = Path(named).expanduser().resolve()
        source = f"${ENV_VAR}"
    else:
        path, source = default_reference_folder().resolve(), "default"
    return ReferenceFolder(path if is_reference_folder(path) else None, source, path)
