"""A real `rota serve` process for fault tests: started on a free port, ready when uvicorn says so,
killed with SIGKILL (no shutdown of any kind) and started again on the same store."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

READY = "Application startup complete"
START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class RotaServer:
    """`rota serve` over `database_url`, on one port for its whole life (restarts included)."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.port = free_port()
        self.process: subprocess.Popen[str] | None = None
        self.reader: threading.Thread | None = None
        self.log: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        rota = Path(sys.executable).parent / "rota"
        env = {**os.environ, "ROTA_DATABASE_URL": self.database_url,
               "ROTA_TOKEN_CACHE_SECONDS": "5"}
        self.process = subprocess.Popen([str(rota), "serve", "--port", str(self.port)], env=env,
                                        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                        text=True)
        ready = threading.Event()
        self.reader = threading.Thread(target=self._read_log, args=(self.process, ready),
                                       daemon=True)
        self.reader.start()
        if not ready.wait(START_SECONDS):
            self.kill()
            raise RuntimeError("rota serve did not start:\n" + "".join(self.log[-30:]))

    def _read_log(self, process: subprocess.Popen[str], ready: threading.Event) -> None:
        assert process.stderr is not None
        for line in process.stderr:
            self.log.append(line)
            if READY in line:
                ready.set()
        ready.set()  # it ended: wake the waiter, which finds no server

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to finish, flush or close anything."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        if self.reader is not None:
            self.reader.join(timeout=30)
        if self.process.stderr is not None:
            self.process.stderr.close()
        self.process = None

    def tracebacks(self) -> list[str]:
        return [line for line in self.log if "Traceback" in line]
