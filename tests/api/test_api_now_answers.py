"""`now` answers are kept serialised for the second they were asked in (`rota_api.answer_cache`):
every instant of that second gets the answer the index gives for it, and a write in between
(an override, here) shows in the very next answer."""

from __future__ import annotations

import datetime as dt

from apikit import ROTA_JSON, SCENARIO_YAML, bearer
from fastapi.testclient import TestClient

from rota.now import who_responds
from rota.rotafile import parse_rota
from rota.validation import parse_scenario_text


def now(client: TestClient, token: str, at: str) -> dict:  # type: ignore[type-arg]
    got = client.get(f"/v1/teams/tiny/now?at={at}&region=eu", headers=bearer(token))
    assert got.status_code == 200, got.text
    return got.json()  # type: ignore[no-any-return]


def test_one_second_one_answer_and_a_write_shows_at_once(client: TestClient, team: str,
                                                         tokens: dict[str, str]) -> None:
    scenario = parse_scenario_text(SCENARIO_YAML)
    truth = who_responds(scenario, parse_rota(ROTA_JSON, scenario),
                         dt.datetime(2026, 12, 7, 18, 30, tzinfo=dt.UTC), "eu")
    first = now(client, tokens["read"], "2026-12-07T18:30:00.100Z")
    assert first == now(client, tokens["read"], "2026-12-07T18:30:00.900Z") == {
        **truth, "rota_version": first["rota_version"]}
    assert [r["engineer"] for r in first["regions"][0]["responders"]] == ["ana"]
    added = client.post("/v1/teams/tiny/overrides", headers=bearer(tokens["plan"]), json={
        "engineer": "chen", "replaces": "ana", "start": "2026-12-07T18:00:00Z",
        "end": "2026-12-07T19:00:00Z"})
    assert added.status_code == 201, added.text
    after = now(client, tokens["read"], "2026-12-07T18:30:00.500Z")
    assert [r["engineer"] for r in after["regions"][0]["responders"]] == ["chen"]
    assert now(client, tokens["read"], "2026-12-07T18:30:01Z")["at"] == "2026-12-07T18:30:01Z"
