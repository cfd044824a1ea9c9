"""`rota worker`: run plan jobs from the procrastinate queue in the store's PostgreSQL.

Every option also reads its `ROTA_WORKER_...` environment variable. The store's schema (with
procrastinate's tables) is migrated on start, as `rota serve` does.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Annotated

import typer

from rota.cli.app import app, err, reports_errors
from rota.cli.database import database_url
from rota.errors import RotaError

DEFAULT_MEMORY_LIMIT_MB = 4096.0  # rota.jobs.memory.DEFAULT_LIMIT_MB (not imported: CLI start-up)


def _default_threads() -> int:
    return max(1, (os.cpu_count() or 2) - 1)


@app.command()
@reports_errors
def worker(
    plans: Annotated[int, typer.Option(min=1, max=64, envvar="ROTA_WORKER_PLANS",
                                       help="Plans this process solves at once.")] = 1,
    solver_threads: Annotated[int | None, typer.Option(
        min=1, max=64, envvar="ROTA_WORKER_SOLVER_THREADS",
        help="CP-SAT threads per solve (default: the machine's cores minus one).")] = None,
    nice: Annotated[int, typer.Option(min=0, max=19, envvar="ROTA_WORKER_NICE",
                                      help="Lower the CPU priority by this much.")] = 10,
    heartbeat_seconds: Annotated[float, typer.Option(
        min=0.1, envvar="ROTA_WORKER_HEARTBEAT_SECONDS", help="How often a worker beats.")] = 10.0,
    stalled_seconds: Annotated[float, typer.Option(
        min=0.5, envvar="ROTA_WORKER_STALLED_SECONDS",
        help="A worker silent this long is lost; its plan is retried.")] = 30.0,
    check_seconds: Annotated[int, typer.Option(
        min=1, max=59, envvar="ROTA_WORKER_CHECK_SECONDS",
        help="How often lost workers' plans are looked for.")] = 10,
    memory_limit_mb: Annotated[float, typer.Option(
        min=0, envvar="ROTA_WORKER_MEMORY_LIMIT_MB",
        help="A plan whose process grows by more than this many MiB is stopped and fails "
             "(0: no limit).")] = DEFAULT_MEMORY_LIMIT_MB,
    planner: Annotated[str | None, typer.Option(
        hidden=True, envvar="ROTA_WORKER_PLANNER",
        help="module:attribute of another planner (tests).")] = None,
) -> None:
    """Run plans queued by `rota serve` on PostgreSQL (any number of workers, on any machine)."""
    from rota.jobs.worker import WorkerOptions, run_workers

    url = database_url()
    if not url.startswith("postgresql"):
        raise RotaError("rota worker needs ROTA_DATABASE_URL to name PostgreSQL "
                        "(postgresql+psycopg://...); with SQLite, rota serve runs plans itself")
    if stalled_seconds <= heartbeat_seconds:
        raise RotaError("--stalled-seconds must be longer than --heartbeat-seconds")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for chatty in ("procrastinate", "alembic"):  # a line per job and per periodic tick otherwise
        logging.getLogger(chatty).setLevel(logging.WARNING)
    options = WorkerOptions(plans=plans, solver_threads=solver_threads or _default_threads(),
                            nice=nice, heartbeat_seconds=heartbeat_seconds,
                            stalled_seconds=stalled_seconds, check_seconds=check_seconds,
                            memory_limit_mb=memory_limit_mb, planner=planner)
    limit = f"{memory_limit_mb:g} MiB" if memory_limit_mb else "no memory limit"
    err.print(f"rota worker {os.getpid()}: {plans} plan(s) at once, {options.solver_threads} "
              f"solver thread(s) each, nice {nice}, {limit} a plan", highlight=False)
    asyncio.run(run_workers(url, options))


@app.command()
@reports_errors
def migrate() -> None:
    """Bring the store in ROTA_DATABASE_URL to the newest schema (on PostgreSQL with procrastinate's
    tables); `rota serve` and `rota worker` do the same on start."""
    from rota.store import Store

    url = database_url()
    Store.open(url).close()
    err.print(f"the store at {url.split('@')[-1]} is migrated", highlight=False)
