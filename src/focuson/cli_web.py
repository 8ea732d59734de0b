"""The web commands of ``focuson``: ``serve`` and ``web`` (Django's manage.py)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

SERVE_HELP = "Run the web app under gunicorn (migrating and building its files first)."


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
