"""Schemathesis over every operation of `/openapi.json` (the vendor compatibility routes too, with
their vendors' auth headers), against a real server (uvicorn on a free port) on SQLite and
PostgreSQL, with an admin token: no 5xx, only documented status codes and content types, and every
answer (errors in the vendors' shapes included) matching its documented schema. Bounded (`EXAMPLES` requests per
operation, a fixed seed); `python bench/fuzz.py` is the longer run."""

from __future__ import annotations

from fuzzkit import every_operation, fuzz, served

EXAMPLES = 15


def test_every_operation_keeps_its_contract_under_generated_requests(database_url: str) -> None:
    with served(database_url) as server:
        operations = every_operation(server)
        result = fuzz(server, EXAMPLES)
    assert not result.failures, f"{len(result.failures)} of {result.cases} cases failed:\n" + "\n".join(
        result.failures[:5])
    assert set(result.by_operation) == set(operations)  # every operation was tried
    assert result.by_status[200] and result.by_status[422] and result.by_status[404]
