"""Vectorised span arithmetic over NumPy arrays, for sweeps over many change points.

`SpanSet` holds sorted, disjoint half-open spans of epoch seconds and answers "is each of these
instants inside?" and "how many seconds of the set lie before each instant?" in O(log n) per
instant. `StepCount` counts how many of a bag of (possibly overlapping) spans contain each instant.
Both never tick minute by minute.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from rota.spans import Span

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


class SpanSet:
    __slots__ = ("starts", "ends", "_before")

    def __init__(self, spans: Sequence[Span]) -> None:
        """`spans` must be merged (sorted, disjoint)."""
        arr = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
        self.starts: Ints = arr[:, 0].copy()
        self.ends: Ints = arr[:, 1].copy()
        lengths = self.ends - self.starts
        self._before: Ints = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)

    def __len__(self) -> int:
        return len(self.starts)

    def contains(self, points: Ints) -> Bools:
        if not len(self.starts):
            return np.zeros(len(points), dtype=bool)
        idx = np.searchsorted(self.starts, points, side="right") - 1
        safe = np.maximum(idx, 0)
        return (idx >= 0) & (points < self.ends[safe])

    def measure_before(self, points: Ints) -> Ints:
        """Seconds of the set that lie before each point."""
        if not len(self.starts):
            return np.zeros(len(points), dtype=np.int64)
        idx = np.searchsorted(self.starts, points, side="right") - 1
        safe = np.maximum(idx, 0)
        inside = np.clip(points - self.starts[safe], 0, self.ends[safe] - self.starts[safe])
        return np.where(idx >= 0, self._before[safe] + inside, 0)

    def overlap(self, spans: Sequence[Span]) -> int:
        """Seconds shared with merged `spans`."""
        if not spans or not len(self.starts):
            return 0
        arr = np.asarray(spans, dtype=np.int64)
        return int((self.measure_before(arr[:, 1]) - self.measure_before(arr[:, 0])).sum())


class StepCount:
    """How many spans of a bag contain each instant."""

    __slots__ = ("starts", "ends")

    def __init__(self, spans: Sequence[Span]) -> None:
        arr = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
        self.starts: Ints = np.sort(arr[:, 0])
        self.ends: Ints = np.sort(arr[:, 1])

    def at(self, points: Ints) -> Ints:
        return (
            np.searchsorted(self.starts, points, side="right")
            - np.searchsorted(self.ends, points, side="right")
        ).astype(np.int64)

    def edges(self) -> Ints:
        return np.concatenate((self.starts, self.ends))
