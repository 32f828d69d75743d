"""CI guard: no notebook in the book may be older than the data, code or text it is made from."""

from __future__ import annotations

from pathlib import Path

from conftest import sirkbok


def test_every_figure_is_up_to_date(repo_root: Path) -> None:
    result = sirkbok("regenerate", "--check", root=repo_root)
    assert result.returncode == 0, (
        "Utdaterte notatbøker – kjør «make figures» og legg inn resultatet:\n"
        + result.stdout
        + result.stderr
    )
    assert "Alle figurer er oppdatert." in result.stdout
