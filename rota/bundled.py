"""The bundled example: read from the installed package, and moved to the week of a given date.

The example's files live in the repository's `data/example/` and install as the package
`rota.example` (setup.py), so they are read through `importlib.resources`, never through a path
relative to the source tree: `rota demo` works from a wheel in any folder.

`moved_to_week` shifts a scenario by whole weeks so that its horizon starts on the Monday (UTC) of
the week containing `day`: every weekday stays a weekday, leave and pins move with the horizon, and
public holidays, computed from the dates, are those of the new weeks. The caller supplies `day`;
this module never reads the clock.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources

from rota.scenario import Scenario
from rota.validation import parse_scenario_text

EXAMPLE_PACKAGE = "rota.example"
EXAMPLE_SCENARIO = "streaming-sre.yaml"
EXAMPLE_HANDDRAWN = "handdrawn-weekly.json"


def example_text(name: str = EXAMPLE_SCENARIO) -> str:
    """The text of one of the example's files, from the installed package."""
    return resources.files(EXAMPLE_PACKAGE).joinpath(name).read_text(encoding="utf-8")


def example_scenario() -> Scenario:
    """The bundled example as written (horizon from 2026-12-07, 28 days)."""
    return parse_scenario_text(example_text())


def moved_to_week(scenario: Scenario, day: dt.date) -> Scenario:
    """`scenario` shifted by whole weeks so its horizon starts in `day`'s week, on its own weekday
    (a Monday for the example), and so contains `day` whenever the horizon is at least a week."""
    shift = dt.timedelta(weeks=(day - scenario.horizon.start).days // 7)
    data = scenario.model_dump()
    data["horizon"]["start"] += shift
    for engineer in data["engineers"]:
        for leave in engineer["unavailable"]:
            leave["start"] += shift
            leave["end"] += shift
    for pin in data["pins"]:
        pin["start"] += shift
        pin["end"] += shift
    return Scenario.model_validate(data)
