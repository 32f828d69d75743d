"""`make bench`: time regeneration against its targets, on a throw-away copy of the book.

Measures (median of --runs runs): a no-op `sirkbok regenerate`; `regenerate` after one data table
changed, against running just the notebooks that read it; a full regeneration with 1 and with 2
workers; `sirkbok build` (what `make book` runs) after one table changed; and the naive baseline,
`jupyter-book build` with `execute_notebooks: force`. Also the peak memory of a full regeneration, and
the site build's own ratios: `make book` with nothing changed against a no-op `jupyter-book build .`
(target ≤ 0.25), and after one Markdown edit against a full `jupyter-book build . --all` (≤ 0.4).
The real tree is never touched: everything runs in a temporary copy, SIRKBOK_ROOT pointing there.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sirkbok.core import context, paths
from sirkbok.core.format import number
from sirkbok.run import provenance

BIN = Path(sys.executable).parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sirkbok_dev.bench", description=__doc__)
    parser.add_argument("--runs", "-n", type=int, default=3, help="Kjøringer per måling (median).")
    parser.add_argument(
        "--root", type=Path, default=None, help="Boka som kopieres (standard: denne)."
    )
    parser.add_argument("--keep", action="store_true", help="Behold den midlertidige kopien.")
    parser.add_argument(
        "--site-only",
        action="store_true",
        help="Mål bare byggingen av nettstedet (ingen endring, én endret side), ikke notatbøkene.",
    )
    args = parser.parse_args(argv)
    source = (args.root or context.current().root).resolve()
    folder = Path(tempfile.mkdtemp(prefix="sirkbok-bench-"))
    try:
        book = paths.copy_book(source, folder / "bok")
        bench = Bench(book, args.runs)
        return bench.run_site() if args.site_only else bench.run()
    finally:
        if args.keep:
            print(f"Kopien er beholdt i {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


class Bench:
    def __init__(self, book: Path, runs: int) -> None:
        self.book = book
        self.runs = runs
        self.last_cpu = 0.0
        self.cpu: list[float] = []  # median CPU seconds of each measurement, in order
        # The copy's own package, not the editable install: edits to the real tree during the
        # benchmark must not make the copy's notebooks stale.
        pythonpath = os.pathsep.join(
            filter(None, [str(book / "scripts"), os.environ.get("PYTHONPATH")])
        )
        self.env = dict(os.environ, SIRKBOK_ROOT=str(book), PYTHONPATH=pythonpath)

    def command(self, *args: str, executable: str = "sirkbok") -> float:
        """Wall seconds one command takes (its CPU seconds, children included, go to `last_cpu`);
        a failure is shown, and the time still counts."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run(
            [str(BIN / executable), *args],
            cwd=self.book,
            env=self.env,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.last_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        if result.returncode != 0:
            tail = (result.stdout + result.stderr).strip().splitlines()[-5:]
            print(
                f"  ! «{executable} {' '.join(args)}» avsluttet med {result.returncode}:",
                *tail,
                sep="\n    ",
            )
        return seconds

    def median(self, label: str, measure: Callable[[], float]) -> float:
        """Median wall time of `runs` runs; CPU times are kept to read them on a busy machine."""
        times, cpu = [], []
        for _ in range(self.runs):
            times.append(measure())
            cpu.append(self.last_cpu)
        shown = ", ".join(
            f"{number(t, 2)} ({number(c, 2)})" for t, c in zip(times, cpu, strict=True)
        )
        print(f"  {label}: {shown} s (CPU i parentes)")
        self.cpu.append(statistics.median(cpu))
        return statistics.median(times)

    def run(self) -> int:
        notebooks = provenance.notebooks(self.book)
        if not notebooks:
            print("Boka har ingen notatbøker å måle.")
            return 1
        table, readers = self.table_read_by_fewest(notebooks)
        cores = os.cpu_count() or 1
        print(
            f"Måler {len(notebooks)} notatbøker i {self.book} ({cores} kjerner, "
            f"median av {self.runs}). Tabellen som endres: {table} "
            f"(leses av {', '.join(readers)}). Belastning nå: {load()}."
        )
        print("Oppvarming: full regenerering (måler også toppminnet) …")
        peak, largest = self.peak_memory()
        only = [arg for reader in readers for arg in ("--only", reader)]
        results = {
            "noop": self.median("ingen endring", lambda: self.command("regenerate")),
            "changed": self.median(
                "én tabell endret", lambda: self.after_change(table, "regenerate")
            ),
            "readers": self.median(
                "bare notatbøkene som leser tabellen",
                lambda: self.command("regenerate", "--force", *only),
            ),
            "full1": self.median(
                "full regenerering, 1 arbeider",
                lambda: self.command("regenerate", "--force", "--jobs", "1"),
            ),
            "full2": self.median(
                "full regenerering, 2 arbeidere",
                lambda: self.command("regenerate", "--force", "--jobs", "2"),
            ),
            "book": self.median(
                "sirkbok build etter én endret tabell", lambda: self.after_change(table, "build")
            ),
        }
        results.update(self.site())
        self.naive_config()
        results["naive"] = self.median(
            "naiv jupyter-book build (execute_notebooks: force)",
            lambda: self.command(
                "build",
                str(self.book),
                "--all",
                "-W",
                "-n",
                "--keep-going",
                executable="jupyter-book",
            ),
        )
        self.naive_config(restore=True)
        print(f"Belastning etter målingene: {load()} (CPU-tid i parentes over er mindre følsom).")
        cpu = dict(zip(results, self.cpu, strict=True))
        return report(results, cpu, peak, largest, table, self.runs)

    def run_site(self) -> int:
        print(
            f"Måler byggingen av nettstedet i {self.book} (median av {self.runs}). "
            f"Belastning nå: {load()}."
        )
        results = self.site()
        cpu = dict(zip(results, self.cpu, strict=True))
        print(f"\nResultat (median av {self.runs} kjøringer):")
        for label, value, note in site_rows(results, cpu):
            print(f"  {label:<42}  {value:>8}  {note}")
        return 0

    def site(self) -> dict[str, float]:
        """The site build alone (notebooks are current): no-op and one Markdown edit, each against
        the Jupyter Book command it replaces, with the same strictness."""
        strict = ("-W", "-n", "--keep-going")
        self.command("build")  # the site and its fingerprint exist, as after any `make book`
        edits = iter(range(1, 1000))
        page = self.book / "chapters" / "ordliste.md"

        def edit() -> float:
            with page.open("a", encoding="utf-8") as handle:
                handle.write(f"\nMåling nummer {next(edits)}.\n")
            return self.command("build")

        return {
            "site_noop": self.median("make book, ingenting endret", lambda: self.command("build")),
            "site_edit": self.median("make book etter én endret Markdown-side", edit),
            "jb_noop": self.median(
                "jupyter-book build . uten endringer",
                lambda: self.command("build", ".", *strict, executable="jupyter-book"),
            ),
            "jb_full": self.median(
                "jupyter-book build . --all",
                lambda: self.command("build", ".", "--all", *strict, executable="jupyter-book"),
            ),
        }

    def table_read_by_fewest(self, notebooks: list[Path]) -> tuple[str, list[str]]:
        """The declared table read by the fewest notebooks: the typical single correction."""
        readers: dict[str, list[str]] = {}
        for path in notebooks:
            for table in provenance.declared_tables(provenance.read(path)):
                readers.setdefault(table, []).append(path.relative_to(self.book).as_posix())
        if not readers:
            raise SystemExit("Ingen notatbok oppgir tabeller i metadataene («sirkbok»: «tables»).")
        table = min(sorted(readers), key=lambda t: len(readers[t]))
        return table, readers[table]

    def after_change(self, table: str, *args: str) -> float:
        self.touch(table)
        return self.command(*args)

    def touch(self, table: str) -> None:
        """Change the table's bytes, not its meaning: quote (or unquote) the first header field."""
        files, _ = provenance.table_files(self.book, [table])
        path = files[table]
        text = path.read_text(encoding="utf-8")
        header, _, rest = text.partition("\n")
        first, comma, others = header.partition(",")
        first = first[1:-1] if first.startswith('"') else f'"{first}"'
        path.write_text(f"{first}{comma}{others}\n{rest}", encoding="utf-8")

    def naive_config(self, restore: bool = False) -> None:
        config = self.book / "_config.yml"
        text = config.read_text(encoding="utf-8")
        before, after = ('"off"', '"force"') if not restore else ('"force"', '"off"')
        config.write_text(
            re.sub(rf"(execute_notebooks:\s*){before}", rf"\g<1>{after}", text), encoding="utf-8"
        )

    def peak_memory(self) -> tuple[int, int]:
        """Peak summed RSS of the process tree of a full regeneration (sampled), and the largest
        single process (getrusage of the children: this must be the first command measured)."""
        import psutil

        process = subprocess.Popen(
            [str(BIN / "sirkbok"), "regenerate", "--force"],
            cwd=self.book,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            parent = psutil.Process(process.pid)
            while not done.is_set():
                try:
                    tree = [parent, *parent.children(recursive=True)]
                    peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
                except psutil.Error:
                    pass
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        process.wait()
        done.set()
        sampler.join()
        largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        return peak, largest


def load() -> str:
    """The 1-minute load average: on a shared machine, wall times mean little without it."""
    return f"{number(os.getloadavg()[0], 1)} (load average, {os.cpu_count()} kjerner)"


def site_rows(results: dict[str, float], cpu: dict[str, float]) -> list[tuple[str, str, str]]:
    """The site build's two ratios (wall time; CPU time in parentheses, steadier on a busy machine)."""

    def ratio(ours: str, theirs: str, limit: float) -> str:
        wall, used = results[ours] / results[theirs], cpu[ours] / max(cpu[theirs], 1e-9)
        verdict = "nådd" if wall <= limit else "IKKE NÅDD"
        return f"{number(wall, 2)} × (CPU {number(used, 2)} ×), mål ≤ {number(limit, 2)}: {verdict}"

    return [
        (
            "make book, ingenting endret",
            f"{number(results['site_noop'], 2)} s",
            ratio("site_noop", "jb_noop", 0.25) + " mot jupyter-book build .",
        ),
        ("jupyter-book build . uten endringer", f"{number(results['jb_noop'], 2)} s", ""),
        (
            "make book etter én endret Markdown-side",
            f"{number(results['site_edit'], 2)} s",
            ratio("site_edit", "jb_full", 0.4) + " mot jupyter-book build . --all",
        ),
        ("jupyter-book build . --all", f"{number(results['jb_full'], 2)} s", ""),
    ]


def report(
    results: dict[str, float],
    cpu: dict[str, float],
    peak: int,
    largest: int,
    table: str,
    runs: int,
) -> int:
    def s(value: float) -> str:
        return f"{number(value, 2)} s"

    def verdict(ok: bool) -> str:
        return "nådd" if ok else "IKKE NÅDD"

    changed_limit = results["readers"] + 1.0
    ratio_workers = results["full2"] / results["full1"]
    ratio_book = results["book"] / results["naive"]
    rows = [
        (
            "Ingen endring (no-op regenerate)",
            s(results["noop"]),
            f"mål < 1 s: {verdict(results['noop'] < 1.0)}",
        ),
        (
            f"Én tabell endret ({table})",
            s(results["changed"]),
            f"mål ≤ {s(results['readers'])} + 1 s = {s(changed_limit)}: "
            f"{verdict(results['changed'] <= changed_limit)} "
            f"(CPU-tid {s(cpu['changed'])} mot {s(cpu['readers'])})",
        ),
        ("Full regenerering, 1 arbeider", s(results["full1"]), ""),
        (
            "Full regenerering, 2 arbeidere",
            s(results["full2"]),
            f"{number(ratio_workers, 2)} × 1 arbeider, mål ≤ 0,65: "
            f"{verdict(ratio_workers <= 0.65)}",
        ),
        (
            "make book (sirkbok build) etter én endret tabell",
            s(results["book"]),
            f"{number(ratio_book, 2)} × naiv, mål ≤ 0,5: {verdict(ratio_book <= 0.5)}",
        ),
        ("Naiv: jupyter-book build, execute_notebooks: force", s(results["naive"]), ""),
        *site_rows(results, cpu),
        (
            "Toppminne, full regenerering (hele prosesstreet)",
            f"{number(peak / 2**20, 0)} MiB",
            f"største enkeltprosess {number(largest / 2**20, 0)} MiB",
        ),
    ]
    width = max(len(label) for label, _, _ in rows)
    print(f"\nResultat (median av {runs} kjøringer):")
    for label, value, note in rows:
        print(f"  {label:<{width}}  {value:>12}  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
