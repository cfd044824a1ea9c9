"""SIGKILL a real `rota serve` while clients publish rota versions and add overrides, on both
stores: afterwards every write the server acknowledged is there, versions are numbered 1..n with no
hole, and every version is whole (the rota that was uploaded, shift for shift). Writes cut off by
the kill may or may not be there; nothing else may differ.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from serverkit import RotaServer

from rota.rotafile import parse_rota
from rota.store import Store
from rota.validation import load_scenario

TINY = Path(__file__).parent.parent / "api"
ROTA = json.loads((TINY / "tiny-rota.json").read_text())
KILLS = int(os.environ.get("ROTA_FAULT_KILLS", "2"))  # bench/README: ROTA_FAULT_KILLS=6 ... -s
WRITES_BETWEEN_KILLS = 6
PUBLISHERS, OVERRIDERS = 3, 2


class Writers:
    """Clients that write until told to stop, recording what the server acknowledged."""

    def __init__(self, server: RotaServer, token: str) -> None:
        self.server = server
        self.headers = {"Authorization": f"Bearer {token}"}
        self.published: dict[int, str] = {}  # version -> the marker of the upload acknowledged
        self.overrides: set[str] = set()
        self.acknowledged = threading.Condition()
        self.stop = threading.Event()
        self.up = threading.Event()  # cleared by a failed request, set when the server is back
        self.threads = [threading.Thread(target=self._publish, args=(i,))
                        for i in range(PUBLISHERS)]
        self.threads += [threading.Thread(target=self._override, args=(i,))
                         for i in range(OVERRIDERS)]

    def count(self) -> int:
        return len(self.published) + len(self.overrides)

    def _publish(self, writer: int) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            marker = f"w{writer}-{n}"
            body = {**ROTA, "solver": {"status": marker}}
            answer = self._send("PUT", "/v1/teams/tiny/rota", body)
            if answer is not None:
                self._record(lambda a=answer, m=marker: self.published.__setitem__(a["version"], m))

    def _override(self, writer: int) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            body = {"engineer": "chen", "start": f"2026-12-0{8 + writer}T{n % 24:02d}:00:00Z",
                    "end": f"2026-12-0{8 + writer}T{n % 24:02d}:30:00Z", "reason": f"o{writer}-{n}"}
            answer = self._send("POST", "/v1/teams/tiny/overrides", body)
            if answer is not None:
                self._record(lambda a=answer: self.overrides.add(a["override"]["id"]))

    def _send(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any] | None:
        try:
            got = httpx.request(method, self.server.url + path, json=body, headers=self.headers,
                                timeout=10)
        except httpx.HTTPError:  # the server is down or died mid-request: not acknowledged
            self.up.clear()
            self.up.wait(timeout=60)  # no spinning against a dead port while it restarts
            return None
        if got.status_code == 201:
            answer: dict[str, Any] = got.json()
            return answer
        assert got.status_code < 500, got.text
        return None

    def _record(self, store: Any) -> None:
        with self.acknowledged:
            store()
            self.acknowledged.notify_all()

    def wait_for(self, total: int) -> None:
        with self.acknowledged:
            assert self.acknowledged.wait_for(lambda: self.count() >= total, timeout=60), \
                "the writers stopped getting answers"


@pytest.fixture
def store_url(database_url: str) -> str:
    store = Store.open(database_url)
    store.teams.put_scenario(load_scenario(TINY / "tiny-team.yaml"))
    store.teams.publish(parse_rota(ROTA), "first")
    store.close()
    return database_url


def _token(database_url: str) -> str:
    store = Store.open(database_url)
    secret = store.tokens.create("plan", ["tiny"], label="fault-test")[0]
    store.close()
    return secret


def test_acknowledged_writes_survive_sigkill(store_url: str) -> None:
    server = RotaServer(store_url)
    writers = Writers(server, _token(store_url))
    server.start()
    try:
        for thread in writers.threads:
            thread.start()
        writers.up.set()
        for kill in range(1, KILLS + 1):
            writers.wait_for(kill * WRITES_BETWEEN_KILLS)
            server.kill()
            server.start()
            writers.up.set()
        writers.wait_for((KILLS + 1) * WRITES_BETWEEN_KILLS)
    finally:
        writers.stop.set()
        writers.up.set()
        for thread in writers.threads:
            thread.join(timeout=30)
        server.kill()
    assert server.tracebacks() == []
    store = Store.open(store_url)
    try:
        versions = [v.version for v in store.teams.versions("tiny")]
        assert versions == list(range(1, len(versions) + 1))
        for version, marker in writers.published.items():
            rota = store.teams.rota("tiny", version)
            assert rota.solver is not None and rota.solver.status == marker
            assert rota.to_json()["shifts"] == ROTA["shifts"]
        stored = {o.id for o in store.teams.rota("tiny").overrides}
        assert writers.overrides <= stored
    finally:
        store.close()
    assert len(writers.published) >= PUBLISHERS and len(writers.overrides) >= OVERRIDERS
    print(f"\nSIGKILL x{KILLS} under {PUBLISHERS + OVERRIDERS} writers on "
          f"{store_url.split(':')[0]}: {len(writers.published)} publishes and "
          f"{len(writers.overrides)} overrides acknowledged, none lost; versions 1-{versions[-1]} "
          f"contiguous and whole")
