"""Plans made through the API count the team's published versions over `fairness.lookback_days`
as history (embedded pool, on SQLite and PostgreSQL); the report page shows the burden carried in,
added and carried out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rota_api.app import create_app
from rota_api.settings import Settings

SCENARIO = (Path(__file__).parent / "nights.yaml").read_text()


def nights(engineer: str, days: range, month: int = 11) -> list[dict[str, str]]:
    return [{"engineer": engineer, "start": f"2026-{month:02d}-{d:02d}T01:00:00Z",
             "end": f"2026-{month:02d}-{d:02d}T05:00:00Z"} for d in days]


def rota_json(shifts: list[dict[str, str]], start: str = "2026-11-07", days: int = 30) -> dict[str, Any]:
    return {"team": "nights", "version": 1, "horizon": {"start": start, "days": days}, "shifts": shifts}


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, plan_max_seconds=60, token_cache_seconds=0,
                        plan_queue="embedded", plan_solver_threads=2)
    with TestClient(create_app(settings)) as test_client:  # the real planner
        yield test_client


@pytest.fixture
def admin(client: TestClient) -> dict[str, str]:
    secret, _ = client.app.state.services.store.tokens.create("admin", label="t")  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {secret}"}


def publish(client: TestClient, admin: dict[str, str], body: dict[str, Any]) -> int:
    got = client.put("/v1/teams/nights/rota", json=body, headers=admin)
    assert got.status_code == 201, got.text
    return int(got.json()["version"])


def wait_done(client: TestClient, admin: dict[str, str], plan_id: str) -> dict[str, Any]:
    client.app.state.services.jobs.pool.submit(lambda: None).result(timeout=120)  # type: ignore[attr-defined]
    got = client.get(f"/v1/teams/nights/plans/{plan_id}", headers=admin).json()
    assert got["status"] == "done", got
    return got  # type: ignore[no-any-return]


def put_scenario(client: TestClient, admin: dict[str, str], text: str = SCENARIO,
                 horizon: str = "{start: 2026-12-07, days: 2}") -> None:
    """The team's scenario, moved to `horizon` as a team does month after month."""
    text = text.replace("{start: 2026-12-07, days: 2}", horizon)
    put = client.put("/v1/teams/nights", content=text, headers={**admin, "Content-Type": "application/yaml"})
    assert put.status_code in (200, 201), put.text


def test_a_plan_over_http_counts_the_published_versions_and_the_page_shows_it(
        client: TestClient, admin: dict[str, str]) -> None:
    # August lies outside December's 90-day look-back (from 8 September): it counts nothing.
    put_scenario(client, admin, horizon="{start: 2026-08-01, days: 28}")
    publish(client, admin, rota_json(nights("ana", range(1, 20), 8), start="2026-08-01", days=28))
    # November as first published: bo on every night; then a re-plan of November from the 15th
    # (version 3) gave those nights to ana.
    put_scenario(client, admin, horizon="{start: 2026-11-07, days: 30}")
    publish(client, admin, rota_json(nights("bo", range(7, 30))))
    publish(client, admin, rota_json(nights("ana", range(15, 30)), start="2026-11-15", days=22))
    put_scenario(client, admin)
    posted = client.post("/v1/teams/nights/plans", json={"time_limit_seconds": 5}, headers=admin)
    assert posted.status_code == 202, posted.text
    done = wait_done(client, admin, posted.json()["id"])
    carried = done["report"]["carried"]
    assert carried["sources"] == ["version 2", "version 3"]
    got = {e["engineer"]: e for e in carried["engineers"]}
    # bo carried 8 nights (7-14 November), ana 15 (15-29 November): December goes to bo
    assert (got["bo"]["carried_in"]["night_hours"], got["ana"]["carried_in"]["night_hours"]) == (32, 60)
    assert [s["engineer"] for s in done["rota"]["shifts"]] == ["bo", "bo"]
    assert got["bo"]["carried_out"]["night_hours"] == 40
    published = client.post(f"/v1/teams/nights/plans/{posted.json()['id']}/publish", headers=admin)
    assert published.status_code == 201, published.text
    page = client.get("/v1/teams/nights/report", headers=admin)
    assert page.status_code == 200
    assert "Burden across periods" in page.text and "version 2, version 3" in page.text
    carried_table = page.text.split('id="carried-table"')[1]
    row = carried_table.split('data-engineer="ana"')[1].split("</tr>")[0]
    assert "60 + 0 = <b>60</b>" in row  # night hours per 40 h: carried in + added = out


def test_a_version_naming_an_engineer_who_left_is_noted(client: TestClient, admin: dict[str, str]) -> None:
    with_zed = SCENARIO + "  - {id: zed, timezone: Europe/Berlin, regions: [eu]}\n"
    put_scenario(client, admin, with_zed, horizon="{start: 2026-11-07, days: 30}")
    publish(client, admin, rota_json(nights("zed", range(7, 9)) + nights("ana", range(9, 11))))
    put_scenario(client, admin)  # zed left the team
    posted = client.post("/v1/teams/nights/plans", json={"time_limit_seconds": 3}, headers=admin)
    carried = wait_done(client, admin, posted.json()["id"])["report"]["carried"]
    assert carried["notes"] == ["version 1: zed not in the scenario; their on-call time is left out"]
    assert json.dumps(carried).count('"engineer": "zed"') == 0
