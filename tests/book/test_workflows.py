"""The GitHub Actions workflows: valid against GitHub's schema, and doing what publishing needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
LINTER = Path(sys.executable).with_name("check-jsonschema")


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    """The `on:` block (PyYAML reads the bare key `on` as the boolean True)."""
    return workflow.get("on") or workflow.get(True) or {}


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def commands(workflow: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


def uses(workflow: dict[str, Any]) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(workflow) if "uses" in step]


def lint(*files: Path) -> subprocess.CompletedProcess[str]:
    if not LINTER.exists():
        pytest.skip("check-jsonschema er ikke installert (requirements-dev.lock)")
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
    assert pages["permissions"]["pages"] == "write" and pages["permissions"]["id-token"] == "write"
    assert "make book" in commands(pages)


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
