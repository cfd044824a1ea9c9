"""Shared vocabulary of the job-queue tests: the store behind an app, waiting on other processes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from rota.store import Store


def store_of(client: TestClient) -> Store:
    store: Store = client.app.state.services.store  # type: ignore[attr-defined]
    return store


def wait_for(what: Callable[[], Any], seconds: float = 30.0) -> Any:
    """What `what` answers once it is truthy; fails after `seconds` (the workers are elsewhere)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        got = what()
        if got:
            return got
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}")
