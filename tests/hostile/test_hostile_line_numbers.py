"""A refused picture names the line it stands on (issue 22): MyST gives image nodes line 0, and a
card's `:img-top:`, which only the build sees (`sirkbok check` reads no card options), was refused
at «linje 0». A real Sphinx build with the book's guard."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sirkbok.book import containment

CHAPTER = """# Kort

Tekst.

:::{card} Tittel
:img-top: ../utenfor.png

Tekst i kortet.
:::

::::{grid}
:::{grid-item-card} Kort i et rutenett
:img-bottom: ../utenfor-2.png

Tekst.
:::
::::
"""

CONF = """import sys
sys.path.insert(0, ".")
extensions = ["myst_parser", "sphinx_design", "guard_only"]
myst_enable_extensions = ["colon_fence"]
"""

GUARD_ONLY = """from sirkbok.book import guard


def setup(app):
    guard.setup(app)
    return {"parallel_read_safe": True}
"""


def test_a_refused_card_image_names_its_real_line(tmp_path: Path) -> None:
    source = tmp_path / "kilde"
    source.mkdir()
    for name in ("utenfor.png", "utenfor-2.png"):
        (tmp_path / name).write_bytes(b"not inside the book")
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    (source / "guard_only.py").write_text(GUARD_ONLY, encoding="utf-8")
    (source / "index.md").write_text(CHAPTER, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(source), str(tmp_path / "ut")],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    refused = [line for line in output.splitlines() if containment.OUTSIDE.split("{")[0] in line]
    assert refused, output
    assert "linje 0" not in output
    assert any("index.md, linje 6: " in line for line in refused), output  # the card's :img-top:
    assert any("index.md, linje 13: " in line for line in refused), output  # :img-bottom:
