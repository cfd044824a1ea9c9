"""The burden a team's published rota versions carry into a horizon: what plans made by the
service (and its report page) count as history, where the CLI takes `rota plan --history` files.

Versions are taken oldest first, so inside a newer version's horizon the newer replaces the older
(`rota.history`); each carries its own and the team's overrides, as the store serves them.
Engineers a version names who are no longer in the scenario are left out with a note.
"""

from __future__ import annotations

from rota.history import History, carried_in, checked_history, lookback_window
from rota.rotafile import Rota
from rota.scenario import Scenario
from rota.spans import from_ts
from rota.store import Store


def published_history(store: Store, scenario: Scenario) -> History:
    lo, hi = lookback_window(scenario)
    rotas: list[tuple[str, Rota]] = []
    notes: list[str] = []
    if lo < hi:
        for rota in store.teams.history(scenario.team, from_ts(lo), from_ts(hi)):
            name = f"version {rota.version}"
            kept, left_out = checked_history(rota, scenario, name)
            rotas.append((name, kept))
            notes += left_out
    return carried_in(scenario, rotas, notes)
