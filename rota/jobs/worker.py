"""`rota worker`: a process that runs plan jobs from the procrastinate queue, apart from the API.

One process runs two procrastinate workers on one event loop: `rota-plans` with `plans` solves at
once (each CP-SAT solve on `solver_threads` threads), and `rota-maintenance` (one at a time) for
the periodic stalled-job check, so the check runs even while every plan slot is busy.

Crash recovery: every worker beats a heartbeat every `heartbeat_seconds`; procrastinate's periodic
task (`rota.retry_stalled`, every `check_seconds`, deferred once per tick whichever worker's clock
ticks first) finds plan jobs still `doing` whose worker's heartbeat is older than `stalled_seconds`
and retries them, so another worker starts the plan again (its record says `retried: its worker was
lost`). After `MAX_ATTEMPTS` starts the plan fails instead, saying so.

Shutdown (SIGTERM, SIGINT): the workers stop taking jobs and the running solves are stopped at once
(procrastinate's abort with reason `shutdown`): each keeps its best rota and ends `done`, its events
saying it stopped early. A cancelled plan's job is aborted by the API; `should_abort` turns true and
the solve stops within a second or two.

Politeness: the process lowers its CPU priority by `nice` (default 10) before it solves, so API
processes on the same machine keep answering, and each plan is held to `memory_limit_mb`
(`rota.jobs.memory`): one that grows the process past it is stopped and fails, and the worker
takes the next.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import signal
import socket
from dataclasses import dataclass
from typing import Any

import procrastinate
from procrastinate import exceptions, job_context
from procrastinate.worker import Worker

from rota.jobs.memory import DEFAULT_LIMIT_MB
from rota.jobs.pgqueue import MAINTENANCE_QUEUE, PLAN_TASK, PLANS_QUEUE, STALLED_TASK
from rota.jobs.solve import Planner, PlanRun, door_planner
from rota.store import Store
from rota.store.engine import libpq_dsn

MAX_ATTEMPTS = 3
log = logging.getLogger("rota.jobs.worker")


@dataclass(frozen=True)
class WorkerOptions:
    plans: int = 1
    solver_threads: int = 1
    nice: int = 10
    heartbeat_seconds: float = 10.0
    stalled_seconds: float = 30.0
    check_seconds: int = 10
    abort_poll_seconds: float = 1.0
    memory_limit_mb: float = DEFAULT_LIMIT_MB
    planner: str | None = None  # "module:attribute"; default: rota's planner


def load_planner(spec: str | None) -> Planner:
    if not spec:
        return door_planner
    module, _, name = spec.partition(":")
    found: Planner = getattr(importlib.import_module(module), name)
    return found


def build_app(store: Store, database_url: str, options: WorkerOptions) -> procrastinate.App:
    """The worker's procrastinate app with its two tasks."""
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(
        conninfo=libpq_dsn(database_url), min_size=1, max_size=4 + options.plans))
    planner = load_planner(options.planner)
    name = f"{socket.gethostname()}:{os.getpid()}"

    @app.task(name=PLAN_TASK, queue=PLANS_QUEUE, pass_context=True)
    def run_plan(context: job_context.JobContext, plan_id: str) -> None:
        def should_stop() -> str | None:
            reason = context.abort_reason()
            if reason is None:
                return None
            if reason == job_context.AbortReason.USER_REQUEST:
                return "cancelled"
            return "the worker is shutting down"

        run = PlanRun(store, planner, options.solver_threads, should_stop, name,
                      options.memory_limit_mb)
        log.info("plan %s: starting (job %s, attempt %s)", plan_id, context.job.id,
                 context.job.attempts + 1)
        run(plan_id, retry=True)  # a plan found running here lost its worker: start it again
        ended = store.plans.by_id(plan_id)
        log.info("plan %s: %s", plan_id, ended.status if ended else "gone")
        if context.abort_reason() == job_context.AbortReason.USER_REQUEST:
            raise exceptions.JobAborted  # procrastinate records the job as aborted

    @app.periodic(cron=f"* * * * * */{max(1, options.check_seconds)}", periodic_id="stalled")
    @app.task(name=STALLED_TASK, queue=MAINTENANCE_QUEUE, pass_context=True)
    async def retry_stalled(context: job_context.JobContext, timestamp: int) -> None:
        manager = context.app.job_manager
        stalled = await manager.get_stalled_jobs(task_name=PLAN_TASK,
                                                 seconds_since_heartbeat=options.stalled_seconds)
        for job in stalled:
            plan_id = str(job.task_kwargs.get("plan_id"))
            if job.attempts + 1 >= MAX_ATTEMPTS:
                await asyncio.to_thread(store.plans.fail, plan_id,
                                        f"its worker was lost {job.attempts + 1} times")
                await manager.finish_job(job, status=procrastinate.jobs.Status.FAILED,
                                         delete_job=False)
                continue
            log.warning("plan %s: its worker stopped beating; retrying the job", plan_id)
            await manager.retry_job(job)

    return app


async def run_workers(database_url: str, options: WorkerOptions) -> None:
    if options.nice:
        os.nice(options.nice)
    store = Store.open(database_url)
    app = build_app(store, database_url, options)
    common: dict[str, Any] = {
        "install_signal_handlers": False, "shutdown_graceful_timeout": 0,
        "update_heartbeat_interval": options.heartbeat_seconds,
        "stalled_worker_timeout": options.stalled_seconds,
        "abort_job_polling_interval": options.abort_poll_seconds,
        "fetch_job_polling_interval": 2.0, "delete_jobs": "successful",
    }
    try:
        async with app.open_async():
            workers = [Worker(app, queues=[PLANS_QUEUE], name="rota-plans",
                              concurrency=options.plans, **common),
                       Worker(app, queues=[MAINTENANCE_QUEUE], name="rota-maintenance",
                              concurrency=1, **common)]
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, lambda: [w.stop() for w in workers])
            await asyncio.gather(*(w.run() for w in workers))
    finally:
        store.close()
