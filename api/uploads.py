"""Scenario and rota uploads: read, checked and stored, big ones in a separate process.

Python runs one thread at a time (the GIL). A worker thread that parses and validates a 7 MiB
scenario holds it for hundreds of milliseconds at a stretch inside PyYAML's and pydantic's C code,
and `/healthz`, `now` and every other team wait meanwhile. So a body of at least
`PROCESS_BYTES` is handed to a child process (`concurrent.futures.ProcessPoolExecutor`, spawned;
`ROTA_UPLOAD_PROCESSES` of them, 1 by default, 0 to read every upload in a thread), which parses it
with the garbage collector paused (`rota.gcpause`), checks it against the team's scenario, and
writes it to the store through a connection of its own. Only the outcome comes back: a revision,
or a version with its shift count and unmatched entries; an error comes back as the same
`RotaError` the thread would have raised.

Smaller bodies, iCal uploads (read under a deadline in a thread: `rota_api.deadline`), and stores
that live in one process's memory (`sqlite://`) are read in a worker thread. Either way the same
functions below do the work, with the store of the process they run in.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Literal, TypeVar

from starlette.concurrency import run_in_threadpool

from rota.errors import FieldError, RotaInvalid, ScenarioInvalid
from rota.gcpause import without_gc
from rota.imports import parse_import
from rota.rotafile import Rota, parse_rota
from rota.scenario import Scenario
from rota.store import StaleWrite, Store
from rota.validation import parse_scenario_text
from rota_api.problems import Unavailable

T = TypeVar("T")

PROCESS_BYTES = 256 * 1024
"""Bodies from this size on are read in the child process (a 256 KiB scenario reads in ~50 ms)."""
MARGIN = dt.timedelta(days=31)
"""Shifts must lie within the scenario's horizon widened by this much either side."""
IMPORT_KINDS: dict[str, Literal["ics", "csv"]] = {"text/calendar": "ics", "text/csv": "csv"}


# the work, in whichever process runs it ---------------------------------------------------------

def store_scenario(store: Store, team: str, text: str, expected: int | None,
                   by: str | None) -> int:
    """Parse and validate a scenario document and save it as the team's; its new revision."""
    scenario = parse_scenario_text(text)
    if scenario.team != team:
        raise ScenarioInvalid([FieldError("team", f"is {scenario.team!r}, the URL says {team!r}")])
    return store.teams.put_scenario(scenario, expected, by)


def store_rota(store: Store, team: str, text: str, kind: str, expected: int | None,
               revision: int | None, by: str | None) -> bytes:
    """Read a rota upload (JSON, or CSV here), check it against the team's scenario and publish it;
    the answer as JSON: its version, its number of shifts, and the imported entries that matched
    no engineer (encoded here: a spreadsheet of 100,000 unknown names lists them all)."""
    scenario, _ = store.teams.scenario(team)
    rota, unmatched = read_rota(text, kind, scenario)
    version = publish_if_current(store, rota, f"upload:{kind or 'json'}", by, expected, revision)
    return published(team, version, len(rota.shifts), unmatched)


def published(team: str, version: int, shifts: int, unmatched: list[dict[str, Any]]) -> bytes:
    """The answer to a rota upload, as JSON."""
    return json.dumps({"team": team, "version": version, "shifts": shifts,
                       "unmatched": unmatched}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def read_rota(text: str, kind: str, scenario: Scenario) -> tuple[Rota, list[dict[str, Any]]]:
    """The rota, and the imported entries that matched no engineer (reported, not dropped)."""
    unmatched: list[dict[str, Any]] = []
    if kind in IMPORT_KINDS:
        imported = parse_import(text, IMPORT_KINDS[kind], scenario)
        rota = imported.rota
        unmatched = [entry.to_json() for entry in imported.unmatched]
    else:
        from rota_api.routes.body import decode_json  # the routes package imports this module

        data = decode_json(text, "rota")
        if isinstance(data, dict):
            data = {**data, "version": 1}
        rota = parse_rota(data, scenario)
    check_bounds(rota, scenario)
    return rota, unmatched


def check_bounds(rota: Rota, scenario: Scenario) -> None:
    lo, hi = scenario.horizon.start_at - MARGIN, scenario.horizon.end_at + MARGIN
    errors = [FieldError(f"shifts[{i}]", f"lies outside the horizon by more than {MARGIN.days} days")
              for i, shift in enumerate(rota.shifts) if shift.start < lo or shift.end > hi]
    errors += [FieldError(f"overrides[{i}]",
                          f"lies outside the horizon by more than {MARGIN.days} days")
               for i, o in enumerate(rota.overrides) if o.start < lo or o.end > hi]
    if errors:
        raise RotaInvalid(errors[:100])


def publish_if_current(store: Store, rota: Rota, source: str, by: str | None,
                       version: int | None, revision: int | None,
                       plan_id: str | None = None) -> int:
    """Publish when the team is still at the version (checked in the store's transaction) and the
    state revision (checked just before) an `If-Match` named."""
    if revision is not None:
        now_at = store.teams.state_revision(rota.team)
        if now_at != revision:
            raise StaleWrite(f"team {rota.team!r} changed since that read (state {now_at}, "
                             f"not {revision})")
    return store.teams.publish(rota, source, by, version, plan_id=plan_id)


# the child process ------------------------------------------------------------------------------

_child_stores: dict[str, Store] = {}


def _child_store(url: str) -> Store:
    store = _child_stores.get(url)
    if store is None:
        store = _child_stores[url] = Store.open(url, migrate_schema=False)
    return store


def _in_child(url: str, function: Callable[..., T], args: tuple[Any, ...]) -> T:
    return without_gc(function, _child_store(url), *args)


def _ready() -> bool:
    return True


def _watch_parent(parent: int) -> None:
    """Started in each child: it ends itself when the server that started it is gone (a SIGKILL
    leaves no one to shut the pool down), checking once a second."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="watch-server", daemon=True).start()


# the server's side ------------------------------------------------------------------------------

class Uploads:
    """Runs the upload work above in a worker thread or, for big bodies, in a child process."""

    def __init__(self, store: Store, database_url: str, processes: int) -> None:
        self.store = store
        self.url = database_url
        in_memory = database_url.startswith("sqlite") and (
            database_url.rstrip("/") in ("sqlite:", "sqlite+pysqlite:")
            or ":memory:" in database_url or "mode=memory" in database_url)
        self.processes = 0 if in_memory else processes
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the child process ahead of the first big upload (it imports the engine)."""
        if self.processes:
            self._executor().submit(_ready)

    async def run(self, size: int, function: Callable[..., T], *args: Any) -> T:
        """`function(store, *args)`: in a child process when the body has `size` bytes or more."""
        if not self.processes or size < PROCESS_BYTES:
            return await run_in_threadpool(without_gc, function, self.store, *args)
        executor = self._executor()
        try:
            return await asyncio.wrap_future(executor.submit(_in_child, self.url, function, args))
        except BrokenProcessPool:
            self._discard(executor)
            raise Unavailable("the process reading uploads stopped (out of memory?); "
                              "try again") from None

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(self.processes,
                                                 mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_watch_parent,
                                                 initargs=(os.getpid(),))
            return self._pool

    def _discard(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:
                self._pool = None
        broken.shutdown(wait=False, cancel_futures=True)
