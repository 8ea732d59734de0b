"""Uploaded zips: unsafe ones are refused before anything is written; good ones unpack."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from tests.web.evidence.conftest import zip_folder

from focuson.web.evidence.folder import ImportRefusedError
from focuson.web.evidence.unpack import check_zip, unpack


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


@pytest.mark.parametrize("name", ["../evil.txt", "results/../../evil.txt", "/etc/evil", "C:/evil"])
def test_check_zip_refuses_a_path_outside_the_folder(tmp_path: Path, name: str) -> None:
    archive = _zip(tmp_path / "bad.zip", {"results/manifest.json": b"{}", name: b"x"})

    with pytest.raises(ImportRefusedError, match="outside the folder"):
        check_zip(archive, name="upload.zip")


def test_check_zip_refuses_a_zip_bomb(tmp_path: Path) -> None:
    # 20 MB of zeros compress about a thousandfold: no results file does that.
    archive = _zip(tmp_path / "bomb.zip", {"results/findings.parquet": bytes(20_000_000)})

    with pytest.raises(ImportRefusedError, match="compression ratio"):
        check_zip(archive)


def test_check_zip_refuses_more_than_the_unpacked_limit(tmp_path: Path, settings) -> None:
    settings.FOCUSON_MAX_UNPACKED_BYTES = 1000
    archive = _zip(tmp_path / "big.zip", {"results/a.bin": bytes(range(256)) * 8})

    with pytest.raises(ImportRefusedError, match="would unpack to"):
        check_zip(archive)


def test_check_zip_refuses_a_file_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "results.zip"
    path.write_bytes(b"not a zip at all")

    with pytest.raises(ImportRefusedError, match=r"results\.zip: not a zip file"):
        check_zip(path)


def test_unpack_finds_the_results_folder_inside_the_zip(
    results_folder: Path, tmp_path: Path
) -> None:
    archive = zip_folder(results_folder, tmp_path / "results.zip")

    root = unpack(archive, tmp_path / "unpacked")

    assert root == tmp_path / "unpacked" / "results"
    assert (root / "manifest.json").is_file() and (root / "monitor" / "levels.parquet").is_file()


def test_unpack_of_a_zip_without_a_manifest_leaves_nothing(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "other.zip", {"notes/readme.txt": b"hello"})

    with pytest.raises(ImportRefusedError, match=r"no manifest\.json in the zip"):
        unpack(archive, tmp_path / "unpacked")
    assert not (tmp_path / "unpacked").exists()


def test_check_zip_refuses_a_symbolic_link(tmp_path: Path) -> None:
    import stat

    link = zipfile.ZipInfo("results/manifest.json")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(link, "/etc/passwd")

    with pytest.raises(ImportRefusedError, match="is a link or a special file"):
        check_zip(path)
