"""The import rules of ARCHITECTURE.md, checked on the source rather than trusted."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "focuson"
PURE = ["stats", "spc"]
BANNED = {"pandas", "ibis", "django", "polars", "pyspark", "duckdb", "statsmodels"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py")) if (SRC / package).exists() else []


@pytest.mark.parametrize("path", [p for pkg in PURE for p in _modules(pkg)], ids=str)
def test_pure_modules_import_no_frames_engines_or_web(path):
    assert not (_imports(path) & BANNED), f"{path} imports {_imports(path) & BANNED}"


@pytest.mark.parametrize("path", [p for pkg in PURE for p in _modules(pkg)], ids=str)
def test_pure_modules_never_use_the_global_random_generator(path):
    text = path.read_text()
    for call in ("np.random.seed", "np.random.normal(", "np.random.rand", "random.random("):
        assert call not in text, f"{path} uses the global generator ({call}); use default_rng(seed)"


@pytest.mark.parametrize("path", _modules("charts"), ids=str)
def test_charts_only_draw(path):
    """charts/ turns published aggregates into pictures: it computes no statistics."""
    tree = ast.parse(path.read_text(), filename=str(path))
    focuson_imports = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("focuson")
    }
    assert all(m.startswith("focuson.charts") for m in focuson_imports), focuson_imports


def _focuson_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("focuson.")}


#: What the web app may never reach into: the engine, the raw-data loaders and Find's internals
#: (patient-level rows live there). It reads results folders, reports, charts and statistics.
WEB_BANNED = ("focuson.engine", "focuson.data", "focuson.find", "focuson.runs.find")
#: Find's modules that work on published rows only (the funnel's limits from published counts).
WEB_ALLOWED = ("focuson.find.funnel",)


@pytest.mark.parametrize("path", _modules("web"), ids=str)
def test_the_web_app_never_reaches_into_the_engine(path):
    reached = {
        m for m in _focuson_imports(path) if m.startswith(WEB_BANNED) and m not in WEB_ALLOWED
    }
    assert not reached, f"{path} imports {reached}"


@pytest.mark.parametrize(
    "path", [p for p in SRC.rglob("*.py") if "web" not in p.relative_to(SRC).parts], ids=str
)
def test_only_the_web_app_imports_django(path):
    assert not {"django", "ninja"} & _imports(path), f"{path} imports Django"
