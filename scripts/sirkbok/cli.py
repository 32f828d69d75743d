"""The single command-line entry point: `sirkbok VERB …` (verbs in English, messages in Norwegian)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

from sirkbok.core import context
from sirkbok.core.errors import UserError, from_exception, report

# verb -> (module defining `add_arguments(parser)` and `run(args) -> int`, Norwegian help text)
VERBS: dict[str, tuple[str, str]] = {
    "build": (
        "sirkbok.book.build",
        "Regenerer utdaterte figurer og bygg nettstedet til _build/html.",
    ),
    "pdf": ("sirkbok.book.pdf", "Lag hele boka som én PDF i _build/pdf (med Debians chromium)."),
    "release": (
        "sirkbok.book.release",
        "Lag en versjon: stempel versjon og dato, oppdater endringsloggen, commit og tag.",
    ),
    "regenerate": (
        "sirkbok.run.regenerate",
        "Kjør notatbøkene som data eller kode har endret, med papermill.",
    ),
    "validate": (
        "sirkbok.datapackage.validate",
        "Kontroller datapakken i data/ (skjema, nøkler, enheter, kilder).",
    ),
    "import": (
        "sirkbok.datapackage.importer",
        "Importer et regneark (CSV fra Excel eller .xlsx) til en tabell i data/.",
    ),
    "new-chapter": (
        "sirkbok.book.scaffold",
        "Lag et nytt kapittel for en region fra malen og legg det inn i boka.",
    ),
    "regions": (
        "sirkbok.book.regions",
        "Oppdater listene på regionsidene fra datapakken og kapitlene.",
    ),
    "check": (
        "sirkbok.book.check",
        "Sjekk boka: innholdsfortegnelse, forside-data, lenker, bilder, data og figurer.",
    ),
    "forms": (
        "sirkbok.book.forms",
        "Skriv skjemaene og GitHub-filene fra utgiverblokken i _config.yml og datapakken.",
    ),
    "contribution": (
        "sirkbok.contribution.bot",
        "Gjør et innsendt skjema (GitHub-sak) om til en sjekket gren, eller et svar om hva som må rettes.",
    ),
    "template": (
        "sirkbok.datapackage.template",
        "Lag en Excel-mal for en datatabell, med nedtrekkslister og forklaring.",
    ),
    "params": (
        "sirkbok.run.research",
        "Vis parametrene til et tema: standardverdi, enhet, tillatt område og kilde.",
    ),
    "update": ("sirkbok.update.ssb", "Hent offisiell statistikk fra SSB inn i datapakken."),
    "run": (
        "sirkbok.run.research",
        "Kjør et tema med egne parametre eller scenarioer inn i en egen mappe.",
    ),
}


class NorwegianFormatter(argparse.HelpFormatter):
    """Help texts with a Norwegian usage line."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, prefix="bruk: " if prefix is None else prefix)


class NorwegianParser(argparse.ArgumentParser):
    """argparse with Norwegian headings and usage errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", NorwegianFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenter"
        self._optionals.title = "valg"

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        message = (
            message.replace("the following arguments are required", "disse argumentene mangler")
            .replace("unrecognized arguments", "ukjente argumenter")
            .replace("invalid choice", "ugyldig valg")
            .replace("choose from", "velg blant")
            .replace("expected one argument", "forventet ett argument")
            .replace("invalid int value", "ugyldig heltall")
        )
        self.exit(2, f"{self.prog}: feil: {message}\n")


def parser(verb: str | None = None) -> argparse.ArgumentParser:
    """The command line; only `verb`'s module is imported (every verb's when None), so a command
    pays for its own imports alone: a no-op `regenerate` never loads pandas for `forms`."""
    top = NorwegianParser(
        prog="sirkbok",
        description="Verktøy for kunnskapsbasen om sirkulær verdiskaping i Gjøvik-, Hadelands- "
        "og Ringeriksregionen.",
        add_help=False,
    )
    top.add_argument("-h", "--help", action="help", help="Vis denne hjelpeteksten og avslutt.")
    verbs = top.add_subparsers(dest="verb", metavar="KOMMANDO", parser_class=NorwegianParser)
    verbs.required = True
    for name, (module_name, help_text) in VERBS.items():
        sub = verbs.add_parser(name, help=help_text, description=help_text, add_help=False)
        sub.add_argument("-h", "--help", action="help", help="Vis hjelp for denne kommandoen.")
        if verb is None or name == verb:
            module = importlib.import_module(module_name)
            module.add_arguments(sub)
            sub.set_defaults(_module=module)
    return top


def report_errors(run: Callable[[argparse.Namespace], int | None], args: argparse.Namespace) -> int:
    """Run a command; a user error becomes Norwegian lines on stderr and exit 1, never a traceback.

    So do the errors of the machine and the files (a read-only folder, a full disk, a wrong
    encoding, a broken CSV): `from_exception` names the path and what to do. Anything else is a
    bug in sirkbok: one line asking for a report, and the traceback only with SIRKBOK_DEBUG=1.
    """
    try:
        return int(run(args) or 0)
    except UserError as error:
        report(error.problems, sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("avbrutt", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `sirkbok … | head`: the reader has gone, nothing to report
        sys.stderr.close()
        return 0
    except Exception as error:  # noqa: BLE001 - the one place errors become messages
        explained = from_exception(error)
        if os.environ.get("SIRKBOK_DEBUG"):
            raise
        if explained is not None:
            print(f"feil: {explained}", file=sys.stderr)
            return 1
        print(
            f"feil: Uventet feil i sirkbok ({type(error).__name__}: {error}). Dette er en feil i "
            "verktøyet, ikke i det du skrev: meld den med kommandoen du kjørte "
            "(SIRKBOK_DEBUG=1 viser detaljene).",
            file=sys.stderr,
        )
        return 70


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    verb = next((word for word in given if word in VERBS), None)
    args = parser(verb).parse_args(argv)
    # The one Book of this command (the root from $SIRKBOK_ROOT or the working directory),
    # current for everything the command does.
    with context.using(context.Book.from_environment()):
        return report_errors(args._module.run, args)
