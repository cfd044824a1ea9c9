"""Each team's current state in memory: scenario, current rota with overrides, and its `NowIndex`.

An entry is keyed by the team's `state_revision`, which every committing write bumps (also when
another process sharing the PostgreSQL store writes). Reading that one integer is the freshness
check; only when it moved is the state reloaded and the index rebuilt. The check runs on every use
when `ROTA_REVISION_CHECK_SECONDS` is 0 (on PostgreSQL the `now` path makes it asynchronously,
`rota.store.revisions`); otherwise an entry checked less than that long ago is
used as is (a write by another process then shows after at most that delay; writes through this
process replace the entry before they answer, see `writing`).

The index spans the scenario's horizon and is built with the entry; an instant outside the horizon
is answered without it (`outside_horizon`, `rota.now`). `NowIndex` fills small caches lazily, so
queries on one index are serialised by a lock (they take microseconds).

A write through this process builds the new entry itself before it answers (`writing`): its
client's next request finds the new state in place (read-your-writes), and no reader ever waits
for an index build after a write. From the write's start until the new entry is in place, and while
a request loads a state written by another process, the team's other requests are answered from
its previous entry (the state before the write: a published version, never a mix) on the event
loop, without waiting or a thread hop (`check_async`). A request that finds a newer revision and
nothing under way loads it (holding that team's lock only: a big team's build, seconds for a
2,000-engineer year, never holds up another team), so a write by another process shows at once.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool

from rota.errors import NotFound
from rota.now import NowIndex
from rota.rotafile import Rota
from rota.scenario import Scenario, Severity
from rota.store import Store
from rota.store.revisions import AsyncRevisionReader


@dataclass
class Current:
    revision: int
    scenario: Scenario
    rota: Rota | None
    checked: float = 0.0
    index: NowIndex | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def require_rota(self) -> Rota:
        if self.rota is None:
            raise NotFound(f"team {self.scenario.team!r} has no rota yet")
        return self.rota

    def answers_at_once(self, at: dt.datetime) -> bool:
        """True when `now(at)` needs no index to be built (so it may run on the event loop)."""
        return self.index is not None

    def now(self, at: dt.datetime, region: str | None, severity: Severity | None) -> dict[str, Any]:
        self.require_rota()
        with self._lock:
            if self.index is None:
                raise NotFound(f"team {self.scenario.team!r} has no rota yet")
            return self.index.query(at, region, severity)


class CurrentCache:
    def __init__(self, store: Store, check_seconds: float = 0.0) -> None:
        self.store = store
        self.check_seconds = check_seconds
        self._entries: dict[str, Current] = {}
        self._lock = threading.Lock()
        self._loading: dict[str, threading.Lock] = {}
        self._writes: dict[str, int] = {}
        self._reader: AsyncRevisionReader | None = None

    @property
    def checks_inline(self) -> bool:
        """Whether the revision read is quick enough to make on the event loop (SQLite)."""
        return self.store.engine.dialect.name == "sqlite"

    def fresh(self, team: str) -> Current | None:
        """The entry when it may be used without reading the store, else None."""
        entry = self._entries.get(team)
        if entry is not None and time.monotonic() - entry.checked < self.check_seconds:
            return entry
        return None

    async def check_async(self, team: str) -> Current | None:
        """From the event loop: the entry when the store's revision still matches it, else None.

        One lean read: on SQLite a direct query from this thread (microseconds; it keeps one
        connection per thread, so only the loop's thread calls it), on PostgreSQL an async
        round trip (`rota.store.revisions`).
        """
        entry = self.fresh(team)
        if entry is not None:
            return entry
        entry = self._entries.get(team)
        if entry is None:
            return None
        checked = time.monotonic()
        if self.checks_inline:
            revision = self.store.teams.peek_state_revision(team)
        else:
            if self._reader is None:
                self._reader = AsyncRevisionReader(self.store.engine.url.render_as_string(False))
            revision = await self._reader.read(team)
        if revision != entry.revision:
            # a newer state being written or loaded here: answer from the last (a published one)
            return entry if revision is not None and self.busy(team) else None
        entry.checked = checked
        return entry

    def busy(self, team: str) -> bool:
        """Whether this process is writing the team or loading its newer state."""
        lock = self._loading.get(team)
        return self._writes.get(team, 0) > 0 or (lock is not None and lock.locked())

    async def aclose(self) -> None:
        if self._reader is not None:
            await self._reader.aclose()

    def get(self, team: str) -> Current:
        """The team's current state, checked against the store (blocking: call off the loop)."""
        entry = self.fresh(team)
        if entry is not None:
            return entry
        checked = time.monotonic()
        revision = self.store.teams.state_revision(team)
        entry = self._entries.get(team)
        if entry is not None and entry.revision == revision:
            entry.checked = checked
            return entry
        lock = self._team_lock(team)
        if entry is not None and not lock.acquire(blocking=False):
            return entry  # a newer state is being loaded: answer from the last (a published one)
        if entry is None:
            lock.acquire()
        try:
            entry = self._entries.get(team)
            if entry is None or entry.revision < revision:
                entry = self._load(team)
                self._entries[team] = entry
            entry.checked = checked
            return entry
        finally:
            lock.release()

    def _team_lock(self, team: str) -> threading.Lock:
        """One lock per team: a big team's index build never holds up another team's `now`."""
        with self._lock:
            lock = self._loading.get(team)
            if lock is None:
                lock = self._loading[team] = threading.Lock()
            return lock

    @contextmanager
    def writing(self, team: str) -> Iterator[None]:
        """Around a write to a team through this process (blocking: call off the loop).

        From its start the team's `now` requests are answered from the current entry; once the
        body has committed, the new state is loaded here, so the write answers only when its
        state is in place. A body that raises leaves the entry to be checked on its next use.
        """
        self._begin(team)
        failed = False
        try:
            yield
        except BaseException:
            failed = True
            self.forget(team)
            raise
        finally:
            if not failed:
                self._refresh_after_write(team)
            self._end(team)

    @asynccontextmanager
    async def writing_async(self, team: str) -> AsyncIterator[None]:
        """`writing` from the event loop: the new state is loaded in the thread pool."""
        self._begin(team)
        failed = False
        try:
            yield
        except BaseException:
            failed = True
            self.forget(team)
            raise
        finally:
            if not failed:
                await run_in_threadpool(self._refresh_after_write, team)
            self._end(team)

    def _refresh_after_write(self, team: str) -> None:
        """The committed write's state loaded; if that fails (another writer of the same team in
        between, the store briefly away), the write still stands: its entry is checked on the
        next use instead."""
        try:
            self.refresh(team)
        except Exception:
            self.forget(team)

    def refresh(self, team: str) -> Current:
        """The team's state loaded now, unless the entry already holds the store's revision."""
        with self._team_lock(team):
            checked = time.monotonic()
            revision = self.store.teams.state_revision(team)
            entry = self._entries.get(team)
            if entry is None or entry.revision < revision:
                entry = self._load(team)
                self._entries[team] = entry
            entry.checked = checked
            return entry

    def _begin(self, team: str) -> None:
        with self._lock:
            self._writes[team] = self._writes.get(team, 0) + 1

    def _end(self, team: str) -> None:
        with self._lock:
            left = self._writes[team] - 1
            if left:
                self._writes[team] = left
            else:
                del self._writes[team]

    def forget(self, team: str) -> None:
        """Check the team's entry against the store on its next use (kept: while a request loads
        the new state, others are answered from it)."""
        entry = self._entries.get(team)
        if entry is not None:
            entry.checked = float("-inf")

    def _load(self, team: str) -> Current:
        state = self.store.teams.state(team)
        index = NowIndex(state.scenario, state.rota) if state.rota is not None else None
        return Current(state.state_revision, state.scenario, state.rota, index=index)
