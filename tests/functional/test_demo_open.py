"""``focuson demo --open`` hands the report to the web browser; the default opens it only when a
person at a screen is there to see it."""

import webbrowser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from focuson import cli
from focuson.cli import app

runner = CliRunner()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    # Record what would be opened: a test must never start a real browser on the machine.
    urls: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: urls.append(url) or True)
    return urls


def _demo(tmp_path: Path, *flags: str):
    env = {"FOCUSON_REFERENCE_DATA": str(tmp_path / "absent"), "COLUMNS": "200"}
    args = ["demo", "--out", str(tmp_path / "demo"), "--scale", "0.02", "--no-web", *flags]
    return runner.invoke(app, args, env=env)


def test_open_hands_the_report_to_the_browser(tmp_path, opened):
    result = _demo(tmp_path, "--open")
    assert result.exit_code == 0, result.stdout
    report = (tmp_path / "demo" / "results" / "report.html").resolve()
    assert opened == [report.as_uri()]


def test_by_default_nothing_is_opened_without_a_terminal(tmp_path, opened):
    result = _demo(tmp_path)
    assert result.exit_code == 0, result.stdout
    assert opened == []
    assert "report.html" in " ".join(result.stdout.split())


def test_no_screen_on_a_headless_linux_terminal(monkeypatch):
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert not cli._has_screen()
    monkeypatch.setenv("DISPLAY", ":0")
    assert cli._has_screen()
