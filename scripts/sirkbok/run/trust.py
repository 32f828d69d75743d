"""Which notebooks may run: the book's trust model, enforced before any kernel starts.

Contributions (region chapters, data, spreadsheets, issue forms) are untrusted and never execute;
the maintainers' code (`scripts/`, the chapters in `chapters/tema/` and `chapters/strategi/`, the
pages directly in `chapters/`, the municipality template and the workflows) is trusted, and
`.github/CODEOWNERS` makes the maintainers approve every change to it. A notebook anywhere else
runs only when the maintainers' allowlist `ALLOWLIST` names it with the hash of the source they
reviewed, so an edit after the review makes it untrusted again. A municipality page is trusted
when it is exactly what the trusted template makes. `sirkbok check` reports every refusal;
`regenerate`, `build` and `run` refuse before anything executes, and every notebook is checked
against the notebook schema before any of its cells runs.
"""

from __future__ import annotations

from pathlib import Path

from sirkbok.core import safeyaml
from sirkbok.core.errors import Problem, UserError
from sirkbok.run import instances, provenance

# Folders (from the book's root) whose notebooks are the maintainers' code.
TRUSTED_FOLDERS = ("chapters/tema/", "chapters/strategi/")
TOP = "chapters"  # notebooks directly in chapters/ are the maintainers' pages
ALLOWLIST = ".github/trusted-notebooks.yml"  # maintainers only (CODEOWNERS)


def allowlist(root: Path) -> dict[str, str]:
    """The notebooks the maintainers allow outside the trusted folders: path -> source hash."""
    path = root / ALLOWLIST
    if not path.is_file() or path.is_symlink():
        return {}
    content = safeyaml.load(path.read_text(encoding="utf-8"), ALLOWLIST) or {}
    listed = content.get("notebooks") if isinstance(content, dict) else None
    if listed is None:
        return {}
    if not isinstance(listed, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in listed.items()
    ):
        raise UserError(
            Problem(
                file=ALLOWLIST,
                message="«notebooks:» må være en liste med én linje per notatbok.",
                expected="«  chapters/regioner/…/navn.ipynb: <kontrollsum>»",
            )
        )
    return listed


def generated_pages(root: Path) -> dict[str, str]:
    """The municipality pages as the trusted template makes them now: path -> source hash."""
    return {
        i.path.relative_to(root).as_posix(): provenance.source_hash(i.notebook)
        for i in instances.planned(root)
    }


def refusal(
    root: Path, path: Path, approved: dict[str, str], generated: dict[str, str]
) -> Problem | None:
    """Why the notebook at `path` may not run, or None when it may (`approved`: the allowlist,
    `generated`: `generated_pages`)."""
    shown = path.relative_to(root).as_posix()
    try:
        relative = path.resolve(strict=True).relative_to(root.resolve()).as_posix()
    except (OSError, ValueError):
        relative = ""
    if path.is_symlink() or not relative or not path.is_file():
        return Problem(
            file=shown,
            message="Notatboka er en lenke eller ikke en vanlig fil i boka, og blir ikke kjørt.",
            expected="en vanlig fil",
        )
    if relative.startswith(TRUSTED_FOLDERS) or Path(relative).parent.as_posix() == TOP:
        return None
    digest = provenance.source_hash(provenance.read(path))
    if digest in (approved.get(relative), generated.get(relative)):
        return None
    if relative in generated:
        return Problem(
            file=shown,
            message="Kommunesiden er ikke lik det malen lager nå, og blir ikke kjørt slik den er.",
            expected="siden laget på nytt fra malen: kjør «make figures» (sirkbok regenerate)",
        )
    changed = relative in approved
    return Problem(
        file=shown,
        message=(
            "Notatboka er endret etter at redaksjonen godkjente den, og blir ikke kjørt."
            if changed
            else "Notatboka ligger utenfor mappene med redaksjonens kode (chapters/tema, "
            "chapters/strategi), og kode fra bidrag blir ikke kjørt. Skriv kapitlet som "
            "Markdown (.md), eller be redaksjonen lese koden og godkjenne notatboka i "
            f"{ALLOWLIST}."
        ),
        expected=f"en linje «  {relative}: {digest}» under «notebooks:» i {ALLOWLIST}, "
        "lagt inn av redaksjonen",
    )


def refusals(root: Path, notebooks: list[Path] | None = None) -> list[Problem]:
    """One problem per notebook (every notebook of the book by default) that may not run."""
    approved, generated = allowlist(root), generated_pages(root)
    found = []
    for path in provenance.notebooks(root) if notebooks is None else notebooks:
        try:
            problem = refusal(root, path, approved, generated)
        except UserError as error:  # not JSON: it cannot run either
            found += error.problems
            continue
        if problem is not None:
            found.append(problem)
    return found


def schema_problem(path: Path, shown: str) -> Problem | None:
    """The notebook checked against the notebook format's schema (nbformat), before it runs."""
    import nbformat

    try:
        nbformat.validate(nbformat.reads(path.read_text(encoding="utf-8"), as_version=4))
    except nbformat.ValidationError as error:
        where = "/".join(str(part) for part in error.absolute_path) or "notatboka"
        return Problem(
            file=shown,
            message="Notatboka følger ikke notatbokformatet (nbformat 4) og blir ikke kjørt. "
            f"Feilen er i «{where}»: {_brief(error.message)}",
            expected="en notatbok lagret av Jupyter",
        )
    except (ValueError, UnicodeDecodeError) as error:  # not JSON, or not a notebook at all
        return Problem(
            file=shown,
            message=f"Notatboka kan ikke leses som en notatbok ({_brief(str(error))}), og blir "
            "ikke kjørt.",
        )
    return None


def _brief(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line[:200]


def screen(root: Path, notebooks: list[Path] | None = None, schema: bool = True) -> list[Problem]:
    """Every reason not to run `notebooks` (every notebook of the book by default): untrusted,
    then (with `schema`) not a valid notebook. Reads only; without the schema fast enough for
    every no-op regenerate."""
    problems = refusals(root, notebooks)
    refused = {p.file for p in problems}
    for path in (provenance.notebooks(root) if notebooks is None else notebooks) if schema else []:
        shown = path.relative_to(root).as_posix()
        if shown not in refused and (problem := schema_problem(path, shown)) is not None:
            problems.append(problem)
    return problems


def require(root: Path, notebooks: list[Path] | None = None, schema: bool = True) -> None:
    """Refuse, before anything runs, when any of `notebooks` (default: all) may not run."""
    problems = screen(root, notebooks, schema)
    if problems:
        raise UserError(problems)
