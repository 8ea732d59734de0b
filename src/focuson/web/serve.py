"""``focuson serve``: the web app under gunicorn, with a background worker for long tasks.

Before serving, the database is migrated and the front-end files are built and collected, so a
fresh checkout serves with one command. ``runserver`` is never used.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path


def prepare(*, say: Callable[[str], None] = print) -> None:
    """Migrate the database, build the NHS.UK frontend and htmx, collect static files."""
    from django.conf import settings
    from django.core.management import call_command

    from focuson import web
    from focuson.web.assets import build

    web.setup()
    Path(settings.VAR, "web").mkdir(parents=True, exist_ok=True)
    say("Preparing the database...")
    call_command("migrate", interactive=False, verbosity=0)
    say("Building the page styles and scripts...")
    build(Path(settings.STATICFILES_DIRS[0]))
    call_command("collectstatic", interactive=False, verbosity=0)


def worker_command() -> list[str]:
    """The background worker: django-tasks' database worker, in its own process."""
    return [sys.executable, "-m", "focuson.web.manage", "db_worker"]


def server_command(
    host: str, port: int, workers: int, threads: int, *, access_log: bool = True
) -> list[str]:
    """gunicorn serving ``focuson.web.wsgi`` (threads so 50 people at once are served by few
    processes; the database connection is per thread).

    Idle connections are kept for 65 s, longer than a person reading a page (and than a load
    balancer's usual 60 s): with gunicorn's 2 s default, a request sent on a kept connection as
    the server closed it was reset (11 of 2,761 requests of the load benchmark). No control
    socket: focuson does not use it, and several servers on one machine would share its path.
    ``access_log=False`` (the demo) keeps the terminal for what the person needs: the address
    and the accounts.
    """
    log = ["--access-logfile", "-"] if access_log else []
    return [
        sys.executable, "-m", "gunicorn", "focuson.web.wsgi:application",
        "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", str(threads),
        *log, "--graceful-timeout", "10", "--timeout", "120",
        "--keep-alive", "65", "--no-control-socket",
    ]  # fmt: skip


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(
    commands: Sequence[list[str]],
    *,
    env: dict[str, str] | None = None,
) -> int:
    """Start every command, wait until one ends (or Ctrl-C or SIGTERM), then stop the others."""
    environment = {**os.environ, **(env or {})}
    # SIGTERM (a service manager stopping us, or kill PID) stops the children too, as Ctrl-C
    # does; otherwise the task worker would be left running on its own.
    signal.signal(signal.SIGTERM, _interrupt)
    processes = [subprocess.Popen(command, env=environment) for command in commands]
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    return max((process.returncode or 0) for process in processes)
