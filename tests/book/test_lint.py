"""The code and the notebooks pass the same ruff checks that pre-commit runs (`make lint`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import copy_repo
from sirkbok_dev import structure

RUFF = Path(sys.executable).with_name("ruff")


def test_ruff_lint_passes(repo_root: Path) -> None:
    result = subprocess.run(
        [str(RUFF), "check", "."], cwd=repo_root, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean(repo_root: Path) -> None:
    result = subprocess.run(
        [str(RUFF), "format", "--check", "."], cwd=repo_root, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_no_type_errors(repo_root: Path) -> None:
    """The package, the development tools and the tests, with the settings in pyproject.toml."""
    result = subprocess.run(
        [str(RUFF.with_name("mypy"))], cwd=repo_root, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """import-linter on the book at `root`, with its own package on the path."""
    env = dict(os.environ, PYTHONPATH=str(root / "scripts"))
    return subprocess.run(
        [str(RUFF.with_name("lint-imports")), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
    )


def test_imports_keep_to_the_layers_without_circles(repo_root: Path) -> None:
    result = lint_imports(repo_root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_layers(tmp_path: Path) -> None:
    """The contract is not vacuous: core importing the book layer is refused."""
    book = copy_repo(tmp_path / "bok")
    errors = book / "scripts/sirkbok/core/errors.py"
    errors.write_text(errors.read_text() + "\nfrom sirkbok.book import build  # noqa\n")
    result = lint_imports(book)
    assert result.returncode == 1
    assert "sirkbok.core.errors -> sirkbok.book.build" in result.stdout


def test_structure_picture_in_readme_is_up_to_date(repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert structure.refreshed(readme, structure.picture(repo_root)) == readme, (
        "Bildet av pakken i README.md er utdatert: kjør make structure"
    )
