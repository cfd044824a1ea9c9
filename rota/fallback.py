"""Who could answer at an instant, by speed: the ranking behind `now`'s fallback list.

Asking each group serving a region for its band at one instant costs a binary search per group,
tens per query. But the bands of all groups change only at a few instants (band edges and local
public holidays), and between two such instants the whole picture is one of few recurring
*patterns* (a weekday evening looks like every other weekday evening). So the index keeps, per
region, the sorted change points and each segment's pattern id; a query is one bisect and one
dictionary look-up, and each pattern's ranking is computed once per target and reused.
"""

from __future__ import annotations

import bisect

import numpy as np

from rota.scenario import BANDS, Band, Engineer
from rota.spans import Instant
from rota.team import Group

Ranked = tuple[tuple[int, str, Band], ...]  # (response minutes, engineer id, band), fastest first
_HOLIDAY = len(BANDS)  # code offset marking "on a local public holiday"


class FallbackIndex:
    def __init__(self, serving: list[tuple[Group, list[Engineer]]], allow_holidays: bool,
                 lo: Instant, hi: Instant) -> None:
        self._groups = [g for g, _ in serving]
        self._members = [sorted(e.id for e in ms) for _, ms in serving]
        self._allow_holidays = allow_holidays
        edges = [np.asarray([lo], dtype=np.int64)]
        for group in self._groups:
            edges.append(np.asarray(group.profile.starts, dtype=np.int64))
            edges.append(np.asarray([x for span in group.profile.holidays for x in span], dtype=np.int64))
        points = np.unique(np.concatenate(edges))
        points = points[(points >= lo) & (points < hi)]
        codes = np.stack([_codes(g, points) for g in self._groups]) if self._groups else np.zeros((0, len(points)))
        rows = np.ascontiguousarray(codes.T.astype(np.int8))
        keys = rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel()
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        self._points: list[Instant] = points.tolist()
        self._pattern: list[int] = inverse.ravel().tolist()
        self._pattern_codes = [rows[i] for i in first.tolist()]
        self._ranked: dict[tuple[int, int], Ranked] = {}

    def ranked(self, ts: Instant, target_minutes: int) -> Ranked:
        """Everyone serving the region who would answer within the target at `ts`, leave aside."""
        i = bisect.bisect_right(self._points, ts) - 1
        if i < 0:
            return ()
        key = (self._pattern[i], target_minutes)
        if key not in self._ranked:
            self._ranked[key] = self._rank(self._pattern_codes[key[0]], target_minutes)
        return self._ranked[key]

    def _rank(self, codes: np.ndarray, target_minutes: int) -> Ranked:
        out = []
        for group, members, code in zip(self._groups, self._members, codes.tolist(), strict=True):
            if code >= _HOLIDAY and not self._allow_holidays:
                continue
            band = BANDS[code % _HOLIDAY]
            minutes = group.response[band]
            if minutes <= target_minutes:
                out += [(minutes, engineer, band) for engineer in members]
        return tuple(sorted(out))


def _codes(group: Group, points: np.ndarray) -> np.ndarray:
    """The group's band index at each point, plus _HOLIDAY on its local public holidays."""
    starts = np.asarray(group.profile.starts, dtype=np.int64)
    bands = np.asarray([BANDS.index(b) for b in group.profile.bands], dtype=np.int64)
    code = bands[np.maximum(np.searchsorted(starts, points, side="right") - 1, 0)]
    edges = np.asarray([x for span in group.profile.holidays for x in span], dtype=np.int64)
    if len(edges):
        code = code + _HOLIDAY * (np.searchsorted(edges, points, side="right") % 2)
    return code
