"""``focuson demo`` ends with the web app: a port in use is said at once, before any work."""

import socket

import pytest
from typer.testing import CliRunner

from focuson.cli import app

runner = CliRunner()


@pytest.mark.allow_hosts(["127.0.0.1"])
def test_a_port_in_use_is_said_before_the_analyses(tmp_path):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {"FOCUSON_REFERENCE_DATA": str(tmp_path / "absent"), "COLUMNS": "200"}
        args = ["demo", "--out", str(tmp_path / "demo"), "--port", str(port), "--no-open"]
        result = runner.invoke(app, args, env=env)
    assert result.exit_code == 2
    assert f"Port {port} on 127.0.0.1 is in use" in " ".join(result.output.split())
    assert not (tmp_path / "demo").exists(), "the demo started its work on a port it cannot use"
