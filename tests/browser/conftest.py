"""A real HTTP server with the bundled example published, and headless Chromium to look at it.

The server is the API (`rota_api.app.create_app` under uvicorn) over a fresh SQLite store seeded with
`data/example`: the scenario, the hand-drawn rota as version 1 and a read token for the page. The
listening socket is bound before the server thread starts, so the browser's first request simply
waits in the backlog: no polling for readiness. Chromium is Debian's `/usr/bin/chromium`, driven by
Playwright with `executable_path` (never `playwright install`).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from browserkit import CHROMIUM, CHROMIUM_ARGS, EXAMPLE, Served

from rota.rotafile import read_rota_json
from rota.validation import load_scenario


def _listening_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    import uvicorn

    from rota_api.app import create_app
    from rota_api.settings import Settings

    scenario = load_scenario(EXAMPLE / "streaming-sre.yaml")
    rota = read_rota_json(EXAMPLE / "handdrawn-weekly.json", scenario)
    database = tmp_path_factory.mktemp("store") / "rota.db"
    app = create_app(Settings(database_url=f"sqlite:///{database}", token_cache_seconds=0))
    store = app.state.services.store
    store.teams.put_scenario(scenario)
    store.teams.publish(rota, "browser-test")
    secret, _ = store.tokens.create("read", [scenario.team], label="browser-test")
    sock = _listening_socket()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    port = sock.getsockname()[1]
    try:
        yield Served(f"http://127.0.0.1:{port}/v1/teams/{scenario.team}/report"
                     f"?access_token={secret}", scenario, rota)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium "
                    "(apt-get install -y chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
