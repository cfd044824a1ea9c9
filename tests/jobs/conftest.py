"""Fixtures for the job-queue tests on PostgreSQL: an emptied database, an API app that only
enqueues (`ROTA_PLAN_QUEUE=procrastinate`), the tiny team, and real `rota worker` subprocesses with
short heartbeat and stalled-job intervals (so crash recovery takes seconds)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from jobkit import store_of

from rota_api.app import create_app
from rota_api.settings import Settings

HERE = Path(__file__).parent
TINY_YAML = (HERE.parent / "api" / "tiny-team.yaml").read_text()


@pytest.fixture
def pg_url() -> str:
    url = os.environ.get("ROTA_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("ROTA_TEST_POSTGRES_URL is not set")
    engine = sa.create_engine(url)
    with engine.begin() as db:
        db.execute(sa.text("DROP SCHEMA public CASCADE"))
        db.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def api(pg_url: str) -> Iterator[TestClient]:
    settings = Settings(database_url=pg_url, plan_queue="procrastinate", token_cache_seconds=0,
                        plan_max_seconds=120, plan_queue_max=3)
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def headers(api: TestClient) -> dict[str, str]:
    secret, _ = store_of(api).tokens.create("admin", label="tester")
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def put_team(api: TestClient, headers: dict[str, str]) -> Callable[[str], None]:
    def put(team: str) -> None:
        got = api.put(f"/v1/teams/{team}", content=TINY_YAML.replace("team: tiny", f"team: {team}"),
                      headers={**headers, "Content-Type": "application/yaml"})
        assert got.status_code in (200, 201), got.text

    put("tiny")
    return put


@pytest.fixture
def workers(pg_url: str) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []

    def start(*extra: str) -> subprocess.Popen[str]:
        env = {**os.environ, "ROTA_DATABASE_URL": pg_url,
               "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
        command = [sys.executable, "-c", "from rota.cli import main; main()", "worker",
                   "--planner", "slowplanner:slow", "--solver-threads", "1", "--nice", "0",
                   "--heartbeat-seconds", "0.5", "--stalled-seconds", "2", "--check-seconds", "1",
                   *extra]
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()
