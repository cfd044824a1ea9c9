"""Terse iCalendar text for tests: `calendar(event("DTSTART:...", ...))`."""

from __future__ import annotations

from pathlib import Path

from rota.rotafile import Rota
from rota.spans import iso_z

FIXTURES = Path(__file__).parent / "fixtures"
_UIDS = iter(range(1_000_000))


def event(*lines: str, uid: str | None = None) -> str:
    uid_line = f"UID:{uid}" if uid else f"UID:test-{next(_UIDS)}@example.com"
    return "\n".join(["BEGIN:VEVENT", uid_line, "DTSTAMP:20261201T000000Z", *lines, "END:VEVENT"])


def calendar(*events: str, header: str = "") -> str:
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tests//EN"] + ([header] if header else [])
    return "\n".join([*head, *events, "END:VCALENDAR"]) + "\n"


def shifts_of(rota: Rota) -> list[tuple[str, str, str]]:
    """(engineer, start, end) of each shift, `2026-12-07T11:00Z` style, in rota order."""
    return [(s.engineer, iso_z(s.start)[:-4] + "Z", iso_z(s.end)[:-4] + "Z") for s in rota.shifts]
