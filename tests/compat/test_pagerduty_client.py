"""PagerDuty's official Python client (`pagerduty` on PyPI) against a real TLS server: the client
as bots use it, changed only by its base URL."""

from __future__ import annotations

import datetime as dt

import pagerduty
import pytest
from servekit import ROTA, SCENARIO, Server, Stored

from rota.report import gap_report

PEAK = "2026-12-08T19:00:00Z"  # London's peak: P0 within 15 minutes, two responders


def pd_client(server: Server, token: str) -> pagerduty.RestApiV2Client:
    return pagerduty.RestApiV2Client(token, base_url=f"{server.base_url}/pagerduty", verify=server.verify)


def test_oncalls_at_an_instant_list_level_1_fastest_first_then_level_2(
        tls_server: Server, stored: Stored) -> None:
    with pd_client(tls_server, stored.read) as client:
        found = list(client.iter_all("oncalls", params={
            "escalation_policy_ids[]": ["follow.eu"], "since": PEAK, "until": PEAK}))
    assert [(o["user"]["id"], o["escalation_level"]) for o in found] == [
        ("follow.bo", 1),    # working in New York: 5 minutes
        ("follow.ana", 1),   # awake in London: 15 minutes
        ("follow.chen", 2),  # asleep in Shanghai: 60 minutes, slower than the P0 target
    ]
    bo, ana, chen = found
    assert (bo["start"], bo["end"]) == ("2026-12-08T14:00:00Z", "2026-12-09T00:00:00Z")
    assert (chen["start"], chen["end"]) == ("2026-12-08T18:00:00Z", "2026-12-08T22:00:00Z")
    assert ana["user"] == {"id": "follow.ana", "type": "user_reference", "summary": "Ana Souza",
                           "self": f"{tls_server.base_url}/pagerduty/users/follow.ana",
                           "html_url": f"{tls_server.base_url}/v1/teams/follow/report"}
    assert ana["schedule"]["id"] == ana["escalation_policy"]["id"] == "follow.eu"
    assert ana["schedule"]["type"] == "schedule_reference"
    assert ana["escalation_policy"]["type"] == "escalation_policy_reference"


def test_schedule_entries_and_coverage_equal_the_gap_report(tls_server: Server, stored: Stored) -> None:
    since, until = "2026-12-08T00:00:00Z", "2026-12-09T00:00:00Z"
    with pd_client(tls_server, stored.read) as client:
        schedule = client.rget("schedules/follow.eu", params={"since": since, "until": until})
    final = schedule["final_schedule"]
    assert [(e["user"]["id"], e["start"], e["end"]) for e in final["rendered_schedule_entries"]] == [
        ("follow.ana", "2026-12-08T12:00:00Z", "2026-12-08T22:00:00Z"),
        ("follow.bo", "2026-12-08T14:00:00Z", "2026-12-09T00:00:00Z"),
        ("follow.chen", "2026-12-08T16:00:00Z", "2026-12-09T00:00:00Z"),  # cut at until
    ]
    report = gap_report(SCENARIO, ROTA, dt.datetime(2026, 12, 8, tzinfo=dt.UTC),
                        dt.datetime(2026, 12, 9, tzinfo=dt.UTC), "eu")
    assert final["rendered_coverage_percentage"] == round(report.regions[0].coverage * 100, 2)
    assert 0 < final["rendered_coverage_percentage"] < 100
    assert (schedule["id"], schedule["type"], schedule["time_zone"]) == ("follow.eu", "schedule", "Europe/London")


def test_pagination_through_the_clients_iterator(tls_server: Server, stored: Stored) -> None:
    window = {"since": "2026-12-08T00:00:00Z", "until": "2026-12-10T12:00:00Z"}
    with pd_client(tls_server, stored.read) as client:
        paged = list(client.iter_all("oncalls", params=window, page_size=2))
        whole = client.jget("oncalls", params={**window, "limit": 100, "total": "true"})
    assert whole["more"] is False and whole["total"] == len(whole["oncalls"])
    assert len(paged) > 4  # three pages at least
    assert paged == whole["oncalls"]
    assert {o["schedule"]["id"] for o in paged} == {"follow.eu", "follow.apac"}


def test_users_and_policies_through_the_client(tls_server: Server, stored: Stored) -> None:
    with pd_client(tls_server, stored.read) as client:
        users = list(client.iter_all("users"))
        ana = client.rget("users/follow.ana", params={"include[]": ["contact_methods"]})
        policy = client.rget("escalation_policies/follow.eu")
        on_call = client.rget("schedules/follow.eu/users", params={"since": PEAK, "until": PEAK})
        with pytest.raises(pagerduty.HttpError) as missing:
            client.rget("schedules/follow.mars")
    assert [u["id"] for u in users] == ["follow.ana", "follow.bo", "follow.chen"]
    assert (ana["email"], ana["time_zone"]) == ("ana@example.com", "Europe/London")
    assert [(m["type"], m["address"]) for m in ana["contact_methods"]] == [
        ("email_contact_method", "ana@example.com"), ("phone_contact_method", "441234567890")]
    assert [r["escalation_delay_in_minutes"] for r in policy["escalation_rules"]] == [15, 15]
    assert [u["id"] for u in on_call] == ["follow.ana", "follow.bo", "follow.chen"]
    assert missing.value.response.status_code == 404
