"""The whole default catalogue on the synthetic population: identical aggregates everywhere.

This is the issue's "done when": the same catalogue gives identical aggregates on DuckDB,
PySpark and PostgreSQL. Every indicator, every period, every dimension, every group.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from focuson.data.contracts import LoadedDataset, load_dataset
from focuson.data.synthetic import generate
from focuson.engine import DIMENSIONS, load_default_catalogue

SCALE = 0.01


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LoadedDataset, Path]]:
    summary = generate(tmp_path_factory.mktemp("synthetic"), scale=SCALE, seed=5)
    with load_dataset(summary.mapping) as data:
        yield data, summary.imd_file


def test_default_catalogue_gives_identical_aggregates(engine, synthetic):
    data, imd_file = synthetic
    catalogue = load_default_catalogue()
    expected = engine.check(data.connection, catalogue, imd=imd_file)
    # Every indicator of the catalogue was counted, in every dimension, over several months.
    assert set(expected.indicator) == {ind.id for ind in catalogue}
    assert set(expected.dimension) == set(DIMENSIONS)
    assert expected.period.nunique() >= 12
