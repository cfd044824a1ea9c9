"""The procrastinate queue, API side: an API process stores the plan record (the store admits it),
then defers one procrastinate job per plan and never runs a solve itself.

Each job carries only the plan id. Its `queueing_lock` and `lock` are the plan's team and horizon, so
procrastinate too holds at most one waiting and one running job per team and horizon (the store's
unique index already guarantees it across every API process). Cancelling asks procrastinate to
cancel the job (a waiting one never starts) or abort it (the worker's `should_abort` turns true
within a second or two); the record's own cancel flag covers the instant before the job id is known.
procrastinate's tables come with the store's migrations (`0003_plan_jobs`).

The connection pool opens with the first plan submitted or cancelled, not with the queue: an app
made and dropped without its lifespan (a test, a script reading `/openapi.json`) leaves no pool
and no pool threads behind, and an API process that never plans holds no extra connections.
"""

from __future__ import annotations

import logging
import threading

import procrastinate

from rota.store import PlanRecord, Store
from rota.store.engine import libpq_dsn

PLAN_TASK = "rota.plan"
STALLED_TASK = "rota.retry_stalled"
PLANS_QUEUE = "rota-plans"
MAINTENANCE_QUEUE = "rota-maintenance"
log = logging.getLogger("rota.jobs")


def lock_of(record: PlanRecord) -> str:
    return f"rota-plan:{record.team}:{record.horizon}"


class ProcrastinateQueue:
    kind = "procrastinate"

    def __init__(self, store: Store, database_url: str) -> None:
        self.store = store
        self.owner: str | None = None
        self._conninfo = libpq_dsn(database_url)
        self._app: procrastinate.App | None = None
        self._lock = threading.Lock()

    @property
    def app(self) -> procrastinate.App:
        """procrastinate's app, opened (with its connection pool) on first use."""
        with self._lock:
            if self._app is None:
                connector = procrastinate.SyncPsycopgConnector(conninfo=self._conninfo,
                                                               min_size=1, max_size=4)
                self._app = procrastinate.App(connector=connector).open()
            return self._app

    def submit(self, record: PlanRecord) -> None:
        lock = lock_of(record)
        try:
            job_id = self.app.configure_task(PLAN_TASK, queue=PLANS_QUEUE, queueing_lock=lock,
                                             lock=lock).defer(plan_id=record.id)
        except Exception as exc:
            self.store.plans.fail(record.id, f"could not be queued: {type(exc).__name__}")
            raise
        self.store.plans.set_job(record.id, job_id)

    def cancel(self, record: PlanRecord) -> None:
        job_id = record.job_id or self._job_of(record)
        if job_id is not None:
            self.app.job_manager.cancel_job_by_id(job_id, abort=True)

    def _job_of(self, record: PlanRecord) -> int | None:
        fresh = self.store.plans.by_id(record.id)
        return fresh.job_id if fresh is not None else None

    def close(self) -> None:
        with self._lock:
            if self._app is not None:
                self._app.close()
                self._app = None
