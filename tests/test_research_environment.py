"""The reproducible environment and how to cite: lock file, CITATION.cff, Binder, launch links."""

from __future__ import annotations

import datetime
import re
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


def test_every_direct_dependency_is_locked_at_the_same_version(repo_root: Path) -> None:
    direct = pins((repo_root / "requirements.txt").read_text(encoding="utf-8"))
    lock_text = (repo_root / "requirements.lock").read_text(encoding="utf-8")
    locked = pins(
        "\n".join(line for line in lock_text.splitlines() if not line.strip().startswith("--hash"))
    )
    wrong = {
        name: (version, locked.get(name))
        for name, version in direct.items()
        if locked.get(name) != version
    }
    assert not wrong, f"kjør «make lock»: requirements.txt og requirements.lock er ulike: {wrong}"


def test_every_locked_package_has_a_hash(repo_root: Path) -> None:
    blocks = re.split(r"\n(?=[A-Za-z0-9])", (repo_root / "requirements.lock").read_text("utf-8"))
    packages = [b for b in blocks if re.match(r"[A-Za-z0-9][^\n]*==", b)]
    assert len(packages) > 50
    assert all("--hash=sha256:" in block for block in packages)


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
    assert [author["name"] for author in citation["authors"]] == [config["author"]]
    assert citation["date-released"] == datetime.date(2026, 11, 26)
    assert isinstance(citation["version"], str)
    assert citation["license"] == ["MIT", "CC-BY-4.0"]  # code, then text and data
    assert citation["type"] in ("software", "dataset")
    assert citation["repository-code"].startswith("https://")


def test_citation_chapter_shows_the_book_a_chapter_and_the_data(repo_root: Path) -> None:
    text = (repo_root / "chapters" / "slik-siterer-du.md").read_text(encoding="utf-8")
    assert text.startswith("# Slik siterer du\n")
    citation = yaml.safe_load((repo_root / "CITATION.cff").read_text(encoding="utf-8"))
    assert f"versjon {citation['version']}" in text
    for part in (
        "## Hele boka",
        "## Ett kapittel",
        "## Dataene",
        "## Lisenser",
        "[Datasett]",
        "CC BY 4.0",
        "MIT",
        "/tree/main/data",
    ):
        assert part in text, part


def test_binder_installs_the_locked_environment_and_the_package(repo_root: Path) -> None:
    binder = repo_root / "binder"
    assert (binder / "runtime.txt").read_text().strip() == "python-3.11"
    assert "-r ../requirements.lock" in (binder / "requirements.txt").read_text().splitlines()
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
