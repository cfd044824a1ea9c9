"""`now` and `gaps`: the core's answers served over HTTP, and the index kept current."""

from __future__ import annotations

import datetime as dt
import json

from apikit import ROTA_JSON, bearer, store_of
from fastapi.testclient import TestClient

from rota.rotafile import parse_rota


def test_now_names_the_responder_fastest_first(client: TestClient, team: str,
                                               tokens: dict[str, str]) -> None:
    got = client.get(f"/v1/teams/{team}/now?at=2026-12-07T12:00:00Z&region=eu",
                     headers=bearer(tokens["read"]))
    assert got.status_code == 200
    body = got.json()
    assert (body["team"], body["at"], body["rota_version"]) == ("tiny", "2026-12-07T12:00:00Z", 1)
    [eu] = body["regions"]
    assert eu["covered"] is True and eu["gap"] is None
    assert [(r["engineer"], r["band"], r["on_call_until"]) for r in eu["responders"]] == [
        ("ana", "working", "2026-12-07T19:00:00Z")]


def test_now_with_a_gap_is_200_with_the_gap(client: TestClient, team: str,
                                            tokens: dict[str, str]) -> None:
    got = client.get(f"/v1/teams/{team}/now?at=2026-12-09T12:00:00Z&region=eu&severity=P2",
                     headers=bearer(tokens["read"]))
    assert got.status_code == 200
    [eu] = got.json()["regions"]
    assert eu["covered"] is False
    assert eu["gap"]["cause"] == "no_responder"
    assert eu["responders"] == []
    assert eu["fallback"]


def test_now_defaults_to_every_region_and_the_request_time(client: TestClient, team: str,
                                                           tokens: dict[str, str]) -> None:
    body = client.get(f"/v1/teams/{team}/now", headers=bearer(tokens["read"])).json()
    asked = dt.datetime.fromisoformat(body["at"])
    inside = dt.datetime(2026, 12, 7, tzinfo=dt.UTC) <= asked < dt.datetime(2026, 12, 14, tzinfo=dt.UTC)
    assert abs(asked - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert body["outside_horizon"] is not inside
    assert [r["region"] for r in body["regions"]] == (["eu", "us"] if inside else [])
    at_noon = client.get(f"/v1/teams/{team}/now?at=2026-12-08T12:00:00Z",
                         headers=bearer(tokens["read"])).json()
    assert [r["region"] for r in at_noon["regions"]] == ["eu", "us"]


def test_now_follows_a_new_version_committed_by_another_process(client: TestClient, team: str,
                                                                tokens: dict[str, str]) -> None:
    url = f"/v1/teams/{team}/now?at=2026-12-07T12:00:00Z&region=eu"
    assert client.get(url, headers=bearer(tokens["read"])).json()["rota_version"] == 1
    # Another API process writes straight into the shared store.
    other = json.loads(json.dumps(ROTA_JSON))
    other["shifts"][0]["engineer"] = "chen"
    store_of(client).teams.publish(parse_rota(other), "upload", "elsewhere")
    body = client.get(url, headers=bearer(tokens["read"])).json()
    assert body["rota_version"] == 2
    assert [r["engineer"] for r in body["regions"][0]["responders"]] == ["chen"]


def test_now_of_unknown_region_is_404(client: TestClient, team: str,
                                      tokens: dict[str, str]) -> None:
    got = client.get(f"/v1/teams/{team}/now?region=mars", headers=bearer(tokens["read"]))
    assert got.status_code == 404
    assert got.json()["detail"] == "no region 'mars' in team 'tiny'"


def test_now_of_unknown_team_is_404(client: TestClient, tokens: dict[str, str]) -> None:
    got = client.get("/v1/teams/nope/now", headers=bearer(tokens["read"]))
    assert got.status_code == 404


def test_gaps_is_the_core_report(client: TestClient, team: str, tokens: dict[str, str]) -> None:
    got = client.get(f"/v1/teams/{team}/gaps?from=2026-12-07T00:00:00Z&to=2026-12-08T00:00:00Z"
                     "&region=eu", headers=bearer(tokens["read"]))
    assert got.status_code == 200
    body = got.json()
    assert (body["from"], body["to"], body["rota_version"]) == (
        "2026-12-07T00:00:00Z", "2026-12-08T00:00:00Z", 1)
    assert {g["region"] for g in body["gaps"]} == {"eu"}
    assert body["gaps"][0] == {**body["gaps"][0], "start": "2026-12-07T00:00:00Z",
                               "cause": "no_responder"}
    assert [r["region"] for r in body["regions"]] == ["eu"]


def test_gaps_with_inverted_window_is_422(client: TestClient, team: str,
                                          tokens: dict[str, str]) -> None:
    got = client.get(f"/v1/teams/{team}/gaps?from=2026-12-08&to=2026-12-07",
                     headers=bearer(tokens["read"]))
    assert got.status_code == 422
    assert got.json()["errors"] == [{"path": "to", "message": "the window ends before it starts"}]


def test_bad_instant_is_422_with_its_name(client: TestClient, team: str,
                                          tokens: dict[str, str]) -> None:
    got = client.get(f"/v1/teams/{team}/now?at=yesterday", headers=bearer(tokens["read"]))
    assert got.status_code == 422
    assert got.json()["errors"] == [{"path": "at", "message": "not an ISO 8601 date-time: 'yesterday'"}]


def test_bad_severity_is_422_listing_the_query_path(client: TestClient, team: str,
                                                    tokens: dict[str, str]) -> None:
    got = client.get(f"/v1/teams/{team}/now?severity=P9", headers=bearer(tokens["read"]))
    assert got.status_code == 422
    assert got.json()["errors"] == [{"path": "severity",
                                     "message": "'P9' is not one of P0, P1, P2, P3"}]


def test_now_outside_the_horizon_says_so_and_invents_no_gap(client: TestClient, team: str,
                                                             tokens: dict[str, str]) -> None:
    for instant in ("2027-06-01T12:00:00Z", "2026-12-06T23:59:59Z", "2026-12-14T00:00:00Z"):
        got = client.get(f"/v1/teams/{team}/now?at={instant}&region=eu&severity=P2",
                         headers=bearer(tokens["read"]))
        assert got.status_code == 200
        assert got.json() == {"team": "tiny", "at": instant, "rota_version": 1,
                              "outside_horizon": True, "regions": [],
                              "horizon": {"start": "2026-12-07T00:00:00Z",
                                          "end": "2026-12-14T00:00:00Z"}}


def test_now_gap_ends_at_the_horizon_not_past_it(client: TestClient, team: str,
                                                 tokens: dict[str, str]) -> None:
    got = client.get(f"/v1/teams/{team}/now?at=2026-12-13T23:00:00Z&region=eu&severity=P2",
                     headers=bearer(tokens["read"])).json()
    assert got["outside_horizon"] is False
    assert got["regions"][0]["gap"] == {"start": "2026-12-08T05:00:00Z",
                                        "end": "2026-12-14T00:00:00Z", "cause": "no_responder"}


def test_gaps_outside_the_horizon_say_so_instead_of_counting_exposure(
        client: TestClient, team: str, tokens: dict[str, str]) -> None:
    got = client.get(f"/v1/teams/{team}/gaps?from=2027-02-01T00:00:00Z&to=2027-02-08T00:00:00Z",
                     headers=bearer(tokens["read"]))
    assert got.status_code == 200
    body = got.json()
    assert (body["outside_horizon"], body["summary"], body["gaps"], body["regions"]) == (
        True, None, [], [])
    assert body["horizon"] == {"start": "2026-12-07T00:00:00Z", "end": "2026-12-14T00:00:00Z"}


def test_gaps_window_past_the_horizon_is_clipped_to_it(client: TestClient, team: str,
                                                       tokens: dict[str, str]) -> None:
    body = client.get(f"/v1/teams/{team}/gaps?from=2026-12-10T00:00:00Z&to=2027-01-10T00:00:00Z",
                      headers=bearer(tokens["read"])).json()
    assert (body["from"], body["to"], body["clipped"]) == (
        "2026-12-10T00:00:00Z", "2026-12-14T00:00:00Z", True)
    assert body["requested"] == {"from": "2026-12-10T00:00:00Z", "to": "2027-01-10T00:00:00Z"}
    assert max(g["end"] for g in body["gaps"]) == "2026-12-14T00:00:00Z"
    assert {r["region"]: r["required_minutes"] for r in body["regions"]}["us"] == 4 * 4 * 60


def test_now_fast_path_and_its_route_answer_alike(client: TestClient, team: str,
                                                  tokens: dict[str, str]) -> None:
    """The app serves `now` from its fast path; the documented route alone answers the same."""
    from fastapi import FastAPI

    from rota_api.problems import install
    from rota_api.routes import now

    routes_only = FastAPI()
    install(routes_only)
    routes_only.include_router(now.router)
    routes_only.state.services = client.app.state.services  # type: ignore[attr-defined]
    url = f"/v1/teams/{team}/now?at=2026-12-07T12:00:00Z"
    fast = client.get(url, headers=bearer(tokens["read"]))
    routed = TestClient(routes_only).get(url, headers=bearer(tokens["read"]))
    assert (fast.status_code, routed.status_code) == (200, 200)
    assert routed.json() == fast.json()
    assert TestClient(routes_only).get(url).status_code == 401
    spec = client.get("/openapi.json").json()["paths"]["/v1/teams/{team}/now"]["get"]
    assert [p["name"] for p in spec["parameters"]] == ["team", "at", "region", "severity"]
