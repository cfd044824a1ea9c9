"""A plan run by a real `rota worker` (procrastinate on PostgreSQL, the real planner) counts the
team's published versions over `fairness.lookback_days` as history, as the embedded pool does
(`tests/history/test_history_api.py`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jobkit import wait_for

pytestmark = pytest.mark.postgres

NIGHTS = (Path(__file__).parents[1] / "history" / "nights.yaml").read_text()


def nights(engineer: str, days: range) -> list[dict[str, str]]:
    return [{"engineer": engineer, "start": f"2026-11-{d:02d}T01:00:00Z",
             "end": f"2026-11-{d:02d}T05:00:00Z"} for d in days]


def test_a_worker_plans_with_the_published_history(
        api: TestClient, headers: dict[str, str], workers: Callable[..., Any]) -> None:
    yaml = {**headers, "Content-Type": "application/yaml"}
    november = NIGHTS.replace("{start: 2026-12-07, days: 2}", "{start: 2026-11-07, days: 30}")
    assert api.put("/v1/teams/nights", content=november, headers=yaml).status_code == 201
    body = {"team": "nights", "horizon": {"start": "2026-11-07", "days": 30},
            "shifts": nights("ana", range(7, 20)) + nights("bo", range(20, 22))}
    assert api.put("/v1/teams/nights/rota", json=body, headers=headers).status_code == 201
    assert api.put("/v1/teams/nights", content=NIGHTS, headers=yaml).status_code == 200
    posted = api.post("/v1/teams/nights/plans", json={"time_limit_seconds": 5}, headers=headers)
    assert posted.status_code == 202, posted.text
    workers("--planner", "rota.jobs:door_planner", "--solver-threads", "2")
    url = f"/v1/teams/nights/plans/{posted.json()['id']}"
    done = wait_for(lambda: (p := api.get(url, headers=headers).json())["status"] == "done" and p, 120)
    carried = done["report"]["carried"]
    assert carried["sources"] == ["version 1"]
    assert {e["engineer"]: e["carried_in"]["night_hours"] for e in carried["engineers"]} == {"ana": 52, "bo": 8}
    assert [s["engineer"] for s in done["rota"]["shifts"]] == ["bo", "bo"]
