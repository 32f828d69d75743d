"""Every write resolves inside its target: no symlink or `..` leads a write out of its folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import state
from sirkbok import cli
from sirkbok.core.errors import UserError
from sirkbok.core.files import inside

THEME = "biogass"


def test_inside_keeps_paths_in_and_refuses_the_way_out(tmp_path: Path) -> None:
    target = tmp_path / "ut"
    (target / "a").mkdir(parents=True)
    (tmp_path / "annet").mkdir()
    (target / "lenke").symlink_to(tmp_path / "annet", target_is_directory=True)
    (target / "inne").symlink_to(target / "a", target_is_directory=True)
    assert inside(target, "a/b.csv") == (target / "a/b.csv").resolve()
    assert inside(target, "inne/b.csv") == (target / "a/b.csv").resolve()
    for way_out in ("../annet/x", "lenke/x", "lenke", str(tmp_path / "annet/x"), "a/../../x"):
        with pytest.raises(UserError, match="peker ut av mappa"):
            inside(target, way_out)


@pytest.mark.parametrize("link_to", ["chapters/tema", "chapters/tema/figurer", "data"])
def test_a_scenario_folder_that_is_a_symlink_into_the_book_is_refused(
    link_to: str, book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ut"
    out.mkdir()
    (out / "lav").symlink_to(book / link_to, target_is_directory=True)
    scenarios = tmp_path / "scenarier.yaml"
    scenarios.write_text(
        "scenarios:\n  lav:\n    utsorteringsfaktor: 0.6\n  hoy: {}\n", encoding="utf-8"
    )
    before = state(book)
    code = cli.main(["run", THEME, "--scenarios", str(scenarios), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "feil: lav: Stien peker ut av mappa den skal skrives i" in err, err
    assert state(book) == before
    assert sorted(p.name for p in out.iterdir()) == ["lav"]  # nothing else was written either


@pytest.mark.parametrize("name", ["..", ".skjult", "../../chapters", "a/b", "-x", "æ" * 70])
def test_a_scenario_name_must_be_a_plain_folder_name(
    name: str, book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenarios = tmp_path / "scenarier.yaml"
    scenarios.write_text(f'scenarios:\n  "{name}":\n    utsorteringsfaktor: 0.6\n', "utf-8")
    before = state(book)
    code = cli.main(["run", THEME, "--scenarios", str(scenarios), "--out", str(tmp_path / "ut")])
    assert code == 1
    assert "kan ikke brukes som mappenavn" in capsys.readouterr().err
    assert state(book) == before
    assert not (tmp_path / "ut").exists()


def test_out_as_a_symlink_into_chapters_is_refused(
    book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "ut"
    link.symlink_to(book / "chapters/tema", target_is_directory=True)
    before = state(book)
    assert cli.main(["run", THEME, "--out", str(link)]) == 1
    assert "kan ikke skrives inne i bokas chapters/" in capsys.readouterr().err
    assert state(book) == before


def test_template_writes_only_the_named_file(
    book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kommuner.xlsx").symlink_to(book / "data/kommuner.csv")
    before = state(book)
    assert cli.main(["template", "--table", "kommuner", "--out", "kommuner.xlsx"]) == 1
    assert "Filen finnes allerede" in capsys.readouterr().err
    assert state(book) == before
