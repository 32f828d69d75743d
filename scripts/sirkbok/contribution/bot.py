"""`sirkbok contribution EVENT.json`: an issue-form submission turned into a checked branch, or a
Norwegian reply saying what to fix.

The event is untrusted. Its fields are screened (`issue.screen`), a number becomes a data row and
its source (`number`), a chapter goes through the scaffold (`chapter`), and the result must pass the
data package's rules or `sirkbok check`. On any problem the reply lists them and nothing changes. On
success the rows, the source, the regenerated notebooks and figures are committed on the branch
`bidrag/<issue>` and a pull-request text shows every headline number that changed. The command never
talks to GitHub: it prints (and with --out writes) the calls the workflow makes with its own token.
`--dry-run` does it all in a fresh clone of the book in a temporary folder.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sirkbok.contribution import chapter, issue, number
from sirkbok.core import context, publisher
from sirkbok.core.errors import Problem, UserError
from sirkbok.core.files import write_atomic
from sirkbok.core.format import text as plain
from sirkbok.datapackage.validate import validate_package
from sirkbok.pages import headlines

BOT = "sirkbok-bidrag"
PAGES = (".ipynb", ".md")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("event", type=Path, help="Hendelsen fra GitHub (issues), som JSON-fil.")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="Gjør alt i en ny klone i en midlertidig mappe og vis hva som ville blitt gjort.",
    )
    parser.add_argument(
        "--out", type=Path, help="Mappe for svaret, PR-teksten og kallene (calls.json)."
    )


def git(root: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME=BOT, GIT_COMMITTER_NAME=BOT)
    env["GIT_AUTHOR_EMAIL"] = env["GIT_COMMITTER_EMAIL"] = f"{BOT}@users.noreply.github.com"
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise UserError(f"git {' '.join(args[:2])} feilet: {done.stderr.strip()[:500]}")
    return done.stdout


def reply(problems: list[Problem]) -> str:
    """The Norwegian answer on the issue: what to fix, field by field, and that nothing changed."""
    lines = [
        "Takk for bidraget! Roboten kunne ikke ta det inn slik det står. Rett dette ved å redigere "
        "saken (… → «Edit»), så sjekker roboten på nytt:",
        "",
        *(_line(p) for p in problems[:30]),
        "",
        "Ingenting i boka er endret. Spør gjerne i saken om noe er uklart.",
    ]
    return "\n".join(lines)


def _line(problem: Problem) -> str:
    """One thing to fix: the field's label in bold, then what was found and what is expected."""
    field = f"**{plain(problem.column)}:** " if problem.column else ""
    return f"- {field}{plain(str(dataclasses.replace(problem, column=None)))}"


def _api(who: publisher.Publisher) -> str:
    return "/repos/" + who.repository.removeprefix("https://github.com/")


def _restore(root: Path, saved: dict[str, str | None]) -> None:
    for name, text in saved.items():
        if text is None:
            (root / name).unlink(missing_ok=True)
        else:
            write_atomic(root / name, text)


def _apply(
    root: Path, sub: issue.Submission, today: dt.date, before: Callable[[], None]
) -> tuple[str, list[Problem]]:
    """Write the change into `root`; the summary line, or the problems (and `root` unchanged).
    `before` runs just before a number is written (not for a submission refused earlier)."""
    labels = issue.field_labels(root, sub.kind)
    problems = issue.screen(sub, labels)
    if problems:
        return "", problems
    if sub.kind == "kapittel":
        files, problems = chapter.write(root, sub.fields, today)
        if problems:
            git(root, "checkout", "--", ".")
            git(root, "clean", "-fdq", "--", "chapters")
        return f"Nytt kapittel: {', '.join(files)}", problems
    checked, problems = number.read(root, sub.fields, labels, today)
    if problems:
        return "", problems
    change, problems = number.change(root, sub.number, sub.fields, checked, today)
    if problems:
        return "", problems
    saved = {
        name: (root / name).read_text(encoding="utf-8") if (root / name).exists() else None
        for name in change.files
    }
    before()
    for name, text in change.files.items():
        write_atomic(root / name, text)
    problems = validate_package(root / "data").problems
    if problems:
        _restore(root, saved)
    return change.summary, problems


def handle(root: Path, event: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """The outcome for `event` against the book at `root` (a clean git checkout)."""
    who = publisher.read(root)
    with context.using(context.at(root)):
        sub = issue.parse(root, event)
        if sub is None:
            return {"status": "ignorert", "calls": []}
        comments = f"{_api(who)}/issues/{sub.number}/comments"
        before: list[headlines.Headline] = []  # the numbers as they were, for the PR's table
        summary, problems = _apply(root, sub, today, lambda: before.extend(headlines.compute()))
    if problems:
        text = reply(problems)
        call = {"method": "POST", "path": comments, "body": {"body": text}}
        return {"status": "svar", "issue": sub.number, "reply": text, "calls": [call]}
    regenerated = subprocess.run(
        [sys.executable, "-m", "sirkbok", "regenerate"],
        cwd=root,
        env=dict(os.environ, SIRKBOK_ROOT=str(root)),
        capture_output=True,
        text=True,
        check=False,
    )
    if regenerated.returncode != 0:
        raise UserError(f"sirkbok regenerate feilet etter endringen: {regenerated.stderr[-800:]}")
    with context.using(context.at(root)):
        after = headlines.compute() if sub.kind == "tall" else []
    branch = f"bidrag/{sub.number}"
    git(root, "checkout", "-q", "-b", branch)
    git(root, "add", "-A")
    changed = git(root, "diff", "--cached", "--name-only").split()
    git(root, "commit", "-q", "-m", f"Contribution from issue #{sub.number}: {summary}")
    pages = sorted(
        n.rsplit(".", 1)[0] for n in changed if n.startswith("chapters/") and n.endswith(PAGES)
    )
    body = pr_text(
        who, sub, summary, headlines.markdown(headlines.compare(before, after), len(after)), pages
    )
    title = f"Bidrag fra sak #{sub.number}"
    calls = [
        {"method": "GIT", "path": f"push origin {branch}"},
        {
            "method": "POST",
            "path": f"{_api(who)}/pulls",
            "body": {"title": title, "head": branch, "base": "main", "body": body},
        },
        {
            "method": "POST",
            "path": comments,
            "body": {
                "body": "Takk! Roboten har sjekket bidraget og laget et endringsforslag. "
                "Redaksjonen ser over det før det kommer i boka."
            },
        },  # fmt: skip
    ]
    commit = git(root, "rev-parse", "HEAD").strip()
    return {
        "status": "pr",
        "issue": sub.number,
        "branch": branch,
        "commit": commit,
        "files": changed,
        "pull_request": body,
        "calls": calls,
    }


def pr_text(
    who: publisher.Publisher, sub: issue.Submission, summary: str, table: str, pages: list[str]
) -> str:
    links = [f"- [{p}]({who.site}{p}.html)" for p in pages]
    kind = "tallet" if sub.kind == "tall" else "kapitlet"
    return "\n".join(
        [
            f"Legger inn {kind} fra #{sub.number}, sendt inn med skjemaet.",
            "",
            f"**Endring:** {plain(summary)}",
            "",
            *([table, ""] if sub.kind == "tall" else []),
            "**Sider som endres**",
            "",
            *(links or ["- ingen"]),
            "",
            "Roboten har kontrollert datapakken (samme regler som `sirkbok validate`), kjørt "
            "notatbøkene på nytt (`sirkbok regenerate`) og bygger boka strengt i arbeidsflyten; "
            "resultatet står i en kommentar. En person i redaksjonen ser over før det flettes.",
        ]
    )


def run(args: argparse.Namespace) -> int:
    event = issue.read_event(args.event)
    root = context.current().root
    today = dt.date.today()
    if args.dry_run:
        with tempfile.TemporaryDirectory(prefix="sirkbok-bidrag-") as folder:
            clone = Path(folder) / "bok"
            subprocess.run(
                ["git", "clone", "-q", str(root), str(clone)], check=True, capture_output=True
            )
            outcome = handle(clone, event, today)
            outcome["dry_run"] = True
    else:
        if git(root, "status", "--porcelain"):
            raise UserError(
                "Arbeidskopien har endringer som ikke er committet; roboten trenger en ren kopi."
            )
        outcome = handle(root, event, today)
    print(json.dumps(outcome, ensure_ascii=False, indent=2))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        write_atomic(args.out / "calls.json", json.dumps(outcome, ensure_ascii=False, indent=2))
        text = outcome.get("reply") or outcome.get("pull_request") or ""
        write_atomic(args.out / ("svar.md" if "reply" in outcome else "pr.md"), text)
    return 1 if outcome["status"] == "svar" else 0
