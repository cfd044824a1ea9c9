"""Schemathesis against a real server: `rota`'s app under uvicorn on a free port, over a real store.

`served(database_url)` starts the app in a thread (uvicorn on a socket bound to port 0), stores the
tiny team with its rota and an admin token; `fuzz(server, examples)` then sends, for every operation
of `/openapi.json`, up to `examples` generated requests with that token and runs the checks the
contract promises (no 5xx, documented status codes, documented content types, answers matching their
schemas). Path parameters named `team` are the stored team in most requests (the others keep the
generated value, so odd ids reach the store too). The vendor compatibility routes are sent the
token the way the vendor's clients send it (`Token token=...` to `/pagerduty`, `GenieKey ...` to
`/opsgenie`); most of their requests name the stored team's schedules and users (`VENDOR_IDS`), and
half of their instants fall in its horizon, where someone is on call. `tests/api/test_api_fuzz.py`
runs it bounded; `bench/fuzz.py` runs it longer and prints what it tried.
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
from hypothesis.errors import Flaky
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

AUTHORIZATION = {"/pagerduty": "Token token={}", "/opsgenie": "GenieKey {}", "": "Bearer {}"}
# vendor path parameters -> ids of the stored team's objects (`tiny-team.yaml`)
VENDOR_IDS = {"schedule_id": ("tiny.eu", "tiny.us"), "policy_id": ("tiny.eu", "tiny.us"),
              "user_id": ("tiny.ana", "tiny.bo", "tiny.chen"), "identifier": ("tiny.eu", "tiny.us")}
IN_HORIZON = ("2026-12-07T19:30:00Z", "2026-12-08T03:15:00+01:00", "2026-12-09T23:59:59Z",
              "2026-12-13T12:00:00-05:00")
INSTANTS = ("since", "until", "date")
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
    sequences: int = 0  # stateful runs: sequences tried
    linked: int = 0  # stateful runs: calls whose parameters a link filled in
    restarts: int = 0  # stateful runs: fresh starts after Hypothesis found the server's state moved


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


def every_operation(server: Server) -> list[str]:
    """"METHOD /path" of every operation of the document."""
    return [f"{method.upper()} {path}" for path, ops in document(server)["paths"].items()
            for method in ops]


def authorization(path: str, token: str) -> str:
    prefix = next(p for p in AUTHORIZATION if path.startswith(p))
    return AUTHORIZATION[prefix].format(token)


def fuzz(server: Server, examples: int, *, seed_value: int = 20261207,
         operations: list[str] | None = None) -> FuzzResult:
    """The operations named "METHOD /path" (default: every one), up to `examples` requests each."""
    operations = every_operation(server) if operations is None else operations
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
    headers = {"Authorization": authorization(operation.path, server.token)}

    @seed(seed_value)
    @settings(max_examples=examples, deadline=None, database=None, derandomize=False,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        steer(server, case, result.cases)
        result.cases += 1
        result.by_operation[label] += 1
        _call_and_check(case, label, headers, result)

    run()


def _call_and_check(case: Any, label: str, headers: dict[str, str], result: FuzzResult) -> Any:
    """The response (None when the call itself failed); every failure collected, with its case."""
    reproduce = f"  reproduce: {case.as_curl_command(headers=headers)}"
    try:
        response = case.call(headers=headers, timeout=30)
    except Exception as exc:
        result.failures.append(f"{label}: {type(exc).__name__}: {str(exc)[:1500]}\n{reproduce}")
        return None
    result.by_status[response.status_code] += 1
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except (Exception, BaseExceptionGroup) as exc:
        result.failures.append(f"{label}: {type(exc).__name__}: {str(exc)[:1500]}\n{reproduce}")
    return response


def fuzz_stateful(server: Server, sequences: int, steps: int, *,
                  seed_value: int = 20261207) -> FuzzResult:
    """Schemathesis' stateful tests: up to `sequences` sequences of up to `steps` calls, each call
    after the first following one of the document's links from the answer before (`rota_api.links`)
    when it can; the same checks on every answer. Requests are valid ones ("positive" mode: the
    stateless run sends the invalid ones), so sequences get deep. `linked` counts the calls a link
    filled in."""
    schema = schemathesis.openapi.from_dict(document(server))
    schema.config.update(base_url=server.url)
    result = FuzzResult()
    schema.config.generation.update(modes=["positive"])
    base = schema.as_state_machine()

    class Machine(base):  # type: ignore[misc, valid-type]
        def step(self, input: Any) -> Any:
            if input.transition is not None and input.is_applied:
                result.linked += 1
            steer(server, input.case, result.cases, linked=input.transition is not None)
            return super().step(input)

        def call(self, case: Any, **kwargs: Any) -> Any:
            label = f"{case.operation.method.upper()} {case.operation.path}"
            result.cases += 1
            result.by_operation[label] += 1
            headers = {"Authorization": authorization(case.operation.path, server.token)}
            response = _call_and_check(case, label, headers, result)
            if response is None:
                raise CallFailed(label)  # collected already; the sequence cannot go on
            return response

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None,
                              **kwargs: Any) -> None:
            pass  # checked in `call`, failures collected rather than raised

        def teardown(self) -> None:
            result.sequences += 1

    # The server's state changes as sequences run, so Hypothesis may find that the same choices
    # led elsewhere the second time (`Flaky`): as schemathesis' own runner does, go on from a new
    # seed with the sequences left.
    for attempt in range(sequences):
        if result.sequences >= sequences:
            break
        seed(seed_value + attempt)(Machine)
        try:
            Machine.run(settings=settings(
                max_examples=sequences - result.sequences, stateful_step_count=steps,
                deadline=None, database=None, phases=[Phase.generate],
                suppress_health_check=list(HealthCheck)))
            break
        except Flaky:
            result.restarts += 1
        except CallFailed:
            break  # its failure is in `result.failures`
        except (Exception, BaseExceptionGroup) as exc:  # the run itself broke: a failure too
            result.failures.append(f"stateful run: {type(exc).__name__}: {str(exc)[:3000]}")
            break
    return result


class CallFailed(Exception):
    """A call that got no answer at all (the connection failed)."""


def steer(server: Server, case: Any, count: int, *, linked: bool = False) -> None:
    """Most requests name the stored team, its schedules and users (a link's values are kept);
    half of the instants fall in its horizon, and half of the overrides are of its engineers."""
    if count % 4 != 3 and not linked:
        _known_ids(server, case)
    if count % 2 == 0:
        _in_horizon(case, count)
        _known_override(case, count)


def _known_ids(server: Server, case: Any) -> None:
    """Path parameters naming the stored team and its schedules and users."""
    found = case.path_parameters or {}
    if "team" in found:
        found["team"] = server.team
    for name, ids in VENDOR_IDS.items():
        if name in found:
            chosen = ids[len(str(found[name])) % len(ids)]
            by_name = (case.query or {}).get("scheduleIdentifierType") == "name"
            found[name] = chosen.replace(".", "_") if name == "identifier" and by_name else chosen


def _in_horizon(case: Any, count: int) -> None:
    """Instants of the query moved into the stored rota's horizon (in order, so `since <= until`)."""
    query = case.query or {}
    for offset, name in enumerate(n for n in INSTANTS if n in query):
        query[name] = IN_HORIZON[(count // 2 + offset) % len(IN_HORIZON)]


def _known_override(case: Any, count: int) -> None:
    """An override body for the stored team's engineers, in its horizon."""
    body = case.body
    if case.operation.path.endswith("/overrides") and isinstance(body, dict):
        start = IN_HORIZON[(count // 2) % 3]
        body |= {"engineer": "chen", "replaces": ("bo", "ana", None)[count % 3], "start": start,
                 "end": IN_HORIZON[(count // 2) % 3 + 1]}
