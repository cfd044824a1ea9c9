"""Teams and rota versions: create, read, replace, ETag/If-Match, uploads."""

from __future__ import annotations

import json

from apikit import ROTA_JSON, SCENARIO_YAML, bearer
from fastapi.testclient import TestClient


def test_put_team_creates_then_replaces_with_etag(client: TestClient,
                                                   tokens: dict[str, str]) -> None:
    headers = {**bearer(tokens["admin"]), "Content-Type": "application/yaml"}
    created = client.put("/v1/teams/tiny", content=SCENARIO_YAML, headers=headers)
    assert created.status_code == 201
    assert created.headers["etag"] == '"1"'
    replaced = client.put("/v1/teams/tiny", content=SCENARIO_YAML,
                          headers={**headers, "If-Match": '"1"'})
    assert replaced.status_code == 200
    assert replaced.headers["etag"] == '"2"'


def test_put_team_accepts_json(client: TestClient, tokens: dict[str, str]) -> None:
    got = client.put("/v1/teams/tiny", content=SCENARIO_YAML,
                     headers={**bearer(tokens["admin"]), "Content-Type": "application/yaml"})
    scenario = client.get("/v1/teams/tiny", headers=bearer(tokens["read"])).json()
    again = client.put("/v1/teams/tiny", json=scenario, headers=bearer(tokens["admin"]))
    assert got.status_code == 201 and again.status_code == 200


def test_get_team_returns_the_scenario_and_etag(client: TestClient, team: str,
                                                tokens: dict[str, str]) -> None:
    got = client.get(f"/v1/teams/{team}", headers=bearer(tokens["read"]))
    assert got.status_code == 200
    assert got.headers["etag"] == '"1"'
    body = got.json()
    assert body["team"] == "tiny"
    assert [e["id"] for e in body["engineers"]] == ["ana", "bo", "chen"]


def test_stale_if_match_on_team_is_412_and_changes_nothing(client: TestClient, team: str,
                                                           tokens: dict[str, str]) -> None:
    headers = {**bearer(tokens["admin"]), "Content-Type": "application/yaml"}
    first = client.put("/v1/teams/tiny", content=SCENARIO_YAML, headers={**headers, "If-Match": '"1"'})
    stale = client.put("/v1/teams/tiny", content=SCENARIO_YAML.replace("Tiny team", "Renamed"),
                       headers={**headers, "If-Match": '"1"'})
    assert first.status_code == 200
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    name = client.get("/v1/teams/tiny", headers=bearer(tokens["read"])).json()["name"]
    assert name == "Tiny team"


def test_team_in_body_must_match_url(client: TestClient, tokens: dict[str, str]) -> None:
    got = client.put("/v1/teams/other", content=SCENARIO_YAML,
                     headers={**bearer(tokens["admin"]), "Content-Type": "application/yaml"})
    assert got.status_code == 422
    assert got.json()["errors"] == [{"path": "team", "message": "is 'tiny', the URL says 'other'"}]


def test_invalid_scenario_lists_every_error_with_its_path(client: TestClient,
                                                          tokens: dict[str, str]) -> None:
    bad = SCENARIO_YAML.replace("Asia/Shanghai", "Asia/Shangai").replace("regions: [eu]", "regions: [xx]")
    got = client.put("/v1/teams/tiny", content=bad,
                     headers={**bearer(tokens["admin"]), "Content-Type": "application/yaml"})
    assert got.status_code == 422
    paths = {e["path"] for e in got.json()["errors"]}
    assert {"engineers[2].timezone", "engineers[2].regions[0]"} <= paths


def test_rota_upload_makes_versions_and_get_reads_them(client: TestClient, team: str,
                                                       tokens: dict[str, str]) -> None:
    second = dict(ROTA_JSON, shifts=ROTA_JSON["shifts"][:1])
    put = client.put(f"/v1/teams/{team}/rota", json=second,
                     headers={**bearer(tokens["plan"]), "If-Match": '"1"'})
    assert put.status_code == 201
    assert put.json()["version"] == 2
    current = client.get(f"/v1/teams/{team}/rota", headers=bearer(tokens["read"]))
    old = client.get(f"/v1/teams/{team}/rota?version=1", headers=bearer(tokens["read"]))
    assert current.headers["etag"] == put.headers["etag"]
    assert current.headers["etag"].startswith('"2.')
    assert (current.json()["version"], len(current.json()["shifts"])) == (2, 1)
    assert (old.json()["version"], len(old.json()["shifts"])) == (1, 2)
    versions = client.get(f"/v1/teams/{team}/rota/versions", headers=bearer(tokens["read"])).json()
    assert [(v["version"], v["published_by"], v["source"]) for v in versions["versions"]] == [
        (1, "plan-user", "upload:application/json"), (2, "plan-user", "upload:application/json")]


def test_stale_if_match_on_rota_is_412(client: TestClient, team: str,
                                       tokens: dict[str, str]) -> None:
    got = client.put(f"/v1/teams/{team}/rota", json=ROTA_JSON,
                     headers={**bearer(tokens["plan"]), "If-Match": '"0"'})
    assert got.status_code == 412
    assert client.get(f"/v1/teams/{team}/rota", headers=bearer(tokens["read"])).json()["version"] == 1


def test_rota_with_unknown_engineer_is_422(client: TestClient, team: str,
                                           tokens: dict[str, str]) -> None:
    bad = json.loads(json.dumps(ROTA_JSON))
    bad["shifts"][1]["engineer"] = "zed"
    got = client.put(f"/v1/teams/{team}/rota", json=bad, headers=bearer(tokens["plan"]))
    assert got.status_code == 422
    assert got.json()["errors"] == [{"path": "shifts[1].engineer", "message": "unknown engineer 'zed'"}]


def test_csv_upload_is_imported(client: TestClient, team: str, tokens: dict[str, str]) -> None:
    csv = "engineer,start,end\nana,2026-12-08T09:00:00Z,2026-12-08T17:00:00Z\n"
    got = client.put(f"/v1/teams/{team}/rota", content=csv,
                     headers={**bearer(tokens["plan"]), "Content-Type": "text/csv"})
    assert got.status_code == 201, got.text
    assert got.json()["version"] == 2


def test_unknown_upload_type_is_415(client: TestClient, team: str, tokens: dict[str, str]) -> None:
    got = client.put(f"/v1/teams/{team}/rota", content=b"\x00\x01",
                     headers={**bearer(tokens["plan"]), "Content-Type": "application/pdf"})
    assert got.status_code == 415
    assert got.json()["title"] == "Unsupported media type"


def test_rota_of_team_without_one_is_404(client: TestClient, tokens: dict[str, str]) -> None:
    client.put("/v1/teams/tiny", content=SCENARIO_YAML,
               headers={**bearer(tokens["admin"]), "Content-Type": "application/yaml"})
    got = client.get("/v1/teams/tiny/rota", headers=bearer(tokens["read"]))
    assert got.status_code == 404
    assert got.json()["detail"] == "team 'tiny' has no rota yet"


def test_ics_upload_is_imported(client: TestClient, team: str, tokens: dict[str, str]) -> None:
    from rota.icsexport import rota_to_ics
    from rota.rotafile import parse_rota

    calendar = rota_to_ics(None, parse_rota(ROTA_JSON))
    got = client.put(f"/v1/teams/{team}/rota", content=calendar,
                     headers={**bearer(tokens["plan"]), "Content-Type": "text/calendar"})
    assert got.status_code == 201, got.text
    rota = client.get(f"/v1/teams/{team}/rota", headers=bearer(tokens["read"])).json()
    assert [(s["engineer"], s["start"]) for s in rota["shifts"]] == [
        (s["engineer"], s["start"]) for s in ROTA_JSON["shifts"]]


def test_csv_upload_reports_rows_that_match_no_engineer(client: TestClient, team: str,
                                                        tokens: dict[str, str]) -> None:
    first = ROTA_JSON["shifts"][0]
    csv_text = ("engineer,start,end\n"
                f"{first['engineer']},{first['start']},{first['end']}\n"
                f"nobody-we-know,{first['start']},{first['end']}\n")
    got = client.put(f"/v1/teams/{team}/rota", content=csv_text,
                     headers={**bearer(tokens["plan"]), "Content-Type": "text/csv"})
    assert got.status_code == 201, got.text
    assert got.json()["shifts"] == 1
    [entry] = got.json()["unmatched"]
    assert entry["where"] == "line 3" and "nobody-we-know" in entry["text"]
