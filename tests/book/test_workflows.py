"""The GitHub Actions workflows: valid against GitHub's schema, doing what publishing needs, and
building contributors' pull requests without secrets or write rights (the trust model, CONTRIBUTING)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sirkbok.core import safeyaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
LINTER = Path(sys.executable).with_name("check-jsonschema")


def load(name: str) -> dict[str, Any]:
    return safeyaml.load((WORKFLOWS / name).read_text(encoding="utf-8"), name)


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    """The `on:` block (PyYAML reads the bare key `on` as the boolean True), always a mapping."""
    on = workflow.get("on") or workflow.get(True) or {}
    if isinstance(on, str):
        return {on: None}
    return {name: None for name in on} if isinstance(on, list) else on


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def commands(workflow: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


def uses(workflow: dict[str, Any]) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(workflow) if "uses" in step]


def lint(*files: Path) -> subprocess.CompletedProcess[str]:
    if not LINTER.exists():
        pytest.skip("check-jsonschema er ikke installert (requirements-dev.txt)")
    return subprocess.run(
        [str(LINTER), "--builtin-schema", "vendor.github-workflows", *map(str, files)],
        capture_output=True,
        text=True,
    )


def test_workflows_pass_the_schema_linter() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} >= {"ci.yml", "pages.yml", "linkcheck.yml"}
    result = lint(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_linter_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "name: x\non: push\njobs:\n  a:\n    steps:\n      - run: true\n", encoding="utf-8"
    )
    assert lint(broken).returncode != 0


def test_ci_tests_and_builds_every_pull_request() -> None:
    ci = load("ci.yml")
    assert {"pull_request", "push"} <= set(triggers(ci))
    run = commands(ci)
    assert "apt-get install" in run and "chromium" in run
    assert "make test" in run and "make book" in run
    artifact = [s for s in steps(ci) if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert artifact and artifact[0]["with"]["path"] == "_build/html"
    assert all(job.get("container", "").startswith("python:3.11") for job in ci["jobs"].values())


def test_pages_deploys_main_after_ci_passed() -> None:
    pages = load("pages.yml")
    after = triggers(pages)["workflow_run"]
    assert after["workflows"] == [load("ci.yml")["name"]] and after["branches"] == ["main"]
    assert "conclusion == 'success'" in pages["jobs"]["build"]["if"]
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses(pages))
    deploy = pages["jobs"]["deploy"]["permissions"]
    assert deploy == {"pages": "write", "id-token": "write"}  # only the job that publishes
    assert pages["permissions"] == {"contents": "read"}
    assert "make book" in commands(pages)


def test_pages_refuses_to_publish_placeholders() -> None:
    workflow = load("pages.yml")
    build = workflow["jobs"]["build"]["steps"]
    names = [str(step.get("run", "")) for step in build]
    gate = next(i for i, run in enumerate(names) if "sirkbok check --publish" in run)
    assert gate < next(i for i, run in enumerate(names) if "make book" in run)


def test_links_are_checked_weekly() -> None:
    linkcheck = load("linkcheck.yml")
    crons = [entry["cron"] for entry in triggers(linkcheck)["schedule"]]
    assert len(crons) == 1 and crons[0].split()[2:4] == ["*", "*"] and crons[0].split()[4] != "*"
    assert "--builder linkcheck" in commands(linkcheck)


def test_ssb_update_runs_monthly_opens_one_pull_request_and_keeps_event_text_out_of_shells() -> (
    None
):
    workflow = load("ssb.yml")
    on = triggers(workflow)
    assert "workflow_dispatch" in on and on["schedule"][0]["cron"].split()[2:4] == ["3", "*"]
    assert workflow["permissions"] == {"contents": "read"}
    [job] = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    run = commands(workflow)
    assert "sirkbok update ssb --summary" in run and "sirkbok regenerate" in run
    assert "git status --porcelain -- data" in run  # no change: no commit, no pull request
    assert "${{" not in run
    assert all("${{ github.event" not in str(step) for step in steps(workflow))
    assert "actions/github-script" in uses(workflow)
    # Nothing after the check runs unless data/ changed.
    names = [step.get("name") for step in steps(workflow)]
    after = steps(workflow)[names.index("Anything changed?") + 1 :]
    assert after and all(s["if"] == "steps.changed.outputs.any == 'true'" for s in after)
    # One pull request, its text read from the summary file the update wrote.
    [script] = [s for s in steps(workflow) if s.get("uses", "").startswith("actions/github-script")]
    assert script["env"]["SUMMARY"].endswith("/ssb.md") and '"$RUNNER_TEMP/ssb.md"' in run
    code = script["with"]["script"]
    assert "readFileSync(process.env.SUMMARY" in code
    assert "pulls.list" in code and "pulls.update" in code and "pulls.create" in code


# --- pull requests run without secrets or write rights --------------------------------------------

# Text a contributor controls, which must never be pasted into a shell line by an expression.
UNTRUSTED_CONTEXTS = ("github.event.", "github.head_ref")


def _permissions(workflow: dict[str, Any]) -> list[Any]:
    jobs = workflow.get("jobs") or {}
    return [workflow.get("permissions")] + [
        job["permissions"] for job in jobs.values() if "permissions" in job
    ]


def safety_problems(workflow: dict[Any, Any]) -> list[str]:
    """What would let a contributor's pull request reach secrets or write rights."""
    problems = []
    on = triggers(workflow)
    if "pull_request_target" in on:
        problems.append("pull_request_target kjører bidragsyterens kode med repoets rettigheter")
    if "permissions" not in workflow:
        problems.append("mangler «permissions:» øverst (standard er skriverettigheter)")
    top = workflow.get("permissions")
    if top == "write-all" or (isinstance(top, dict) and set(top.values()) - {"read", "none"}):
        problems.append(
            "skriverett øverst gjelder alle jobbene; gi den bare til jobben som trenger den"
        )
    for permissions in _permissions(workflow):
        if permissions == "write-all":
            problems.append("permissions: write-all")
        if "pull_request" in on and isinstance(permissions, dict):
            written = [k for k, v in permissions.items() if v not in ("read", "none")]
            if written:
                problems.append(f"pull_request med skriverett: {', '.join(written)}")
    text = repr(workflow)
    if "pull_request" in on and "secrets." in text:
        problems.append("pull_request bruker secrets")
    for job_name, job in (workflow.get("jobs") or {}).items():
        for step in job.get("steps", []):
            command = str(step.get("run", ""))
            for expression in command.split("${{")[1:]:
                if any(context in expression.split("}}")[0] for context in UNTRUSTED_CONTEXTS):
                    problems.append(f"{job_name}: uttrykk med bidragsyters tekst i run:")
        checks_out = any(
            str(s.get("uses", "")).startswith("actions/checkout@") for s in job.get("steps", [])
        )
        for step in job.get("steps", []):
            ref = str((step.get("with") or {}).get("ref", ""))
            issue_text = "issues" in on or "issue_comment" in on
            if issue_text and "github.event." in ref and "repository.default_branch" not in ref:
                problems.append(f"{job_name}: en sak styrer hvilken kode som sjekkes ut")
        if "workflow_run" in on and checks_out:
            if "workflow_run.event == 'push'" not in str(job.get("if", "")):
                problems.append(f"{job_name}: workflow_run sjekker ut kode fra et endringsforslag")
    return problems


def test_every_workflow_builds_pull_requests_without_secrets_or_write_rights() -> None:
    files = sorted(WORKFLOWS.glob("*.y*ml"))
    assert files
    for file in files:
        assert safety_problems(load(file.name)) == [], file.name


UNSAFE = {
    "pull_request_target": """
on: pull_request_target
permissions: {contents: read}
jobs:
  a:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
        with: {ref: "${{ github.event.pull_request.head.sha }}"}
      - run: make book
""",
    "no permissions": """
on: pull_request
jobs:
  a:
    runs-on: ubuntu-24.04
    steps: [{run: make test}]
""",
    "write-all": """
on: push
permissions: write-all
jobs:
  a:
    runs-on: ubuntu-24.04
    steps: [{run: make test}]
""",
    "pull request may write": """
on: [pull_request, push]
permissions: {contents: read}
jobs:
  a:
    runs-on: ubuntu-24.04
    permissions: {contents: write, pull-requests: write}
    steps: [{run: make test}]
""",
    "secret in a pull request": """
on: pull_request
permissions: {contents: read}
jobs:
  a:
    runs-on: ubuntu-24.04
    steps:
      - run: make test
        env: {TOKEN: "${{ secrets.DEPLOY_TOKEN }}"}
""",
    "title in a shell line": """
on: issues
permissions: {contents: read}
jobs:
  a:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "${{ github.event.issue.title }}"
""",
    "branch name in a shell line": """
on: pull_request
permissions: {contents: read}
jobs:
  a:
    runs-on: ubuntu-24.04
    steps:
      - run: git switch ${{ github.head_ref }}
""",
    "workflow_run of a pull request": """
on:
  workflow_run: {workflows: [CI], types: [completed]}
permissions: {contents: read}
jobs:
  a:
    if: github.event.workflow_run.conclusion == 'success'
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
        with: {ref: "${{ github.event.workflow_run.head_sha }}"}
      - run: make book
""",
    "write rights for every job": """
on: push
permissions: {contents: write}
jobs:
  a:
    runs-on: ubuntu-24.04
    steps: [{run: make test}]
""",
    "issue chooses the code": """
on: {issues: {types: [opened]}}
permissions: {contents: read}
jobs:
  a:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
        with: {ref: "${{ github.event.issue.title }}"}
      - run: make book
""",
}


CAUGHT_AS = {
    "issue chooses the code": "en sak styrer hvilken kode som sjekkes ut",
    "pull_request_target": "pull_request_target",
    "no permissions": "mangler «permissions:»",
    "write-all": "write-all",
    "pull request may write": "pull_request med skriverett: contents, pull-requests",
    "secret in a pull request": "pull_request bruker secrets",
    "title in a shell line": "uttrykk med bidragsyters tekst i run:",
    "branch name in a shell line": "uttrykk med bidragsyters tekst i run:",
    "workflow_run of a pull request": "workflow_run sjekker ut kode fra et endringsforslag",
    "write rights for every job": "skriverett øverst",
}


@pytest.mark.parametrize("name", sorted(UNSAFE))
def test_a_planted_unsafe_workflow_is_caught(name: str, tmp_path: Path) -> None:
    planted = tmp_path / "plantet.yml"
    planted.write_text(f"name: plantet\n{UNSAFE[name]}", encoding="utf-8")
    found = safety_problems(safeyaml.load(planted.read_text(encoding="utf-8"), "plantet.yml"))
    assert any(CAUGHT_AS[name] in problem for problem in found), found


def test_contributions_run_the_default_branchs_code_with_the_issue_text_in_a_file() -> None:
    workflow = load("bidrag.yml")
    assert safety_problems(workflow) == []
    assert triggers(workflow) == {"issues": {"types": ["opened", "edited"]}}
    assert workflow["permissions"] == {"contents": "read"}
    check, publish = workflow["jobs"]["check"], workflow["jobs"]["publish"]
    assert "'tall'" in check["if"] and "'nytt kapittel'" in check["if"]  # the forms' labels
    assert check["permissions"] == {"contents": "read"}
    assert publish["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
        "issues": "write",
    }
    for job in (check, publish):
        [checkout] = [
            s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/checkout@")
        ]
        assert checkout["with"]["ref"] == "${{ github.event.repository.default_branch }}"
    assert check["steps"][0]["with"]["persist-credentials"] is False
    run = commands({"jobs": {"check": check}})
    assert 'sirkbok contribution "$GITHUB_EVENT_PATH"' in run
    for command in (
        "sirkbok validate",
        "sirkbok regenerate --check",
        "sirkbok check",
        "sirkbok build",
    ):
        assert command in run
    assert "${{" not in commands(workflow)  # issue text and number reach shells as env or file
    # The job that may write runs nothing from the submission: a bundle, then the bot's calls.
    publish_run = commands({"jobs": {"publish": publish}})
    assert "sirkbok" not in publish_run and "make" not in publish_run
    assert "actions/github-script" in uses(workflow)
