"""Running one plan, whoever runs it (the embedded pool or a `rota worker`): load what the record
names, call the planner with a stop event, write progress, and end the record.

The plan's fairness counts the burden the team's published versions carry in over the scenario's
`fairness.lookback_days` before the horizon (`rota.published_history`).

The scenario is read from the store when the plan starts (queued plans hold only its revision).
Progress is written at most every `PROGRESS_EVERY` seconds and once at the end. A watcher thread
turns a cancel request (the record's flag, polled every `CANCEL_POLL` seconds) or the runner's own
`should_stop` (a worker's shutdown, procrastinate's abort) into the planner's stop event; the planner
then stops CP-SAT and returns its best rota so far. Ends: `done` (with a note when a shutdown cut it
short), `cancelled` (with the best rota when there was one), or `failed` with the reason. The
watcher also holds the plan to its memory limit (`rota.jobs.memory`): a plan past it is stopped
and ends `failed` saying so, with its best rota when it had one.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from rota.errors import RotaError
from rota.history import History
from rota.jobs.memory import WATCH_EVERY, MemoryWatch
from rota.published_history import published_history
from rota.report import gap_report
from rota.rotafile import Rota
from rota.scenario import Scenario
from rota.store import Store
from rota.validation import scenario_warnings

PROGRESS_EVERY = 0.25
CANCEL_POLL = 0.5
FEASIBLE = ("OPTIMAL", "FEASIBLE")
log = logging.getLogger("rota.jobs")


@dataclass(frozen=True)
class PlanRequest:
    scenario: Scenario
    time_limit_seconds: float
    previous: Rota | None
    now: dt.datetime
    solver_threads: int = 1
    history: History | None = None  # burden the team's published versions carry in


class Planner(Protocol):
    """The planner door: returns an object with `status`, `rota` and `report` (a dict or None)."""

    def __call__(self, request: PlanRequest, on_progress: Callable[[Any], None],
                 stop: threading.Event) -> Any: ...


def door_planner(request: PlanRequest, on_progress: Callable[[Any], None],
                 stop: threading.Event) -> Any:
    """`rota.planner.plan`, imported when first used."""
    from rota.planner import PlanOptions, plan

    options = PlanOptions(time_limit_seconds=request.time_limit_seconds,
                          previous=request.previous, now=request.now,
                          workers=request.solver_threads, history=request.history)
    return plan(request.scenario, options, on_progress=on_progress, stop=stop)


def progress_json(progress: Any) -> dict[str, Any]:
    return {
        "stage": getattr(progress, "stage", None),
        "solutions": getattr(progress, "solutions", None),
        "objective": getattr(progress, "objective", None),
        "bound": getattr(progress, "bound", None),
        "elapsed_seconds": round(float(getattr(progress, "elapsed_seconds", 0.0)), 3),
    }


@dataclass
class PlanRun:
    """One plan's run. `should_stop` answers why to stop early (None: go on)."""

    store: Store
    planner: Planner
    solver_threads: int
    should_stop: Callable[[], str | None] = lambda: None
    worker: str | None = None
    memory_limit_mb: float = 0.0  # 0: none

    def __call__(self, plan_id: str, *, retry: bool = False) -> None:
        if not self.store.plans.start(plan_id, retry=retry, worker=self.worker):
            return  # cancelled (or already ended) before it started
        stop = threading.Event()
        memory = MemoryWatch(self.memory_limit_mb)
        memory.start()
        watcher = _Watcher(self.store, plan_id, stop, self.should_stop, memory)
        throttle = _Throttle(self.store, plan_id)
        try:
            request = self._request(plan_id)
            watcher.start()
            result = self.planner(request, throttle.record, stop)
            watcher.close()
            self._end(plan_id, request, result, throttle.latest, watcher.why, watcher.over_memory)
        except RotaError as exc:
            self.store.plans.fail(plan_id, exc.message, throttle.latest)
        except Exception as exc:  # a planner bug must still end the plan, with a reason
            log.exception("plan %s failed", plan_id)
            self.store.plans.fail(plan_id, f"internal error: {type(exc).__name__}", throttle.latest)
        finally:
            watcher.close()

    def _request(self, plan_id: str) -> PlanRequest:
        record = self.store.plans.by_id(plan_id)
        if record is None:
            raise RotaError(f"plan {plan_id} vanished")
        scenario, _revision = self.store.teams.scenario(record.team)
        previous_version = record.options.get("previous")
        previous = self.store.teams.rota(record.team, int(previous_version)) if previous_version else None
        return PlanRequest(scenario, float(record.options["time_limit_seconds"]), previous,
                           dt.datetime.now(dt.UTC), self.solver_threads,
                           published_history(self.store, scenario))

    def _end(self, plan_id: str, request: PlanRequest, result: Any,
             progress: dict[str, Any] | None, why: str | None, over_memory: str | None) -> None:
        rota = getattr(result, "rota", None)
        status = str(getattr(result, "status", "UNKNOWN"))
        outcome = None
        if rota is not None and status in FEASIBLE:
            report = getattr(result, "report", None)
            if not isinstance(report, dict):
                report = gap_report(request.scenario, rota).to_json()
            # the demand no rota can meet, named as `rota validate` and `rota plan` name it
            report = {**report, "warnings": [str(w) for w in scenario_warnings(request.scenario)]}
            outcome = {"status": status, "rota": rota.to_json(), "report": report}
        if why == "cancelled":
            self.store.plans.end_cancelled(plan_id, outcome, progress)
        elif over_memory is not None:
            kept = "; its best rota is kept" if outcome is not None else ""
            self.store.plans.fail(plan_id, f"stopped {over_memory}{kept}", progress, outcome)
        elif outcome is None:
            cut = f", stopped early: {why}" if why else ""
            self.store.plans.fail(plan_id, f"no feasible rota (solver status {status}{cut})", progress)
        else:
            self.store.plans.finish(plan_id, outcome, progress,
                                    f"done, stopped early: {why}" if why else None)


class _Watcher:
    """Sets `stop` when the plan's cancel flag is raised, `should_stop` gives a reason or the plan
    passes its memory limit (`over_memory` then says how)."""

    def __init__(self, store: Store, plan_id: str, stop: threading.Event,
                 should_stop: Callable[[], str | None], memory: MemoryWatch) -> None:
        self.store, self.plan_id, self.stop, self.should_stop = store, plan_id, stop, should_stop
        self.memory = memory
        self.why: str | None = None
        self.over_memory: str | None = None
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True, name=f"plan-watch-{plan_id}")

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._closed.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def _watch(self) -> None:
        last_poll = time.monotonic()
        while not self._closed.wait(WATCH_EVERY):
            self.over_memory = self.memory.exceeded()
            why = "memory" if self.over_memory is not None else self.should_stop()
            if why is None and time.monotonic() - last_poll >= CANCEL_POLL:
                last_poll = time.monotonic()
                try:
                    why = "cancelled" if self.store.plans.cancel_requested(self.plan_id) else None
                except Exception:  # a store hiccup: the next poll asks again
                    log.warning("could not read plan %s's cancel flag", self.plan_id)
            if why is not None:
                self.why = why
                self.stop.set()
                return


class _Throttle:
    """Writes progress at most every PROGRESS_EVERY seconds; keeps the latest for the end."""

    def __init__(self, store: Store, plan_id: str) -> None:
        self.store = store
        self.plan_id = plan_id
        self.latest: dict[str, Any] | None = None
        self._written = float("-inf")  # the first report is always written

    def record(self, progress: Any) -> None:
        self.latest = progress_json(progress)
        now = time.monotonic()
        if now - self._written >= PROGRESS_EVERY:
            self._written = now
            self.store.plans.progress(self.plan_id, self.latest)
