"""Shared vocabulary of the API tests: the tiny team, tokens, a fake planner, waiting for plans."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from fastapi.testclient import TestClient

from rota.jobs import PlanRequest
from rota.rotafile import Rota, parse_rota
from rota.store import Store

HERE = Path(__file__).parent
SCENARIO_YAML = (HERE / "tiny-team.yaml").read_text()
ROTA_JSON = json.loads((HERE / "tiny-rota.json").read_text())
SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@dataclass
class FakePlanner:
    """Answers with the tiny rota; `hold` keeps a plan running until `release` is set."""

    hold: bool = False
    fail_with: Exception | None = None
    no_rota: bool = False
    reported: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    requests: list[PlanRequest] = field(default_factory=list)

    def __call__(self, request: PlanRequest, on_progress: Callable[[Any], None],
                 stop: threading.Event) -> Any:
        self.requests.append(request)
        on_progress(SimpleNamespace(elapsed_seconds=0.5, solutions=1, objective=42.0, bound=7.0))
        self.reported.set()
        if self.hold:
            while not (self.release.wait(0.05) or stop.is_set()):
                pass
        if self.fail_with is not None:
            raise self.fail_with
        if self.no_rota:
            return SimpleNamespace(status="INFEASIBLE", rota=Rota(team="tiny"), report={})
        return SimpleNamespace(status="FEASIBLE", rota=parse_rota(ROTA_JSON), report=None)


def store_of(client: TestClient) -> Store:
    store: Store = client.app.state.services.store  # type: ignore[attr-defined]
    return store


def wait_for_plans(client: TestClient) -> None:
    """Returns once every plan submitted so far has finished (the pool runs plans in order)."""
    pool = client.app.state.services.jobs.pool  # type: ignore[attr-defined]
    pool.submit(lambda: None).result(timeout=30)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
