"""Schemathesis over every operation of `/openapi.json` (the vendor compatibility routes too, with
their vendors' auth headers), against a real server (uvicorn on a free port) on SQLite and
PostgreSQL, with an admin token: no 5xx, only documented status codes and content types, and every
answer (errors in the vendors' shapes included) matching its documented schema. Then the same
checks over sequences of calls that follow the document's links (queue a plan, read it, publish
it; add an override, delete it; list schedules, read one). Bounded (`EXAMPLES` requests per
operation, `SEQUENCES` sequences of at most `STEPS` calls, fixed seeds); `python bench/fuzz.py` is
the longer run."""

from __future__ import annotations

from fuzzkit import every_operation, fuzz, fuzz_stateful, served

EXAMPLES = 15
SEQUENCES = 20
STEPS = 6


def test_every_operation_keeps_its_contract_under_generated_requests(database_url: str) -> None:
    with served(database_url) as server:
        operations = every_operation(server)
        result = fuzz(server, EXAMPLES)
    assert not result.failures, f"{len(result.failures)} of {result.cases} cases failed:\n" + "\n".join(
        result.failures[:5])
    assert set(result.by_operation) == set(operations)  # every operation was tried
    assert any(o.startswith("GET /pagerduty") for o in operations)
    assert any(o.startswith("GET /opsgenie") for o in operations)
    assert result.by_status[200] and result.by_status[422] and result.by_status[404]
    assert result.by_status[400]  # PagerDuty's status for a bad parameter


def test_sequences_following_links_keep_the_contract(database_url: str) -> None:
    with served(database_url) as server:
        result = fuzz_stateful(server, SEQUENCES, STEPS)
    assert not result.failures, f"{len(result.failures)} of {result.cases} calls failed:\n" + "\n".join(
        result.failures[:5])
    summary = f"{result.sequences} sequences, {result.linked} linked, statuses {dict(result.by_status)}"
    assert result.sequences >= SEQUENCES, summary
    assert result.linked >= SEQUENCES // 2, summary  # calls made with what an earlier answer named
    assert result.by_status[200] and result.by_status[201] + result.by_status[202], summary
