"""The layers of DESIGN.md hold, and import-linter really guards them.

The real tree passes `lint-imports`; a copy of it with one import pointing down the layers
(the core reaching into plans) fails with the layers contract named."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGES = ("portal", "surveys", "forums", "assets_map", "priorities", "plans")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(root / "pyproject.toml")],
        cwd=root, env=env, capture_output=True, text=True, timeout=300,
    )


def copy_python_tree(destination: Path) -> None:
    """The apps' Python files and the contracts: all import-linter reads."""
    shutil.copy(REPO / "pyproject.toml", destination / "pyproject.toml")
    for package in PACKAGES:
        for source in (REPO / package).rglob("*.py"):
            target = destination / source.relative_to(REPO)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    if not LINT_IMPORTS.exists():
        pytest.skip("import-linter is not installed (make install)")
    root = tmp_path_factory.mktemp("layers")
    copy_python_tree(root)
    return root


def test_the_tree_keeps_every_contract(tree):
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def test_an_import_pointing_down_the_layers_fails(tree):
    wrong = tree / "portal" / "pages" / "wrong_way.py"
    wrong.write_text('"""The core reaching up into the top layer: not allowed."""\n\n'
                     "import plans.models  # noqa: F401\n")
    try:
        result = lint_imports(tree)
    finally:
        wrong.unlink()
    assert result.returncode != 0
    assert "Layers: plans over priorities over the feature apps over the core BROKEN" in (
        result.stdout)
    assert "portal.pages.wrong_way -> plans.models" in result.stdout
