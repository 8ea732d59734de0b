"""Find and Monitor refuse, before any work, a results folder holding their own inputs."""

import datetime as dt

import pytest

from focuson.runs.find import run_find
from focuson.runs.monitor import run_monitor
from focuson.runs.output import ResultsFolderError


@pytest.mark.parametrize("run", [run_find, run_monitor], ids=["find", "monitor"])
def test_the_duckdb_file_of_tables_in_the_engine_is_never_replaced(tmp_path, run):
    out = tmp_path / "out"
    out.mkdir()
    db = out / "warehouse.duckdb"
    db.write_bytes(b"the tables")
    imd = tmp_path / "imd.csv"
    imd.write_text("lsoa,decile\n")
    with pytest.raises(ResultsFolderError, match="holds the input of this run"):
        run(None, out, imd=imd, as_of=dt.date(2025, 3, 31), engine_url=str(db), overwrite=True)
    assert db.read_bytes() == b"the tables"
