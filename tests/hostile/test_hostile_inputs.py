"""The hostile-input corpus over HTTP, on both stores: each input gets its status (never a 500),
an answer within the corpus' generous bound, and leaves the stored team and rota as they were.

Families: control characters in ids and text (NUL, CR/LF: header injection into feeds), far-future
and far-past dates, non-finite and absurd numbers, huge strings, deep nesting and alias bombs, bad
encodings.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from apikit import ROTA_JSON, SCENARIO_YAML, bearer
from fastapi.testclient import TestClient
from hostilekit import answered_in_time, stored_state

SCENARIO = yaml.safe_load(SCENARIO_YAML)


def _scenario(**changes: Any) -> dict[str, Any]:
    """The tiny team with some values replaced: `engineers.0.contact.email=...` style paths."""
    data = json.loads(json.dumps(SCENARIO, default=str))
    for path, value in changes.items():
        *parents, leaf = path.split("__")
        node: Any = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node.setdefault(key, {})
        node[int(leaf) if leaf.isdigit() else leaf] = value
    return data


SCENARIO_CASES = [
    ("NUL in a name", _scenario(engineers__0__name="Ana\u0000Souza"), "engineers[0].name"),
    ("NUL in the team's name", _scenario(name="tiny\u0000"), "name"),
    ("CR/LF in an e-mail (header injection into feeds)",
     _scenario(engineers__0__contact={"email": "ana@example.com\r\nX-Evil: 1"}),
     "engineers[0].contact.email"),
    ("a Slack id that pings the channel",
     _scenario(engineers__0__contact={"slack": "<!channel> U0ANA"}), "engineers[0].contact.slack"),
    ("a phone number with a line break", _scenario(engineers__0__contact={"phone": "+44\n1"}),
     "engineers[0].contact.phone"),
    ("a leave reason with a bell", _scenario(engineers__0__unavailable=[
        {"start": "2026-12-08", "end": "2026-12-09", "reason": "out\u0007"}]),
     "engineers[0].unavailable[0].reason"),
    ("horizon in year 9999", _scenario(horizon={"start": "9999-12-01", "days": 7}),
     "horizon.start"),
    ("horizon in year 1", _scenario(horizon={"start": "0001-01-01", "days": 7}), "horizon.start"),
    ("horizon ending after 2199", _scenario(horizon={"start": "2199-12-30", "days": 7}),
     "horizon"),
    ("leave in year 9999", _scenario(engineers__0__unavailable=[
        {"start": "9999-12-30", "end": "9999-12-31"}]), "engineers[0].unavailable[0].start"),
    ("pin at the end of time", _scenario(pins=[
        {"engineer": "ana", "start": "9999-12-31T22:00:00Z", "end": "9999-12-31T23:00:00Z"}]),
     "pins[0].start"),
    ("pin with an offset past the end of time", _scenario(pins=[
        {"engineer": "ana", "start": "9999-12-31T23:00:00-05:00",
         "end": "9999-12-31T23:30:00-05:00"}]), "pins[0].start"),
    ("users_at_peak infinite", _scenario(regions__0__users_at_peak=float("inf")),
     "regions[0].users_at_peak"),
    ("users_at_peak NaN", _scenario(regions__0__users_at_peak=float("nan")),
     "regions[0].users_at_peak"),
    ("users_at_peak 1e308", _scenario(regions__0__users_at_peak=1e308),
     "regions[0].users_at_peak"),
    ("revenue 1e308", _scenario(regions__0__revenue_per_user_hour=1e308),
     "regions[0].revenue_per_user_hour"),
    ("a name of 100,000 characters", _scenario(engineers__0__name="x" * 100_000),
     "engineers[0].name"),
]


@pytest.mark.parametrize(("label", "data", "path"), SCENARIO_CASES,
                         ids=[c[0] for c in SCENARIO_CASES])
def test_hostile_scenarios_are_422_with_the_path_and_change_nothing(
        client: TestClient, tokens: dict[str, str], team: str, label: str, data: dict[str, Any],
        path: str) -> None:
    before = stored_state(client)
    body = json.dumps(data, allow_nan=True)  # Infinity and NaN as Python's json writes them
    got = answered_in_time(lambda: client.put(
        "/v1/teams/tiny", content=body,
        headers={**bearer(tokens["admin"]), "Content-Type": "application/json"}))
    assert got.status_code == 422, got.text
    assert path in [e["path"] for e in got.json()["errors"]], got.json()
    assert stored_state(client) == before


@pytest.mark.parametrize(("label", "text"), [
    ("YAML .inf", SCENARIO_YAML.replace("timezone: Europe/London\n    peak_windows",
                                        "timezone: Europe/London\n    users_at_peak: .inf\n"
                                        "    peak_windows", 1)),
    ("YAML .nan", SCENARIO_YAML.replace("timezone: Europe/London\n    peak_windows",
                                        "timezone: Europe/London\n    users_at_peak: .nan\n"
                                        "    peak_windows", 1)),
], ids=["yaml-inf", "yaml-nan"])
def test_non_finite_yaml_numbers_are_refused(client: TestClient, tokens: dict[str, str],
                                             team: str, label: str, text: str) -> None:
    assert "users_at_peak" in text
    before = stored_state(client)
    got = client.put("/v1/teams/tiny", content=text,
                     headers={**bearer(tokens["admin"]), "Content-Type": "application/yaml"})
    assert got.status_code == 422, got.text
    assert stored_state(client) == before


BODY_CASES = [
    ("JSON nested 200,000 deep", "PUT", "/v1/teams/tiny", "application/json",
     b"[" * 200_000 + b"]" * 200_000, 422),
    ("YAML alias bomb", "PUT", "/v1/teams/tiny", "application/yaml",
     b'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
     b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
     b"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
     b"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n", 422),
    ("Latin-1 bytes", "PUT", "/v1/teams/tiny", "application/yaml",
     SCENARIO_YAML.replace("Ana Souza", "Ana S\u00f3uza").encode("latin-1"), 422),
    ("UTF-16", "PUT", "/v1/teams/tiny", "application/yaml", SCENARIO_YAML.encode("utf-16"), 422),
    ("rota JSON with a NUL in an engineer", "PUT", "/v1/teams/tiny/rota", "application/json",
     json.dumps({**ROTA_JSON, "shifts": [{"engineer": "an\u0000a",
                                          "start": "2026-12-07T09:00:00Z",
                                          "end": "2026-12-07T10:00:00Z"}]}).encode(), 422),
    ("rota JSON shift in year 9999", "PUT", "/v1/teams/tiny/rota", "application/json",
     json.dumps({**ROTA_JSON, "shifts": [{"engineer": "ana", "start": "9999-12-31T09:00:00Z",
                                          "end": "9999-12-31T10:00:00Z"}]}).encode(), 422),
    ("calendar that is not UTF-8", "PUT", "/v1/teams/tiny/rota", "text/calendar",
     b"BEGIN:VCALENDAR\r\nSUMMARY:\xff\xfe\r\nEND:VCALENDAR\r\n", 422),
    ("override with a NUL in its reason", "POST", "/v1/teams/tiny/overrides", "application/json",
     json.dumps({"engineer": "bo", "start": "2026-12-08T01:00:00Z", "end": "2026-12-08T02:00:00Z",
                 "reason": "sick\u0000"}).encode(), 422),
    ("override with a NUL in its engineer", "POST", "/v1/teams/tiny/overrides",
     "application/json",
     json.dumps({"engineer": "b\u0000o", "start": "2026-12-08T01:00:00Z",
                 "end": "2026-12-08T02:00:00Z"}).encode(), 422),
    ("override in year 9999", "POST", "/v1/teams/tiny/overrides", "application/json",
     json.dumps({"engineer": "bo", "start": "9999-12-31T01:00:00Z",
                 "end": "9999-12-31T02:00:00Z"}).encode(), 422),
    ("plan with an infinite time limit", "POST", "/v1/teams/tiny/plans", "application/json",
     b'{"time_limit_seconds": Infinity}', 422),
]


@pytest.mark.parametrize(("label", "method", "path", "media", "body", "status"), BODY_CASES,
                         ids=[c[0] for c in BODY_CASES])
def test_hostile_bodies_get_their_status_and_change_nothing(
        client: TestClient, tokens: dict[str, str], team: str, label: str, method: str,
        path: str, media: str, body: bytes, status: int) -> None:
    before = stored_state(client)
    got = answered_in_time(lambda: client.request(
        method, path, content=body, headers={**bearer(tokens["admin"]), "Content-Type": media}))
    assert got.status_code == status, got.text
    assert got.headers["content-type"] == "application/problem+json"
    assert stored_state(client) == before


REQUEST_CASES = [
    ("NUL in a feed's engineer, no valid token", "/v1/teams/tiny/calendars/an%00a.ics?token=abc",
     "", 404),
    ("NUL in the team of a now", "/v1/teams/ti%00ny/now", "read", 404),
    ("NUL in the team of a report link", "/v1/teams/ti%00ny/report?access_token=x", "", 404),
    ("NUL in a plan id", "/v1/teams/tiny/plans/ab%00cd", "read", 404),
    ("CR/LF in a region", "/v1/teams/tiny/now?region=eu%0D%0AX-Evil:%201", "read", 422),
    ("NUL in a feed token", "/v1/teams/tiny/calendars/ana.ics?token=a%00b", "", 422),
    ("an instant in year 9999", "/v1/teams/tiny/now?at=9999-12-31T23:59:59Z", "read", 422),
    ("an instant in year 1", "/v1/teams/tiny/gaps?from=0001-01-01T00:00:00Z", "read", 422),
    ("an instant with an offset past the end", "/v1/teams/tiny/now?at=9999-12-31T23:59:59-05:00",
     "read", 422),
    ("a team id of 5,000 characters", "/v1/teams/" + "a" * 5000 + "/now", "read", 404),
    ("a region of 5,000 characters", "/v1/teams/tiny/now?region=" + "e" * 5000, "read", 404),
]


@pytest.mark.parametrize(("label", "url", "scope", "status"), REQUEST_CASES,
                         ids=[c[0] for c in REQUEST_CASES])
def test_hostile_paths_and_queries_get_their_status(
        client: TestClient, tokens: dict[str, str], team: str, label: str, url: str, scope: str,
        status: int) -> None:
    before = stored_state(client)
    headers = bearer(tokens[scope]) if scope else {}
    got = answered_in_time(lambda: client.get(url, headers=headers))
    assert got.status_code == status, got.text
    assert stored_state(client) == before


def test_a_feed_stays_well_formed_for_hostile_but_valid_names(
        client: TestClient, tokens: dict[str, str], team: str) -> None:
    hostile = _scenario(engineers__0__name="Ana <script>alert(1)</script>; DESCRIPTION:x \\n")
    put = client.put("/v1/teams/tiny", content=json.dumps(hostile),
                     headers={**bearer(tokens["admin"]), "Content-Type": "application/json"})
    assert put.status_code == 200, put.text
    url = client.post("/v1/teams/tiny/calendars/ana", headers=bearer(tokens["admin"])).json()["url"]
    feed = client.get(url.split("testserver", 1)[1])
    assert feed.status_code == 200
    lines = feed.text.split("\r\n")
    assert all(line[:1] == " " or ":" in line or line == "" for line in lines), lines
    assert not any(line.startswith("DESCRIPTION:x") for line in lines)


def test_a_csv_row_naming_no_engineer_is_reported_alike_on_both_stores(
        client: TestClient, tokens: dict[str, str], team: str) -> None:
    got = client.put("/v1/teams/tiny/rota",
                     content=b"engineer,start,end\r\nan\x00a,2026-12-07T09:00:00Z,"
                             b"2026-12-07T10:00:00Z\r\n",
                     headers={**bearer(tokens["plan"]), "Content-Type": "text/csv"})
    assert got.status_code == 201, got.text
    assert [u["reason"] for u in got.json()["unmatched"]] == ["matches no engineer"]
