"""Hostile calendars over HTTP: recurrence bombs are answered (refused or accepted) at once, on both
stores, and a refused upload leaves the stored rota as it was. The server keeps answering while an
upload is being read: the upload is read off the event loop."""

from __future__ import annotations

import threading

import pytest
from apikit import bearer
from fastapi.testclient import TestClient
from hostilekit import answered_in_time, stored_state


def _calendar(*lines: str) -> bytes:
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//hostile//EN", "BEGIN:VEVENT",
            "UID:bomb@example.com", "DTSTAMP:20261201T000000Z", *lines, "SUMMARY:Ana Souza",
            "END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(body) + "\r\n").encode()


EVERY_SECOND = ("RRULE:FREQ=DAILY;BYHOUR=" + ",".join(map(str, range(24))) + ";BYMINUTE="
                + ",".join(map(str, range(60))) + ";BYSECOND=" + ",".join(map(str, range(60))))
NEVER_MATCHES = "RRULE:FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30"

REFUSED = [
    ("every second since year 1", ["DTSTART:00010101T000000Z", "DTEND:00010101T000001Z",
                                   EVERY_SECOND], 413),
    ("a filter that never matches", ["DTSTART:20260101T000000Z", "DTEND:20260101T003000Z",
                                     NEVER_MATCHES], 413),
    ("minutely", ["DTSTART:20261207T000000Z", "DTEND:20261207T000030Z", "RRULE:FREQ=MINUTELY"],
     422),
    ("DTSTART in year 0", ["DTSTART:00000101T000000Z", "DTEND:00000101T003000Z",
                           "RRULE:FREQ=HOURLY"], 422),
    ("UNTIL in year 99999", ["DTSTART:20261207T000000Z", "DTEND:20261207T003000Z",
                             "RRULE:FREQ=DAILY;UNTIL=999991231T000000Z"], 422),
]


@pytest.mark.parametrize(("label", "lines", "status"), REFUSED, ids=[r[0] for r in REFUSED])
def test_hostile_calendars_are_refused_and_change_nothing(
        client: TestClient, tokens: dict[str, str], team: str, label: str, lines: list[str],
        status: int) -> None:
    before = stored_state(client)
    got = answered_in_time(lambda: client.put(
        "/v1/teams/tiny/rota", content=_calendar(*lines),
        headers={**bearer(tokens["plan"]), "Content-Type": "text/calendar"}))
    assert got.status_code == status, got.text
    assert got.headers["content-type"] == "application/problem+json"
    assert stored_state(client) == before


def test_an_hourly_rule_from_year_one_is_published_over_the_horizon(
        client: TestClient, tokens: dict[str, str], team: str) -> None:
    got = answered_in_time(lambda: client.put(
        "/v1/teams/tiny/rota",
        content=_calendar("DTSTART:00010101T000000Z", "DTEND:00010101T003000Z",
                          "RRULE:FREQ=HOURLY"),
        headers={**bearer(tokens["plan"]), "Content-Type": "text/calendar"}))
    assert got.status_code == 201, got.text
    assert (got.json()["version"], got.json()["shifts"]) == (2, 7 * 24)


def test_the_server_answers_while_a_bomb_is_being_read(
        client: TestClient, tokens: dict[str, str], team: str) -> None:
    answers: list[str] = []

    def upload() -> None:
        got = client.put("/v1/teams/tiny/rota",
                         content=_calendar("DTSTART:20260101T000000Z", "DTEND:20260101T003000Z",
                                           NEVER_MATCHES),
                         headers={**bearer(tokens["plan"]), "Content-Type": "text/calendar"})
        answers.append(f"upload {got.status_code}")

    bomb = threading.Thread(target=upload)
    bomb.start()
    while bomb.is_alive() and len(answers) < 3:
        health = client.get("/healthz")
        now = client.get("/v1/teams/tiny/now?at=2026-12-07T12:00:00Z",
                         headers=bearer(tokens["read"]))
        answers.append(f"health {health.status_code}, now {now.status_code}")
    bomb.join()
    assert answers[:3] == ["health 200, now 200"] * 3  # all three came before the upload's 413
    assert answers[-1] == "upload 413"
