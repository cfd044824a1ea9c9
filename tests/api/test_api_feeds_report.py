"""Calendar feeds (per-engineer secret URLs, revocable) and the HTML report page."""

from __future__ import annotations

import sys
import types

import icalendar
import pytest
from apikit import bearer
from fastapi.testclient import TestClient


def _feed_url(client: TestClient, tokens: dict[str, str], engineer: str = "ana") -> str:
    got = client.post(f"/v1/teams/tiny/calendars/{engineer}", headers=bearer(tokens["admin"]))
    assert got.status_code == 201, got.text
    url = str(got.json()["url"])
    assert url.startswith(f"http://testserver/v1/teams/tiny/calendars/{engineer}.ics?token=")
    return url.removeprefix("http://testserver")


def test_feed_is_the_engineers_shifts_as_icalendar(client: TestClient, team: str,
                                                   tokens: dict[str, str]) -> None:
    got = client.get(_feed_url(client, tokens))
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(got.content)
    events = [(str(e["SUMMARY"]), e.decoded("DTSTART").isoformat(), e.decoded("DTEND").isoformat())
              for e in calendar.walk("VEVENT")]
    assert [(start, end) for _, start, end in events] == [
        ("2026-12-07T09:00:00+00:00", "2026-12-07T19:00:00+00:00")]
    assert "REFRESH-INTERVAL" in got.text


def test_feed_uids_are_stable(client: TestClient, team: str, tokens: dict[str, str]) -> None:
    url = _feed_url(client, tokens)
    first, second = client.get(url).text, client.get(url).text
    uid = [line for line in first.splitlines() if line.startswith("UID")]
    assert uid and uid == [line for line in second.splitlines() if line.startswith("UID")]


@pytest.mark.parametrize("query", ["", "?token=", "?token=guess"], ids=["none", "empty", "wrong"])
def test_feed_without_its_secret_is_401(client: TestClient, team: str, tokens: dict[str, str],
                                        query: str) -> None:
    _feed_url(client, tokens)
    got = client.get(f"/v1/teams/tiny/calendars/ana.ics{query}")
    assert got.status_code == 401
    assert got.headers["content-type"] == "application/problem+json"


def test_one_engineers_secret_does_not_open_anothers_feed(client: TestClient, team: str,
                                                          tokens: dict[str, str]) -> None:
    secret = _feed_url(client, tokens, "ana").split("token=")[1]
    assert client.get(f"/v1/teams/tiny/calendars/bo.ics?token={secret}").status_code == 401


def test_remaking_a_feed_revokes_the_old_url_and_delete_revokes_it(
        client: TestClient, team: str, tokens: dict[str, str]) -> None:
    old = _feed_url(client, tokens)
    new = _feed_url(client, tokens)
    assert client.get(old).status_code == 401
    assert client.get(new).status_code == 200
    gone = client.delete("/v1/teams/tiny/calendars/ana", headers=bearer(tokens["admin"]))
    assert gone.status_code == 204
    assert client.get(new).status_code == 401


def test_feed_for_unknown_engineer_is_404(client: TestClient, team: str,
                                          tokens: dict[str, str]) -> None:
    got = client.post("/v1/teams/tiny/calendars/zed", headers=bearer(tokens["admin"]))
    assert got.status_code == 404


def test_making_a_feed_needs_admin(client: TestClient, team: str, tokens: dict[str, str]) -> None:
    got = client.post("/v1/teams/tiny/calendars/ana", headers=bearer(tokens["plan"]))
    assert got.status_code == 403


@pytest.fixture
def fake_report_page(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, int]]:
    calls: list[tuple[str, int, int]] = []
    module = types.ModuleType("rota.render.html")

    def report_page(scenario, rota, report, carried=None):  # type: ignore[no-untyped-def]
        calls.append((scenario.team, rota.version, len(report.gaps)))
        return "<html><body><svg></svg></body></html>"

    module.report_page = report_page  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "rota.render.html", module)
    return calls


def test_report_page_renders_the_current_version(client: TestClient, team: str,
                                                 tokens: dict[str, str],
                                                 fake_report_page: list) -> None:  # type: ignore[type-arg]
    got = client.get("/v1/teams/tiny/report", headers=bearer(tokens["read"]))
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("text/html")
    assert fake_report_page[0][:2] == ("tiny", 1) and fake_report_page[0][2] > 0


def test_report_page_takes_the_token_in_the_query(client: TestClient, team: str,
                                                  tokens: dict[str, str],
                                                  fake_report_page: list) -> None:  # type: ignore[type-arg]
    ok = client.get(f"/v1/teams/tiny/report?access_token={tokens['read']}")
    refused = client.get("/v1/teams/tiny/report?access_token=guess")
    other = client.get(f"/v1/teams/tiny/report?access_token={tokens['read_other_team']}")
    assert (ok.status_code, refused.status_code, other.status_code) == (200, 401, 403)


def test_real_report_page_is_html_with_svg(client: TestClient, team: str,
                                           tokens: dict[str, str]) -> None:
    got = client.get("/v1/teams/tiny/report", headers=bearer(tokens["read"]))
    assert got.status_code == 200
    assert "<svg" in got.text
