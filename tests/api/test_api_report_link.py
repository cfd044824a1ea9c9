"""Signed report links (`POST /v1/teams/{team}/report-link`): a URL that opens the report page
until it expires and holds no token; altered, expired and other teams' links are refused."""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from apikit import SCENARIO_YAML, bearer
from fastapi.testclient import TestClient

from rota_api.app import create_app
from rota_api.settings import Settings


def make_link(client: TestClient, token: str, team: str = "tiny", **body: int) -> dict[str, str]:
    got = client.post(f"/v1/teams/{team}/report-link", headers=bearer(token),
                      **({"json": body} if body else {}))
    assert got.status_code == 200, got.text
    return got.json()


def open_link(client: TestClient, url: str) -> object:
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}")


def test_a_signed_link_opens_the_page_without_a_token(client: TestClient, tokens: dict[str, str],
                                                      team: str) -> None:
    before = time.time()
    link = make_link(client, tokens["read"])
    url = urlsplit(link["url"])
    assert url.path == "/v1/teams/tiny/report"
    query = parse_qs(url.query)
    assert set(query) == {"expires", "signature"}
    assert not any(token in link["url"] for token in tokens.values())
    expires_at = dt.datetime.fromisoformat(link["expires_at"].replace("Z", "+00:00"))
    assert before + 900 - 5 <= expires_at.timestamp() <= time.time() + 900 + 5
    page = open_link(client, link["url"])
    assert page.status_code == 200, page.text  # type: ignore[attr-defined]
    assert page.headers["content-type"].startswith("text/html")  # type: ignore[attr-defined]
    assert page.headers["cache-control"] == "no-store"  # type: ignore[attr-defined]
    assert page.headers["referrer-policy"] == "no-referrer"  # type: ignore[attr-defined]


def test_altered_and_foreign_links_are_refused(client: TestClient, tokens: dict[str, str],
                                               team: str) -> None:
    other = client.put("/v1/teams/other", content=SCENARIO_YAML.replace("team: tiny", "team: other"),
                       headers={**bearer(tokens["admin"]), "Content-Type": "application/yaml"})
    assert other.status_code == 201, other.text
    link = urlsplit(make_link(client, tokens["read"])["url"])
    query = parse_qs(link.query)
    expires, signature = int(query["expires"][0]), query["signature"][0]
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    for bad in (f"/v1/teams/tiny/report?expires={expires + 3600}&signature={signature}",
                f"/v1/teams/tiny/report?expires={expires}&signature={flipped}",
                f"/v1/teams/other/report?expires={expires}&signature={signature}",
                f"/v1/teams/tiny/report?expires={expires}&signature=",
                f"/v1/teams/tiny/report?expires={expires}",
                f"/v1/teams/tiny/report?signature={signature}"):
        got = client.get(bad)
        assert got.status_code == 403, (bad, got.text)
        assert got.headers["content-type"].startswith("application/problem+json")
        assert "report link" in got.json()["detail"]
    assert client.get(f"/v1/teams/tiny/report?expires=-1&signature={signature}").status_code == 422


def test_a_link_ends_at_its_expiry(client: TestClient, tokens: dict[str, str], team: str) -> None:
    link = make_link(client, tokens["read"], expires_in_seconds=1)
    assert open_link(client, link["url"]).status_code == 200  # type: ignore[attr-defined]
    time.sleep(2.1)
    expired = open_link(client, link["url"])
    assert expired.status_code == 403  # type: ignore[attr-defined]
    assert "expired" in expired.json()["detail"]  # type: ignore[attr-defined]


def test_making_a_link_needs_a_read_token_for_the_team(client: TestClient, tokens: dict[str, str],
                                                       team: str) -> None:
    assert client.post("/v1/teams/tiny/report-link").status_code == 401
    assert client.post("/v1/teams/tiny/report-link",
                       headers=bearer(tokens["read_other_team"])).status_code == 403
    assert client.post("/v1/teams/nope/report-link",
                       headers=bearer(tokens["read"])).status_code == 404
    for scope in ("plan", "admin"):  # any scope that grants read may make one
        make_link(client, tokens[scope])


@pytest.mark.parametrize("seconds", [0, -5, 86401, 10**12])
def test_a_link_lifetime_is_bounded(client: TestClient, tokens: dict[str, str], team: str,
                                    seconds: int) -> None:
    got = client.post("/v1/teams/tiny/report-link", headers=bearer(tokens["read"]),
                      json={"expires_in_seconds": seconds})
    assert got.status_code == 422, got.text
    assert got.json()["errors"][0]["path"].endswith("expires_in_seconds")


def test_links_of_a_shared_key_open_on_every_process(database_url: str, tokens: dict[str, str],
                                                     client: TestClient, team: str) -> None:
    """With `ROTA_LINK_SECRET` a link made by one API process opens on another; without it each
    process signs with a key of its own."""
    shared = Settings(database_url=database_url, link_secret="s3cret", plan_queue="embedded",
                      upload_processes=0)
    with TestClient(create_app(shared)) as first, TestClient(create_app(shared)) as second:
        link = make_link(first, tokens["read"])
        assert open_link(second, link["url"]).status_code == 200  # type: ignore[attr-defined]
    foreign = make_link(client, tokens["read"])
    with TestClient(create_app(shared)) as third:
        assert open_link(third, foreign["url"]).status_code == 403  # type: ignore[attr-defined]
