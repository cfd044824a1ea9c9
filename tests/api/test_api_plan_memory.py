"""A plan's memory limit in the embedded pool (SQLite, and PostgreSQL with `ROTA_PLAN_QUEUE=embedded`):
a plan that grows the serving process past `ROTA_PLAN_MEMORY_LIMIT_MB` is stopped and ends `failed`
naming the limit, keeps its best rota to look at, and the service answers and plans on. The worker
path (`rota worker --memory-limit-mb`) is tested in `tests/jobs`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from apikit import ROTA_JSON, SCENARIO_YAML, bearer, store_of, wait_for_plans
from fastapi.testclient import TestClient

from rota.cli.worker import DEFAULT_MEMORY_LIMIT_MB
from rota.jobs import PlanRequest
from rota.jobs.memory import DEFAULT_LIMIT_MB
from rota.rotafile import parse_rota
from rota_api.app import create_app
from rota_api.settings import Settings


class Hungry:
    """Reports a solution, then takes memory 4 MiB at a time (written, so resident) up to
    `most_mb`, and holds it until stopped or its time limit; answers the tiny rota."""

    def __init__(self) -> None:
        self.most_mb = 256

    def __call__(self, request: PlanRequest, on_progress: Callable[[Any], None],
                 stop: threading.Event) -> Any:
        on_progress(SimpleNamespace(elapsed_seconds=0.1, solutions=1, objective=5.0, bound=0.0))
        held = []
        while not stop.is_set() and len(held) * 4 < self.most_mb:
            held.append(b"x" * (4 << 20))
            stop.wait(0.02)
        stop.wait(request.time_limit_seconds if len(held) * 4 >= 64 else 0)
        del held
        return SimpleNamespace(status="FEASIBLE", rota=parse_rota(ROTA_JSON), report=None)


@pytest.fixture
def hungry() -> Hungry:
    return Hungry()


@pytest.fixture
def limited(database_url: str, hungry: Hungry) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, plan_queue="embedded", token_cache_seconds=0,
                        plan_memory_limit_mb=48)
    with TestClient(create_app(settings, planner=hungry)) as client:
        yield client


def test_a_plan_over_the_limit_fails_naming_it_and_the_service_plans_on(
        limited: TestClient, hungry: Hungry) -> None:
    store = store_of(limited)
    admin = bearer(store.tokens.create("admin")[0])
    got = limited.put("/v1/teams/tiny", content=SCENARIO_YAML,
                      headers={**admin, "Content-Type": "application/yaml"})
    assert got.status_code == 201
    first = limited.post("/v1/teams/tiny/plans", json={"time_limit_seconds": 60}, headers=admin)
    assert first.status_code == 202
    wait_for_plans(limited)
    failed = limited.get(f"/v1/teams/tiny/plans/{first.json()['id']}", headers=admin).json()
    assert failed["status"] == "failed"
    assert failed["reason"].startswith("stopped over the plan memory limit of 48 MiB")
    assert failed["reason"].endswith("its best rota is kept")
    assert failed["rota"]["shifts"]
    assert limited.get("/healthz").status_code == 200
    hungry.most_mb = 16  # a plan within the limit is done, in the same process
    second = limited.post("/v1/teams/tiny/plans", json={"time_limit_seconds": 1}, headers=admin)
    wait_for_plans(limited)
    done = limited.get(f"/v1/teams/tiny/plans/{second.json()['id']}", headers=admin).json()
    assert done["status"] == "done", done.get("reason")


def test_the_command_line_and_the_settings_share_the_default() -> None:
    assert DEFAULT_MEMORY_LIMIT_MB == DEFAULT_LIMIT_MB == Settings().plan_memory_limit_mb
