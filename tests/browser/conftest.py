"""A headless Debian Chromium (never a downloaded browser), driven by Playwright, and the
demo's Find and monitoring reports built once per module from a small synthetic dataset.

Chromium and axe-core come from ``scripts/setup.sh --engines`` (Debian's ``chromium``, and
``npm ci`` from ``package-lock.json``); when either is missing the tests fail saying so.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from focuson.data.synthetic import generate
from focuson.reference_folder import find_reference_folder
from focuson.runs.find import run_find
from focuson.runs.monitor import run_monitor

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("FOCUSON_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: Screenshots are kept here after the run (var/ is not committed).
ARTEFACTS = ROOT / "var" / "test-artefacts" / "browser"
#: The flags a closed network needs: nothing in the background tries to reach the internet.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SETUP = "Run scripts/setup.sh --engines (it installs Debian's chromium and runs npm ci)."


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Find report and the monitoring report of a synthetic dataset at scale 0.01, as the
    demo writes them (Find, then Monitor into the same results folder)."""
    folder = tmp_path_factory.mktemp("demo")
    # The demo's reference folder (real LSOAs) when there is one, as `focuson demo` does.
    data = generate(folder / "data", scale=0.01, reference_dir=find_reference_folder(None).path)
    results = folder / "results"
    run_find(data.mapping, results)
    run_monitor(data.mapping, results)
    return {"find": results / "report.html", "monitor": results / "monitor" / "monitor.html"}


@pytest.fixture(scope="module")
def planted_frames() -> tuple[Any, Any, Any]:
    """The report unit tests' hand-made findings, gradients and indicators (more than ten
    significant gaps in the latest period)."""
    where = ROOT / "tests" / "unit" / "reports" / "conftest.py"
    spec = importlib.util.spec_from_file_location("_report_frames", where)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    indicators = module.make_indicators(4)
    findings = module.make_findings(indicators)
    return findings, module.make_gradients(findings), indicators


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Debian's Chromium, headless, with a fresh profile; fails (never skips) when missing."""
    if not CHROMIUM.is_file():
        pytest.fail(f"No Chromium at {CHROMIUM}: the browser tests need it. {SETUP}")
    if not AXE.is_file():
        pytest.fail(f"No axe-core at {AXE.relative_to(ROOT)}. {SETUP}")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        # A persistent context is the only way to give Chromium its own --user-data-dir.
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            ignore_default_args=["--enable-automation"],
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="session")
def axe() -> Path:
    """axe-core's script, from node_modules (npm ci)."""
    return AXE


@pytest.fixture(scope="session")
def artefacts() -> Path:
    """The folder the screenshots go to, emptied at the start of the session."""
    shutil.rmtree(ARTEFACTS, ignore_errors=True)
    ARTEFACTS.mkdir(parents=True)
    return ARTEFACTS


@dataclass(frozen=True)
class WebApp:
    """The web app running under ``focuson serve``: its address and the demo's accounts."""

    url: str
    #: role -> (username, password), as ``focuson demo`` made them.
    accounts: dict[str, tuple[str, str]]
    var: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_health(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"focuson serve stopped (status {server.returncode}): {log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/health/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"focuson serve did not answer {url}/health/ within 3 minutes: {log.read_text()}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Ctrl-C to the server's own process group (focuson serve, gunicorn and the task worker,
    all started here), then kill whatever is left: nothing stays running after the tests."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGINT)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebApp]:
    """``focuson demo --no-serve`` at scale 0.01 into its own var folder (SQLite), then
    ``focuson serve`` on a free port of 127.0.0.1 in a subprocess, stopped at the end.

    Tests using it need ``pytest.mark.allow_hosts(["127.0.0.1"])`` (pytest-socket) and
    ``pytest.mark.xdist_group("browser")``: one app serves every journey module of the worker, so
    a journey makes its own objects and never assumes it is the first to change the demo.
    """
    folder = tmp_path_factory.mktemp("web")
    var = folder / "var"
    focuson = str(Path(sys.executable).with_name("focuson"))
    env = {
        **os.environ,
        "FOCUSON_VAR": str(var),
        "DJANGO_SETTINGS_MODULE": "focuson.web.settings.base",
    }
    env.pop("DATABASE_URL", None)
    demo = subprocess.run(
        [focuson, "demo", "--scale", "0.01", "--no-serve", "--no-open",
         "--out", str(folder / "demo")],
        env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    if demo.returncode != 0:
        pytest.fail(f"focuson demo --no-serve failed ({demo.returncode}): {demo.stderr[-4000:]}")
    accounts = {}
    for line in (var / "web" / "demo-accounts.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            role, username, password = line.split()
            accounts[role] = (username, password)
    port = _free_port()
    log = folder / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [focuson, "serve", "--port", str(port)],
            env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(url, server, log)
        yield WebApp(url=url, accounts=accounts, var=var)
    finally:
        _stop(server)
