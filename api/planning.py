"""Running plans off the event loop: a thread pool calls the planner and records progress.

CP-SAT releases the GIL while it searches, so threads suffice. Progress (solutions found, best
objective, bound, elapsed seconds) is written to the plan at most every `PROGRESS_EVERY` seconds
and once at the end. A plan whose planner raises or finds no rota becomes `failed` with the reason.
On shutdown every running solve is asked to stop. Each runner is a plan *owner* (`host:pid:token`)
and beats a heartbeat on its unfinished plans every `HEARTBEAT_SECONDS`; at start and at every beat
it marks `interrupted` the plans whose owner is gone: a process of this machine that no longer
exists, or an owner on another machine whose heartbeat is older than `STALE_AFTER`
(`rota.store.plans`). So processes sharing one PostgreSQL never fail each other's live plans.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from rota.errors import RotaError
from rota.report import gap_report
from rota.rotafile import Rota
from rota.scenario import Scenario
from rota.store import PlanRecord, Store

PROGRESS_EVERY = 0.25
HEARTBEAT_SECONDS = 10.0
STALE_AFTER = dt.timedelta(seconds=60)
FEASIBLE = ("OPTIMAL", "FEASIBLE")
log = logging.getLogger("rota.api.plans")


@dataclass(frozen=True)
class PlanRequest:
    scenario: Scenario
    time_limit_seconds: float
    previous: Rota | None
    now: dt.datetime
    solver_threads: int = 2


class Planner(Protocol):
    """The planner door: returns an object with `status`, `rota` and `report` (a dict)."""

    def __call__(self, request: PlanRequest, on_progress: Callable[[Any], None],
                 stop: threading.Event) -> Any: ...


def door_planner(request: PlanRequest, on_progress: Callable[[Any], None],
                 stop: threading.Event) -> Any:
    """`rota.planner.plan`, imported when first used."""
    from rota.planner import PlanOptions, plan

    options = PlanOptions(time_limit_seconds=request.time_limit_seconds,
                          previous=request.previous, now=request.now,
                          workers=request.solver_threads)
    return plan(request.scenario, options, on_progress=on_progress, stop=stop)


def progress_json(progress: Any) -> dict[str, Any]:
    return {
        "stage": getattr(progress, "stage", None),
        "solutions": getattr(progress, "solutions", None),
        "objective": getattr(progress, "objective", None),
        "bound": getattr(progress, "bound", None),
        "elapsed_seconds": round(float(getattr(progress, "elapsed_seconds", 0.0)), 3),
    }


class PlanRunner:
    def __init__(self, store: Store, planner: Planner, workers: int) -> None:
        self.store = store
        self.planner = planner
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rota-plan")
        self._stops: dict[str, threading.Event] = {}
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._closing = threading.Event()
        self._heart: threading.Thread | None = None

    def owner_alive(self, owner: str | None) -> bool | None:
        """Whether the process that owns a plan lives: None when only its heartbeat can tell."""
        if owner == self.owner:
            return True
        host, _, rest = (owner or "").partition(":")
        pid_text = rest.partition(":")[0]
        if host != socket.gethostname() or not pid_text.isdigit():
            return None if owner else False
        pid = int(pid_text)
        if pid == os.getpid():  # an earlier runner in this process, or a reused pid
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def interrupt_orphans(self) -> int:
        return self.store.plans.interrupt_unfinished(self.owner_alive, STALE_AFTER)

    def start_heartbeat(self) -> None:
        self._heart = threading.Thread(target=self._beat, name="rota-plan-heartbeat", daemon=True)
        self._heart.start()

    def _beat(self) -> None:
        while not self._closing.wait(HEARTBEAT_SECONDS):
            try:
                self.store.plans.beat(self.owner)
                self.interrupt_orphans()
            except Exception:  # a store hiccup must not end the heartbeat; the next beat retries
                log.exception("plan heartbeat failed")

    def submit(self, record: PlanRecord, request: PlanRequest) -> None:
        stop = threading.Event()
        self._stops[record.id] = stop
        self.pool.submit(self._run, record.id, request, stop)

    def shutdown(self) -> None:
        self._closing.set()
        if self._heart is not None:
            self._heart.join(timeout=5)
        for stop in list(self._stops.values()):
            stop.set()
        self.pool.shutdown(wait=True, cancel_futures=True)

    def _run(self, plan_id: str, request: PlanRequest, stop: threading.Event) -> None:
        try:
            if stop.is_set() or not self.store.plans.start(plan_id):
                return
            last = _Throttle(self.store, plan_id)
            result = self.planner(request, last.record, stop)
            self._finish(plan_id, request, result, last.latest)
        except RotaError as exc:
            self.store.plans.fail(plan_id, exc.message)
        except Exception as exc:  # a planner bug must still end the plan, with a reason
            log.exception("plan %s failed", plan_id)
            self.store.plans.fail(plan_id, f"internal error: {type(exc).__name__}")
        finally:
            self._stops.pop(plan_id, None)

    def _finish(self, plan_id: str, request: PlanRequest, result: Any,
                progress: dict[str, Any] | None) -> None:
        rota = getattr(result, "rota", None)
        status = str(getattr(result, "status", "UNKNOWN"))
        if rota is None or status not in FEASIBLE:
            self.store.plans.fail(plan_id, f"no feasible rota (solver status {status})")
            return
        report = getattr(result, "report", None)
        if not isinstance(report, dict):
            report = gap_report(request.scenario, rota).to_json()
        self.store.plans.finish(plan_id, {"status": status, "rota": rota.to_json(),
                                          "report": report}, progress)


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
