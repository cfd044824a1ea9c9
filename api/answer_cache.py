"""Serialised answers kept with the span of instants over which they hold (`now`, PagerDuty's
`/oncalls`).

`now` is a function of the team's state, the region, the severity and the instant in whole
seconds, so its answer is kept for the second it was asked in: at 200 requests a second, one is
computed. A bot asking PagerDuty's `/oncalls` "who is on call now" every few seconds gets the same bytes
until something it depends on changes: the team's state (its revision is in the key, so a publish
or an override makes a new key) or the clock crossing an instant at which the on-call entries or
their order change (`EntryIndex.steady`). An answer is stored with that span [lo, hi) and served
for a request whose instant falls inside it; outside it the answer is computed again.

Bounded by bytes (least recently used dropped first), so large `include[]` answers cannot grow the
process. Used from the event loop only (no lock).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from rota.spans import Instant

MAX_BYTES = 16 * 1024 * 1024


class AnswerCache:
    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._answers: OrderedDict[Hashable, tuple[Instant | None, Instant | None, bytes]] = OrderedDict()
        self._bytes = 0

    def get(self, key: Hashable, ts: Instant) -> bytes | None:
        """The answer stored under `key` when it holds at `ts`, else None."""
        found = self._answers.get(key)
        if found is None:
            return None
        lo, hi, body = found
        if (lo is not None and ts < lo) or (hi is not None and ts >= hi):
            return None
        self._answers.move_to_end(key)
        return body

    def put(self, key: Hashable, lo: Instant | None, hi: Instant | None, body: bytes) -> None:
        """Keep `body` as the answer for `key` at every instant of [lo, hi) (None: unbounded)."""
        if len(body) > self.max_bytes // 8:
            return
        old = self._answers.pop(key, None)
        if old is not None:
            self._bytes -= len(old[2])
        self._answers[key] = (lo, hi, body)
        self._bytes += len(body)
        while self._bytes > self.max_bytes:
            _, (_, _, dropped) = self._answers.popitem(last=False)
            self._bytes -= len(dropped)

    def __len__(self) -> int:
        return len(self._answers)
