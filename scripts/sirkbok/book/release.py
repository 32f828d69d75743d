"""`sirkbok release VERSION` (`make release VERSION=…`): a citable edition, committed and tagged.

Stamps the version and date into CITATION.cff (the edition's one home, read by the site footer, the
PDF title page and «Slik siterer du») and .zenodo.json, turns the changelog's «Ikke utgitt» section
into the version's section, commits, and tags `vVERSION`. Every check runs before anything is
written: a bad version, a dirty working tree, an existing tag or an empty changelog section changes
nothing.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import subprocess
from pathlib import Path

from sirkbok.book import edition
from sirkbok.core import context
from sirkbok.core.errors import UserError
from sirkbok.core.files import write_atomic

CHANGELOG = "CHANGELOG.md"
ZENODO = ".zenodo.json"
UNRELEASED = "## [Ikke utgitt]"


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)


def check_version(version: str) -> None:
    if not edition.VERSION_PATTERN.fullmatch(version):
        raise UserError(
            f"Versjonen «{version}» er ikke gyldig: forventet tre tall skilt med punktum, uten "
            "innledende nuller, som 1.2.0 (kommandolinjen, VERSION=…)."
        )


def check_repository(root: Path, version: str) -> None:
    """A clean git working tree without the tag: a release is exactly one commit of known files."""
    status = _git(root, "status", "--porcelain")
    if status.returncode != 0:
        raise UserError(f"{root} er ikke et git-repo; en versjon må kunne committes og tagges.")
    if status.stdout.strip():
        changed = ", ".join(line[3:] for line in status.stdout.splitlines()[:5])
        raise UserError(
            f"Arbeidskopien har endringer som ikke er committet ({changed}). Commit eller legg "
            "dem bort først, så versjonen blir akkurat det som er committet."
        )
    if _git(root, "rev-parse", "-q", "--verify", f"refs/tags/v{version}").returncode == 0:
        raise UserError(f"Taggen v{version} finnes allerede; velg et nytt versjonsnummer.")


def stamp_citation(text: str, version: str, day: datetime.date) -> str:
    """CITATION.cff with the new version and date; comments and layout stay as they are."""
    for key, value in (("version", f'"{version}"'), ("date-released", day.isoformat())):
        text, count = re.subn(rf"(?m)^{key}:.*$", f"{key}: {value}", text)
        if count != 1:
            raise UserError(f"{edition.CITATION}: fant {count} linjer med «{key}:», forventet én.")
    return text


def stamp_zenodo(text: str, version: str, day: datetime.date) -> str:
    data = json.loads(text)
    data["version"] = version
    data["publication_date"] = day.isoformat()
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def stamp_changelog(text: str, version: str, day: datetime.date) -> str:
    """The «Ikke utgitt» section becomes the version's; a new empty one goes on top."""
    start = text.find(UNRELEASED + "\n")
    if start < 0:
        raise UserError(f"{CHANGELOG}: fant ikke avsnittet «{UNRELEASED}».")
    body_start = start + len(UNRELEASED) + 1
    following = text.find("\n## [", body_start)
    body = text[body_start : following if following >= 0 else len(text)]
    if not body.strip():
        line = text.count("\n", 0, start) + 1
        raise UserError(
            f"{CHANGELOG}, linje {line}: avsnittet «{UNRELEASED}» er tomt; skriv hva som er "
            "endret før du lager en versjon."
        )
    heading = f"{UNRELEASED}\n\n## [{version}] – {day.isoformat()}\n"
    return text[:start] + heading + text[body_start:]


def release(root: Path, version: str, day: datetime.date) -> None:
    check_version(version)
    check_repository(root, version)
    files = {
        edition.CITATION: lambda text: stamp_citation(text, version, day),
        ZENODO: lambda text: stamp_zenodo(text, version, day),
        CHANGELOG: lambda text: stamp_changelog(text, version, day),
    }
    stamped, original = {}, {}
    for name, stamp in files.items():
        path = root / name
        if not path.is_file():
            raise UserError(f"{name} mangler i {root}.")
        original[name] = path.read_bytes()
        stamped[name] = stamp(original[name].decode("utf-8"))
    head = _git(root, "rev-parse", "-q", "--verify", "HEAD").stdout.strip()
    try:
        for name, text in stamped.items():
            write_atomic(root / name, text)
        edition.read(root)  # the stamped file must read back as a valid edition
        for args in (
            ("add", "--", *stamped),
            ("commit", "-q", "-m", f"Release v{version}"),
            ("tag", "-a", f"v{version}", "-m", f"Versjon {version}, {day.isoformat()}"),
        ):
            result = _git(root, *args)
            if result.returncode != 0:
                raise UserError(_git_failed(args[0], result.stderr))
    except BaseException:
        _roll_back(root, head, original)
        raise


def _roll_back(root: Path, head: str, original: dict[str, bytes]) -> None:
    """Back to the clean tree the release started from: no release commit, nothing staged, the
    files as they were (the tree was checked clean first, so nothing of the user's is lost)."""
    if head and _git(root, "rev-parse", "HEAD").stdout.strip() != head:
        _git(root, "reset", "-q", "--soft", head)
    if head:
        _git(root, "reset", "-q", "--", *original)
    else:  # a repository without a first commit: unstage by removing from the index only
        _git(root, "rm", "-q", "--cached", "--ignore-unmatch", "--", *original)
    for name, data in original.items():
        write_atomic(root / name, data)


def _git_failed(step: str, stderr: str) -> str:
    """What failed in Norwegian, what to do, and git's own last line for the details."""
    said = stderr.strip().splitlines()[-1] if stderr.strip() else "ingen melding"
    restored = f"{edition.CITATION}, {ZENODO} og {CHANGELOG} er satt tilbake; ingenting er endret."
    if "ident" in stderr or "user.email" in stderr or "user.name" in stderr:
        return (
            f"git {step} feilet fordi git ikke vet hvem som lager versjonen (navn og e-post "
            f'mangler). {restored} Sett dem med «git config user.name "Ditt Navn"» og '
            f"«git config user.email navn@example.org», og kjør release på nytt. (git: {said})"
        )
    return f"git {step} feilet. {restored} Rett feilen og kjør release på nytt. (git: {said})"


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"fant «{text}», forventet en dato som 2026-12-01"
        ) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("version", metavar="VERSJON", help="Versjonsnummeret, som 1.2.0.")
    parser.add_argument(
        "--date",
        type=_day,
        default=None,
        metavar="DATO",
        help="Utgivelsesdatoen (ÅÅÅÅ-MM-DD; standard: i dag).",
    )


def run(args: argparse.Namespace) -> int:
    root = context.current().root
    day = args.date or datetime.date.today()
    release(root, args.version, day)
    print(
        f"Versjon {args.version} ({day.isoformat()}) er committet og tagget som v{args.version}. "
        f"Publiser med: git push && git push origin v{args.version}"
    )
    return 0
