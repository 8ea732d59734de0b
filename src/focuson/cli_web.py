"""The web commands of ``focuson``: ``serve``, ``import`` and ``web`` (Django's manage.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

SERVE_HELP = "Run the web app under gunicorn (migrating and building its files first)."
IMPORT_HELP = "Import a Find, monitoring or Study results folder into the web app."


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="gunicorn worker processes.")] = 2,
    threads: Annotated[int, typer.Option(help="Threads per worker.")] = 8,
    production: Annotated[
        bool,
        typer.Option(
            "--production/--local",
            help="Production settings (HTTPS only, FOCUSON_SECRET_KEY required). Default: "
            "local settings, fine on this machine.",
        ),
    ] = False,
) -> None:
    """Run the web app: SQLite under var/web by default, PostgreSQL when DATABASE_URL is set."""
    settings = "focuson.web.settings.production" if production else "focuson.web.settings.base"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    from focuson.web.serve import prepare, run, server_command, worker_command

    prepare(say=typer.echo)
    typer.echo(f"focuson is running at http://{host}:{port}/ (Ctrl-C stops it)")
    code = run([server_command(host, port, workers, threads), worker_command()])
    raise typer.Exit(code=code)


def web_command(ctx: typer.Context) -> None:
    """Django's manage.py for the web app: focuson web migrate, focuson web createsuperuser, ..."""
    from focuson.web import manage

    manage(list(ctx.args))


def import_command(
    results: Annotated[
        Path,
        typer.Argument(
            help="The results folder (--out of focuson find, monitor or study).",
            show_default=False,
        ),
    ],
    user: Annotated[
        str | None, typer.Option(help="Username to record as the importer (an existing account).")
    ] = None,
) -> None:
    """Import results into the web app's database (migrating it first), with a progress bar;
    prints the run's page. The same folder imported again changes nothing."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
    from rich.text import Text

    from focuson.web.commands import UnknownUserError, import_folder
    from focuson.web.evidence.folder import ImportRefusedError

    err = Console(stderr=True, markup=False, emoji=False, highlight=False)
    bar = Progress(
        TextColumn("{task.description:<40}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeElapsedColumn(),
        console=err,
    )
    with bar:
        steps: dict[str, TaskID] = {}

        def progress(done: int, total: int, what: str) -> None:
            key = str(what)
            if key not in steps:
                steps[key] = bar.add_task(key, total=total)
            bar.update(steps[key], completed=done, total=total)

        try:
            imported = import_folder(results, username=user, progress=progress)
        except UnknownUserError as error:
            bar.stop()
            err.print(
                Text(f"No active account {user!r}:", style="red"), "give an existing username."
            )
            raise typer.Exit(code=2) from error
        except ImportRefusedError as error:
            bar.stop()
            err.print(Text("Not imported:", style="red"), str(error), soft_wrap=True)
            raise typer.Exit(code=2) from error
    typer.echo(imported.message)
    typer.echo(imported.path)
