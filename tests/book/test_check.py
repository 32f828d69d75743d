"""`sirkbok check`: the book passes it, and every kind of mistake is reported with file and line."""

from __future__ import annotations

from pathlib import Path

from conftest import sirkbok

CHAPTER = "chapters/regioner/hadelandsregionen/tekstiler-pa-hadeland.md"


def test_the_book_passes_check(repo_root: Path) -> None:
    """Part of `make test` (and so of CI): `sirkbok check` finds no problem in the book."""
    result = sirkbok("check", root=repo_root)
    assert result.returncode == 0, result.stderr


def lines_of(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [line for line in result.stderr.splitlines() if line.startswith("feil: ")]


def test_every_problem_is_listed_with_file_and_line(repo_copy: Path) -> None:
    root = repo_copy
    toc = root / "_toc.yml"
    toc.write_text(
        toc.read_text(encoding="utf-8").replace(
            "      - file: chapters/strategi/bakgrunn\n",
            "      - file: chapters/strategi/bakgrunn\n"
            "      - file: chapters/strategi/finnes-ikke\n",
        ),
        encoding="utf-8",
    )
    (root / "chapters/strategi/glemt.md").write_text("# Glemt\n", encoding="utf-8")
    (root / "chapters/strategi/_notat.md").write_text("# Notat\n", encoding="utf-8")
    assert (
        sirkbok(
            "new-chapter",
            "--region",
            "hadelandsregionen",
            "--theme",
            "tekstiler",
            "--title",
            "Tekstiler på Hadeland",
            "--author",
            "Kari Nordmann",
            root=root,
        ).returncode
        == 0
    )
    figures = root / "chapters/regioner/hadelandsregionen/figurer"
    figures.mkdir()
    (figures / "kart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (figures / "forklaring.md").write_text("# Ikke et kapittel\n", encoding="utf-8")
    chapter = root / CHAPTER
    body = chapter.read_text(encoding="utf-8").split("## Sammendrag", 1)[1]
    chapter.write_text(
        "---\n"  # 1
        "title: Tekstiler i Hadeland\n"  # 2
        "region: hadelandsregionen\n"  # 3
        "theme: tekstil\n"  # 4
        "authors: Kari Nordmann\n"  # 5
        "date: 2026-13-01\n"  # 6
        "status: ferdig\n"  # 7
        "---\n"  # 8
        "\n"  # 9
        "# Tekstiler på Hadeland\n"  # 10
        "\n"  # 11
        "Se [målene](../../strategi/mal.md), {doc}`/chapters/strategi/mal` og "
        "[SSB](https://www.ssb.no).\n"  # 12
        "Se [borte](borte.md) og {doc}`dette <../../strategi/borte>`.\n"  # 13
        "Se {ref}`ukjent-merke` og {cite}`sak0926,ukjent-kilde`.\n"  # 14
        "![](figurer/kart.png)\n"  # 15
        '<img src="figurer/kart.png">\n'  # 16
        "```python\n"  # 17
        "print('[ikke en lenke](borte.md)')\n"  # 18
        "```\n"  # 19
        "<!-- [heller ikke](borte.md) -->\n"  # 20
        "```{figure} figurer/kart.png\n"  # 21
        ":name: kart\n"  # 22
        "\n"  # 23
        "Kart.\n"  # 24
        "```\n"  # 25
        "![Kart over Hadeland](figurer/mangler.png)\n"  # 26
        "Se {numref}`kart`. Syntaksen er `` {cite}`nøkkel` ``.\n"  # 27
        "## Sammendrag" + body,
        encoding="utf-8",
    )
    result = sirkbok("check", "--skip-figures", root=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    found = "\n".join(lines_of(result))
    toc_line = (
        toc.read_text(encoding="utf-8")
        .splitlines()
        .index("      - file: chapters/strategi/finnes-ikke")
        + 1
    )
    expected = [
        f"_toc.yml, linje {toc_line}: Innholdsfortegnelsen viser til et kapittel som ikke finnes. "
        "Fant: «chapters/strategi/finnes-ikke»",
        "chapters/strategi/glemt.md: Kapitlet står ikke i innholdsfortegnelsen",
        f"{CHAPTER}, linje 4: Ukjent tema. Fant: «tekstil». Forventet: en av naeringsparker",
        f"{CHAPTER}, linje 5: «authors» skal være en liste med navn",
        f"{CHAPTER}, linje 6: «date» er ikke en gyldig dato. Fant: «2026-13-01»",
        f"{CHAPTER}, linje 7: Ukjent status. Fant: «ferdig». Forventet: en av utkast, "
        "til-gjennomgang, publisert",
        f"{CHAPTER}, linje 10: Overskriften (første «# »-linje) skal være den samme som «title»",
        f"{CHAPTER}, linje 13: Lenken eller bildet peker til en fil som ikke finnes",
        f"{CHAPTER}, linje 13: Lenken peker til et kapittel som ikke finnes. "
        "Fant: «dette <../../strategi/borte>»",
        f"{CHAPTER}, linje 14: Henvisningen peker til et merke som ikke finnes. "
        "Fant: «ukjent-merke»",
        f"{CHAPTER}, linje 14: Ukjent kildenøkkel. Fant: «ukjent-kilde»",
        f"{CHAPTER}, linje 15: Bildet mangler alternativ tekst",
        f'{CHAPTER}, linje 16: Bildet mangler alternativ tekst (alt="…")',
        f"{CHAPTER}, linje 21: Bildet mangler alternativ tekst («:alt:»)",
        f"{CHAPTER}, linje 26: Lenken eller bildet peker til en fil som ikke finnes "
        "(stien regnes fra mappa filen ligger i). Fant: «figurer/mangler.png»",
        "chapters/regioner/hadelandsregionen/index.md, linje ",
    ]
    for text in expected:
        assert text in found, f"mangler i meldingene: {text}\n\n{found}"
    for line in (12, 18, 20, 27):
        assert f"{CHAPTER}, linje {line}:" not in found, found
    assert "_notat.md" not in found and "forklaring.md" not in found
    assert "Ukjent kildenøkkel. Fant: «sak0926»" not in found


def test_a_stale_region_page_is_found_and_fixed_by_regions(repo_copy: Path) -> None:
    assert (
        sirkbok(
            "new-chapter",
            "--region",
            "ringeriksregionen",
            "--theme",
            "ombrukssentre",
            "--title",
            "Ombrukssenter på Ringerike",
            "--author",
            "Ola Nordmann",
            root=repo_copy,
        ).returncode
        == 0
    )
    chapter = repo_copy / "chapters/regioner/ringeriksregionen/ombrukssenter-pa-ringerike.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8").replace("status: utkast", "status: publisert"),
        encoding="utf-8",
    )
    stale = sirkbok("check", "--skip-figures", root=repo_copy)
    assert stale.returncode == 1
    assert (
        "chapters/regioner/ringeriksregionen/index.md, linje 7: Lista over kommuner, temaer "
        "og kapitler på regionsiden er utdatert. Kjør `sirkbok regions`"
    ) in stale.stderr
    assert sirkbok("regions", root=repo_copy).returncode == 0
    page = (repo_copy / "chapters/regioner/ringeriksregionen/index.md").read_text(encoding="utf-8")
    assert "status: publisert" in page
    assert (
        "regionsiden er utdatert" not in sirkbok("check", "--skip-figures", root=repo_copy).stderr
    )


def test_invalid_data_and_stale_figures_are_reported(repo_copy: Path) -> None:
    table = repo_copy / "data/kommuner.csv"
    table.write_text(
        table.read_text(encoding="utf-8").replace(
            "3446,Gran,hadelandsregionen,Innlandet", "3446,Gran,hadelandsregionen,Oslo"
        ),
        encoding="utf-8",
    )
    result = sirkbok("check", root=repo_copy)
    assert result.returncode == 1
    assert "data/kommuner.csv" in result.stderr and "«Oslo»" in result.stderr
    assert "Figurene er utdatert" in result.stderr
