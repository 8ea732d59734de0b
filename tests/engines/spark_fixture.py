"""The Spark session of the engine tests: one quiet local session per test run (per worker).

``tests/engines/conftest.py`` imports :func:`spark_backend` from here and adds ``"pyspark"``
to the ``engine`` parametrisation. Spark takes about 10 s to start, so the session is started
once, on the first test that asks for it, and stopped at the end of the run. A test using it
must carry :data:`SPARK_MARKS` (the ``engine`` parameter carries the same marks): the
``xdist_group("spark")`` puts every Spark test on one xdist worker (one JVM, one session), and
``allow_hosts`` lets PySpark talk to its JVM over 127.0.0.1 while every other host stays
blocked by pytest-socket.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import ibis
import pytest

#: Hosts the Spark tests may connect to: the JVM of the local session (Py4J), nothing else.
LOCALHOST = ["127.0.0.1", "::1", "localhost"]
SETUP_HINT = "run scripts/setup.sh --engines, which installs it"
#: The marks of every test that uses :func:`spark_backend`.
SPARK_MARKS = [
    pytest.mark.spark,
    pytest.mark.xdist_group("spark"),
    # PySpark leaves the sockets it reads results from to the garbage collector ("closed when
    # garbage-collected", pyspark.util._load_from_socket): a ResourceWarning per query.
    pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning"),
    pytest.mark.allow_hosts(LOCALHOST),
]


@pytest.fixture(scope="session")
def spark_backend() -> Iterator[ibis.BaseBackend]:
    """An Ibis PySpark backend on a local Spark session (``local[2]``), for the whole run.

    Fails (never skips) when Java or PySpark is missing: the test command installs them.
    """
    if shutil.which("java") is None:
        pytest.fail(f"Java (for Spark) is missing: {SETUP_HINT}")
    try:
        from focuson.engine.spark import connect_spark
    except ImportError as error:  # pragma: no cover - depends on the machine
        pytest.fail(f"PySpark is missing ({error}): {SETUP_HINT}")
    try:
        backend = connect_spark()
    except Exception as error:  # pragma: no cover - depends on the machine
        pytest.fail(f"Spark did not start ({error}); {SETUP_HINT}")
    yield backend
    backend.disconnect()
