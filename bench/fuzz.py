"""The longer schemathesis run: every operation of the API, many generated requests each.

Run: `python bench/fuzz.py [--examples N] [--database-url URL] [--seed S]`.

Starts the API under uvicorn on a free port over a fresh store (a temporary SQLite file by default;
with `--database-url postgresql+psycopg://...` that database's tables are used, so give it an empty
one), stores the tiny test team with its rota and an admin token, and sends up to N generated
requests per operation with the checks of `tests/api/test_api_fuzz.py` (no 5xx, documented status
codes and content types, answers matching their schemas). Prints the cases tried per operation and
per status, and every failure with a curl line to reproduce it; exits 1 when something failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "api")]

from fuzzkit import fuzz, served  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=200, help="requests per operation")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/fuzz.db"
        started = time.perf_counter()
        with served(url) as server:
            result = fuzz(server, args.examples, seed_value=args.seed)
        seconds = time.perf_counter() - started
    print(f"store: {url.split(':')[0]}; {result.cases} cases in {seconds:.1f} s, "
          f"{len(result.by_operation)} operations, up to {args.examples} each")
    for operation, count in sorted(result.by_operation.items()):
        print(f"  {count:6d}  {operation}")
    print("statuses: " + ", ".join(f"{status}: {count}" for status, count in sorted(result.by_status.items())))
    print(f"failures: {len(result.failures)}")
    for failure in result.failures:
        print(failure)
    return 1 if result.failures else 0


if __name__ == "__main__":
    sys.exit(main())
