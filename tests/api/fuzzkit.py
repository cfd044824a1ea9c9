"""Schemathesis against a real server: `rota`'s app under uvicorn on a free port, over a real store.

`served(database_url)` starts the app in a thread (uvicorn on a socket bound to port 0), stores the
tiny team with its rota and an admin token; `fuzz(server, examples)` then sends, for every operation
of `/openapi.json`, up to `examples` generated requests with that token and runs the checks the
contract promises (no 5xx, documented status codes, documented content types, answers matching their
schemas). Path parameters named `team` are the stored team in most requests (the others keep the
generated value, so odd ids reach the store too). `tests/api/test_api_fuzz.py` runs it bounded;
`bench/fuzz.py` runs it longer and prints what it tried.

The vendor compatibility routes (`VENDOR_PREFIXES`) answer errors in the vendors' shapes, which
their routes do not document yet; they are left out until they do (`ours`).
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import schemathesis
import uvicorn
from apikit import ROTA_JSON, SCENARIO_YAML, SLACK_SECRET, FakePlanner
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from rota.rotafile import parse_rota
from rota.validation import parse_scenario_text
from rota_api.app import create_app
from rota_api.settings import Settings

VENDOR_PREFIXES = ("/pagerduty", "/opsgenie")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@dataclass
class Server:
    url: str
    token: str
    team: str = "tiny"


@dataclass
class FuzzResult:
    cases: int = 0
    by_operation: Counter[str] = field(default_factory=Counter)
    by_status: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


@contextmanager
def served(database_url: str, *, planner: Any = None) -> Iterator[Server]:
    settings = Settings(database_url=database_url, max_body_bytes=256 * 1024, plan_max_seconds=5,
                        plan_default_seconds=1, token_cache_seconds=0,
                        slack_signing_secret=SLACK_SECRET)
    app = create_app(settings, planner=planner or FakePlanner())
    store = app.state.services.store
    store.teams.put_scenario(parse_scenario_text(SCENARIO_YAML))
    store.teams.publish(parse_rota(ROTA_JSON), "fuzz")
    token = store.tokens.create("admin", label="fuzz")[0]
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="critical", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield Server(f"http://127.0.0.1:{sock.getsockname()[1]}", token)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def document(server: Server) -> dict[str, Any]:
    with urllib.request.urlopen(f"{server.url}/openapi.json", timeout=10) as answer:
        loaded: dict[str, Any] = json.load(answer)
    return loaded


def ours(server: Server) -> list[str]:
    """"METHOD /path" of every operation of the document but the vendor compatibility routes."""
    return [f"{method.upper()} {path}" for path, ops in document(server)["paths"].items()
            for method in ops if not path.startswith(VENDOR_PREFIXES)]


def fuzz(server: Server, examples: int, *, seed_value: int = 20261207,
         operations: list[str] | None = None) -> FuzzResult:
    """The operations named "METHOD /path" (default: `ours`), up to `examples` requests each."""
    operations = ours(server) if operations is None else operations
    schema = schemathesis.openapi.from_dict(document(server))
    schema.config.update(base_url=server.url)
    result = FuzzResult()
    for found in schema.get_all_operations():
        operation = found.ok()
        label = f"{operation.method.upper()} {operation.path}"
        if label not in operations:
            continue
        _fuzz_operation(server, operation, label, examples, seed_value, result)
    return result


def _fuzz_operation(server: Server, operation: Any, label: str, examples: int, seed_value: int,
                    result: FuzzResult) -> None:
    headers = {"Authorization": f"Bearer {server.token}"}

    @seed(seed_value)
    @settings(max_examples=examples, deadline=None, database=None, derandomize=False,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        if "team" in (case.path_parameters or {}) and result.cases % 4 != 3:
            case.path_parameters["team"] = server.team
        result.cases += 1
        result.by_operation[label] += 1
        try:
            response = case.call(headers=headers, timeout=30)
            result.by_status[response.status_code] += 1
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # every failure is collected, with its case
            result.failures.append(f"{label}: {type(exc).__name__}: {str(exc)[:1500]}\n"
                                   f"  reproduce: {case.as_curl_command(headers=headers)}")

    run()
