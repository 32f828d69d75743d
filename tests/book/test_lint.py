"""The code and the notebooks pass the same ruff checks that pre-commit runs (`make lint`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
