"""The `gaps` answer lists the hard rules an uploaded rota breaks (here an iCal import)."""

from __future__ import annotations

from apikit import bearer
from fastapi.testclient import TestClient

# A 24-hour on-call day for Ana, as a hand-drawn calendar would have it.
CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:ana-day@example.com
DTSTAMP:20261201T000000Z
DTSTART:20261208T080000Z
DTEND:20261209T080000Z
SUMMARY:On call: ana
END:VEVENT
END:VCALENDAR
"""


def test_gaps_lists_the_violations_of_an_imported_rota(client: TestClient, team: str,
                                                       tokens: dict[str, str]) -> None:
    put = client.put(f"/v1/teams/{team}/rota", content=CALENDAR,
                     headers={**bearer(tokens["plan"]), "Content-Type": "text/calendar"})
    assert put.status_code == 201, put.text
    body = client.get(f"/v1/teams/{team}/gaps", headers=bearer(tokens["read"])).json()
    assert body["violations"] == [{"engineer": "ana", "rule": "shift_hours",
                                   "start": "2026-12-08T08:00:00Z", "end": "2026-12-09T08:00:00Z",
                                   "detail": "24 h shift (allowed 4-10 h)"}]
    assert body["summary"]["violations"] == 1
    assert body["summary"]["p0_peak_coverage_within_rules"] == 0.0
    assert body["summary"]["p0_peak_coverage"] > 0


def test_a_rota_within_the_rules_has_no_violations(client: TestClient, team: str,
                                                   tokens: dict[str, str]) -> None:
    body = client.get(f"/v1/teams/{team}/gaps", headers=bearer(tokens["read"])).json()
    assert body["violations"] == []
    assert body["summary"]["p0_peak_coverage_within_rules"] == body["summary"]["p0_peak_coverage"]
