"""What ``focuson import`` does inside the web app (the command itself, in ``focuson.cli_web``,
stays free of Django: only the web app imports it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

Progress = Callable[[int, int, str], None]


class UnknownUserError(LookupError):
    """No active account has the username given."""


@dataclass(frozen=True)
class Imported:
    """What an import brought in: the sentence to print and the run's page."""

    message: str
    path: str


def import_folder(folder: Path, *, username: str | None, progress: Progress) -> Imported:
    """Migrate the database, then import ``folder`` as ``username`` (an existing account).

    Raises
    ------
    UnknownUserError
        When ``username`` names no active account.
    focuson.web.evidence.folder.ImportRefusedError
        When the folder is not results, or fails its checks (the message says which).
    """
    from focuson.web import setup

    setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.urls import reverse

    from focuson.web.evidence.importing import import_results

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    who = None
    if username is not None:
        who = get_user_model().objects.filter(username=username, is_active=True).first()
        if who is None:
            raise UnknownUserError(username)
    outcome = import_results(folder.resolve(), user=who, progress=progress)
    return Imported(outcome.message, reverse("evidence:run", args=[outcome.run.pk]))
