"""The monitoring history: a damaged file is named, another dataset's months are refused."""

from __future__ import annotations

import pandas as pd
import pytest

from focuson.monitor import history

LEVELS = pd.DataFrame(
    {"indicator": "a", "period": ["2024-01", "2024-02"], "dimension": "sex", "group": "F"}
)
DATASET = {"name": "North", "tables": "files", "lsoa_vintage": 2021, "imd_sha256": "ab" * 32}


def _history(out, dataset=DATASET):
    history.write(out, {"levels": LEVELS})
    manifest = {"months": ["2024-01", "2024-02"], "dataset": dataset}
    history.write_manifest_for(out, manifest, files=["levels.parquet"])


def test_a_stored_table_is_read_back(tmp_path):
    _history(tmp_path)
    pd.testing.assert_frame_equal(history.read(tmp_path, "levels"), LEVELS)
    history.check_files(tmp_path)
    assert history.is_history(tmp_path)


def test_a_truncated_file_is_named_with_what_to_do(tmp_path):
    _history(tmp_path)
    path = history.folder(tmp_path) / "levels.parquet"
    path.write_bytes(path.read_bytes()[:399])
    for check in (lambda: history.read(tmp_path, "levels"), lambda: history.check_files(tmp_path)):
        with pytest.raises(history.HistoryError, match="SHA-256 differs") as caught:
            check()
        assert str(caught.value).startswith(f"{path}: ")
        assert "--overwrite" in str(caught.value)


def test_an_unreadable_file_without_a_listed_hash_is_named(tmp_path):
    history.folder(tmp_path).mkdir()
    path = history.folder(tmp_path) / "levels.parquet"
    path.write_bytes(b"PAR1 not really")
    with pytest.raises(history.HistoryError, match="cannot read this file") as caught:
        history.read(tmp_path, "levels")
    assert str(caught.value).startswith(f"{path}: ")


def test_a_missing_file_and_a_damaged_manifest_are_named(tmp_path):
    _history(tmp_path)
    (history.folder(tmp_path) / "levels.parquet").unlink()
    with pytest.raises(history.HistoryError, match=r"levels\.parquet: this file .* is missing"):
        history.check_files(tmp_path)
    manifest = history.folder(tmp_path) / "manifest.json"
    manifest.write_text('{"months": [')
    with pytest.raises(history.HistoryError, match="cannot read the manifest") as caught:
        history.check_dataset(tmp_path, DATASET)
    assert str(caught.value).startswith(f"{manifest}: ")


def test_another_datasets_months_are_refused(tmp_path):
    _history(tmp_path)
    history.check_dataset(tmp_path, DATASET)
    other = {**DATASET, "name": "South", "imd_sha256": "cd" * 32}
    with pytest.raises(history.HistoryError) as caught:
        history.check_dataset(tmp_path, other)
    text = str(caught.value)
    assert text.startswith(f"{history.folder(tmp_path)}: this monitoring history is of another")
    assert "name 'North' there, 'South' here" in text
    assert "imd_sha256 'abababababab...' there" in text
    assert "--out" in text and "--overwrite" in text


def test_a_history_without_a_dataset_takes_the_next_runs(tmp_path):
    _history(tmp_path, dataset=None)
    history.check_dataset(tmp_path, DATASET)
    history.check_dataset(tmp_path / "nothing-yet", DATASET)
