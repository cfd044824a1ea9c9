"""Acknowledgement records from CSV: a documented generic layout, or PagerDuty's incident export.

Generic (header names case-insensitive, any order, other columns ignored):
`engineer` (id, name or e-mail) or `email`, `triggered_at`, `acknowledged_at` (ISO 8601 with Z or
an offset), and optional `severity` (P0-P3).

PagerDuty (recognised by `created_at` and `seconds_to_first_ack`, the field names of its incident
analytics data): triggered at `created_at`, acknowledged `seconds_to_first_ack` later; the
responder is the first name or e-mail in the first non-empty of `acknowledged_by_user_emails`,
`acknowledged_by_user_names`, `assigned_user_emails`, `assigned_user_names` (lists separated by
`,` or `;`); severity from `priority_name` when it is P0-P3. An incident never acknowledged (no
`seconds_to_first_ack`) is noted, not used.

A malformed row (a missing or unreadable time, an acknowledgement before the trigger, a bad
severity) makes the file invalid, every such row listed by line, and nothing is used. A row whose
responder is no engineer, and a duplicate (same engineer and trigger time), are noted with their
line and left out.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rota.errors import FieldError, InvalidInput
from rota.imports.matching import EngineerMatcher
from rota.scenario import SEVERITIES, Scenario

if TYPE_CHECKING:
    from _csv import Reader

MAX_RECORDS = 100_000
MAX_SPAN_DAYS = 400
RESPONDER_COLUMNS = ("acknowledged_by_user_emails", "acknowledged_by_user_names", "assigned_user_emails",
                     "assigned_user_names")


@dataclass(frozen=True)
class Ack:
    line: int
    engineer: str
    triggered: dt.datetime
    acknowledged: dt.datetime
    severity: str | None

    @property
    def minutes(self) -> float:
        return (self.acknowledged - self.triggered).total_seconds() / 60


@dataclass(frozen=True)
class RecordNote:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"

    def to_json(self) -> dict[str, object]:
        return {"line": self.line, "reason": self.reason}


@dataclass
class AckFile:
    kind: str  # "generic" or "pagerduty"
    records: list[Ack] = field(default_factory=list)
    notes: list[RecordNote] = field(default_factory=list)


def read_acks(text: str, scenario: Scenario) -> AckFile:
    rows = csv.reader(text.removeprefix("\ufeff").splitlines())
    header = _header(rows)
    kind = "pagerduty" if {"created_at", "seconds_to_first_ack"} <= set(header) else "generic"
    if kind == "generic":
        _require(header, rows.line_num)
    found = AckFile(kind)
    matcher = EngineerMatcher(scenario)
    errors: list[FieldError] = []
    seen: dict[tuple[str, dt.datetime], int] = {}
    for cells in rows:
        line = rows.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(found.records) + len(found.notes) >= MAX_RECORDS:
            raise InvalidInput([FieldError(f"line {line}", f"more than {MAX_RECORDS:,} records")], "incident file")
        row = {name: cells[i].strip() if i < len(cells) else "" for i, name in enumerate(header)}
        parsed = _pagerduty(row, line, errors, found) if kind == "pagerduty" else _generic(row, line, errors)
        if parsed is None:
            continue
        who, triggered, acknowledged, severity = parsed
        engineers = matcher.exact(who)
        if len(engineers) != 1:
            found.notes.append(RecordNote(line, f"{who!r} " + (
                f"names several engineers ({', '.join(engineers)})" if engineers else "matches no engineer")))
            continue
        key = (engineers[0], triggered)
        if key in seen:
            found.notes.append(RecordNote(line, f"duplicates line {seen[key]} (used once)"))
            continue
        seen[key] = line
        found.records.append(Ack(line, engineers[0], triggered, acknowledged, severity))
    if errors:
        raise InvalidInput(errors, "incident file")
    _check_span(found.records)
    return found


def _header(rows: Reader) -> list[str]:
    for cells in rows:
        if any(c.strip() for c in cells):
            return [c.strip().casefold() for c in cells]
    raise InvalidInput([FieldError("line 1", "empty file; expected a header row")], "incident file")


def _require(header: list[str], line: int) -> None:
    missing = [n for n in ("triggered_at", "acknowledged_at") if n not in header]
    if "engineer" not in header and "email" not in header:
        missing.insert(0, "engineer or email")
    if missing:
        raise InvalidInput([FieldError(f"line {line}", f"the header lacks {', '.join(missing)}; expected "
                                                       "engineer,triggered_at,acknowledged_at[,severity] "
                                                       "or PagerDuty's incident export")], "incident file")


Parsed = tuple[str, dt.datetime, dt.datetime, str | None]


def _generic(row: dict[str, str], line: int, errors: list[FieldError]) -> Parsed | None:
    who = row.get("engineer") or row.get("email") or ""
    triggered = _instant(row.get("triggered_at", ""), f"line {line}.triggered_at", errors)
    acknowledged = _instant(row.get("acknowledged_at", ""), f"line {line}.acknowledged_at", errors)
    severity = _severity(row.get("severity", ""), f"line {line}.severity", errors)
    if not who:
        errors.append(FieldError(f"line {line}.engineer", "is empty"))
        return None
    return _ordered(who, triggered, acknowledged, severity, line, errors)


def _pagerduty(row: dict[str, str], line: int, errors: list[FieldError], found: AckFile) -> Parsed | None:
    triggered = _instant(row.get("created_at", ""), f"line {line}.created_at", errors)
    seconds = row.get("seconds_to_first_ack", "")
    who = next((_first(row[c]) for c in RESPONDER_COLUMNS if row.get(c)), "")
    if not seconds:
        found.notes.append(RecordNote(line, "was never acknowledged (no seconds_to_first_ack)"))
        return None
    try:
        delay = dt.timedelta(seconds=float(seconds))
    except (ValueError, OverflowError):
        errors.append(FieldError(f"line {line}.seconds_to_first_ack", f"not a number: {seconds!r}"))
        return None
    if not who:
        found.notes.append(RecordNote(line, "names no responder (no acknowledged_by or assigned user)"))
        return None
    priority = row.get("priority_name", "").upper()
    severity = priority if priority in SEVERITIES else None
    acknowledged = triggered + delay if triggered else None
    return _ordered(who, triggered, acknowledged, severity, line, errors)


def _first(names: str) -> str:
    return next((n.strip() for n in names.replace(";", ",").split(",") if n.strip()), "")


def _ordered(who: str, triggered: dt.datetime | None, acknowledged: dt.datetime | None, severity: str | None,
             line: int, errors: list[FieldError]) -> Parsed | None:
    if triggered is None or acknowledged is None:
        return None
    if acknowledged < triggered:
        errors.append(FieldError(f"line {line}", "acknowledged before it was triggered"))
        return None
    return who, triggered, acknowledged, severity


def _instant(text: str, path: str, errors: list[FieldError]) -> dt.datetime | None:
    if not text:
        errors.append(FieldError(path, "is missing"))
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        errors.append(FieldError(path, f"not an ISO 8601 date-time: {text!r}"))
        return None
    if value.tzinfo is None:
        errors.append(FieldError(path, f"{text!r} has no offset; write it in UTC with a Z"))
        return None
    return value.astimezone(dt.UTC)


def _severity(text: str, path: str, errors: list[FieldError]) -> str | None:
    if not text:
        return None
    if text.upper() not in SEVERITIES:
        errors.append(FieldError(path, f"{text!r} is not one of P0, P1, P2, P3"))
        return None
    return text.upper()


def _check_span(records: list[Ack]) -> None:
    if not records:
        return
    first = min(r.triggered for r in records)
    last = max(r.triggered for r in records)
    if last - first > dt.timedelta(days=MAX_SPAN_DAYS):
        raise InvalidInput([FieldError("triggered_at", f"the records span {(last - first).days} days; "
                                                       f"at most {MAX_SPAN_DAYS} are read at once")],
                           "incident file")
