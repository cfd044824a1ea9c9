"""Rotas from a spreadsheet: CSV with a header row `engineer,start,end` and optional `timezone`.

- Header names are case-insensitive and may come in any order; other columns (notes, a team
  name) are ignored. Blank lines are skipped; a UTF-8 byte-order mark (Excel) is allowed.
- `engineer` is an engineer's id, name or e-mail (case-insensitive, see `rota.imports.matching`).
- `start` and `end` are ISO 8601 date-times (`2026-12-08T09:00:00+08:00`, `...Z`). A time without
  an offset, or a bare date (local midnight), is read in the row's `timezone` column, an IANA
  zone, under the engine's DST policy (`rota.zones.to_utc`, `start`/`end` roles).
- A row naming no engineer is reported as unmatched with its line; a malformed row (bad time,
  unknown zone, end not after start) makes the whole file invalid, every such row listed by line.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from rota.errors import FieldError, RotaInvalid
from rota.imports.matching import EngineerMatcher
from rota.imports.result import Imported, UnmatchedLog
from rota.imports.shifts import build_rota
from rota.scenario import Scenario
from rota.spans import Span, to_ts
from rota.zones import Role, check_zone, to_utc

if TYPE_CHECKING:
    from _csv import Reader

REQUIRED = ("engineer", "start", "end")
OPTIONAL = ("timezone",)


def parse_csv_rota(text: str, scenario: Scenario) -> Imported:
    rows = csv.reader(text.removeprefix("\ufeff").splitlines())
    header, columns = _header(rows)
    matcher = EngineerMatcher(scenario)
    spans: dict[str, list[Span]] = defaultdict(list)
    errors: list[FieldError] = []
    unmatched = UnmatchedLog()
    for cells in rows:
        line = rows.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len(header):
            errors.append(FieldError(f"line {line}", f"{len(cells)} cells, the header has "
                                                     f"{len(header)}"))
            continue
        row = {name: cells[i].strip() for name, i in columns.items()}
        span = _span(row, line, errors)
        engineers = matcher.exact(row["engineer"])
        if span is None:
            continue
        if len(engineers) == 1:
            spans[engineers[0]].append(span)
        elif engineers:
            unmatched.add(f"line {line}", row["engineer"],
                          f"names several engineers ({', '.join(engineers)})")
        else:
            unmatched.add(f"line {line}", row["engineer"], "matches no engineer")
    if errors:
        raise RotaInvalid(errors)
    return Imported(build_rota(scenario, spans), unmatched.entries())


def _header(rows: Reader) -> tuple[list[str], dict[str, int]]:
    for cells in rows:
        if any(c.strip() for c in cells):
            header = [c.strip().casefold() for c in cells]
            break
    else:
        raise RotaInvalid([FieldError("line 1", "empty file; expected the header "
                                                "engineer,start,end")])
    line = rows.line_num
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise RotaInvalid([FieldError(f"line {line}", f"the header lacks {', '.join(missing)}; "
                                                      f"expected engineer,start,end[,timezone], "
                                                      f"found {','.join(header)}")])
    columns = {name: header.index(name) for name in (*REQUIRED, *OPTIONAL) if name in header}
    return header, columns


def _span(row: dict[str, str], line: int, errors: list[FieldError]) -> Span | None:
    zone_name = row.get("timezone") or None
    if zone_name is not None:
        try:
            check_zone(zone_name)
        except ValueError as exc:
            errors.append(FieldError(f"line {line}.timezone", str(exc)))
            return None
    start = _instant(row["start"], zone_name, "start", f"line {line}.start", errors)
    end = _instant(row["end"], zone_name, "end", f"line {line}.end", errors)
    if start is None or end is None:
        return None
    if end <= start:
        errors.append(FieldError(f"line {line}.end", "ends before it starts"))
        return None
    return start, end


def _instant(value: str, zone_name: str | None, role: Role, path: str,
             errors: list[FieldError]) -> int | None:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        errors.append(FieldError(path, f"not an ISO 8601 date-time: {value!r}"))
        return None
    if parsed.tzinfo is not None:
        return to_ts(parsed)
    if zone_name is None:
        errors.append(FieldError(path, f"{value!r} has no offset; add one (Z, +08:00) or a "
                                       f"timezone column"))
        return None
    return to_ts(to_utc(parsed, zone_name, role))
