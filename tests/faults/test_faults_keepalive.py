"""After an unexpected error (a 500) the server keeps the keep-alive connection: the next request
on the same socket is answered. And the traceback is logged once, by the app, with no request data
beyond the method and path."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from rota_api.app import create_app
from rota_api.settings import Settings


def _read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    while len(body) < int(headers.get("content-length", "0")):
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection mid-body"
        body += chunk
    return int(lines[0].split()[1]), headers, body


@pytest.fixture
def served(tmp_path: Path) -> Iterator[int]:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'store.db'}"))

    def boom() -> None:
        raise RuntimeError("a bug with secret internals")

    app.add_api_route("/boom", boom)
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen(16)  # connections wait in the backlog until uvicorn accepts them
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    try:
        yield listening.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listening.close()


def test_a_500_keeps_the_connection_and_logs_one_traceback(
        served: int, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR), socket.create_connection(("127.0.0.1", served)) as sock:
        sock.sendall(b"GET /boom HTTP/1.1\r\nHost: x\r\n\r\n")
        status, headers, body = _read_response(sock)
        assert status == 500 and headers["content-type"] == "application/problem+json"
        assert b"secret" not in body and headers.get("connection") != "close"
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert _read_response(sock)[0] == 200
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert len(tracebacks) == 1 and tracebacks[0].getMessage() == "unexpected error on GET /boom"
