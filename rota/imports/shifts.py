"""From imported spans to a `Rota`: layered events merged, cut to the horizon, checked.

Other tools often layer schedules (primary and secondary, a base rotation and its overrides), so
one engineer's events may overlap; overlapping spans become one shift. Spans that merely touch stay
separate shifts, so a rota exported with back-to-back shifts imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rota.rotafile import Rota, parse_rota
from rota.scenario import Scenario
from rota.spans import Span, iso_z
from rota.team import horizon_range

IMPORTED_VERSION = 0
"""An imported rota is not a published version yet; the store numbers it when it is published."""


def merge_overlapping(spans: Iterable[Span]) -> list[Span]:
    """Sorted spans where strictly overlapping ones are joined and touching ones kept apart."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def build_rota(scenario: Scenario, spans: Mapping[str, Iterable[Span]]) -> Rota:
    """The scenario team's rota over its horizon; spans outside the horizon are cut away."""
    lo, hi = horizon_range(scenario)
    shifts = [
        (start, engineer, end)
        for engineer, own in spans.items()
        for start, end in merge_overlapping((max(s, lo), min(e, hi)) for s, e in own)
    ]
    shifts.sort()
    data = {
        "team": scenario.team,
        "version": IMPORTED_VERSION,
        "horizon": scenario.horizon.model_dump(mode="json"),
        "shifts": [{"engineer": e, "start": iso_z(s), "end": iso_z(t)} for s, e, t in shifts],
    }
    return parse_rota(data, scenario)
