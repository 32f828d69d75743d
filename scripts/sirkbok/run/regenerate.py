"""`sirkbok regenerate`: run exactly the notebooks whose inputs changed, in parallel, safely.

Staleness is decided by content hashes (`sirkbok.run.status`); each stale notebook runs with
papermill in a worker process (`sirkbok.run.execute`), which commits the notebook and its figures
atomically. One run at a time per book (a file lock); a killed run leaves only hidden temporary
files, which the next run removes. `--check` executes nothing and fails when any figure is older
than its inputs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from sirkbok.core import context, locks, paths
from sirkbok.core.errors import Problem, UserError
from sirkbok.core.files import clean_temporary, require_plain, write_atomic
from sirkbok.core.format import number
from sirkbok.datapackage import descriptor, validate
from sirkbok.run import engine, execute, instances, provenance, status, trust

CACHE = paths.CACHE
cache_dir = paths.cache_dir  # the one home of the book's cache folder is core.paths


def add_arguments(parser: argparse.ArgumentParser) -> None:
    engine.jobs_option(parser)
    parser.add_argument(
        "--force", action="store_true", help="Kjør notatbøkene selv om ingenting er endret."
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAVN",
        help="Bare denne notatboka (navn uten .ipynb, eller sti). Kan gjentas.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="Kjør ingenting; avslutt med feil og list opp utdaterte notatbøker "
        "og hva som er endret.",
    )
    parser.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="Vis hver celle og hele feilsporet når en notatbok feiler.",
    )
    engine.timeout_option(parser)


def run(args: argparse.Namespace) -> int:
    return regenerate(
        jobs=args.jobs,
        force=args.force,
        only=args.only,
        check=args.check,
        verbose=args.verbose,
        timeout=args.timeout,
    )


def regenerate(
    jobs: int | None = None,
    force: bool = False,
    only: list[str] | None = None,
    check: bool = False,
    root: Path | None = None,
    verbose: bool = False,
    timeout: int | None = None,
) -> int:
    """Bring every (selected) notebook up to date; 0 when all are, 1 when any failed or is stale.

    Each cell may run `timeout` seconds (default: the book's `execute: timeout:`); `jobs` notebooks
    run side by side (default: one per core; `engine.jobs_option` refuses fewer than 1).
    """
    root = (root or context.current().root).resolve()
    # A link could bring in a notebook or data from outside, or lead figures out: refused first.
    require_plain(root)
    if check:
        return report_check(root, select(root, only))
    with lock(root):
        clean_interrupted(root)
        # The data is the gate: a page is named and titled from it, so nothing is written from
        # data that does not validate (a refused run writes nothing).
        if descriptor.package_file(root / "data").is_file():
            validate.require_valid(root / "data", cache_dir(root) / "data-gyldig.sha256")
        for page in instances.sync(root):  # pages made from a template come first: then they run
            print(f"Oppdaterte {page.relative_to(root).as_posix()} fra malen")
        selected = select(root, only)
        trust.require(root, schema=False)  # nothing runs while any notebook is untrusted
        statuses = status.survey(root, selected)
        todo = [s for s in statuses if force or s.reasons]
        if not todo:
            print("Alle figurer er oppdatert; ingen notatbok ble kjørt.")
            return 0
        trust.require(root, [item.inputs.path for item in todo])  # valid notebooks, before any runs
        workers = min(jobs or os.cpu_count() or 1, len(todo))
        if timeout is None:
            timeout = engine.default_timeout(root)
        return execute_all(root, todo, workers, verbose, timeout)


def select(root: Path, only: list[str] | None) -> list[Path] | None:
    """The notebooks named by --only (stem, path in the book, or path from here); None = all."""
    if not only:
        return None
    every = provenance.notebooks(root)
    chosen: list[Path] = []
    unknown = []
    for name in only:
        as_path = Path(name)
        matches = [
            p
            for p in every
            if name in (p.stem, p.name, p.relative_to(root).as_posix())
            or (as_path.suffix == ".ipynb" and as_path.resolve() == p)
        ]
        if not matches:
            unknown.append(name)
        chosen.extend(m for m in matches if m not in chosen)
    if unknown:
        names = ", ".join(p.relative_to(root).as_posix() for p in every) or "ingen"
        raise UserError(
            [
                Problem(
                    file="",
                    message=f"Fant ingen notatbok som heter «{name}».",
                    expected=f"en av: {names}",
                )
                for name in unknown
            ]
        )
    return chosen


def report_check(root: Path, selected: list[Path] | None) -> int:
    """`--check`: list the stale notebooks and why on stderr; 1 when there is any."""
    stale = status.stale(root, selected)
    for path, reasons in stale.items():
        relative = path.relative_to(root).as_posix()
        print(f"{relative} er utdatert: {'; '.join(reasons)}", file=sys.stderr)
    if stale:
        count = "Én notatbok er" if len(stale) == 1 else f"{len(stale)} notatbøker er"
        print(
            f"{count} utdatert. Kjør «make figures» (sirkbok regenerate) og legg inn resultatet.",
            file=sys.stderr,
        )
        return 1
    print("Alle figurer er oppdatert.")
    return 0


@contextlib.contextmanager
def lock(root: Path) -> Iterator[None]:
    """One regeneration per book at a time (a second is told so at once), reading data/ (an import
    waits until the notebooks have run)."""
    alone = locks.alone(
        root,
        "regenerate",
        "En annen «sirkbok regenerate» (eller «make book») kjører allerede i denne boka. Vent til "
        "den er ferdig, og prøv igjen.",
    )
    with alone, locks.data(root, write=False):
        yield


def clean_interrupted(root: Path) -> None:
    """Remove what a killed run left: staged figures and hidden temporary files, nothing else."""

    shutil.rmtree(cache_dir(root) / "staging", ignore_errors=True)
    clean_temporary(root / "chapters", spare_live=False)  # we hold the lock: all are stale
    clean_temporary(root / "data")  # an import may be writing right now


def execute_all(
    root: Path,
    todo: list[status.Status],
    workers: int,
    verbose: bool,
    timeout: int | None = None,
) -> int:
    """Run the notebooks in `workers` processes; report each as it ends; 1 if any failed."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # workers inherit neither the lock nor our state
    tasks = context.Queue()
    events = context.Queue()
    kernels = str(engine.write_kernel_spec(cache_dir(root) / "jupyter"))
    staging = cache_dir(root) / "staging"
    durations = Durations(cache_dir(root) / "durations.json")
    # Longest first (new ones count as longest): the last notebook to start is then a short one.
    todo = sorted(todo, key=lambda item: -durations.get(item.inputs.relative))
    for index, item in enumerate(todo):
        tasks.put(
            {
                "root": str(root),
                "relative": item.inputs.relative,
                "tables": item.inputs.tables,
                "inputs": item.inputs.hashes,
                "staging": str(staging / f"{index}-{item.inputs.path.stem}"),
                "timeout": timeout,
            }
        )
    for _ in range(workers):
        tasks.put(None)

    def start_worker() -> Any:
        process = context.Process(target=execute.worker, args=(tasks, events, kernels), daemon=True)
        process.start()
        return process

    display = Display(sys.stdout, total=len(todo), verbose=verbose)
    pool = [start_worker() for _ in range(workers)]
    results: list[execute.Result] = []
    running: dict[int, str] = {}  # worker pid -> notebook

    def handle(event: tuple) -> None:
        kind, pid, *rest = event
        if kind == "start":
            running[pid] = rest[0]
            display.started(rest[0])
        elif kind == "cell":
            display.cell(*rest)
        elif kind == "result":
            running.pop(pid, None)
            results.append(rest[0])
            display.finished(rest[0])

    def lost(notebook: str, why: str) -> None:
        results.append(execute.Result(notebook=notebook, ok=False, seconds=0.0, error=why))
        display.finished(results[-1])

    try:
        while len(results) < len(todo):
            try:
                handle(events.get(timeout=0.2))
                continue
            except queue.Empty:
                display.tick()
            dead = [process for process in pool if process.exitcode is not None]
            if not dead:
                continue
            while True:  # what the dead sent before dying comes first
                try:
                    handle(events.get_nowait())
                except queue.Empty:
                    break
            for process in dead:
                pool.remove(process)
                if process.pid in running:  # killed mid-notebook (out of memory, a signal)
                    code = process.exitcode
                    lost(
                        running.pop(process.pid), f"arbeidsprosessen stoppet uventet (kode {code})"
                    )
                    pool.append(start_worker())
            if not pool and len(results) < len(todo):  # no worker could start at all
                finished = {result.notebook for result in results}
                for item in todo:
                    if item.inputs.relative not in finished:
                        lost(item.inputs.relative, "arbeidsprosessen kunne ikke starte")
    except KeyboardInterrupt:
        for process in pool:
            process.terminate()
        raise
    finally:
        display.close()
    for process in pool:
        process.join(timeout=5)
    durations.save({r.notebook: r.seconds for r in results if r.ok})
    return summarise(results, display.elapsed(), verbose)


class Durations:
    """How long each notebook took last time, kept out of git (it differs every run)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.seconds: dict[str, float] = json.loads(path.read_text())
        except (OSError, ValueError):
            self.seconds = {}

    def get(self, notebook: str) -> float:
        return self.seconds.get(notebook, float("inf"))

    def save(self, new: dict[str, float]) -> None:

        self.seconds.update(new)
        write_atomic(self.path, json.dumps(self.seconds, indent=1, sort_keys=True))


def summarise(results: list[Any], seconds: float, verbose: bool) -> int:
    failed = [r for r in results if not r.ok]
    for result in failed:
        where = f"{result.notebook}, celle {result.cell}" if result.cell else result.notebook
        print(f"feil: {where}: {result.error}", file=sys.stderr)
        for line in result.cell_source.splitlines():
            print(f"    | {line}", file=sys.stderr)
        if verbose and result.details:
            print(result.details, file=sys.stderr)
        print("    Forrige gyldige utgave av notatboka og figurene er beholdt.", file=sys.stderr)
    done = len(results) - len(failed)
    notebooks = "notatbok" if len(results) == 1 else "notatbøker"
    print(
        f"Kjørte {len(results)} {notebooks} på {number(seconds, 1)} s: "
        f"{done} {'ferdig' if done == 1 else 'ferdige'}, {len(failed)} feilet."
    )
    return 1 if failed else 0


@dataclass
class Display:
    """Progress: live lines per running notebook on a terminal, else one plain line per event."""

    stream: TextIO
    total: int
    verbose: bool = False
    start: float = field(default_factory=time.monotonic)
    running: dict[str, list[Any]] = field(default_factory=dict)  # notebook -> [cell, cells, start]
    done: int = 0
    drawn: int = 0
    drawn_at: float = 0.0

    def __post_init__(self) -> None:
        self.live = self.stream.isatty() and os.environ.get("TERM") != "dumb"

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def started(self, notebook: str) -> None:
        self.running[notebook] = [0, 0, time.monotonic()]
        if not self.live:
            self._line(f"kjører {notebook}")
        self.tick()

    def cell(self, notebook: str, index: int, total: int) -> None:
        if notebook in self.running:
            self.running[notebook][:2] = [index, total]
        if self.verbose and not self.live:
            self._line(f"  {notebook}: celle {index}/{total}")
        self.tick(throttle=True)

    def finished(self, result: Any) -> None:
        self.running.pop(result.notebook, None)
        self.done += 1
        if result.ok:
            figures = f", {result.figures} figurfiler" if result.figures else ""
            self._line(f"ferdig {result.notebook} ({number(result.seconds, 1)} s{figures})")
            if result.warning:
                self._line(f"advarsel: {result.notebook}: {result.warning}")
        else:
            where = f", celle {result.cell}" if result.cell else ""
            self._line(f"FEILET {result.notebook}{where}: {result.error}")
        self.tick()

    def tick(self, throttle: bool = False) -> None:
        now = time.monotonic()
        if not self.live or (throttle and now - self.drawn_at < 0.1):
            return
        self.drawn_at = now
        lines = [
            f"  ▶ {nb}  "
            + (f"celle {cell}/{cells}" if cells else "starter kjernen")
            + f"  {_clock(now - begun)}"
            for nb, (cell, cells, begun) in self.running.items()
        ]
        lines.append(f"{self.done}/{self.total} notatbøker ferdige · {_clock(now - self.start)}")
        self._erase()
        self.stream.write("\n".join(lines) + "\n")
        self.stream.flush()
        self.drawn = len(lines)

    def _erase(self) -> None:
        if self.drawn:
            self.stream.write(f"\x1b[{self.drawn}F\x1b[J")
            self.drawn = 0

    def _line(self, text: str) -> None:
        if self.live:
            self._erase()
        print(text, file=self.stream, flush=True)

    def close(self) -> None:
        if self.live:
            self._erase()
            self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"
