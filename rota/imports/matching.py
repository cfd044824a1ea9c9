"""Which engineer of the scenario an imported entry names.

Other tools know people by e-mail or display name, the engine by id. An engineer is known by three
keys, all compared case-insensitively (Unicode casefold) with surrounding blanks ignored: their `id`,
their `name` and their contact e-mail. Two ways to match:

- `exact(value)`: a whole cell or an ATTENDEE address equals a key (CSV `engineer` cells, iCal
  attendees; a `mailto:` prefix is dropped);
- `named_in(text)`: keys that occur in free text (an event's SUMMARY or DESCRIPTION) as whole
  words, i.e. not preceded or followed by a letter or digit. Where keys overlap the longest wins at
  each position, so "Ana Souza" names the engineer called Ana Souza, not one whose id is `ana`.

A key shared by several engineers (two people with one name) matches all of them; the importer
then reports the entry as ambiguous rather than guessing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from rota.scenario import Engineer, Scenario

_MIN_KEY_LENGTH = 2


def normalise(value: str) -> str:
    value = value.strip().casefold()
    return value[len("mailto:"):] if value.startswith("mailto:") else value


def engineer_keys(engineer: Engineer) -> set[str]:
    keys = {engineer.id, engineer.name or "", engineer.contact.email or ""}
    return {normalise(k) for k in keys if len(normalise(k)) >= _MIN_KEY_LENGTH}


class EngineerMatcher:
    """Engineer ids by key, for one scenario."""

    def __init__(self, scenario: Scenario) -> None:
        owners: dict[str, set[str]] = defaultdict(set)
        for engineer in scenario.engineers:
            for key in engineer_keys(engineer):
                owners[key].add(engineer.id)
        order = {e.id: i for i, e in enumerate(scenario.engineers)}
        self._owners = {k: tuple(sorted(v, key=order.__getitem__)) for k, v in owners.items()}
        keys = sorted(self._owners, key=lambda k: (-len(k), k))
        alternatives = "|".join(re.escape(k) for k in keys)
        self._pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])") if keys else None
        self.named_in = lru_cache(maxsize=4096)(self._named_in)

    def exact(self, value: str) -> tuple[str, ...]:
        """Engineers whose id, name or e-mail equals `value`."""
        return self._owners.get(normalise(value), ())

    def _named_in(self, text: str) -> tuple[str, ...]:
        """Engineers named in free text, in order of first mention, each once."""
        if self._pattern is None:
            return ()
        found: dict[str, None] = {}
        for match in self._pattern.finditer(text.casefold()):
            for engineer in self._owners[match.group(0)]:
                found.setdefault(engineer)
        return tuple(found)
