"""The embedded pool: the serving process runs plans in its own threads (the SQLite default).

CP-SAT releases the GIL while it searches, so threads suffice. The pool holds plan ids only; each
plan reads its scenario when it starts. The pool is a plan *owner* (`host:pid:token`): when it
opens, it fails `interrupted` the unfinished plans of embedded owners on this machine whose process
no longer exists (their plans can never finish). Owners on other machines are left alone: several
machines on one database is what the procrastinate queue is for. On close every running solve is
asked to stop and keeps its best rota; queued plans are failed `interrupted`.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

from rota.jobs.solve import Planner, PlanRun
from rota.store import PlanRecord, Store


class EmbeddedQueue:
    kind = "embedded"

    def __init__(self, store: Store, planner: Planner, workers: int, solver_threads: int,
                 memory_limit_mb: float = 0.0) -> None:
        self.store = store
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rota-plan")
        self.owner: str | None = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._closing = threading.Event()
        self.run = PlanRun(store, planner, solver_threads, self._should_stop, self.owner,
                           memory_limit_mb)
        store.plans.interrupt_unfinished(self.owner_alive)

    def submit(self, record: PlanRecord) -> None:
        self.pool.submit(self.run, record.id)

    def cancel(self, record: PlanRecord) -> None:
        """Nothing to do beyond the store's flag: the plan's watcher polls it."""

    def close(self) -> None:
        self._closing.set()
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.store.plans.interrupt_unfinished(lambda owner: owner != self.owner)

    def _should_stop(self) -> str | None:
        return "the server is shutting down" if self._closing.is_set() else None

    def owner_alive(self, owner: str) -> bool:
        """Whether the process that owns a plan lives; owners on other machines count as alive."""
        if owner == self.owner:
            return True
        host, _, rest = owner.partition(":")
        pid_text = rest.partition(":")[0]
        if host != socket.gethostname():
            return True
        if not pid_text.isdigit() or int(pid_text) == os.getpid():
            return False  # malformed, or an earlier pool of this process
        try:
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
