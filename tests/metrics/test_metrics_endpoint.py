"""`GET /metrics`: the team series from the store-backed index, the same in every process."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from servekit import ROTA, SCENARIO, Stored

from rota.report import gap_report
from rota.rotafile import Override
from rota.spans import from_ts, to_ts
from rota.store import Store
from rota_api import metrics
from rota_api.app import create_app
from rota_api.settings import Settings

NOW = to_ts(dt.datetime(2026, 12, 8, 19, tzinfo=dt.UTC))  # London's peak: Bo and Ana qualify, Chen asleep


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metrics, "clock", lambda: NOW)
    # no background look-ahead thread outliving a test (it would hold the store the next one empties)
    monkeypatch.setattr(metrics.TeamTextCache, "look_ahead", lambda *args: None)


def scrape(client: TestClient, token: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    got = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(got.text) for s in family.samples}


def value(samples: dict, name: str, **labels: str) -> float | None:
    return samples.get((name, tuple(sorted(labels.items()))))


def test_now_series(client: TestClient, stored: Stored) -> None:
    samples = scrape(client, stored.read)
    eu = {"team": "follow", "region": "eu", "severity": "P0"}
    assert value(samples, "rota_qualified_responders", **eu) == 2
    assert value(samples, "rota_required_responders", **eu) == 2
    apac = {"team": "follow", "region": "apac", "severity": "P0"}  # outside apac's peak: nothing required
    assert (value(samples, "rota_qualified_responders", **apac),
            value(samples, "rota_required_responders", **apac)) == (0, 0)
    on_call = {(dict(k)["engineer"], dict(k)["level"]) for (n, k) in samples
               if n == "rota_oncall_info" and dict(k)["region"] == "eu"}
    assert on_call == {("bo", "1"), ("ana", "1"), ("chen", "2")}
    assert value(samples, "rota_rota_version", team="follow") == 1
    assert value(samples, "rota_rota_horizon_end_timestamp_seconds", team="follow") == to_ts(
        dt.datetime(2026, 12, 14, tzinfo=dt.UTC))


@pytest.mark.parametrize(("window", "seconds"), [("24h", 86400), ("7d", 7 * 86400)])
def test_look_ahead_series_equal_the_gap_report(client: TestClient, stored: Stored, window: str,
                                                seconds: int) -> None:
    samples = scrape(client, stored.read)
    end = min(NOW + seconds, to_ts(dt.datetime(2026, 12, 14, tzinfo=dt.UTC)))
    for region, severity in [("eu", "P0"), ("eu", "P2"), ("apac", "P0")]:
        report = gap_report(SCENARIO, ROTA, from_ts(NOW), from_ts(end), region, severity)
        labels = {"team": "follow", "region": region, "severity": severity, "window": window}
        assert value(samples, "rota_coverage_ratio", **labels) == report.regions[0].coverage
        assert value(samples, "rota_structural_gap_seconds", **labels) == (
            report.regions[0].structural_gap_seconds)
        for cause in ("no_responder", "unavailable", "too_slow", "short_handed"):
            assert value(samples, "rota_uncovered_seconds", **labels, cause=cause) == sum(
                g.seconds for g in report.gaps if g.cause == cause)


def test_next_gap_start(client: TestClient, stored: Stored) -> None:
    samples = scrape(client, stored.read)
    gaps = gap_report(SCENARIO, ROTA, from_ts(NOW), dt.datetime(2026, 12, 14, tzinfo=dt.UTC), "apac").gaps
    assert value(samples, "rota_next_gap_start_timestamp_seconds", team="follow", region="apac",
                 severity="P0") == gaps[0].start


def test_every_process_sharing_the_store_answers_the_same(client: TestClient, stored: Stored) -> None:
    """A second app over the same store (another process, in production) sees writes made
    through the first, and plan records whoever made them."""
    other = TestClient(create_app(Settings(database_url=stored.url, token_cache_seconds=0)))
    with other:
        before = scrape(other, stored.read)
        override = client.post("/v1/teams/follow/overrides", headers={"Authorization": f"Bearer {stored.plan}"},
                               json=Override(engineer="chen", replaces="bo", start=from_ts(NOW - 3600),
                                             end=from_ts(NOW + 3600)).model_dump(mode="json",
                                                                                  exclude_none=True))
        assert override.status_code in (200, 201), override.text
        store = Store.open(stored.url)
        try:
            store.plans.create("follow", {"time_limit_seconds": 5})
        finally:
            store.close()
        after = scrape(other, stored.read)
    eu = {"team": "follow", "region": "eu", "severity": "P0"}
    assert value(before, "rota_qualified_responders", **eu) == 2
    assert value(after, "rota_qualified_responders", **eu) == 1  # Chen, asleep, replaces Bo
    assert value(after, "rota_plan_jobs", team="follow", status="queued") == 1
    assert value(scrape(client, stored.read), "rota_plan_jobs", team="follow", status="queued") == 1


def test_auth_and_team_limits(client: TestClient, stored: Stored) -> None:
    assert client.get("/metrics").status_code == 401
    other_team = scrape(client, stored.other_team)
    assert not any(dict(labels).get("team") == "follow" for _, labels in other_team)


def test_http_requests_are_counted(client: TestClient, stored: Stored) -> None:
    client.get("/v1/teams/follow/now", headers={"Authorization": f"Bearer {stored.read}"})
    client.get("/pagerduty/users/follow.ana", headers={"Authorization": f"Token token={stored.read}"})
    samples = scrape(client, stored.read)
    routes = {dict(k)["route"] for (n, k) in samples if n == "rota_http_requests_total"}
    assert {"/v1/teams/{team}/now", "/pagerduty/users/{user_id}"} <= routes
