"""Plans: a solve's lifecycle `queued` -> `running` -> `done` | `failed`, its progress and result.

A plan that was queued or running when its process stopped can never finish, so it must become
`failed` with reason `interrupted` (`interrupt_unfinished`). Several API processes may share one
PostgreSQL, so a plan records its `owner` (the process that queued it) and that process beats a
`heartbeat_at` while it lives. A plan is interrupted when its owner is known to be gone, or when it
cannot be known (another machine) and the heartbeat is stale; plans of live processes are left be.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import sqlalchemy as sa

from rota.errors import Conflict, NotFound
from rota.store.engine import utc, utc_now
from rota.store.schema import plans

PlanStatus = Literal["queued", "running", "done", "failed"]
UNFINISHED: tuple[PlanStatus, ...] = ("queued", "running")


@dataclass(frozen=True)
class PlanRecord:
    id: str
    team: str
    status: PlanStatus
    options: dict[str, Any]
    created_at: dt.datetime
    progress: dict[str, Any] | None = None
    result: dict[str, Any] | None = None
    reason: str | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    created_by: str | None = None
    published_version: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class PlanRepository:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def create(self, team: str, options: dict[str, Any], by: str | None = None,
               owner: str | None = None) -> PlanRecord:
        ident = secrets.token_hex(8)
        now = utc_now()
        with self.engine.begin() as db:
            db.execute(plans.insert().values(id=ident, team=team, status="queued",
                                             options=options, created_at=now,
                                             created_by=by, owner=owner, heartbeat_at=now))
        return self.get(team, ident)

    def beat(self, owner: str) -> None:
        """The owner is alive: refresh the heartbeat of its unfinished plans."""
        with self.engine.begin() as db:
            db.execute(plans.update().where(plans.c.owner == owner, plans.c.status.in_(UNFINISHED))
                       .values(heartbeat_at=utc_now()))

    def get(self, team: str, plan_id: str) -> PlanRecord:
        with self.engine.connect() as db:
            row = db.execute(sa.select(plans).where(plans.c.id == plan_id,
                                                    plans.c.team == team)).first()
        if row is None:
            raise NotFound(f"team {team!r} has no plan {plan_id!r}")
        return _record(row)

    def start(self, plan_id: str) -> bool:
        """Move a queued plan to running; False when it is no longer queued (e.g. interrupted)."""
        return self._move(plan_id, ("queued",), status="running", started_at=utc_now())

    def progress(self, plan_id: str, progress: dict[str, Any]) -> None:
        with self.engine.begin() as db:
            db.execute(plans.update().where(plans.c.id == plan_id, plans.c.status == "running")
                       .values(progress=progress))

    def finish(self, plan_id: str, result: dict[str, Any], progress: dict[str, Any] | None) -> None:
        values: dict[str, Any] = {"status": "done", "result": result, "finished_at": utc_now()}
        if progress is not None:
            values["progress"] = progress
        self._move(plan_id, ("running",), **values)

    def fail(self, plan_id: str, reason: str) -> None:
        self._move(plan_id, UNFINISHED, status="failed", reason=reason, finished_at=utc_now())

    def interrupt_unfinished(self, alive: Callable[[str | None], bool | None] = lambda _: False,
                             stale_after: dt.timedelta = dt.timedelta(minutes=1)) -> int:
        """Mark `failed: interrupted` every queued or running plan whose owner is gone: `alive`
        says True (alive), False (gone) or None (cannot tell: then a heartbeat older than
        `stale_after` means gone). Returns how many."""
        stale = utc_now() - stale_after
        with self.engine.begin() as db:
            rows = db.execute(sa.select(plans.c.id, plans.c.owner, plans.c.heartbeat_at)
                              .where(plans.c.status.in_(UNFINISHED))).all()
            gone = [row.id for row in rows if not _lives(alive(row.owner), utc(row.heartbeat_at), stale)]
            if not gone:
                return 0
            done = db.execute(plans.update().where(plans.c.id.in_(gone), plans.c.status.in_(UNFINISHED))
                              .values(status="failed", reason="interrupted", finished_at=utc_now()))
        return int(done.rowcount)

    def mark_published(self, team: str, plan_id: str, version: int) -> None:
        with self.engine.begin() as db:
            db.execute(plans.update().where(plans.c.id == plan_id, plans.c.team == team)
                       .values(published_version=version))

    def _move(self, plan_id: str, allowed: tuple[PlanStatus, ...], **values: Any) -> bool:
        with self.engine.begin() as db:
            done = db.execute(plans.update().where(plans.c.id == plan_id,
                                                   plans.c.status.in_(allowed)).values(**values))
        return bool(done.rowcount)


def _lives(alive: bool | None, heartbeat: dt.datetime | None, stale: dt.datetime) -> bool:
    if alive is not None:
        return alive
    return heartbeat is not None and heartbeat >= stale


def require_done(record: PlanRecord) -> dict[str, Any]:
    """The result of a finished plan, or `Conflict` saying why there is none."""
    if record.status != "done" or record.result is None:
        why = f": {record.reason}" if record.reason else ""
        raise Conflict(f"plan {record.id} is {record.status}{why}; only a done plan is published")
    return record.result


def _record(row: Any) -> PlanRecord:
    return PlanRecord(
        id=row.id, team=row.team, status=row.status, options=row.options or {},
        created_at=utc(row.created_at) or utc_now(), progress=row.progress, result=row.result,
        reason=row.reason, started_at=utc(row.started_at), finished_at=utc(row.finished_at),
        created_by=row.created_by, published_version=row.published_version,
    )
