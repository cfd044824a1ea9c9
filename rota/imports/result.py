"""What an import gives back: the rota, and every entry it could not use, with where it was."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rota.rotafile import Rota


@dataclass(frozen=True)
class Unmatched:
    """An entry of the imported file that names no engineer of the scenario (or several).

    `where` locates it (`line 12` in a CSV file, `line 40, UID abc@pagerduty.com` in iCal);
    `text` is what was read (the engineer cell, the event's SUMMARY); `occurrences` counts the
    expanded occurrences of a recurring event inside the horizon.
    """

    where: str
    text: str
    reason: str
    occurrences: int = 1

    def __str__(self) -> str:
        times = f" ({self.occurrences} occurrences)" if self.occurrences != 1 else ""
        return f"{self.where}: {self.text!r} {self.reason}{times}"

    def to_json(self) -> dict[str, Any]:
        return {"where": self.where, "text": self.text, "reason": self.reason,
                "occurrences": self.occurrences}


@dataclass(frozen=True)
class Imported:
    rota: Rota
    unmatched: tuple[Unmatched, ...] = ()

    def warnings(self) -> list[str]:
        return [str(u) for u in self.unmatched]


class UnmatchedLog:
    """Collects unmatched entries, one per place and reason, counting repeats."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], Unmatched] = {}

    def add(self, where: str, text: str, reason: str) -> None:
        key = (where, reason)
        previous = self._entries.get(key)
        count = previous.occurrences + 1 if previous else 1
        self._entries[key] = Unmatched(where, text, reason, count)

    def entries(self) -> tuple[Unmatched, ...]:
        return tuple(self._entries.values())
