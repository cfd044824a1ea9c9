"""Vocabulary of the hostile-input corpus: what the store holds, so a refusal can be shown to have
changed nothing, and a time bound for answers (generous: it proves an answer comes at all, soon,
not how fast)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from apikit import store_of
from fastapi.testclient import TestClient

ANSWER_WITHIN_SECONDS = 15.0


def stored_state(client: TestClient, team: str = "tiny") -> tuple[Any, ...]:
    """The team's scenario revision, rota version and rota, as the store has them."""
    store = store_of(client)
    scenario, revision = store.teams.scenario(team)
    version = store.teams.current_version(team)
    rota = store.teams.rota(team).to_json() if version else None
    return revision, version, rota, scenario.model_dump(mode="json")


def answered_in_time(call: Callable[[], Any]) -> Any:
    """`call()`, asserting it came back within `ANSWER_WITHIN_SECONDS`."""
    started = time.monotonic()
    result = call()
    assert time.monotonic() - started < ANSWER_WITHIN_SECONDS, "no answer within the bound"
    return result
