"""The per-request freshness read on PostgreSQL, without blocking the event loop.

`state_revision` (see `rota.store.schema`) is read on every `now` request. On SQLite that read is
a local call of microseconds (`TeamRepository.peek_state_revision`); on PostgreSQL it is a network
round trip, so it is made on one asynchronous psycopg connection (autocommit, reused; reconnected
after an error or when used from another event loop). Reads are coalesced: a request that finds
a read of its team in flight takes that read's answer (at most one round trip old) instead of
queueing another, so under load the checks cost a few round trips per millisecond at most.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import sqlalchemy as sa

from rota.store.engine import StoreUnavailable

_QUERY = "SELECT state_revision FROM teams WHERE id = %s"


class AsyncRevisionReader:
    def __init__(self, url: str) -> None:
        parsed = sa.make_url(url).set(drivername="postgresql")
        self.conninfo = parsed.render_as_string(hide_password=False)
        self._connection: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock: asyncio.Lock | None = None
        self._inflight: dict[str, asyncio.Task[int | None]] = {}

    async def read(self, team: str) -> int | None:
        """The team's `state_revision`, None when there is no such team."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._lock is None:
            await self.aclose()
            self._loop, self._lock = loop, asyncio.Lock()
            self._inflight = {}
        pending = self._inflight.get(team)
        if pending is None:
            pending = loop.create_task(self._read(team, self._lock))
            self._inflight[team] = pending
            pending.add_done_callback(lambda _: self._inflight.pop(team, None))
        return await asyncio.shield(pending)

    async def _read(self, team: str, lock: asyncio.Lock) -> int | None:
        async with lock:
            try:
                connection = await self._connect()
                cursor = await connection.execute(_QUERY, (team,))
                row = await cursor.fetchone()
            except Exception as exc:
                await self.aclose()
                raise StoreUnavailable(f"the store did not answer: {type(exc).__name__}") from exc
        return None if row is None else int(row[0])

    async def _connect(self) -> Any:
        if self._connection is None or self._connection.closed:
            import psycopg

            self._connection = await psycopg.AsyncConnection.connect(self.conninfo,
                                                                     autocommit=True)
        return self._connection

    async def aclose(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and not connection.closed:
            # Closing a broken connection may fail too; it is dropped either way.
            with contextlib.suppress(Exception):
                await connection.close()
