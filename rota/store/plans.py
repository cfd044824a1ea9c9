"""Plans: a solve's record, `queued` -> `running` -> `done` | `failed` | `cancelled`, whatever runs it.

Admission (`create`) is one transaction that enforces, across processes: one queued or running plan
per team and horizon (a unique partial index; a second one raises `PlanActive` naming the first), at
most `per_team` unfinished plans per team and `overall` in all (`QueueFull`, with a retry hint).
The row is inserted first and the counts read after it, so concurrent admissions cannot both slip
under a bound: SQLite serialises writers from the insert on, PostgreSQL takes a transaction-level
advisory lock first. A queued plan stores the scenario revision it was asked for, never the parsed
scenario: the runner loads it when the plan starts.

A plan that starts again while `running` is a retry (its worker was lost): `attempts` counts starts
and `events` says what happened, so a retried plan says so. Cancelling a queued plan ends it at once;
cancelling a running one sets `cancel_requested_at`, which the runner polls to stop the solver and
end the plan `cancelled` with the best rota found so far.

`owner` is set only by the embedded pool (`rota.jobs.embedded`): when its serving process is gone,
its unfinished plans can never finish and are failed `interrupted` (`interrupt_unfinished`). Plans run
by procrastinate have no owner; a lost worker's job is retried by the queue instead.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import sqlalchemy as sa

from rota.errors import Conflict, NotFound, RotaError
from rota.store.engine import utc, utc_now
from rota.store.schema import plans

PlanStatus = Literal["queued", "running", "done", "failed", "cancelled"]
UNFINISHED: tuple[PlanStatus, ...] = ("queued", "running")
PUBLISHABLE: tuple[PlanStatus, ...] = ("done", "cancelled")
_ADMISSION_LOCK = 0x726F7461  # "rota": serialises plan admission on PostgreSQL


class PlanActive(Conflict):
    """A plan for this team and horizon is already queued or running."""

    def __init__(self, team: str, plan_id: str) -> None:
        super().__init__(f"team {team!r} already has plan {plan_id} queued or running for this "
                         f"horizon; poll it, or cancel it first")
        self.plan_id = plan_id
        self.headers = {"Location": f"/v1/teams/{team}/plans/{plan_id}"}
        self.extensions = {"plan": plan_id}


class QueueFull(RotaError):
    """Too many plans are queued or running (for the team, or overall)."""

    title = "Too many plans"

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = max(1, math.ceil(retry_after))
        self.headers = {"Retry-After": str(self.retry_after)}


@dataclass(frozen=True)
class PlanBounds:
    per_team: int
    overall: int


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
    horizon: str | None = None
    scenario_revision: int | None = None
    attempts: int = 0
    job_id: int | None = None
    cancel_requested: bool = False
    events: list[dict[str, Any]] = field(default_factory=list)


class PlanRepository:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    # admission ---------------------------------------------------------------------------------

    def create(self, team: str, options: dict[str, Any], by: str | None = None, *,
               horizon: str | None = None, scenario_revision: int | None = None,
               owner: str | None = None, bounds: PlanBounds | None = None) -> PlanRecord:
        """Queue a plan, or raise `PlanActive` / `QueueFull` (nothing is stored then)."""
        ident = secrets.token_hex(8)
        now = utc_now()
        try:
            with self.engine.begin() as db:
                if db.dialect.name == "postgresql":
                    db.execute(sa.select(sa.func.pg_advisory_xact_lock(_ADMISSION_LOCK)))
                db.execute(plans.insert().values(
                    id=ident, team=team, status="queued", options=options, created_at=now,
                    created_by=by, owner=owner, horizon=horizon, scenario_revision=scenario_revision,
                    attempts=0, events=[_event(now, "queued", by)]))
                if bounds is not None:
                    _check_bounds(db, team, bounds, ident)
        except sa.exc.IntegrityError:
            active = self._active(team, horizon)
            if active is None:  # the other plan ended meanwhile: one more try decides
                return self.create(team, options, by, horizon=horizon,
                                   scenario_revision=scenario_revision, owner=owner, bounds=bounds)
            raise PlanActive(team, active) from None
        return self.get(team, ident)

    def _active(self, team: str, horizon: str | None) -> str | None:
        with self.engine.connect() as db:
            found = db.execute(sa.select(plans.c.id).where(
                plans.c.team == team, plans.c.horizon == horizon,
                plans.c.status.in_(UNFINISHED))).scalar()
        return str(found) if found is not None else None

    def set_job(self, plan_id: str, job_id: int) -> None:
        with self.engine.begin() as db:
            db.execute(plans.update().where(plans.c.id == plan_id).values(job_id=job_id))

    # reading -----------------------------------------------------------------------------------

    def get(self, team: str, plan_id: str) -> PlanRecord:
        with self.engine.connect() as db:
            row = db.execute(sa.select(plans).where(plans.c.id == plan_id,
                                                    plans.c.team == team)).first()
        if row is None:
            raise NotFound(f"team {team!r} has no plan {plan_id!r}")
        return _record(row)

    def by_id(self, plan_id: str) -> PlanRecord | None:
        with self.engine.connect() as db:
            row = db.execute(sa.select(plans).where(plans.c.id == plan_id)).first()
        return _record(row) if row is not None else None

    def cancel_requested(self, plan_id: str) -> bool:
        """Whether someone asked to cancel the plan (one primary-key read, polled by runners)."""
        with self.engine.connect() as db:
            row = db.execute(sa.select(plans.c.status, plans.c.cancel_requested_at)
                             .where(plans.c.id == plan_id)).first()
        return row is None or row.cancel_requested_at is not None or row.status not in UNFINISHED

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as db:
            rows = db.execute(sa.select(plans.c.status, sa.func.count())
                              .group_by(plans.c.status)).all()
        return {str(status): int(count) for status, count in rows}

    # the runner's transitions ------------------------------------------------------------------

    def start(self, plan_id: str, *, retry: bool = False, worker: str | None = None) -> bool:
        """Move a queued plan to running (attempt 1). With `retry`, a plan still `running` (its
        worker was lost) starts again as the next attempt. False when the plan has ended (e.g.
        cancelled while queued) and must not run."""
        allowed: tuple[PlanStatus, ...] = UNFINISHED if retry else ("queued",)
        with self.engine.begin() as db:
            row = db.execute(_locked(db, sa.select(plans.c.status, plans.c.events, plans.c.attempts,
                                                   plans.c.cancel_requested_at)
                                     .where(plans.c.id == plan_id))).first()
            if row is None or row.status not in allowed or row.cancel_requested_at is not None:
                if row is not None and row.status == "running" and row.cancel_requested_at:
                    db.execute(plans.update().where(plans.c.id == plan_id).values(
                        status="cancelled", reason="cancelled", finished_at=utc_now(),
                        events=[*(row.events or []), _event(utc_now(), "cancelled", None)]))
                return False
            now = utc_now()
            what = "retried: its worker was lost" if row.status == "running" else "started"
            db.execute(plans.update().where(plans.c.id == plan_id).values(
                status="running", started_at=now, attempts=int(row.attempts or 0) + 1,
                events=[*(row.events or []), _event(now, what, worker)]))
        return True

    def progress(self, plan_id: str, progress: dict[str, Any]) -> None:
        with self.engine.begin() as db:
            db.execute(plans.update().where(plans.c.id == plan_id, plans.c.status == "running")
                       .values(progress=progress))

    def finish(self, plan_id: str, result: dict[str, Any], progress: dict[str, Any] | None,
               note: str | None = None) -> None:
        """A running plan is done; `note` says why it stopped early (e.g. its worker's shutdown)."""
        self._end(plan_id, "done", None, result, progress, note or "done")

    def end_cancelled(self, plan_id: str, result: dict[str, Any] | None,
                      progress: dict[str, Any] | None) -> None:
        """A running plan stopped on request, keeping its best rota when it had one."""
        self._end(plan_id, "cancelled", "cancelled", result, progress, "cancelled")

    def fail(self, plan_id: str, reason: str, progress: dict[str, Any] | None = None,
             result: dict[str, Any] | None = None) -> None:
        """The plan failed; `result` keeps a best rota it had (shown, never published)."""
        self._end(plan_id, "failed", reason, result, progress, f"failed: {reason}")

    def _end(self, plan_id: str, status: PlanStatus, reason: str | None,
             result: dict[str, Any] | None, progress: dict[str, Any] | None, what: str) -> None:
        now = utc_now()
        with self.engine.begin() as db:
            row = db.execute(_locked(db, sa.select(plans.c.events).where(
                plans.c.id == plan_id, plans.c.status.in_(UNFINISHED)))).first()
            if row is None:
                return
            values: dict[str, Any] = {"status": status, "reason": reason, "finished_at": now,
                                      "events": [*(row.events or []), _event(now, what, None)]}
            if result is not None:
                values["result"] = result
            if progress is not None:
                values["progress"] = progress
            db.execute(plans.update().where(plans.c.id == plan_id).values(**values))

    # cancelling --------------------------------------------------------------------------------

    def cancel(self, team: str, plan_id: str, by: str | None = None) -> PlanRecord:
        """Cancel a queued plan at once, or ask a running one to stop; `Conflict` when it ended."""
        now = utc_now()
        with self.engine.begin() as db:
            row = db.execute(_locked(db, sa.select(plans.c.status, plans.c.events).where(
                plans.c.id == plan_id, plans.c.team == team))).first()
            if row is None:
                raise NotFound(f"team {team!r} has no plan {plan_id!r}")
            if row.status not in UNFINISHED:
                raise Conflict(f"plan {plan_id} is {row.status}; only a queued or running plan "
                               "is cancelled")
            events = [*(row.events or []), _event(now, "cancel requested", by)]
            values: dict[str, Any] = {"cancel_requested_at": now, "events": events}
            if row.status == "queued":
                values.update(status="cancelled", reason="cancelled", finished_at=now,
                              events=[*events, _event(now, "cancelled", None)])
            db.execute(plans.update().where(plans.c.id == plan_id).values(**values))
        return self.get(team, plan_id)

    # the embedded pool's orphans ---------------------------------------------------------------

    def interrupt_unfinished(self, alive: Callable[[str], bool] = lambda _: False) -> int:
        """Fail `interrupted` every unfinished plan of the embedded pool whose owning process is
        gone (`alive(owner)` is False). Plans without an owner belong to the job queue, which
        retries them itself. Returns how many."""
        with self.engine.begin() as db:
            rows = db.execute(sa.select(plans.c.id, plans.c.owner).where(
                plans.c.status.in_(UNFINISHED), plans.c.owner.is_not(None))).all()
            gone = [row.id for row in rows if not alive(row.owner)]
            if not gone:
                return 0
            done = db.execute(plans.update().where(plans.c.id.in_(gone), plans.c.status.in_(UNFINISHED))
                              .values(status="failed", reason="interrupted", finished_at=utc_now()))
        return int(done.rowcount)

    def mark_published(self, team: str, plan_id: str, version: int) -> None:
        with self.engine.begin() as db:
            db.execute(plans.update().where(plans.c.id == plan_id, plans.c.team == team)
                       .values(published_version=version))


def _check_bounds(db: sa.Connection, team: str, bounds: PlanBounds, new: str) -> None:
    unfinished = plans.c.status.in_(UNFINISHED)
    mine = db.execute(sa.select(sa.func.count()).where(unfinished, plans.c.team == team)).scalar()
    if int(mine or 0) > bounds.per_team:
        raise QueueFull(f"team {team!r} has {bounds.per_team} plans queued or running, the most "
                        "it may have; try again when one ends", _retry_after(db, team, new))
    everyone = db.execute(sa.select(sa.func.count()).where(unfinished)).scalar()
    if int(everyone or 0) > bounds.overall:
        raise QueueFull(f"{bounds.overall} plans are queued or running, the most the service "
                        "takes; try again when one ends", _retry_after(db, None, new))


def _retry_after(db: sa.Connection, team: str | None, new: str) -> float:
    """A hint: the shortest time limit among the plans ahead (one of them ends by then)."""
    query = sa.select(plans.c.options).where(plans.c.status.in_(UNFINISHED), plans.c.id != new)
    if team is not None:
        query = query.where(plans.c.team == team)
    limits = [float((row.options or {}).get("time_limit_seconds") or 60) for row in db.execute(query)]
    return min(limits, default=60.0)


def _locked(db: sa.Connection, query: sa.Select[Any]) -> sa.Select[Any]:
    return query.with_for_update() if db.dialect.name == "postgresql" else query


def _event(at: dt.datetime, what: str, by: str | None) -> dict[str, Any]:
    event = {"at": at.isoformat().replace("+00:00", "Z"), "event": what}
    if by:
        event["by"] = by
    return event


def require_done(record: PlanRecord) -> dict[str, Any]:
    """The rota of a finished plan (done, or cancelled with its best rota so far), or `Conflict`
    saying why there is none."""
    if record.status not in PUBLISHABLE or record.result is None:
        why = f": {record.reason}" if record.reason else ""
        raise Conflict(f"plan {record.id} is {record.status}{why}; only a done plan (or one "
                       "cancelled with a rota) is published")
    return record.result


def _record(row: Any) -> PlanRecord:
    return PlanRecord(
        id=row.id, team=row.team, status=row.status, options=row.options or {},
        created_at=utc(row.created_at) or utc_now(), progress=row.progress, result=row.result,
        reason=row.reason, started_at=utc(row.started_at), finished_at=utc(row.finished_at),
        created_by=row.created_by, published_version=row.published_version, horizon=row.horizon,
        scenario_revision=row.scenario_revision, attempts=int(row.attempts or 0), job_id=row.job_id,
        cancel_requested=row.cancel_requested_at is not None, events=list(row.events or []),
    )
