"""A planner for worker subprocesses in tests: reports one solution, then searches until its time
limit or its stop event, and answers the tiny team's rota (what a real solve stopped early does)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from rota.jobs import PlanRequest
from rota.rotafile import parse_rota

ROTA_JSON = json.loads((Path(__file__).parent.parent / "api" / "tiny-rota.json").read_text())


def slow(request: PlanRequest, on_progress: Callable[[Any], None], stop: threading.Event) -> Any:
    on_progress(SimpleNamespace(elapsed_seconds=0.1, solutions=1, objective=5.0, bound=0.0))
    stop.wait(request.time_limit_seconds)
    return SimpleNamespace(status="FEASIBLE", rota=parse_rota(ROTA_JSON), report=None)


def hungry(request: PlanRequest, on_progress: Callable[[Any], None], stop: threading.Event) -> Any:
    """Reports a solution, then takes memory 4 MiB at a time (resident: the bytes are written),
    up to 256 MiB, until stopped; answers the tiny team's rota (its best so far)."""
    on_progress(SimpleNamespace(elapsed_seconds=0.1, solutions=1, objective=5.0, bound=0.0))
    held = []
    while not stop.is_set() and len(held) < 64:
        held.append(b"x" * (4 << 20))
        stop.wait(0.02)
    stop.wait(request.time_limit_seconds)
    del held
    return SimpleNamespace(status="FEASIBLE", rota=parse_rota(ROTA_JSON), report=None)
