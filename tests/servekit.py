"""A served team for the compatibility API and metrics tests: the `follow` team stored with its
rota and tokens, an app over it, and a real uvicorn server over TLS (a throwaway self-signed
certificate for IP:127.0.0.1) with the options `rota serve --ssl-keyfile/--ssl-certfile` gives
uvicorn, because PagerDuty's client refuses plain HTTP. Conftests import the fixtures from here."""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from rota.cli.service import UVICORN_OPTIONS, tls_options
from rota.rotafile import parse_rota
from rota.store import Store
from rota.validation import parse_scenario_text
from rota_api.app import create_app
from rota_api.settings import Settings

HERE = Path(__file__).parent / "compat"
SCENARIO = parse_scenario_text((HERE / "follow-team.yaml").read_text())
ROTA = parse_rota(json.loads((HERE / "follow-rota.json").read_text()))


@dataclass
class Stored:
    url: str
    read: str
    plan: str
    other_team: str


@pytest.fixture
def stored(database_url: str) -> Stored:
    store = Store.open(database_url)
    try:
        store.teams.put_scenario(SCENARIO)
        store.teams.publish(ROTA, "test")
        return Stored(database_url, store.tokens.create("read")[0], store.tokens.create("plan")[0],
                      store.tokens.create("read", ["other"])[0])
    finally:
        store.close()


@pytest.fixture
def client(stored: Stored) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=stored.url, token_cache_seconds=0))) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    where = tmp_path_factory.mktemp("tls")
    key, cert = where / "key.pem", where / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return key, cert


@dataclass
class Server:
    base_url: str
    verify: ssl.SSLContext


@pytest.fixture
def tls_server(stored: Stored, certificate: tuple[Path, Path]) -> Iterator[Server]:
    """The app served over HTTPS on a free port; the socket listens before the thread starts,
    so a client's first connection waits in the backlog instead of racing the start-up."""
    key, cert = certificate
    app = create_app(Settings(database_url=stored.url))
    config = uvicorn.Config(app, **{**UVICORN_OPTIONS, "log_level": "warning"}, **tls_options(key, cert))
    server = uvicorn.Server(config)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield Server(f"https://127.0.0.1:{sock.getsockname()[1]}",
                     ssl.create_default_context(cafile=str(cert)))
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
