"""Concurrent writers on both stores: the outcomes the API promises, with real threads and
separate connections (on SQLite, real file locking; on PostgreSQL, real row locks).

- Creating one team from several writers at once: one creates it, the others replace it (blind)
  or get `StaleWrite` (If-Match); never an integrity error.
- Blind publishes all win, one after another: versions 2..n+1, none lost, none twice.
- Publishes with the same If-Match: exactly one wins, the others get `StaleWrite`.
- Publishing one plan from several writers at once: exactly one version; the others `Conflict`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from rota.errors import Conflict
from rota.rotafile import Override, Rota
from rota.scenario import Scenario
from rota.store import StaleWrite, Store

WRITERS = 8


def _all_at_once(work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` for each writer, released together; each result or the exception raised."""
    start = threading.Barrier(WRITERS)
    results: list[Any] = [None] * WRITERS

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_creating_a_team_from_many_writers_at_once_never_fails(store: Store,
                                                              scenario: Scenario) -> None:
    results = _all_at_once(lambda i: store.teams.put_scenario(scenario, by=f"writer-{i}"))
    assert sorted(results) == list(range(1, WRITERS + 1))  # created once, then replaced in turn
    assert store.teams.scenario("tiny")[1] == WRITERS


def test_creating_with_if_match_from_many_writers_gives_stale_writes_not_errors(
        store: Store, scenario: Scenario) -> None:
    store.teams.put_scenario(scenario)
    results = _all_at_once(lambda i: store.teams.put_scenario(scenario, expected_revision=1))
    assert sorted(r for r in results if isinstance(r, int)) == [2]
    assert all(isinstance(r, StaleWrite) for r in results if not isinstance(r, int))


def test_blind_publishes_all_win_in_turn(store: Store, scenario: Scenario, rota: Rota) -> None:
    store.teams.put_scenario(scenario)
    store.teams.publish(rota, "first")
    results = _all_at_once(lambda i: store.teams.publish(rota, f"writer-{i}"))
    assert sorted(results) == list(range(2, WRITERS + 2))
    assert [v.version for v in store.teams.versions("tiny")] == list(range(1, WRITERS + 2))


def test_publishes_with_one_if_match_have_exactly_one_winner(store: Store, scenario: Scenario,
                                                             rota: Rota) -> None:
    store.teams.put_scenario(scenario)
    store.teams.publish(rota, "first")
    results = _all_at_once(lambda i: store.teams.publish(rota, f"w{i}", expected_version=1))
    assert [r for r in results if isinstance(r, int)] == [2]
    assert sum(isinstance(r, StaleWrite) for r in results) == WRITERS - 1
    assert store.teams.current_version("tiny") == 2


def test_one_plan_published_from_many_writers_becomes_one_version(
        store: Store, scenario: Scenario, rota: Rota) -> None:
    store.teams.put_scenario(scenario)
    plan = store.plans.create("tiny", {})
    store.plans.start(plan.id)
    store.plans.finish(plan.id, {"rota": rota.to_json()}, None)
    results = _all_at_once(lambda i: store.teams.publish(rota, f"plan:{plan.id}", plan_id=plan.id))
    won = [r for r in results if isinstance(r, int)]
    assert won == [1]
    assert all(isinstance(r, Conflict) and not isinstance(r, StaleWrite)
               for r in results if not isinstance(r, int)), results
    assert store.plans.get("tiny", plan.id).published_version == 1
    assert [v.version for v in store.teams.versions("tiny")] == [1]


def test_overrides_added_at_once_are_all_stored(store: Store, scenario: Scenario,
                                                rota: Rota) -> None:
    store.teams.put_scenario(scenario)
    store.teams.publish(rota, "first")
    override = Override.model_validate({"engineer": "bo", "start": "2026-12-08T01:00:00Z",
                                        "end": "2026-12-08T02:00:00Z"})
    results = _all_at_once(lambda i: store.teams.add_override("tiny", override, f"w{i}"))
    assert all(not isinstance(r, Exception) for r in results), results
    assert len(store.teams.rota("tiny").overrides) == WRITERS
