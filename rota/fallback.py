"""Who could answer at an instant, by speed: the ranking behind `now`'s fallback list.

Asking each group serving a region for its band at one instant costs a binary search per group,
tens per query. But the bands of all groups change only at a few instants (band edges and local
public holidays), and between two such instants the whole picture is one of few recurring
*patterns* (a weekday evening looks like every other weekday evening). So the index keeps, per
region, the sorted change points and each segment's pattern id; a query is one bisect and one
look-up of that pattern's groups, ranked once for all patterns with one vectorised sort.

The ranking puts every group serving the region in order, so a bot always has someone to wake:
fastest first by response minutes, the asleep after everyone awake, and (unless the rules allow
holiday work) those on a local public holiday after all others.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

import numpy as np

from rota.scenario import BANDS, Band, Engineer
from rota.spans import Instant
from rota.team import Group

_HOLIDAY = len(BANDS)  # code offset marking "on a local public holiday"
_ASLEEP = BANDS.index("asleep")
_LATER = 1 << 20  # rank offset of the asleep (response minutes are far below it)
_LAST = 1 << 30  # rank offset of those on a public holiday the rules keep free


class FallbackIndex:
    """Per region: change points, the pattern of group bands in each segment, and per pattern
    the groups ordered fastest first (ties in scenario order)."""

    def __init__(self, serving: list[tuple[Group, list[Engineer]]], allow_holidays: bool,
                 lo: Instant, hi: Instant) -> None:
        groups = [g for g, _ in serving]
        self._members = [tuple(e.id for e in ms) for _, ms in serving]
        edges = [np.asarray([lo], dtype=np.int64)]
        for group in groups:
            edges.append(np.asarray(group.profile.starts, dtype=np.int64))
            edges.append(np.asarray([x for span in group.profile.holidays for x in span], dtype=np.int64))
        points = np.unique(np.concatenate(edges))
        points = points[(points >= lo) & (points < hi)]
        codes = np.stack([_codes(g, points) for g in groups]) if groups else np.zeros((0, len(points)))
        rows = np.ascontiguousarray(codes.T.astype(np.int8))
        keys = rows.view(np.dtype((np.void, max(rows.shape[1], 1)))).ravel() if groups else np.zeros(len(points))
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        patterns = rows[first]  # pattern x group band codes
        response = np.asarray([[g.response[b] for b in BANDS] for g in groups], dtype=np.int64)
        self._bands = patterns % _HOLIDAY
        holiday = patterns >= _HOLIDAY
        minutes = response[np.arange(len(groups)), self._bands] if groups else np.zeros((len(first), 0))
        rank = minutes + np.where(self._bands == _ASLEEP, _LATER, 0)
        if not allow_holidays:
            rank = rank + np.where(holiday, _LAST, 0)
        order = np.argsort(rank, axis=1, kind="stable")
        self._order = order
        self._sorted_minutes = np.take_along_axis(minutes, order, axis=1).astype(np.int64)
        self._sorted_bands = np.take_along_axis(self._bands, order, axis=1)
        self._sorted_holiday = np.take_along_axis(holiday, order, axis=1)
        self._points: list[Instant] = points.tolist()
        self._pattern: list[int] = inverse.ravel().tolist()

    def ranked(self, ts: Instant) -> Iterator[tuple[int, Band, bool, tuple[str, ...]]]:
        """Every group serving the region at `ts` in rank order, each as (response minutes, band,
        on a local public holiday, members); leave and who is on call are the caller's to check."""
        i = bisect.bisect_right(self._points, ts) - 1
        if i < 0:
            return
        p = self._pattern[i]
        minutes = self._sorted_minutes[p].tolist()
        holiday = self._sorted_holiday[p].tolist()
        for k, group in enumerate(self._order[p].tolist()):
            yield minutes[k], BANDS[int(self._sorted_bands[p, k])], bool(holiday[k]), self._members[group]


def _codes(group: Group, points: np.ndarray) -> np.ndarray:
    """The group's band index at each point, plus _HOLIDAY on its local public holidays."""
    starts = np.asarray(group.profile.starts, dtype=np.int64)
    bands = np.asarray([BANDS.index(b) for b in group.profile.bands], dtype=np.int64)
    code = bands[np.maximum(np.searchsorted(starts, points, side="right") - 1, 0)]
    edges = np.asarray([x for span in group.profile.holidays for x in span], dtype=np.int64)
    if len(edges):
        code = code + _HOLIDAY * (np.searchsorted(edges, points, side="right") % 2)
    return code
