"""The longer schemathesis run: every operation of the API, many generated requests each.

Run: `python bench/fuzz.py [--examples N] [--sequences N] [--steps N] [--database-url URL] [--seed S]`.

Starts the API under uvicorn on a free port over a fresh store (a temporary SQLite file by default;
with `--database-url postgresql+psycopg://...` that database's tables are used, so give it an empty
one), stores the tiny test team with its rota and an admin token, and sends up to N generated
requests per operation with the checks of `tests/api/test_api_fuzz.py` (no 5xx, documented status
codes and content types, answers matching their schemas), then runs the stateful tests: sequences of
calls following the document's links (`rota_api.links`), the same checks on every answer. Prints
the cases tried per operation and per status, the sequences and the calls a link filled in, and
every failure with a curl line to reproduce it; exits 1 when something failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "api")]

from fuzzkit import FuzzResult, fuzz, fuzz_stateful, served  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=200, help="requests per operation")
    parser.add_argument("--sequences", type=int, default=300, help="stateful sequences")
    parser.add_argument("--steps", type=int, default=10, help="calls per sequence at most")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/fuzz.db"
        started = time.perf_counter()
        with served(url) as server:
            result = fuzz(server, args.examples, seed_value=args.seed)
            middle = time.perf_counter()
            stateful = fuzz_stateful(server, args.sequences, args.steps, seed_value=args.seed)
        ended = time.perf_counter()
    store = url.split(":")[0]
    print(f"store: {store}; {result.cases} cases in {middle - started:.1f} s, "
          f"{len(result.by_operation)} operations, up to {args.examples} each")
    _print(result)
    print(f"stateful: {stateful.cases} calls in {stateful.sequences} sequences of at most "
          f"{args.steps} in {ended - middle:.1f} s; {stateful.linked} calls filled in by a link, "
          f"{len(stateful.by_operation)} operations reached, {stateful.restarts} restarts")
    _print(stateful)
    return 1 if result.failures or stateful.failures else 0


def _print(result: FuzzResult) -> None:
    for operation, count in sorted(result.by_operation.items()):
        print(f"  {count:6d}  {operation}")
    print("statuses: " + ", ".join(f"{status}: {count}" for status, count in sorted(result.by_status.items())))
    print(f"failures: {len(result.failures)}")
    for failure in result.failures:
        print(failure)


if __name__ == "__main__":
    sys.exit(main())
