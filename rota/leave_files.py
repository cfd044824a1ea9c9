"""Reading a leave file of either kind, and what the imported leave does to a rota's gaps."""

from __future__ import annotations

from typing import Any, Literal

from rota.errors import FieldError, InvalidInput
from rota.gapchange import gap_changes
from rota.leave import LeaveFile, LeaveImport, apply_leave
from rota.limits import MAX_ROTA_BYTES
from rota.rotafile import Rota
from rota.scenario import Scenario
from rota.spans import from_ts

LeaveKind = Literal["ics", "csv"]
MARGIN = 12 * 3600


def read_leave(text: str, kind: LeaveKind, scenario: Scenario) -> LeaveFile:
    if len(text) > MAX_ROTA_BYTES:
        raise InvalidInput([FieldError(kind, f"larger than {MAX_ROTA_BYTES} bytes")], "leave file")
    if kind == "ics":
        from rota.leave_ics import read_leave_ics

        return read_leave_ics(text, scenario)
    from rota.leave_csv import read_leave_csv

    return read_leave_csv(text, scenario)


def import_leave(text: str, kind: LeaveKind, scenario: Scenario, strict: bool = False) -> LeaveImport:
    """The scenario with the file's leave merged; `strict` refuses a file with unmatched events."""
    found = read_leave(text, kind, scenario)
    if strict and found.unmatched:
        raise InvalidInput([FieldError(u.where, f"{u.text!r} {u.reason}") for u in found.unmatched],
                           "leave file")
    return apply_leave(scenario, found)


def leave_gap_changes(result: LeaveImport, rota: Rota | None) -> dict[str, list[dict[str, Any]]]:
    """The gaps the new leave opens (and the removed leave closes) in `rota`, inside the horizon."""
    spans = result.changed_spans()
    if rota is None or not spans:
        return {"opens": [], "closes": []}
    start = result.scenario.horizon.start_at
    end = result.scenario.horizon.end_at
    lo = max(from_ts(spans[0][0] - MARGIN), start)
    hi = min(from_ts(spans[-1][1] + MARGIN), end)
    if hi <= lo:
        return {"opens": [], "closes": []}
    opens, closes = gap_changes((result.before, rota), (result.scenario, rota), lo, hi)
    return {"opens": opens, "closes": closes}
