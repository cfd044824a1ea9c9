"""Overrides: the gaps an override opens and closes, deletion, validation."""

from __future__ import annotations

from apikit import ROTA_JSON, bearer
from fastapi.testclient import TestClient


def _add(client: TestClient, token: str, **body: str) -> dict:  # type: ignore[type-arg]
    got = client.post("/v1/teams/tiny/overrides", json=body, headers=bearer(token))
    assert got.status_code == 201, got.text
    return got.json()  # type: ignore[no-any-return]


def test_override_that_puts_a_sleeper_on_call_opens_a_gap(client: TestClient, team: str,
                                                          tokens: dict[str, str]) -> None:
    # 18:00-19:00Z is London's peak (P0, 15 min); Chen is asleep in Shanghai (02:00-03:00).
    body = _add(client, tokens["plan"], engineer="chen", replaces="ana",
                start="2026-12-07T18:00:00Z", end="2026-12-07T19:00:00Z", reason="ana sick")
    assert body["override"]["engineer"] == "chen" and body["override"]["id"]
    assert [(g["region"], g["start"], g["end"], g["cause"]) for g in body["opens"]] == [
        ("eu", "2026-12-07T18:00:00Z", "2026-12-07T19:00:00Z", "too_slow")]
    assert body["closes"] == []
    now = client.get("/v1/teams/tiny/now?at=2026-12-07T18:30:00Z&region=eu",
                     headers=bearer(tokens["read"])).json()
    assert [r["engineer"] for r in now["regions"][0]["responders"]] == ["chen"]


def test_override_that_adds_cover_closes_a_gap(client: TestClient, team: str,
                                               tokens: dict[str, str]) -> None:
    body = _add(client, tokens["plan"], engineer="ana",
                start="2026-12-09T12:00:00Z", end="2026-12-09T13:00:00Z")
    assert body["opens"] == []
    assert [(g["region"], g["start"], g["end"]) for g in body["closes"]] == [
        ("eu", "2026-12-09T12:00:00Z", "2026-12-09T13:00:00Z")]


def test_delete_override_restores_the_rota(client: TestClient, team: str,
                                           tokens: dict[str, str]) -> None:
    added = _add(client, tokens["plan"], engineer="chen", replaces="ana",
                 start="2026-12-07T12:00:00Z", end="2026-12-07T13:00:00Z")
    rota = client.get("/v1/teams/tiny/rota", headers=bearer(tokens["read"])).json()
    assert [o["id"] for o in rota["overrides"]] == [added["override"]["id"]]
    gone = client.delete(f"/v1/teams/tiny/overrides/{added['override']['id']}",
                         headers=bearer(tokens["plan"]))
    assert gone.status_code == 204
    rota = client.get("/v1/teams/tiny/rota", headers=bearer(tokens["read"])).json()
    assert rota.get("overrides", []) == []
    now = client.get("/v1/teams/tiny/now?at=2026-12-07T12:30:00Z&region=eu",
                     headers=bearer(tokens["read"])).json()
    assert [r["engineer"] for r in now["regions"][0]["responders"]] == ["ana"]


def test_delete_unknown_override_is_404(client: TestClient, team: str,
                                        tokens: dict[str, str]) -> None:
    got = client.delete("/v1/teams/tiny/overrides/nope", headers=bearer(tokens["plan"]))
    assert got.status_code == 404


def test_invalid_override_lists_every_error(client: TestClient, team: str,
                                            tokens: dict[str, str]) -> None:
    got = client.post("/v1/teams/tiny/overrides", headers=bearer(tokens["plan"]), json={
        "engineer": "zed", "replaces": "ana", "start": "2026-12-07T12:00:00Z",
        "end": "2026-12-07T11:00:00Z"})
    assert got.status_code == 422
    assert got.json()["errors"] == [
        {"path": "engineer", "message": "unknown engineer 'zed'"},
        {"path": "end", "message": "ends before it starts"},
    ]


def test_override_with_naive_time_is_422(client: TestClient, team: str,
                                         tokens: dict[str, str]) -> None:
    got = client.post("/v1/teams/tiny/overrides", headers=bearer(tokens["plan"]), json={
        "engineer": "ana", "start": "2026-12-07T12:00:00", "end": "2026-12-07T13:00:00Z"})
    assert got.status_code == 422
    assert [e["path"] for e in got.json()["errors"]] == ["start"]


def test_override_body_with_unknown_key_is_422(client: TestClient, team: str,
                                               tokens: dict[str, str]) -> None:
    got = client.post("/v1/teams/tiny/overrides", headers=bearer(tokens["plan"]), json={
        "engineer": "ana", "start": "2026-12-07T12:00:00Z", "end": "2026-12-07T13:00:00Z",
        "colour": "red"})
    assert got.status_code == 422
    assert [e["path"] for e in got.json()["errors"]] == ["body.colour"]


def test_rota_etag_changes_with_every_override_added_or_removed(client: TestClient, team: str,
                                                               tokens: dict[str, str]) -> None:
    def tag() -> str:
        return client.get("/v1/teams/tiny/rota", headers=bearer(tokens["read"])).headers["etag"]

    first = tag()
    added = _add(client, tokens["plan"], engineer="chen", start="2026-12-09T12:00:00Z",
                 end="2026-12-09T13:00:00Z")
    second = tag()
    client.delete(f"/v1/teams/tiny/overrides/{added['override']['id']}", headers=bearer(tokens["plan"]))
    third = tag()
    assert len({first, second, third}) == 3
    stale = client.put("/v1/teams/tiny/rota", json=ROTA_JSON,
                       headers={**bearer(tokens["plan"]), "If-Match": second})
    assert stale.status_code == 412
    fresh = client.put("/v1/teams/tiny/rota", json=ROTA_JSON,
                       headers={**bearer(tokens["plan"]), "If-Match": third})
    assert fresh.status_code == 201 and fresh.headers["etag"] == tag()


def test_uploading_a_rota_keeps_the_teams_overrides(client: TestClient, team: str,
                                                    tokens: dict[str, str]) -> None:
    added = _add(client, tokens["plan"], engineer="chen", replaces="ana",
                 start="2026-12-07T12:00:00Z", end="2026-12-07T13:00:00Z")
    upload = client.put("/v1/teams/tiny/rota", json=ROTA_JSON, headers=bearer(tokens["plan"]))
    assert upload.status_code == 201 and upload.json()["version"] == 2
    rota = client.get("/v1/teams/tiny/rota", headers=bearer(tokens["read"])).json()
    assert (rota["version"], [o["id"] for o in rota["overrides"]]) == (2, [added["override"]["id"]])
    now = client.get("/v1/teams/tiny/now?at=2026-12-07T12:30:00Z&region=eu",
                     headers=bearer(tokens["read"])).json()
    assert [r["engineer"] for r in now["regions"][0]["responders"]] == ["chen"]


def test_replacing_someone_not_on_call_is_stored_with_a_warning(client: TestClient, team: str,
                                                                tokens: dict[str, str]) -> None:
    # ana is on call 09:00-19:00Z on the 7th only
    nothing = _add(client, tokens["plan"], engineer="chen", replaces="ana",
                   start="2026-12-09T12:00:00Z", end="2026-12-09T13:00:00Z")
    assert nothing["warnings"] == [
        "ana is not on call in 2026-12-09T12:00:00Z -> 2026-12-09T13:00:00Z: this override changes nothing"]
    assert nothing["opens"] == nothing["closes"] == []
    part = _add(client, tokens["plan"], engineer="chen", replaces="ana",
                start="2026-12-07T18:00:00Z", end="2026-12-07T20:00:00Z")
    assert part["warnings"] == [
        "ana is on call for 60 of the 120 minutes in 2026-12-07T18:00:00Z -> 2026-12-07T20:00:00Z: "
        "chen takes over only those"]
    whole = _add(client, tokens["plan"], engineer="bo", replaces="ana",
                 start="2026-12-07T10:00:00Z", end="2026-12-07T11:00:00Z")
    assert whole["warnings"] == []
