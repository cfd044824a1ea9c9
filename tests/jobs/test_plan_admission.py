"""Plan admission in the store, under concurrency, on SQLite and PostgreSQL: whatever the
interleaving, one queued or running plan per team and horizon, and never more than the bounds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from rota.scenario import Scenario
from rota.store import Store
from rota.store.plans import PlanActive, PlanBounds, QueueFull
from rota.validation import load_scenario

TINY = Path(__file__).parent.parent / "api" / "tiny-team.yaml"


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store.open(database_url)
    yield opened
    opened.close()


def _team(store: Store, name: str) -> None:
    scenario: Scenario = load_scenario(TINY)
    store.teams.put_scenario(scenario.model_copy(update={"team": name}))


def _race(calls: list[Callable[[], Any]]) -> list[Any]:
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(call) for call in calls]
    outcomes: list[Any] = []
    for future in futures:
        error = future.exception()
        outcomes.append(error if error is not None else future.result())
    return outcomes


def test_concurrent_plans_for_one_horizon_admit_exactly_one(store: Store) -> None:
    _team(store, "tiny")
    bounds = PlanBounds(per_team=50, overall=50)
    outcomes = _race([lambda: store.plans.create("tiny", {}, horizon="2026-12-07+7d", bounds=bounds)
                      for _ in range(12)])
    made = [o for o in outcomes if not isinstance(o, Exception)]
    refused = [o for o in outcomes if isinstance(o, PlanActive)]
    assert len(made) == 1 and len(refused) == 11
    assert {r.plan_id for r in refused} == {made[0].id}


def test_concurrent_plans_never_pass_the_overall_bound(store: Store) -> None:
    teams = [f"t{i}" for i in range(10)]
    for name in teams:
        _team(store, name)
    bounds = PlanBounds(per_team=5, overall=3)
    outcomes = _race([lambda name=name: store.plans.create(name, {"time_limit_seconds": 4},  # type: ignore[misc]
                                                           horizon="h", bounds=bounds)
                      for name in teams])
    assert sum(not isinstance(o, Exception) for o in outcomes) == 3
    full = [o for o in outcomes if isinstance(o, QueueFull)]
    assert len(full) == 7 and {f.retry_after for f in full} == {4}
    assert store.plans.counts() == {"queued": 3}


def test_an_ended_plan_frees_its_horizon(store: Store) -> None:
    _team(store, "tiny")
    first = store.plans.create("tiny", {}, horizon="h")
    with pytest.raises(PlanActive):
        store.plans.create("tiny", {}, horizon="h")
    store.plans.cancel("tiny", first.id)
    assert store.plans.create("tiny", {}, horizon="h").status == "queued"


def test_a_retried_start_counts_attempts_and_says_so(store: Store) -> None:
    _team(store, "tiny")
    plan = store.plans.create("tiny", {}, horizon="h")
    assert store.plans.start(plan.id, worker="w1")
    assert not store.plans.start(plan.id)  # an ordinary start never runs a running plan twice
    assert store.plans.start(plan.id, retry=True, worker="w2")
    record = store.plans.get("tiny", plan.id)
    assert (record.status, record.attempts) == ("running", 2)
    assert [(e["event"], e.get("by")) for e in record.events] == [
        ("queued", None), ("started", "w1"), ("retried: its worker was lost", "w2")]
