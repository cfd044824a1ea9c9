"""Leave from CSV; `rota leave import` and `PUT /v1/teams/{team}/leave` (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rota.errors import InvalidInput
from rota.leave_files import import_leave
from rota.scenario import Scenario
from rota.validation import load_scenario
from rota_api.app import create_app
from rota_api.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
OOO = (FIXTURES / "ooo.ics").read_text()
TEAM_YAML = (FIXTURES / "team.yaml").read_text()
# Ana on call through the evening peaks of 21-23 December: her leave opens those gaps.
ROTA = {"team": "t", "version": 1, "shifts": [
    {"engineer": "ana", "start": f"2026-12-{d}T17:00:00Z", "end": f"2026-12-{d}T23:00:00Z"}
    for d in (20, 21, 22, 23)]}
CSV = """engineer,start,end,reason
ana@example.com,2026-12-21,2026-12-24,Vacation
Bo Lindqvist,2026-12-09T08:00,2026-12-09T12:00,Dentist
nobody,2026-12-10,2026-12-11,?
"""


@pytest.fixture
def team() -> Scenario:
    return load_scenario(FIXTURES / "team.yaml")


def test_csv_rows_become_leave_keyed_for_reimport(team: Scenario) -> None:
    result = import_leave(CSV, "csv", team)
    assert [str(c) for c in result.added] == [
        "ana 2026-12-21 .. 2026-12-24 (local dates) 'Vacation'",
        "bo 2026-12-09T13:00Z .. 2026-12-09T17:00Z (UTC) 'Dentist'"]  # New York time, no offset given
    assert [str(u) for u in result.unmatched] == ["line 4: 'nobody' matches no engineer"]
    again = import_leave(CSV, "csv", result.scenario)
    assert not again.changed and again.unchanged == 2


def test_bad_csv_rows_are_named_by_line_and_nothing_is_stored(team: Scenario) -> None:
    bad = CSV + "ana,2026-12-30,2026-12-29,\nbo,soon,2026-12-29,\nchen,2026-12-29\n"
    with pytest.raises(InvalidInput) as caught:
        import_leave(bad, "csv", team)
    assert [str(e) for e in caught.value.errors] == [
        "line 5.end: ends before it starts",
        "line 6.start: not a date or an ISO 8601 date-time: 'soon'",
        "line 7: 2 cells; the header has more"]


def rota_cli(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("rota")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120)


def test_cli_writes_the_scenario_lists_the_gaps_opened_and_is_idempotent(tmp_path: Path) -> None:
    scenario, rota = tmp_path / "team.yaml", tmp_path / "rota.json"
    scenario.write_text(TEAM_YAML)
    rota.write_text(json.dumps(ROTA))
    ics = FIXTURES / "ooo.ics"
    first = rota_cli("leave", "import", str(scenario), str(ics), "-o", str(scenario), "--rota", str(rota),
                     "--format", "json")
    assert first.returncode == 0, first.stderr
    body = json.loads(first.stdout)
    assert len(body["added"]) == 5
    assert [(g["start"], g["end"], g["cause"]) for g in body["opens"]] == [
        (f"2026-12-{d}T18:00:00Z", f"2026-12-{d}T22:00:00Z", "unavailable") for d in (21, 22, 23)]
    assert "line 78, UID ghost@google.com: 'OOO' matches no engineer" in first.stderr
    stored = load_scenario(scenario)
    assert len(stored.engineer_by_id["ana"].unavailable) == 3
    again = rota_cli("leave", "import", str(scenario), str(ics), "-o", str(scenario), "--rota", str(rota))
    assert again.returncode == 0, again.stderr
    assert "0 added, 0 removed, 5 unchanged" in again.stdout and "(no change)" in again.stderr
    assert load_scenario(scenario) == stored


def test_cli_bad_file_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    scenario, bad = tmp_path / "team.yaml", tmp_path / "ooo.ics"
    scenario.write_text(TEAM_YAML)
    bad.write_text(OOO.replace("DTSTART;VALUE=DATE:20261221\nDTEND;VALUE=DATE:20261224",
                               "DTSTART;VALUE=DATE:20261221\nDTEND;VALUE=DATE:20261201"))
    done = rota_cli("leave", "import", str(scenario), str(bad), "-o", str(scenario))
    assert done.returncode == 2
    assert "line 9: DTEND is not after DTSTART" in done.stderr
    assert scenario.read_text() == TEAM_YAML


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=database_url, token_cache_seconds=0))) as test_client:
        yield test_client


@pytest.fixture
def plan_headers(client: TestClient) -> dict[str, str]:
    store = client.app.state.services.store  # type: ignore[attr-defined]
    admin = {"Authorization": f"Bearer {store.tokens.create('admin')[0]}"}
    assert client.put("/v1/teams/t", content=TEAM_YAML,
                      headers={**admin, "Content-Type": "application/yaml"}).status_code == 201
    assert client.put("/v1/teams/t/rota", json=ROTA, headers=admin).status_code == 201
    return {"Authorization": f"Bearer {store.tokens.create('plan', ['t'])[0]}"}


def test_api_leave_stores_answers_gaps_and_is_idempotent(client: TestClient, plan_headers: dict[str, str]) -> None:
    headers = {**plan_headers, "Content-Type": "text/calendar"}
    got = client.put("/v1/teams/t/leave", content=OOO, headers=headers)
    assert got.status_code == 200, got.text
    body = got.json()
    assert (len(body["added"]), body["revision"]) == (5, 2)
    assert body["unmatched"] == [{"where": "line 78, UID ghost@google.com", "text": "OOO",
                                  "reason": "matches no engineer", "occurrences": 1}]
    assert [g["start"] for g in body["opens"]] == ["2026-12-21T18:00:00Z", "2026-12-22T18:00:00Z",
                                                   "2026-12-23T18:00:00Z"]
    stored = client.get("/v1/teams/t", headers=plan_headers).json()
    assert [e["uid"] for e in stored["engineers"][0]["unavailable"][:2]] == [
        "vac-ana@google.com", "ana-extends@google.com"]
    now = client.get("/v1/teams/t/now?at=2026-12-22T19:00:00Z", headers=plan_headers).json()
    assert now["regions"][0]["gap"]["cause"] == "unavailable"
    again = client.put("/v1/teams/t/leave", content=OOO, headers=headers).json()
    assert (again["added"], again["removed"], again["unchanged"], again["revision"]) == ([], [], 5, 2)


def test_api_leave_csv_and_errors(client: TestClient, plan_headers: dict[str, str]) -> None:
    csv_put = client.put("/v1/teams/t/leave", content=CSV, headers={**plan_headers, "Content-Type": "text/csv"})
    assert csv_put.status_code == 200 and len(csv_put.json()["added"]) == 2
    bad = client.put("/v1/teams/t/leave", content="engineer,start,end\nana,2026-12-30,2026-12-29\n",
                     headers={**plan_headers, "Content-Type": "text/csv"})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert [e["path"] for e in bad.json()["errors"]] == ["line 2.end"]
    strict = client.put("/v1/teams/t/leave?strict=true", content=OOO,
                        headers={**plan_headers, "Content-Type": "text/calendar"})
    assert strict.status_code == 422 and "ghost@google.com" in strict.text
    stale = client.put("/v1/teams/t/leave", content=OOO,
                       headers={**plan_headers, "Content-Type": "text/calendar", "If-Match": '"1"'})
    assert stale.status_code == 412
    assert client.put("/v1/teams/t/leave", content="{}", headers={
        **plan_headers, "Content-Type": "application/json"}).status_code == 415
    stored = client.get("/v1/teams/t", headers=plan_headers).json()
    assert len(stored["engineers"][0]["unavailable"]) == 2  # the CSV's, and the hand-typed one


def test_api_leave_takes_a_calendar_past_the_small_body_limit(client: TestClient,
                                                              plan_headers: dict[str, str]) -> None:
    events = "".join(
        f"BEGIN:VEVENT\nUID:bo-{i}@x\nDTSTART:{20261207 + i // 24}T{i % 24:02d}0000Z\nDURATION:PT30M\n"
        f"SUMMARY:Focus block {i}\nDESCRIPTION:{'x' * 120}\nORGANIZER:mailto:bo@example.com\nEND:VEVENT\n"
        for i in range(24 * 20))
    big = OOO.split("BEGIN:VEVENT")[0] + events + "END:VCALENDAR\n"
    assert len(big.encode()) > 64 * 1024
    got = client.put("/v1/teams/t/leave", content=big, headers={**plan_headers, "Content-Type": "text/calendar"})
    assert got.status_code == 200, got.text
    assert len(got.json()["added"]) == 480
