"""Which notebooks are stale, and why: what `sirkbok regenerate` runs and what `check` reports.

A notebook is current when the inputs recorded in its provenance are the inputs it has now, its
outputs are the ones that run made, and its figures are still the files that run wrote. A page
made from a template (`sirkbok.run.instances`) is stale too when it no longer matches its template.
These are library functions: they return data and print nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sirkbok.core.errors import Problem, UserError
from sirkbok.run import instances, provenance


def stale_reasons(root: Path, current: provenance.Inputs, notebook: dict) -> list[str]:
    """Why the notebook must run again (Norwegian, for people); empty when it is current."""
    record = provenance.recorded(notebook)
    if record is None:
        return ["notatboka er aldri kjørt med «sirkbok regenerate»"]
    reasons = []
    old = record.get("inputs", {})
    for key in sorted(set(old) | set(current.hashes)):
        before, now = old.get(key), current.hashes.get(key)
        if before == now:
            continue
        if key == current.relative:
            reasons.append("innholdet i notatboka er endret")
        elif now is None:
            reasons.append(f"{key} finnes ikke lenger")
        elif key not in old:
            reasons.append(f"{key} er et nytt inndata")
        else:
            reasons.append(f"{key} er endret")
    if record.get("outputs") not in (None, provenance.outputs_hash(notebook)):
        reasons.append("utdataene i notatboka er endret utenom «sirkbok regenerate»")
    for key, digest in sorted(record.get("figures", {}).items()):
        actual = provenance.sha256_file(root / key)
        if actual is None:
            reasons.append(f"figuren {key} mangler")
        elif actual != digest:
            reasons.append(f"figuren {key} er endret etter kjøringen")
    return reasons


@dataclass
class Status:
    inputs: provenance.Inputs
    reasons: list[str]


def survey(root: Path, selected: list[Path] | None = None) -> list[Status]:
    """Current inputs and staleness of every (selected) notebook; refuses wrong declarations."""
    statuses = []
    problems: list[Problem] = []
    for path in selected if selected is not None else provenance.notebooks(root):
        notebook = provenance.read(path)
        current = provenance.inputs(root, path, notebook)
        problems.extend(current.problems)
        statuses.append(Status(inputs=current, reasons=stale_reasons(root, current, notebook)))
    if problems:
        unique = list(dict.fromkeys(problems))
        raise UserError(unique)
    return statuses


def stale(root: Path, selected: list[Path] | None = None) -> dict[Path, list[str]]:
    """Every stale notebook (of `selected`, or all) with why, sorted by path; executes nothing.

    Includes template pages that are missing or out of date. Raises UserError when a notebook
    declares its inputs wrongly.
    """
    found = {s.inputs.path: s.reasons for s in survey(root, selected) if s.reasons}
    for path, reason in instances.pending(root):
        if selected is None or path in selected or not path.exists():
            found[path] = [reason, *found.get(path, [])]
    return dict(sorted(found.items()))
