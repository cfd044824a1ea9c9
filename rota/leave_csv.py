"""Leave from a spreadsheet: CSV with a header `engineer,start,end` and optional `reason`, `uid`.

- `engineer` is an id, name or e-mail (as `rota.imports.matching` matches them); a row naming no
  engineer (or several) is reported as unmatched with its line.
- `start` and `end` are both local dates (`2026-12-24`, end exclusive, in the engineer's zone) or
  both date-times; a date-time without an offset is read in the engineer's zone.
- `uid` keys the row for re-imports; without one the key is `csv:ENGINEER:START:END`, so the
  same row imported twice changes nothing.
- Malformed rows (bad dates, end not after start, missing cells) make the file invalid, every one
  listed by line, and nothing is stored.
"""

from __future__ import annotations

import csv
import datetime as dt
from typing import TYPE_CHECKING

from rota.errors import FieldError, InvalidInput
from rota.imports.matching import EngineerMatcher
from rota.imports.result import UnmatchedLog
from rota.leave import LeaveEvent, LeaveFile
from rota.scenario import Scenario
from rota.spans import from_ts, to_ts
from rota.zones import to_utc

if TYPE_CHECKING:
    from _csv import Reader

REQUIRED = ("engineer", "start", "end")
OPTIONAL = ("reason", "uid")


def read_leave_csv(text: str, scenario: Scenario) -> LeaveFile:
    rows = csv.reader(text.removeprefix("\ufeff").splitlines())
    columns = _columns(rows)
    matcher = EngineerMatcher(scenario)
    found = LeaveFile()
    unmatched = UnmatchedLog()
    errors: list[FieldError] = []
    for cells in rows:
        line = rows.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) <= max(columns.values()):
            errors.append(FieldError(f"line {line}", f"{len(cells)} cells; the header has more"))
            continue
        row = {name: cells[i].strip() for name, i in columns.items()}
        engineers = matcher.exact(row["engineer"])
        if len(engineers) != 1:
            reason = f"names several engineers ({', '.join(engineers)})" if engineers else "matches no engineer"
            unmatched.add(f"line {line}", row["engineer"], reason)
            continue
        engineer = scenario.engineer_by_id[engineers[0]]
        times = _times(row, engineer.timezone, line, errors)
        if times is None:
            continue
        uid = row.get("uid") or f"csv:{engineer.id}:{row['start']}:{row['end']}"
        found.uids.add(uid)
        found.events.append(LeaveEvent(engineer.id, uid, f"line {line}", row.get("reason") or None, *times))
    if errors:
        raise InvalidInput(errors, "leave file")
    found.unmatched = unmatched.entries()
    return found


def _columns(rows: Reader) -> dict[str, int]:
    for cells in rows:
        if any(c.strip() for c in cells):
            header = [c.strip().casefold() for c in cells]
            break
    else:
        raise InvalidInput([FieldError("line 1", "empty file; expected the header engineer,start,end")],
                           "leave file")
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InvalidInput([FieldError(f"line {rows.line_num}", f"the header lacks {', '.join(missing)}; "
                                                               f"expected engineer,start,end[,reason,uid]")],
                           "leave file")
    return {name: header.index(name) for name in (*REQUIRED, *OPTIONAL) if name in header}


def _times(row: dict[str, str], zone_name: str, line: int,
           errors: list[FieldError]) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime] | None:
    values = []
    for name in ("start", "end"):
        text = row[name]
        try:
            values.append(dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text))
        except ValueError:
            errors.append(FieldError(f"line {line}.{name}", f"not a date or an ISO 8601 date-time: {text!r}"))
    if len(values) != 2:
        return None
    start, end = values
    if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
        errors.append(FieldError(f"line {line}", "start and end must both be dates or both date-times"))
        return None
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
        start, end = _utc(start, zone_name, "start"), _utc(end, zone_name, "end")
    if end <= start:  # type: ignore[operator]
        errors.append(FieldError(f"line {line}.end", "ends before it starts"))
        return None
    return start, end


def _utc(value: dt.datetime, zone_name: str, role: str) -> dt.datetime:
    if value.tzinfo is None:
        return from_ts(to_ts(to_utc(value, zone_name, role)))  # type: ignore[arg-type]
    return value.astimezone(dt.UTC)
