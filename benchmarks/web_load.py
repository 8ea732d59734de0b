"""Load on the web app under its production server: 50 people browsing and writing at once.

Run on demand (not a test; it takes about ten minutes): ``.venv/bin/python benchmarks/web_load.py``.
It runs ``focuson demo --no-serve`` at a small scale (the North West London programme seeded
from the demo's Find and monitoring results, one account per role), serves the app with
``focuson serve`` (gunicorn, 2 workers x 8 threads, and the task worker) on loopback, and drives
it with locust (``benchmarks/web_load_users.py``): 50 simulated people, 10 more a second, for
two minutes, each waiting 1-3 s between requests; programme leads (7 in 10) browse and write
(record a decision, edit a step), viewers browse. It does so on SQLite, then on a scratch
PostgreSQL started with ``scripts/postgres.sh`` (stopped after). The errors, the median and
95th-percentile latency per kind of page and the requests per second go to
``benchmarks/results/web_load.md``.

Locust runs on the same machine as the server and takes a share of its cores: the latencies
are those of a small machine doing both.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results"
BIN = Path(sys.executable).parent
USERS_FILE = Path(__file__).with_name("web_load_users.py")


@dataclass(frozen=True)
class Row:
    """One kind of request in one load run."""

    name: str
    requests: int
    failures: int
    median_ms: float
    p95_ms: float
    per_second: float


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{what} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


@contextmanager
def _postgres(work: Path) -> Iterator[str]:
    """A scratch PostgreSQL on a free port (scripts/postgres.sh), stopped at the end."""
    folder, port = work / "postgres", _free_port()
    script = str(ROOT / "scripts" / "postgres.sh")
    _run([script, "start", str(folder), str(port)], dict(os.environ), "postgres.sh start")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([script, "stop", str(folder)], check=False)


@contextmanager
def _serving(env: dict[str, str], log: Path) -> Iterator[str]:
    """``focuson serve`` on a free port, in its own process group, stopped at the end."""
    port = _free_port()
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(BIN / "focuson"), "serve", "--port", str(port)],
            env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"focuson serve did not start: {log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/health/", timeout=5):
                    break
            except OSError:
                time.sleep(0.5)
        yield url
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGINT)
        with suppress(subprocess.TimeoutExpired):
            server.wait(timeout=30)
        with suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)


def targets(out: Path) -> None:
    """Write what the simulated people request (paths, forms, accounts) as JSON to ``out``.

    Run in the server's environment (``FOCUSON_VAR``, ``DATABASE_URL``) after the demo seeded it.
    """
    from focuson import web

    web.setup()
    from django.conf import settings
    from django.urls import reverse

    from focuson.web.demo import ACCOUNTS_FILE, top_findings
    from focuson.web.evidence.models import Finding, Run
    from focuson.web.programme.models import Project

    accounts = {}
    kept = (Path(settings.VAR) / "web" / ACCOUNTS_FILE).read_text(encoding="utf-8")
    for line in kept.splitlines():
        if not line.startswith("#"):
            role, username, password = line.split()
            accounts[role] = [username, password]
    run = Run.objects.order_by("-imported_at").first()
    if run is None:
        raise SystemExit("No run imported: the demo did not seed the web app.")
    findings = list(Finding.objects.filter(run=run).order_by("-excess", "pk")[:20])
    findings += top_findings(run)
    projects = list(Project.objects.all()[:10])
    data = {
        "accounts": accounts,
        "login": reverse("accounts:login"),
        "board": reverse("programme:board"),
        "findings": reverse("evidence:findings"),
        "finding_pages": [reverse("evidence:finding", args=[f.pk]) for f in findings],
        "project_pages": [reverse("programme:project", args=[p.pk]) for p in projects],
        "api": [
            "/api/programme/projects",
            *(f"/api/programme/projects/{p.pk}" for p in projects[:3]),
            "/api/evidence/findings?significant=true&limit=50",
            "/api/evidence/alerts",
        ],
        "decision_forms": [
            {
                "path": reverse("programme:decision_new", args=[p.pk]),
                "data": {
                    "step": "open",
                    "text": "Talk to the community first (a load test's decision).",
                    "rationale": "Written by the load benchmark.",
                    "outcome": "continue",
                },
            }
            for p in projects
        ],
        "step_forms": [
            {
                "path": reverse("programme:step_edit", args=[p.pk, "open"]),
                "data": {"status": "in_progress", "notes": "Edited by the load benchmark."},
            }
            for p in projects
        ],
    }
    out.write_text(json.dumps(data, indent=1), encoding="utf-8")


def _load(url: str, env: dict[str, str], csv_prefix: Path, args: argparse.Namespace) -> None:
    command = [
        str(BIN / "locust"), "-f", str(USERS_FILE), "--headless", "--host", url,
        "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.time,
        "--csv", str(csv_prefix), "--only-summary", "--loglevel", "WARNING",
        "--stop-timeout", "10",
    ]  # fmt: skip
    # locust exits with 1 when any request failed: the failures are read from its CSV.
    subprocess.run(command, env=env, check=False)


def _rows(csv_prefix: Path) -> list[Row]:
    with Path(f"{csv_prefix}_stats.csv").open(encoding="utf-8") as handle:
        return [
            Row(
                name=line["Name"] if line["Name"] != "Aggregated" else "all requests",
                requests=int(line["Request Count"]),
                failures=int(line["Failure Count"]),
                median_ms=float(line["50%"] or "nan"),
                p95_ms=float(line["95%"] or "nan"),
                per_second=float(line["Requests/s"]),
            )
            for line in csv.DictReader(handle)
        ]


def _steady_rows(path: Path) -> tuple[float, list[Row]]:
    """The steady state's rows (after everyone signed in), from the locustfile's record."""
    if not path.exists():
        return 0.0, []
    import numpy as np

    record = json.loads(path.read_text(encoding="utf-8"))
    seconds = float(record["seconds"])
    kinds = {name: np.array(rows, dtype=float) for name, rows in record["requests"].items()}
    kinds["all requests"] = np.concatenate([rows for rows in kinds.values()])
    return seconds, [
        Row(
            name=name,
            requests=len(rows),
            failures=int(rows[:, 1].sum()),
            median_ms=float(np.median(rows[:, 0])),
            p95_ms=float(np.percentile(rows[:, 0], 95)),
            per_second=len(rows) / seconds if seconds else float("nan"),
        )
        for name, rows in kinds.items()
    ]


def _failures(csv_prefix: Path) -> list[str]:
    path = Path(f"{csv_prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [
            f"{line['Method']} {line['Name']}: {line['Error']} ({line['Occurrences']} times)"
            for line in csv.DictReader(handle)
        ]


Outcome = tuple[list[Row], list[str], tuple[float, list[Row]], tuple[float, float]]


def _database_run(database: str, results: Path, work: Path, args: argparse.Namespace) -> Outcome:
    env = {
        **os.environ,
        "FOCUSON_VAR": str(work / f"var-{database}"),
        "DJANGO_SETTINGS_MODULE": "focuson.web.settings.base",
    }
    env.pop("DATABASE_URL", None)
    with _postgres(work) if database == "postgres" else _nothing() as url:
        if url:
            env["DATABASE_URL"] = url
        print(f"[{database}] seeding the web app from the demo's results...", flush=True)
        python = str(BIN / "python")
        _run([python, "-m", "focuson.web.demo", str(results)], env, "seeding")
        env["FOCUSON_LOAD_TARGETS"] = str(work / f"targets-{database}.json")
        _run([python, __file__, "--targets", env["FOCUSON_LOAD_TARGETS"]], env, "targets")
        with _serving(env, work / f"serve-{database}.log") as server:
            print(f"[{database}] {args.users} users for {args.time} at {server}...", flush=True)
            prefix = work / f"locust-{database}"
            env["FOCUSON_LOAD_STEADY"] = f"{prefix}-steady.json"
            before = os.getloadavg()[0]
            _load(server, env, prefix, args)
            # The one-minute load average at the end: the server's, locust's and anyone else's.
            load = (before, os.getloadavg()[0])
    steady = _steady_rows(Path(env["FOCUSON_LOAD_STEADY"]))
    return _rows(prefix), _failures(prefix), steady, load


@contextmanager
def _nothing() -> Iterator[str]:
    yield ""


def _table(rows: list[Row]) -> list[str]:
    lines = [
        "| requests | count | errors | median (ms) | 95th percentile (ms) | requests/s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in sorted(rows, key=lambda r: (r.name == "all requests", r.name)):
        name = f"**{r.name}**" if r.name == "all requests" else r.name
        lines.append(
            f"| {name} | {r.requests:,} | {r.failures:,} | {r.median_ms:,.0f} | "
            f"{r.p95_ms:,.0f} | {r.per_second:,.1f} |"
        )
    return lines


def _password_check_seconds() -> tuple[int, float]:
    """Django's PBKDF2 iterations and the time one password check takes here (best of 3)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    iterations = PBKDF2PasswordHasher.iterations
    times = []
    for _ in range(3):
        start = time.perf_counter()
        hashlib.pbkdf2_hmac("sha256", b"a demo password", b"a salt", iterations)
        times.append(time.perf_counter() - start)
    return iterations, min(times)


def _reading(rows: list[Row], users: int) -> list[str]:
    """What the numbers say: every kind of page but signing in, and why signing in is slow."""
    pages = [r for r in rows if r.name != "all requests" and not r.name.startswith("sign in")]
    if not pages:
        return []
    slowest = max(pages, key=lambda r: r.p95_ms)
    iterations, seconds = _password_check_seconds()
    return [
        f"Every kind of request but signing in has a median of at most "
        f"{max(r.median_ms for r in pages):,.0f} ms; the slowest 95th percentile is "
        f"{slowest.name}'s, {slowest.p95_ms:,.0f} ms. Signing in is slow by design: a password "
        f"is checked with {iterations:,} iterations of PBKDF2 ({seconds:.2f} s of one core here), "
        f"and the {users} people sign in within seconds of each other, so the checks queue for "
        "the cores and the other pages' slow tail falls in those seconds.",
        "",
    ]


def _report(runs: dict[str, Outcome], args: argparse.Namespace) -> str:
    cores = os.cpu_count()
    lines = [
        "# The web app under load",
        "",
        f"`benchmarks/web_load.py`, {dt.date.today():%Y-%m-%d}, on {platform.machine()} with "
        f"{cores} cores ({platform.platform()}, Python {platform.python_version()}). Other "
        "work shared the machine during the run, and locust ran on it too.",
        "",
        f"{args.users} simulated people ({args.spawn_rate} more a second) for {args.time}, each "
        "waiting 1-3 s between requests: programme leads (7 in 10) browse the board, the findings "
        "explorer, findings, projects and the API, record decisions and edit steps; viewers "
        "browse. The app runs under `focuson serve` (gunicorn, 2 workers x 8 threads) on "
        f"loopback, seeded by `focuson demo --no-serve --scale {args.scale}`. Forms are counted "
        "twice: the GET of the form and its POST (with the redirect it answers). The two runs are "
        "minutes apart on a machine other work shares: compare them with their load averages.",
        "",
    ]
    for database, (rows, failures, (seconds, steady), load) in runs.items():
        total = next((r for r in rows if r.name == "all requests"), None)
        lines += [
            f"## {'SQLite' if database == 'sqlite' else 'PostgreSQL'}",
            "",
            f"Load average of the machine (1 minute): {load[0]:.1f} before the run, "
            f"{load[1]:.1f} at its end, on {os.cpu_count()} cores.",
            "",
        ]
        if total is not None:
            lines += [
                f"{total.requests:,} requests, **{total.failures} errors**, "
                f"{total.per_second:.1f} requests/s, median {total.median_ms:.0f} ms, "
                f"95th percentile {total.p95_ms:.0f} ms.",
                "",
            ]
        lines += [*_table(rows), "", *_reading(rows, args.users)]
        if failures:
            lines += ["Errors:", "", *(f"- {f}" for f in failures), ""]
        if steady:
            lines += [
                f"The steady state: the last {seconds:.0f} s, from five seconds after the last "
                f"of the {args.users} had signed in:",
                "",
                *_table(steady),
                "",
            ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--time", default="2m", help="How long the load lasts (locust's -t).")
    parser.add_argument("--scale", type=float, default=0.01, help="The demo's scale.")
    parser.add_argument("--out", type=Path, default=RESULTS / "web_load.md")
    parser.add_argument("--keep", action="store_true", help="Keep the work folder.")
    parser.add_argument("--targets", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.targets:
        targets(args.targets)
        return
    work = Path(tempfile.mkdtemp(prefix="focuson-web-load-"))
    # Only a folder under /tmp is reachable by the postgres user when run as root.
    work.chmod(0o755)
    try:
        env = {**os.environ, "FOCUSON_VAR": str(work / "var-sqlite")}
        env.pop("DATABASE_URL", None)
        env["DJANGO_SETTINGS_MODULE"] = "focuson.web.settings.base"
        print("Running the demo's Find and monitoring...", flush=True)
        _run(
            [str(BIN / "focuson"), "demo", "--scale", str(args.scale), "--no-serve",
             "--no-open", "--out", str(work / "demo")],
            env, "focuson demo",
        )  # fmt: skip
        runs = {
            db: _database_run(db, work / "demo" / "results", work, args) for db in args.databases
        }
        args.out.write_text(_report(runs, args) + "\n", encoding="utf-8")
        print(args.out.read_text())
    finally:
        if args.keep:
            print(f"Work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
