"""The test run on several workers (pytest-xdist, `-n auto` in pyproject.toml): what is made once
for the whole run, and which tests must share a worker.

- `SharedBuild`: one real build per run, started in the background when collection ends (while the
  first tests run) by the first worker that asks (an atomic mkdir), read by every worker. It is made
  unwritable, and its checksums are kept, so that a test that writes into it is caught.
- Groups: the tests of a file that share a setup (a module-scoped fixture such as a built copy, or
  a session fixture of the file itself such as the PDF) run on one worker, so the setup is made
  once; so do the tests of several files that read a session fixture in `SHARED_SETUPS` (the
  browser tests' one visit per page and width). The workers write the groups at collection; the controller's scheduler reads
  them (xdist 3.8's own `xdist_group` cannot rename a test's node id on pytest 9).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

GROUPS = "grupper.json"  # in the run's folder: test node id → its group
# Session fixtures of the conftest read by tests of several files: the tests that use one form one
# group, named after it, so that it is made once per run (the browser tests' one visit per page).
SHARED_SETUPS = ("page_visits",)


def run_folder(factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this whole test run: shared by its xdist workers (each has its own
    subfolder), or the session's own folder when there are none (never /tmp/pytest-of-USER)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


class SharedBuild:
    """A build made once per test run for every worker; `command(folder)` builds into `folder`."""

    TIMEOUT = 3600  # seconds a worker waits for another's build before it gives up
    started: dict[str, SharedBuild] = {}  # the builds this process runs, by folder

    def __init__(self, folder: Path, output: str) -> None:
        self.folder = folder
        self.output = folder / output  # what the build makes, kept read-only
        self.verdict = folder.with_name(folder.name + ".resultat")  # written last, atomically
        self.process: subprocess.Popen[str] | None = None
        self.thread: threading.Thread | None = None

    @classmethod
    def start(
        cls,
        factory: pytest.TempPathFactory,
        name: str,
        output: str,
        command: Callable[[Path], list[str]],
    ) -> SharedBuild:
        """Begin the build unless this run already has (here or in another worker)."""
        build = cls(run_folder(factory) / name, output)
        if str(build.folder) in cls.started:
            return cls.started[str(build.folder)]
        try:
            build.folder.mkdir()
        except FileExistsError:
            return build  # another worker builds it
        cls.started[str(build.folder)] = build
        build.thread = threading.Thread(target=build.run, args=(command,), name=name, daemon=True)
        build.thread.start()
        return build

    def run(self, command: Callable[[Path], list[str]]) -> None:
        output = "Byggingen ble avbrutt."
        ok = False
        try:
            self.process = subprocess.Popen(
                command(self.folder), text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            stdout, stderr = self.process.communicate()
            output = f"{stdout[-4000:]}\n{stderr[-4000:]}"
            ok = self.process.returncode == 0
            if ok:
                sums = json.dumps(checksums(self.output))
                (self.folder / "innhold.json").write_text(sums, encoding="utf-8")
                for path in [self.output, *self.output.rglob("*")]:  # read-only from here on
                    path.chmod(path.stat().st_mode & ~0o222)
        finally:
            temporary = self.verdict.with_suffix(".tmp")
            temporary.write_text(json.dumps({"ok": ok, "output": output}), encoding="utf-8")
            temporary.replace(self.verdict)

    def wait(self) -> Path:
        """The built output, once built (or the test fails with the build's output)."""
        deadline = time.monotonic() + self.TIMEOUT
        while not self.verdict.exists():
            if time.monotonic() > deadline:
                pytest.fail(f"Den delte byggingen ble ikke ferdig på {self.TIMEOUT} sekunder")
            time.sleep(0.5)
        verdict = json.loads(self.verdict.read_text(encoding="utf-8"))
        if not verdict["ok"]:
            pytest.fail(f"Boka bygget ikke:\n{verdict['output']}")
        return self.output

    def changes(self) -> list[str]:
        """Files of the build that were added, removed or changed since it was made."""
        before = json.loads((self.folder / "innhold.json").read_text(encoding="utf-8"))
        after = checksums(self.output)
        return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))

    def stop(self, wait: bool) -> None:
        """At the end of this worker's session: let the build finish for the other workers, or
        (the run was stopped early) end it."""
        if self.thread is None:
            return
        if not wait and self.process is not None and self.process.poll() is None:
            self.process.terminate()
        self.thread.join()


def checksums(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def stop_all(session: pytest.Session) -> None:
    for build in SharedBuild.started.values():
        build.stop(wait=not (session.shouldfail or session.shouldstop))


def shares_a_setup(item: pytest.Item) -> bool:
    """Whether `item` uses a fixture made once for several tests of its file: module-scoped (a
    built copy, a browser sweep), or session-scoped but defined in the test file (the PDF)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    file = item.nodeid.split("::")[0]
    return any(
        d.scope in ("module", "class", "package") or (d.scope == "session" and d.baseid == file)
        for ds in info.name2fixturedefs.values()
        for d in ds
    )


def group_of(item: pytest.Item) -> str | None:
    """The group of `item`: the name of a conftest session fixture in `SHARED_SETUPS` it uses, or
    its file when it shares a setup there, or none."""
    names = getattr(item, "fixturenames", ())
    shared = [name for name in SHARED_SETUPS if name in names]
    if shared:
        return shared[0]
    return item.nodeid.split("::")[0] if shares_a_setup(item) else None


def order_and_group(config: pytest.Config, items: list[pytest.Item], shared: str) -> None:
    """On a worker: groups first (they are long: no worker should end the run alone with one),
    those that read the shared build (fixture `shared`, built meanwhile) last among them, then
    slow tests, then the rest; the groups are written for the controller's scheduler."""
    order, groups = {}, {}
    for item in items:
        order[item.nodeid] = 2 if item.get_closest_marker("slow") else 3
        group = group_of(item)
        if group is not None:
            groups[item.nodeid] = group
            order[item.nodeid] = 1 if shared in getattr(item, "fixturenames", ()) else 0
    items.sort(key=lambda item: order[item.nodeid])
    path = run_folder(config._tmp_path_factory) / GROUPS  # type: ignore[attr-defined]
    temporary = path.with_suffix(f".{os.getpid()}")
    temporary.write_text(json.dumps(groups), encoding="utf-8")
    temporary.replace(path)


def scheduler(config: pytest.Config, log: Any) -> Any:
    """xdist's scope scheduler with the groups the workers wrote: a group is one unit of work,
    every other test its own; units are handed out in collection order."""
    from xdist.scheduler import LoadScopeScheduling

    path = config._tmp_path_factory.getbasetemp() / GROUPS  # type: ignore[attr-defined]

    class Groups(LoadScopeScheduling):
        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:  # read once every worker has collected
                self.groups = json.loads(path.read_text("utf-8")) if path.exists() else {}
            return self.groups.get(nodeid, nodeid)

    return Groups(config, log)
