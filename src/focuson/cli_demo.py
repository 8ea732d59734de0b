"""The end of ``focuson demo``: seed the web app on the demo's results, print the accounts, serve.

Django is imported only here, when the demo reaches its web part.
"""

from __future__ import annotations

import socket
from pathlib import Path

from rich.console import Console


def port_is_free(host: str, port: int) -> bool:
    """Whether nothing listens on ``host:port`` yet (so gunicorn can bind it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def web_demo(results: Path, console: Console, *, serve: bool, host: str, port: int) -> int:
    """Seed the web app from ``results``, print the accounts and, with ``serve``, run it until
    Ctrl-C. Returns the exit status."""
    if serve and not port_is_free(host, port):
        console.print(
            f"[red]Port {port} on {host} is in use[/red] (another focuson serve?): stop it, or "
            "run the demo again with --port PORT.",
        )
        return 2
    from focuson.web.demo import describe, seed_demo

    seed = seed_demo(results, say=console.print)
    imported = "imported" if seed.run_created else "already imported"
    console.print(f"The demo's results are {imported}; example projects:", markup=False)
    for project in seed.projects:
        console.print(f"  {project.title}", markup=False)
    if seed.study is not None:
        # The third example: a Study step filled from the demo's planted change.
        console.print(f"  {seed.study.project_title} (its Study step filled)", markup=False)
    console.print(
        "One account per role (the facilitator is a member of the first project only); the "
        f"passwords are kept in {seed.accounts_file}:",
        markup=False,
    )
    for line in describe(seed):
        console.print(line, markup=False, highlight=False)
    if not serve:
        console.print("Run the web app with: focuson serve", markup=False)
        return 0

    from focuson.web.serve import prepare, run, server_command, worker_command

    prepare(say=console.print)
    console.print(
        f"[bold]focuson is running at http://{host}:{port}/[/bold]: sign in with an account "
        "above (Ctrl-C stops it)."
    )
    return run([server_command(host, port, 2, 8, access_log=False), worker_command()])
