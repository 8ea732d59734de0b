"""A headless Debian Chromium (never a downloaded browser), driven by Playwright, and the
demo's Find and monitoring reports built once per module from a small synthetic dataset.

Chromium and axe-core come from ``scripts/setup.sh --engines`` (Debian's ``chromium``, and
``npm ci`` from ``package-lock.json``); when either is missing the tests fail saying so.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
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
