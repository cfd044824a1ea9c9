"""Publishing a plan that covers less P0 peak demand than the current rota takes `force`."""

from __future__ import annotations

import pytest
from apikit import bearer, wait_for_plans
from fastapi.testclient import TestClient


def _every_peak_covered() -> dict[str, object]:
    """Ana on call for London's peak (18-22 UTC) and Bo for New York's (00-04 UTC) every day."""
    shifts = []
    for day in range(7, 14):
        shifts.append({"engineer": "ana", "start": f"2026-12-{day:02d}T18:00:00Z",
                       "end": f"2026-12-{day:02d}T22:00:00Z"})
        shifts.append({"engineer": "bo", "start": f"2026-12-{day:02d}T00:00:00Z",
                       "end": f"2026-12-{day:02d}T04:00:00Z"})
    return {"team": "tiny", "horizon": {"start": "2026-12-07", "days": 7}, "shifts": shifts}


@pytest.fixture
def worse_plan(client: TestClient, team: str, tokens: dict[str, str]) -> str:
    """A finished plan (the fake planner's two shifts) while the current rota covers every peak."""
    upload = client.put("/v1/teams/tiny/rota", json=_every_peak_covered(),
                        headers=bearer(tokens["plan"]))
    assert upload.status_code == 201, upload.text
    started = client.post("/v1/teams/tiny/plans", json={}, headers=bearer(tokens["plan"]))
    assert started.status_code == 202
    wait_for_plans(client)
    return str(started.json()["id"])


def test_a_worse_plan_says_so(client: TestClient, tokens: dict[str, str], worse_plan: str) -> None:
    got = client.get(f"/v1/teams/tiny/plans/{worse_plan}", headers=bearer(tokens["read"]))
    against = got.json()["against_current"]
    assert against["worse_than_current"] is True
    assert against["current_version"] == 2
    assert against["current_p0_peak_uncovered_minutes"] == 0
    assert against["p0_peak_uncovered_minutes"] > 0


def test_publishing_a_worse_plan_needs_force(client: TestClient, tokens: dict[str, str],
                                             worse_plan: str) -> None:
    url = f"/v1/teams/tiny/plans/{worse_plan}/publish"
    refused = client.post(url, headers=bearer(tokens["plan"]))
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "P0 peak" in refused.json()["detail"] and "force" in refused.json()["detail"]
    current = client.get("/v1/teams/tiny/rota", headers=bearer(tokens["read"])).json()
    assert current["version"] == 2  # nothing was published
    forced = client.post(f"{url}?force=true", headers=bearer(tokens["plan"]))
    assert forced.status_code == 201, forced.text
    assert forced.json()["version"] == 3
    assert forced.json()["against_current"]["worse_than_current"] is True


def test_force_in_the_body(client: TestClient, tokens: dict[str, str], worse_plan: str) -> None:
    url = f"/v1/teams/tiny/plans/{worse_plan}/publish"
    assert client.post(url, json={"force": False}, headers=bearer(tokens["plan"])).status_code == 409
    forced = client.post(url, json={"force": True}, headers=bearer(tokens["plan"]))
    assert forced.status_code == 201, forced.text


def test_a_plan_no_worse_than_current_needs_no_force(client: TestClient, team: str,
                                                     tokens: dict[str, str]) -> None:
    started = client.post("/v1/teams/tiny/plans", json={}, headers=bearer(tokens["plan"]))
    wait_for_plans(client)
    plan_id = started.json()["id"]
    got = client.get(f"/v1/teams/tiny/plans/{plan_id}", headers=bearer(tokens["read"])).json()
    assert got["against_current"]["worse_than_current"] is False
    published = client.post(f"/v1/teams/tiny/plans/{plan_id}/publish",
                            headers=bearer(tokens["plan"]))
    assert published.status_code == 201
