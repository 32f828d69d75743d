"""Notebooks made from a template, one per row of a table: the municipality pages.

`templates/kommune.ipynb` is a papermill template with a `kommune` parameter. For every municipality
in the data package, `chapters/kommuner/<kommunenummer>.ipynb` is the template with papermill's
injected-parameters cell after its `parameters` cell and the municipality's name as its title.
`sirkbok regenerate` writes the instances whose source differs from that (new, changed template,
renamed municipality) before it surveys the notebooks, so the ordinary provenance then runs exactly
the pages whose inputs changed; an instance whose municipality is gone is removed. `--check` only
reports. Light on purpose (no pandas, nbformat or papermill): it runs on every no-op regenerate.
"""

from __future__ import annotations

import copy
import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

from sirkbok.core.errors import Problem, UserError
from sirkbok.core.files import inside, write_atomic
from sirkbok.datapackage import descriptor
from sirkbok.run import provenance

TEMPLATE = provenance.PACKAGE_DIR / "templates" / "kommune.ipynb"
FOLDER = Path("chapters") / "kommuner"
TABLE = "kommuner"
KEY = "kommunenummer"
PARAMETER = "kommune"
INSTANCE_NAME = re.compile(r"^[0-9]{4}\.ipynb$")
_MARKUP = re.compile(r"([\\`*_{}\[\]<>#+\-!|~:$^&=])")


@dataclass(frozen=True)
class Instance:
    """One municipality's page: where it goes and its unexecuted notebook."""

    path: Path
    number: str
    notebook: dict


def _rows(root: Path) -> list[dict[str, str]]:
    """The municipalities (number, name) from the package's CSV (validated elsewhere); none in a
    book without a municipality table."""
    folder = root / "data"
    if not descriptor.package_file(folder).is_file() or TABLE not in descriptor.table_names(folder):
        return []
    path = descriptor.table_path(TABLE, folder)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row.get(KEY)]
    # ASCII digits exactly as written: `\d` would take «３３９９», strip() a padded duplicate.
    bad = [row[KEY] for row in rows if not re.fullmatch(r"[0-9]{4}", row[KEY])]
    if bad:
        raise UserError(
            Problem(
                file=f"data/{path.name}",
                column=KEY,
                message="Et kommunenummer kan ikke bli navnet på en kommuneside.",
                found=bad[0],
                expected="fire sifre",
            )
        )
    return rows


def _title(name: str) -> str:
    """The municipality's name as a Markdown heading that cannot turn into markup."""
    return _MARKUP.sub(r"\\\1", " ".join(name.split()))


def instantiate(template: dict, number: str, name: str) -> dict:
    """The template for one municipality, parameterised as papermill would do it."""
    notebook = copy.deepcopy(template)
    cells = notebook["cells"]
    cells[0] = {
        "cell_type": "markdown",
        "id": "tittel",
        "metadata": {},
        "source": f"# {_title(name)}\n\n<!-- Lagd av `sirkbok regenerate` fra "
        "scripts/sirkbok/templates/kommune.ipynb; rediger malen, ikke denne fila. -->",
    }
    at = next(
        i
        for i, cell in enumerate(cells)
        if "parameters" in cell.get("metadata", {}).get("tags", [])
    )
    cells.insert(
        at + 1,
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "injected-parameters",
            "metadata": {"tags": ["injected-parameters", "remove-cell"]},
            "outputs": [],
            "source": f"# Parameters\n{PARAMETER} = {json.dumps(number)}\n",
        },
    )
    notebook["metadata"].setdefault("sirkbok", {})["template"] = "kommune"
    return notebook


def planned(root: Path) -> list[Instance]:
    """Every page as its municipality and the template make it now."""
    template = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    return [
        Instance(
            path=root / FOLDER / f"{row[KEY]}.ipynb",
            number=row[KEY],
            notebook=instantiate(template, row[KEY], row.get("navn", "")),
        )
        for row in _rows(root)
    ]


def _current(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _leftovers(root: Path, wanted: set[Path]) -> list[Path]:
    """Generated pages whose municipality is no longer in the data package."""
    folder = root / FOLDER
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path in wanted or not INSTANCE_NAME.match(path.name):
            continue
        notebook = _current(path) or {}
        if provenance.sirkbok_metadata(notebook).get("template") == "kommune":
            found.append(path)
    return found


def pending(root: Path) -> list[tuple[Path, str]]:
    """What `sync` would change, with the reason in Norwegian (for `--check`)."""
    plan = planned(root)
    changes = []
    for instance in plan:
        current = _current(instance.path)
        if current is None:
            changes.append((instance.path, "kommunesiden er ikke laget fra malen ennå"))
        elif provenance.source_hash(current) != provenance.source_hash(instance.notebook):
            changes.append((instance.path, "malen eller kommunens navn er endret"))
    for path in _leftovers(root, {i.path for i in plan}):
        changes.append((path, "kommunen finnes ikke lenger i data/kommuner.csv"))
    return changes


def sync(root: Path) -> list[Path]:
    """Write new and changed pages (unexecuted: regenerate runs them next), remove orphans. Every
    page is resolved inside the book first (`core.files.inside`): one that leads out changes nothing."""
    plan = {i.path: i for i in planned(root)}
    todo = [path for path, _ in pending(root)]
    for path in todo:
        inside(root, path.relative_to(root))
    for path in todo:
        if path in plan:
            path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(plan[path].notebook, indent=1, sort_keys=True, ensure_ascii=False)
            write_atomic(path, text + "\n")
        else:
            path.unlink()
    return todo
