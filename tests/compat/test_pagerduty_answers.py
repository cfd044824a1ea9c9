"""PagerDuty's `/oncalls` answers are kept serialised between changes (`rota_api.answer_cache`):
a repeated question gets the same answer, and never a stale one: not after the clock passes a
handoff or a change of order, nor after a publish by another process."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from servekit import ROTA, Stored

from rota.rotafile import Rota, Shift
from rota.store import Store
from rota_api.compat import pagerduty_oncalls

EU_NOW = "/pagerduty/oncalls?escalation_policy_ids[]=follow.eu"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 8, 13, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, instant: str) -> None:
        self.now = dt.datetime.fromisoformat(instant)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    fixed = Clock()
    monkeypatch.setattr(pagerduty_oncalls, "clock", fixed)
    yield fixed


def on_call(client: TestClient, stored: Stored, path: str = EU_NOW) -> list[tuple[str, int]]:
    got = client.get(path, headers={"Authorization": f"Token token={stored.read}"})
    assert got.status_code == 200, got.text
    return [(o["user"]["id"], o["escalation_level"]) for o in got.json()["oncalls"]]


def test_the_answer_now_follows_the_clock_across_handoffs(client: TestClient, stored: Stored,
                                                           clock: Clock) -> None:
    assert on_call(client, stored) == [("follow.ana", 1)]
    clock.set("2026-12-08T13:59:59+00:00")  # the same answer, from the cache
    assert on_call(client, stored) == [("follow.ana", 1)]
    clock.set("2026-12-08T14:00:00+00:00")  # Bo comes on: the kept answer no longer holds
    assert on_call(client, stored) == [("follow.ana", 1), ("follow.bo", 1)]  # both working: by id
    clock.set("2026-12-08T17:59:59+00:00")  # Chen came on at 16:00, asleep (P2: 60 min will do)
    assert on_call(client, stored) == [("follow.ana", 1), ("follow.bo", 1), ("follow.chen", 1)]
    # London's peak (P0: 15 min): Chen drops to level 2, and Ana's working day ends (15 min), so
    # Bo (working, 5) answers faster than she does
    clock.set("2026-12-08T18:00:00+00:00")
    assert on_call(client, stored) == [("follow.bo", 1), ("follow.ana", 1), ("follow.chen", 2)]
    clock.set("2026-12-08T13:30:00+00:00")  # back in time (a test clock): the first answer again
    assert on_call(client, stored) == [("follow.ana", 1)]


def test_a_publish_by_another_process_shows_in_the_next_answer(client: TestClient, stored: Stored,
                                                                 clock: Clock) -> None:
    window = f"{EU_NOW}&since=2026-12-08T12:00:00Z&until=2026-12-08T13:00:00Z"
    assert on_call(client, stored) == on_call(client, stored, window) == [("follow.ana", 1)]
    store = Store.open(stored.url)  # as another API process would write it
    try:
        shifts = [s for s in ROTA.shifts if s.engineer != "ana"]
        shifts.append(Shift(engineer="bo", start=dt.datetime(2026, 12, 8, 12, tzinfo=dt.UTC),
                            end=dt.datetime(2026, 12, 8, 14, tzinfo=dt.UTC)))
        store.teams.publish(Rota(team="follow", horizon=ROTA.horizon, shifts=shifts), "test")
    finally:
        store.close()
    assert on_call(client, stored) == on_call(client, stored, window) == [("follow.bo", 1)]


def test_the_first_bad_parameter_is_answered_in_pagerdutys_order(client: TestClient,
                                                                  stored: Stored) -> None:
    # an inverted range is found before a bad limit, whether or not the query was seen before
    path = "/pagerduty/oncalls?limit=0&since=2026-12-08T19:00:00Z&until=2026-12-08T18:00:00Z"
    for _ in range(2):
        got = client.get(path, headers={"Authorization": f"Token token={stored.read}"})
        assert got.status_code == 400
        assert got.json()["error"]["errors"] == ["until: cannot be before since"]
