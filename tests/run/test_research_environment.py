"""The reproducible environment and how to cite: lock file, CITATION.cff, Binder, launch links."""

from __future__ import annotations

import datetime
import re
import tomllib
from pathlib import Path

import pytest
import yaml


def canonical(name: str) -> str:
    """PEP 503: `Ruamel.YAML` and `ruamel-yaml` are the same package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(text: str) -> dict[str, str]:
    found = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip().rstrip("\\").strip()
        if not line or line.startswith("--"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;]+)", line)
        assert match, f"ikke låst med ==: {line}"
        found[canonical(match.group(1))] = match.group(3)
    return found


TEST_TOOLS = {
    "pytest",
    "pytest-xdist",
    "hypothesis",
    "playwright",
    "axe-playwright-python",
    "pypdf",
    "frictionless",
    "check-jsonschema",
    "ruff",
    "pre-commit",
    "mypy",
    "import-linter",
    "pyshacl",
    "types-pyyaml",
    "types-openpyxl",
}


def locked(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    return pins(
        "\n".join(line for line in text.splitlines() if not line.strip().startswith("--hash"))
    )


def requirements(repo_root: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The one source of requirements: pyproject's dependencies and its [dev] extra."""
    project = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return pins("\n".join(project["dependencies"])), pins(
        "\n".join(project["optional-dependencies"]["dev"])
    )


def test_every_requirement_is_locked_at_its_pinned_version(repo_root: Path) -> None:
    runtime, dev = requirements(repo_root)
    runtime_lock = locked(repo_root / "requirements.txt")
    dev_lock = locked(repo_root / "requirements-dev.txt")
    wrong = {n: (v, runtime_lock.get(n)) for n, v in runtime.items() if runtime_lock.get(n) != v}
    wrong |= {
        n: (v, dev_lock.get(n)) for n, v in {**runtime, **dev}.items() if dev_lock.get(n) != v
    }
    assert not wrong, f"kjør «make lock»: pyproject.toml og låsefilene er ulike: {wrong}"


def test_the_runtime_lock_has_no_test_tools_and_the_dev_lock_extends_it(repo_root: Path) -> None:
    runtime_lock = locked(repo_root / "requirements.txt")
    dev_lock = locked(repo_root / "requirements-dev.txt")
    assert set(requirements(repo_root)[1]) == TEST_TOOLS
    assert not TEST_TOOLS & set(runtime_lock)
    assert TEST_TOOLS <= set(dev_lock)
    # One environment: every runtime package at the same version in the development lock.
    assert {name: dev_lock.get(name) for name in runtime_lock} == runtime_lock


@pytest.mark.parametrize("lock", ["requirements.txt", "requirements-dev.txt"])
def test_every_locked_package_has_a_hash(repo_root: Path, lock: str) -> None:
    blocks = re.split(r"\n(?=[A-Za-z0-9])", (repo_root / lock).read_text("utf-8"))
    packages = [b for b in blocks if re.match(r"[A-Za-z0-9][^\n]*==", b)]
    assert len(packages) > 50
    assert all("--hash=sha256:" in block for block in packages)


def test_make_and_ci_install_only_from_the_locks(repo_root: Path) -> None:
    makefile = (repo_root / "Makefile").read_text(encoding="utf-8")
    installs = [
        line for line in makefile.splitlines() if "pip install" in line or "PIP_LOCKED" in line
    ]
    assert (
        "PIP_LOCKED := $(BIN)/python -m pip install --quiet --require-hashes --no-deps" in makefile
    )
    assert "$(PIP_LOCKED) -r requirements.txt" in makefile
    assert "$(PIP_LOCKED) -r requirements-dev.txt" in makefile
    unlocked = [
        line
        for line in installs
        if "pip install" in line
        and "--require-hashes" not in line
        and "-e ." not in line
        and "uv==" not in line
    ]
    assert not unlocked, unlocked
    # pip's and Binder's name for the runtime lock; no second name for it beside.
    assert (repo_root / "requirements.txt").is_file()
    assert not list(repo_root.glob("requirements*.lock"))
    assert "make test" in (repo_root / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readme_names_everything_at_the_top_level(repo_root: Path) -> None:
    """The table under «Slik er boka bygget» lists every file and folder git has at the top."""
    import subprocess

    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=repo_root, capture_output=True, check=True, text=True
    ).stdout.split("\0")
    top = {path.split("/")[0] + ("/" if "/" in path else "") for path in tracked if path}
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Slik er boka bygget", 1)[1].split("\n\n|", 1)[1].split("\n\n", 1)[0]
    named = {
        re.sub(r"/.*", "/", name)
        for row in table.splitlines()
        for name in re.findall(r"`([^`]+)`", row.split(" | ")[0])
    }
    assert top <= named, f"står ikke i tabellen i README.md: {sorted(top - named)}"
    assert named <= top, f"finnes ikke i repoet: {sorted(named - top)}"


def test_citation_file_has_what_cff_1_2_0_requires(repo_root: Path) -> None:
    citation = yaml.safe_load((repo_root / "CITATION.cff").read_text(encoding="utf-8"))
    for key in (
        "cff-version",
        "message",
        "title",
        "authors",
        "version",
        "date-released",
        "license",
    ):
        assert citation.get(key), key
    assert citation["cff-version"] == "1.2.0"
    config = yaml.safe_load((repo_root / "_config.yml").read_text(encoding="utf-8"))
    assert [author["name"] for author in citation["authors"]] == [config["publisher"]["navn"]]
    assert isinstance(citation["date-released"], datetime.date)
    assert re.fullmatch(r"\d+\.\d+\.\d+", citation["version"])
    assert citation["license"] == ["MIT", "CC-BY-4.0"]  # code, then text and data
    assert citation["type"] in ("software", "dataset")
    assert citation["repository-code"].startswith("https://")


def test_citation_chapter_shows_the_book_a_chapter_and_the_data(repo_root: Path) -> None:
    text = (repo_root / "chapters" / "slik-siterer-du.md").read_text(encoding="utf-8")
    assert text.startswith("# Slik siterer du\n")
    # The edition is filled in at build time from CITATION.cff, never typed in by hand.
    assert "versjon {{ versjon }}" in text and "{{ utgitt }}" in text
    assert not re.search(r"versjon \d", text)
    for part in (
        "## Hele boka",
        "## Ett kapittel",
        "## Dataene",
        "## Lisenser",
        "[Datasett]",
        "CC BY 4.0",
        "MIT",
        "{{ data_adresse }}",  # the repository's data folder, from the publisher block
        "{{ nettsted_adresse }}",
    ):
        assert part in text, part


def test_binder_installs_the_locked_environment_and_the_package(repo_root: Path) -> None:
    binder = repo_root / "binder"
    assert (binder / "runtime.txt").read_text().strip() == "python-3.11"
    lines = (binder / "requirements.txt").read_text().splitlines()
    assert "-r ../requirements.txt" in lines and not [line for line in lines if "dev" in line]
    post_build = binder / "postBuild"
    assert post_build.stat().st_mode & 0o111 and "-e ." in post_build.read_text()


def test_launch_buttons_point_at_binder_and_colab(repo_root: Path) -> None:
    config = yaml.safe_load((repo_root / "_config.yml").read_text(encoding="utf-8"))
    theme = config["sphinx"]["config"]["html_theme_options"]
    for buttons in (config["launch_buttons"], theme["launch_buttons"]):
        assert buttons["binderhub_url"] == "https://mybinder.org"
        assert buttons["colab_url"] == "https://colab.research.google.com"
    assert theme["use_download_button"] is True


@pytest.mark.slow
def test_theme_chapters_link_to_binder_colab_and_the_notebook_without_loading_them(
    built_book: Path,
) -> None:
    page = (built_book / "chapters" / "tema" / "biogass.html").read_text(encoding="utf-8")
    assert 'href="https://mybinder.org/v2/gh/' in page
    assert 'href="https://colab.research.google.com/github/' in page
    assert 'href="../../_sources/chapters/tema/biogass.ipynb"' in page  # «download notebook»
    assert (built_book / "_sources" / "chapters" / "tema" / "biogass.ipynb").is_file()
    hosts = re.compile(r"(?:src|href)=\"(?:https?:)?//[^\"]*(?:mybinder\.org|colab\.research)")
    for html in built_book.rglob("*.html"):
        loads = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html.read_text(encoding="utf-8"))
        assert not [tag for tag in loads if hosts.search(tag)], html
