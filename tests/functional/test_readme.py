"""The README's Python examples run as written."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example_runs(code, monkeypatch, tmp_path):
    if "../shared/data" in code:
        if not (ROOT.parent / "shared" / "data").is_dir():
            pytest.skip("the shared reference data folder is not next to the project")
        monkeypatch.chdir(ROOT)
    else:
        monkeypatch.chdir(tmp_path)  # examples that write files write them here
    exec(compile(code, "README.md", "exec"), {})


def test_readme_has_examples():
    assert len(BLOCKS) >= 2
