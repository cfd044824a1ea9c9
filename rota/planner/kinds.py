"""The burdens the fairness steps balance, and the unsocial range the steps after the stage keep.

`KINDS` are `Candidate` fields (minutes), `HISTORY_KINDS` the same burdens as `rota.history`
names them, in the same order. The *unsocial* ones (night, weekend and public-holiday minutes in
the engineer's local time) are what the fairness stage (`fairstage.py`) balances across periods,
carried in plus planned, per 40 h of weekly capacity.

Given history, the steps after the stage (fairness neighbourhoods, burden moves, twin swaps) keep
every engineer's unsocial burden inside the range it had when they began (`UnsocialRange`): they
weigh all five kinds, and without the range their moves undid part of the stage. On the months
benchmark (`bench/months.py fairness --time-limit 300`), before the range, the stage left March at
a spread of 111 hours per 40 h and the plan ended at 129 (February: 139 and 151); with it (and
burden moves counting history per 40 h, as the range needs), the six-month spread is 204.5
against 241 (README, Performance).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

KINDS = ("on_call_min", "asleep_min", "night_min", "weekend_min", "holiday_min")
HISTORY_KINDS = ("on_call", "asleep", "night", "weekend", "public_holiday")
UNSOCIAL = ("night_min", "weekend_min", "holiday_min")
UNSOCIAL_AT = [KINDS.index(kind) for kind in UNSOCIAL]
EPS = 1e-6


def unsocial(row: Sequence[float]) -> float:
    """An engineer's unsocial burden from their row of `KINDS`."""
    return float(sum(row[k] for k in UNSOCIAL_AT))


@dataclass(frozen=True)
class UnsocialRange:
    """The least and most unsocial burden any engineer carries (rows of `KINDS`, same units)."""

    least: float
    most: float

    @classmethod
    def of(cls, load: Sequence[Sequence[float]]) -> UnsocialRange:
        values = [unsocial(row) for row in load] or [0.0]
        return cls(min(values), max(values))

    def holds(self, value: float) -> bool:
        return self.least - EPS <= value <= self.most + EPS

    def holds_all(self, load: Sequence[Sequence[float]]) -> bool:
        return all(self.holds(unsocial(row)) for row in load)
