"""What the compatibility APIs and the metrics share: the teams a token may read, each team's
current state (`rota_api.current`), and its on-call entries per region, computed once per rota
version.

Vendor ids: a schedule and an escalation policy per team and region, `{team}.{region}`; a user per
engineer, `{team}.{engineer}` (team ids have no dot). Entries are kept per `NowIndex` (weakly,
so a new rota version drops them with its index) and span the index's range: the horizon with a
day either side. Outside it nothing is known, and no one is reported on call.
"""

from __future__ import annotations

import threading
import weakref

from starlette.concurrency import run_in_threadpool

from rota.errors import NotFound
from rota.now import NowIndex
from rota.oncall_entries import EntryIndex, entry_indexes
from rota.store import Token
from rota_api.current import Current
from rota_api.deps import Services

_entries: weakref.WeakKeyDictionary[NowIndex, dict[str, EntryIndex]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def split_id(vendor_id: str) -> tuple[str, str]:
    """`tiny.eu` -> (`tiny`, `eu`); an id without a dot names nothing."""
    team, dot, rest = vendor_id.partition(".")
    if not dot or not team or not rest:
        raise NotFound(f"no object with id {vendor_id!r}")
    return team, rest


def entries_of(current: Current) -> dict[str, EntryIndex]:
    """The team's entries per region ({} without a rota); blocking the first time per version."""
    index = current.index
    if index is None:
        return {}
    found = _entries.get(index)
    if found is None:
        with _lock:
            found = _entries.get(index)
            if found is None:
                found = entry_indexes(index.team, index.on_call)
                _entries[index] = found
    return found


def entries_ready(current: Current) -> bool:
    return current.index is None or current.index in _entries


class Directory:
    """One request's view: the token's teams and their current state."""

    def __init__(self, services: Services, token: Token) -> None:
        self.services = services
        self.token = token

    async def team_ids(self) -> list[str]:
        ids = await run_in_threadpool(self.services.store.teams.team_ids)
        return [t for t in ids if self.token.grants("read", t)]

    async def current(self, team: str) -> Current:
        """The team's state; NotFound for a team that does not exist or the token may not read."""
        if not self.token.grants("read", team):
            raise NotFound(f"no team {team!r}")
        cache = self.services.current
        current = await cache.check_async(team)
        if current is None:
            current = await run_in_threadpool(cache.get, team)
        return current

    async def entries(self, current: Current) -> dict[str, EntryIndex]:
        if entries_ready(current):
            return entries_of(current)
        return await run_in_threadpool(entries_of, current)
