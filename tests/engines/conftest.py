"""One spec, every engine: the fixtures that start the engines and compare them with DuckDB.

Every test in this folder takes the ``engine`` fixture, parametrised over DuckDB, PySpark and
PostgreSQL. Each engine starts lazily, once per run, on the first test that needs it:
PostgreSQL from Debian's binaries through ``scripts/postgres.sh`` (a throwaway cluster in a
temporary folder, on a Unix socket, dropped at the end); Spark as one local session from
``spark_fixture.py``. Under xdist every test of an engine carries ``xdist_group(<engine>)``, so
each server starts on one worker only, and a marker per engine (``-m "not spark"`` for a quick
loop).

A test builds a small DuckDB database holding the contract tables (hand-made rows or the
synthetic population), then ``engine.check(...)`` counts a catalogue on DuckDB straight from that
database (the reference), copies the tables into the engine the way ``focuson find --engine``
does, counts there, and asserts the two AGGREGATES frames are identical: same rows, counts
exactly equal. Where an engine cannot do something, the test carries a strict ``xfail`` gap
marker naming the exception and the reason (see :data:`GAP_MARKERS`).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import ibis
import pandas as pd
import pytest

from focuson.data.contracts import CONTRACTS, LOAD_TABLE
from focuson.engine import aggregate
from focuson.engine.backends import copy_tables

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_SCRIPT = ROOT / "scripts" / "postgres.sh"
SETUP_HINT = "run scripts/setup.sh --engines, which installs it"
LOCALHOST = ["127.0.0.1", "::1", "localhost"]

# The Spark session fixture (written with the PySpark engine), when that file is there.
_SPARK_FIXTURE = Path(__file__).with_name("spark_fixture.py")
if _SPARK_FIXTURE.is_file():
    _spec = importlib.util.spec_from_file_location("focuson_tests_spark_fixture", _SPARK_FIXTURE)
    assert _spec is not None and _spec.loader is not None
    _spark_module = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_spark_module)
    spark_backend = _spark_module.spark_backend


@dataclass(frozen=True)
class Capability:
    """What differs between engines, in one place (ibis style: one class per engine)."""

    name: str
    #: The marker of the engine's tests (``-m "not spark"``).
    marker: str
    #: The fraction of the Hypothesis profile's examples run on this engine (Spark is slow).
    examples_share: float


CAPABILITIES: dict[str, Capability] = {
    "duckdb": Capability("duckdb", "duckdb", 1 / 6),
    "postgres": Capability("postgres", "postgres", 1 / 6),
    "pyspark": Capability("pyspark", "spark", 1 / 30),
}
ENGINE_NAMES = tuple(CAPABILITIES)

#: The gap markers (ibis style): ``@pytest.mark.notimpl(["pyspark"], raises=Error, reason=...)``
#: marks a test as failing on those engines, strictly (it fails once the gap is closed).
GAP_MARKERS = {
    "notimpl": "not implemented in focuson for this engine yet",
    "notyet": "the engine (or its Ibis backend) cannot do it yet",
    "never": "the engine will never do it",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Turn a gap marker into a strict xfail on the engines it names (and only on those)."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is None or "engine" not in callspec.params:
            continue
        for marker in GAP_MARKERS:
            for mark in item.iter_markers(marker):
                (engines,) = mark.args
                if callspec.params["engine"] in engines:
                    reason = mark.kwargs["reason"]
                    item.add_marker(
                        pytest.mark.xfail(
                            raises=mark.kwargs["raises"], reason=f"{marker}: {reason}", strict=True
                        )
                    )


def _engine_param(name: str) -> Any:
    cap = CAPABILITIES[name]
    if name == "pyspark" and _SPARK_FIXTURE.is_file():
        # Spark's own marks (its xdist group, localhost for Py4J, its known warnings).
        return pytest.param(name, marks=list(_spark_module.SPARK_MARKS), id=name)
    marks = [getattr(pytest.mark, cap.marker), pytest.mark.allow_hosts(LOCALHOST)]
    if name != "duckdb":
        # One worker per server: every test of the engine goes to the same xdist worker.
        marks.append(pytest.mark.xdist_group(name))
    return pytest.param(name, marks=marks, id=name)


ENGINE_PARAMS = [_engine_param(n) for n in ENGINE_NAMES]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster (Debian's server binaries) on a Unix socket, for the run."""
    if not any(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")) or shutil.which("bash") is None:
        pytest.fail(f"the PostgreSQL server binaries are missing: {SETUP_HINT}")
    # Under /tmp, not pytest's tmp_path: the server runs as the postgres user, who cannot enter
    # pytest's private (0700, root-owned) temporary folders.
    folder = Path(tempfile.mkdtemp(prefix="focuson-pg-"))
    started = subprocess.run(
        ["bash", str(POSTGRES_SCRIPT), "start", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if started.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start ({started.stderr.strip()}); {SETUP_HINT}")
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run(["bash", str(POSTGRES_SCRIPT), "stop", str(folder)], check=False)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_backend(postgres_url: str) -> Iterator[ibis.BaseBackend]:
    from focuson.engine.postgres import connect_postgres

    backend = connect_postgres(postgres_url)
    yield backend
    backend.disconnect()


@pytest.fixture(scope="session")
def duckdb_backend() -> Iterator[ibis.BaseBackend]:
    """A DuckDB database of its own: the tables are copied in, as into the other engines."""
    backend = ibis.duckdb.connect()
    yield backend
    backend.disconnect()


@dataclass
class Engine:
    """An engine under test: its backend, and the comparison with DuckDB."""

    capability: Capability
    backend: ibis.BaseBackend
    workdir: Path
    _loads: Iterator[int] = field(default_factory=itertools.count)

    @property
    def name(self) -> str:
        return self.capability.name

    def load(self, con: duckdb.DuckDBPyConnection) -> None:
        """Copy every table of ``con`` into the engine (replacing the previous test's)."""
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        copy_tables(con, self.backend, names, workdir=self.workdir / f"load{next(self._loads)}")

    def check(self, con: duckdb.DuckDBPyConnection, catalogue: Any, **kwargs: Any) -> pd.DataFrame:
        """Aggregate on DuckDB and on the engine; assert identical frames; return DuckDB's."""
        expected = aggregate(con, catalogue, **kwargs)
        self.load(con)
        got = aggregate(self.backend, catalogue, **kwargs)
        assert_same(got, expected)
        return expected


def assert_same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """The same rows (in any order) with exactly equal counts."""
    keys = ["indicator", "period", "dimension", "group", "band"]
    pd.testing.assert_frame_equal(
        got.sort_values(keys).reset_index(drop=True),
        expected.sort_values(keys).reset_index(drop=True),
        check_exact=True,
    )


@pytest.fixture(scope="session", params=ENGINE_PARAMS)
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """Each engine in turn, started on first use (once per run)."""
    name = request.param
    if name == "pyspark" and not _SPARK_FIXTURE.is_file():
        pytest.fail("tests/engines/spark_fixture.py (the Spark session fixture) is missing")
    backend = request.getfixturevalue(f"{name.removeprefix('py')}_backend")
    return Engine(CAPABILITIES[name], backend, tmp_path_factory.mktemp(f"engine-{name}"))


# ---------------------------------------------------------------------------------------------
# Small contract databases for the spec
# ---------------------------------------------------------------------------------------------

D = dt.date
T = dt.datetime
#: The IMD lookup of the hand-made tables: two LSOAs in two boroughs (a third LSOA, E01000003,
#: is deliberately missing: a person there has no decile and no borough).
IMD = pd.DataFrame(
    {
        "lsoa_code": ["E01000001", "E01000002"],
        "imd_decile": [1, 10],
        "lad_name": ["Brent", "Ealing"],
    }
)


#: The extract date of the hand-made tables.
AS_OF = D(2024, 4, 30)


def contract_db(
    rows: Mapping[str, Sequence[Sequence[Any]]], *, as_of: dt.date | None = AS_OF
) -> duckdb.DuckDBPyConnection:
    """A DuckDB database with all eight contract tables (empty unless given rows) and a load
    table carrying ``as_of`` (as :func:`~focuson.data.contracts.load_dataset` writes)."""
    con = duckdb.connect()
    for name, contract in CONTRACTS.items():
        cols = ", ".join(f"{c.name} {c.sql_type}" for c in contract.columns)
        con.execute(f"CREATE TABLE {name} ({cols})")
        given = rows.get(name, ())
        if given:
            marks = ", ".join("?" * len(contract.columns))
            con.executemany(f"INSERT INTO {name} VALUES ({marks})", [list(r) for r in given])
    con.execute(f"CREATE TABLE {LOAD_TABLE} (table_name VARCHAR, as_of DATE)")
    if as_of is not None:
        con.execute(f"INSERT INTO {LOAD_TABLE} VALUES ('persons', ?)", [as_of])
    return con


@pytest.fixture(scope="session")
def imd() -> pd.DataFrame:
    """The IMD lookup of the hand-made tables (see :data:`IMD`)."""
    return IMD


@pytest.fixture
def make_db() -> Iterator[Callable[..., duckdb.DuckDBPyConnection]]:
    """:func:`contract_db`, closing every database made at the end of the test."""
    made: list[duckdb.DuckDBPyConnection] = []

    def make(*args: Any, **kwargs: Any) -> duckdb.DuckDBPyConnection:
        made.append(contract_db(*args, **kwargs))
        return made[-1]

    yield make
    for con in made:
        con.close()
