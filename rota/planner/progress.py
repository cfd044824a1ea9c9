"""Live progress of a solve: a light solution callback, and a watcher that honours a stop event.

The callback's own time counts against the solve, so it only reads the objective and bound and
hands a `Progress` to the caller's function. `StopWatcher` turns a `threading.Event` set by another
thread (the CLI's Ctrl-C, the API's cancel) into `stop_search()` on the running solver.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model


@dataclass(frozen=True)
class Progress:
    elapsed_seconds: float
    solutions: int
    objective: float | None
    bound: float | None
    stage: str = "uncovered"


class ProgressCallback(cp_model.CpSolverSolutionCallback):
    """Counts solutions across stages and reports each one."""

    def __init__(
        self, started: float, on_progress: Callable[[Progress], None] | None, stop: threading.Event | None
    ) -> None:
        super().__init__()
        self.started = started
        self.on_progress = on_progress
        self.stop = stop
        self.solutions = 0
        self.stage = "uncovered"
        self.offset = 0.0

    def on_solution_callback(self) -> None:
        self.solutions += 1
        if self.on_progress is not None:
            self.on_progress(Progress(
                elapsed_seconds=round(time.monotonic() - self.started, 3),
                solutions=self.solutions,
                objective=self.objective_value + self.offset,
                bound=self.best_objective_bound + self.offset,
                stage=self.stage,
            ))
        if self.stop is not None and self.stop.is_set():
            self.stop_search()


class StopWatcher:
    """While active, stops the current solver soon after `stop` is set."""

    POLL_SECONDS = 0.2

    def __init__(self, stop: threading.Event | None) -> None:
        self.stop = stop
        self.solver: cp_model.CpSolver | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> StopWatcher:
        if self.stop is not None:
            self._thread = threading.Thread(target=self._watch, daemon=True, name="plan-stop")
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()

    def attach(self, solver: cp_model.CpSolver) -> None:
        with self._lock:
            self.solver = solver
        if self.stop is not None and self.stop.is_set():
            solver.stop_search()

    def _watch(self) -> None:
        assert self.stop is not None
        while not self._done.is_set():
            if self.stop.wait(self.POLL_SECONDS):
                with self._lock:
                    if self.solver is not None:
                        self.solver.stop_search()
                if self._done.wait(self.POLL_SECONDS):
                    return
