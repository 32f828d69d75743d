"""The saved SSB responses in data/snapshots/ssb/<tabell>/<periode>.json and their origin records.

One home for where snapshots live and how their origins are read, for the update itself, the
open-data metadata (DCAT) and the data chapter.
"""

from __future__ import annotations

import json
from pathlib import Path

SNAPSHOTS = Path("data") / "snapshots" / "ssb"


def origins(root: Path) -> list[dict]:
    """The newest snapshot's origin record per table, sorted by table id (empty before any fetch).

    A snapshot that cannot be read is skipped: `sirkbok update ssb` writes them whole, and metadata
    must not fail on a hand-edited file.
    """
    found: list[dict] = []
    folder = root / SNAPSHOTS
    if not folder.is_dir():
        return found
    for table in sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()):
        periods = sorted(p for p in table.glob("*.json") if p.is_file() and not p.is_symlink())
        if not periods:
            continue
        try:
            origin = json.loads(periods[-1].read_text(encoding="utf-8"))["opphav"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if isinstance(origin, dict):
            found.append({**origin, "fil": periods[-1].relative_to(root).as_posix()})
    return found
