"""Plan jobs: the one door to whatever runs plans, behind the `PlanQueue` interface.

- `embedded` (the SQLite default): the serving process runs plans in its own thread pool.
- `procrastinate` (production, PostgreSQL): the API process only defers a procrastinate job per
  plan; `rota worker` processes run them (`rota.jobs.worker`). procrastinate is imported here only.

Either way the plan record in the store is the truth (status, progress, rota, report, attempts,
events); admission bounds and "one plan per team and horizon" are enforced by the store when the
record is made, before anything is queued. `rota.jobs.solve` runs one plan for both.
"""

from __future__ import annotations

from typing import Protocol

from rota.jobs.solve import Planner, PlanRequest, PlanRun, door_planner
from rota.store import PlanRecord

__all__ = ["PlanQueue", "PlanRequest", "PlanRun", "Planner", "door_planner"]


class PlanQueue(Protocol):
    kind: str
    owner: str | None  # stored on the plans it runs in this process (the embedded pool), else None

    def submit(self, record: PlanRecord) -> None:
        """Have the queued plan run (its record is already stored)."""

    def cancel(self, record: PlanRecord) -> None:
        """The store has marked the plan cancelled (queued) or asked it to stop (running)."""

    def close(self) -> None:
        """Stop taking plans; running solves stop and keep their best rota."""
