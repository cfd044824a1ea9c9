"""A plan's memory limit: how much the resident memory of the process running it may grow.

A plan runs inside a process that holds other things (a worker's connections, or an embedded API
process with its `now` indexes), so what a plan costs is measured as the growth of the process'
resident set (RSS, from `/proc/self/statm`) since the plan started. The plan's watcher reads it
every `WATCH_EVERY` seconds (a read costs microseconds); past the limit it sets the planner's stop
event, CP-SAT stops within a fraction of a second and frees its model, and the plan ends `failed`
with a reason naming the limit (keeping its best rota when it had one). The process lives on and
takes the next plan.

Why a watchdog and not a hard limit (`RLIMIT_AS`) in a child process: an address-space limit
counts reservations, not use (each CP-SAT thread reserves glibc arenas and a stack), so it
either is set far above the real need or fails a healthy solve at random; and a solve that hits it
dies in a C++ allocation (the process aborts) with its best rota lost. The watchdog bounds what
is resident, keeps the best rota, and costs nothing while under the limit. What it cannot do is
stop an allocation already under way: a plan may pass its limit by what it allocates within one
watch interval plus the time the solver takes to stop (measured by `bench/memory.py`).

With several plans at once in one process (`--plans`, `ROTA_PLAN_WORKERS`) their growth is one
figure and each counts it against its own limit. Where `/proc` is absent (not Linux) nothing is
measured and no plan is stopped for memory.
"""

from __future__ import annotations

import os
from pathlib import Path

MIB = 1024 * 1024
DEFAULT_LIMIT_MB = 4096.0
WATCH_EVERY = 0.1
_STATM = Path("/proc/self/statm")
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_bytes() -> int | None:
    """This process' resident set now, or None where it cannot be read."""
    try:
        return int(_STATM.read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return None


class MemoryWatch:
    """The growth of this process' resident memory since `start`, against `limit_mb` (0: none)."""

    def __init__(self, limit_mb: float) -> None:
        self.limit_mb = limit_mb
        self.baseline: int | None = None
        self.peak_growth = 0

    def start(self) -> None:
        self.baseline = resident_bytes() if self.limit_mb > 0 else None

    def exceeded(self) -> str | None:
        """Why the plan must stop (its growth passed the limit), else None."""
        if self.baseline is None:
            return None
        now = resident_bytes()
        if now is None:
            return None
        self.peak_growth = max(self.peak_growth, now - self.baseline)
        if self.peak_growth <= self.limit_mb * MIB:
            return None
        return (f"over the plan memory limit of {self.limit_mb:g} MiB (the process grew by "
                f"{self.peak_growth / MIB:.0f} MiB while it ran)")
