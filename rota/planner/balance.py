"""The fairness steps that end a plan, in order (`finish` in `__init__.py`):

1. given history and a share of the limit (`Clock.fair_share`): the fairness stage (`fairstage.py`,
   one search over the whole horizon) when the share pays for it, then the fairness
   neighbourhoods (`fairsteps.py`) in what is left;
2. unless re-planning (which keeps minimal change first): burden moves and twin swaps
   (`fairswap.py`), at most `SWAP_SECONDS`.

Coverage never gets worse in any of them. What each did goes into the plan's report.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from rota.history import History
from rota.planner.budget import Clock
from rota.planner.candidates import Candidate
from rota.planner.fairstage import fairness_stage
from rota.planner.fairstage import pays as stage_pays
from rota.planner.fairsteps import fair_neighbourhoods
from rota.planner.fairswap import fair_swaps
from rota.planner.search import SearchSettings
from rota.scenario import Scenario
from rota.team import TeamTime

SWAP_SECONDS = 2.0  # at most, for the fairness swaps (`fairswap.py`), before the report's reserve


@dataclass
class Balanced:
    """The rota after the fairness steps (the swaps may add candidates) and their report keys."""

    cands: list[Candidate]
    chosen: list[int]
    report: dict[str, object] = field(default_factory=dict)


def balance(
    scenario: Scenario, team: TeamTime, cands: list[Candidate], chosen: list[int], clock: Clock,
    settings: SearchSettings, history: History | None, replanning: bool,
    stop: threading.Event | None = None,
) -> Balanced:
    """The rota `chosen` with its burden spread lowered by the fairness steps in their order."""
    deterministic = settings.deterministic
    out = Balanced(cands, chosen, {"fairness_swaps": {"moved": 0, "seconds": 0.0}})
    if clock.fair_share > 0:
        after = min(SWAP_SECONDS, 0.1 * clock.limit)
        budget = clock.fairness_budget(after=after)
        current = set(chosen)
        if stage_pays(budget, len(cands), deterministic) and not (stop is not None and stop.is_set()):
            stage = fairness_stage(scenario, team, cands, current, history, budget, settings, stop=stop)
            current = stage.chosen
            budget = budget - stage.work if deterministic else clock.fairness_budget(after)
            clock.mark("fairness_stage")
            out.report["fairness_stage"] = stage.to_json()
        fair = fair_neighbourhoods(scenario, team, cands, current, history, budget, settings)
        out.chosen = sorted(fair.chosen)
        clock.mark("fairness_neighbourhoods")
        out.report["fairness_neighbourhoods"] = fair.to_json()
    if not replanning:
        began = time.monotonic()
        until = None if deterministic else min(
            began + SWAP_SECONDS, clock.started + clock.limit - 2 * clock.report_reserve())
        swapped = fair_swaps(scenario, team, cands, list(out.chosen), history, until,
                             exact=deterministic)
        out.cands, out.chosen = swapped.cands, swapped.chosen
        out.report["fairness_swaps"] = {**swapped.to_json(),
                                        "seconds": round(time.monotonic() - began, 3)}
        clock.mark("fairness_swaps")
    return out
