"""The line structure of an iCalendar file, checked before parsing so errors can name a line.

`icalendar` is lenient and keeps no line numbers, so this scan unfolds content lines (RFC 5545
3.1: a line starting with a space or tab continues the previous one), checks that each looks like
`NAME[;PARAM=...]:VALUE` and that BEGIN/END blocks nest and close, and records where each top-level
VEVENT starts and on which line each of its properties is. Blank lines are tolerated (many tools
end files with one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NoReturn

from rota.errors import FieldError, RotaInvalid

_CONTENT_LINE = re.compile(r"^[A-Za-z0-9-]+[;:].*:|^[A-Za-z0-9-]+:")


@dataclass
class EventLines:
    """One top-level VEVENT: the line of its BEGIN and the first line of each property."""

    begin: int
    properties: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str | None) -> int:
        return self.properties.get(name.upper(), self.begin) if name else self.begin


def unfold(text: str) -> list[tuple[int, str]]:
    """Logical content lines with the physical line number each starts on."""
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + raw[1:])
        else:
            lines.append((number, raw))
    return lines


def scan(text: str) -> list[EventLines]:
    """The top-level VEVENTs in file order; raises `RotaInvalid` naming the first bad line."""
    stack: list[str] = []
    events: list[EventLines] = []
    calendars = 0
    for number, line in unfold(text):
        if not line.strip():
            continue
        if not _CONTENT_LINE.match(line):
            _fail(number, f"not an iCalendar content line (NAME:VALUE): {line[:60]!r}")
        name, _, value = _split(line)
        if name == "BEGIN":
            component = value.strip().upper()
            if not stack and component != "VCALENDAR":
                _fail(number, f"BEGIN:{component} outside BEGIN:VCALENDAR")
            if not stack:
                calendars += 1
                if calendars > 1:
                    _fail(number, "a second VCALENDAR; put every event in one calendar")
            if stack == ["VCALENDAR"] and component == "VEVENT":
                events.append(EventLines(number))
            stack.append(component)
        elif name == "END":
            component = value.strip().upper()
            if not stack or stack[-1] != component:
                expected = f"END:{stack[-1]}" if stack else "nothing"
                _fail(number, f"END:{component} where {expected} was expected")
            stack.pop()
        elif not stack:
            _fail(number, f"{name} outside BEGIN:VCALENDAR")
        elif stack == ["VCALENDAR", "VEVENT"]:
            events[-1].properties.setdefault(name, number)
    if stack:
        _fail(len(text.splitlines()), f"the file ends inside {stack[-1]} (no END:{stack[-1]})")
    if not calendars:
        _fail(1, "no BEGIN:VCALENDAR; this is not an iCalendar file")
    return events


def _split(line: str) -> tuple[str, str, str]:
    head, _, value = line.partition(":")
    if '"' in head:  # a quoted parameter value may hold a colon
        head, value = _split_quoted(line)
    name = re.split(r"[;:]", head, maxsplit=1)[0].upper()
    return name, head, value


def _split_quoted(line: str) -> tuple[str, str]:
    quoted = False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return line[:i], line[i + 1:]
    return line, ""


def _fail(line: int, message: str) -> NoReturn:
    raise RotaInvalid([FieldError(f"line {line}", message)])
