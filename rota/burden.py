"""Each engineer's on-call burden: hours by band, night, weekend and public-holiday hours.

Night is 22:00-06:00 and the weekend is Saturday and Sunday, both in the engineer's local time;
public holidays are those of their `holiday_country`. Overlaps are measured with `SpanSet`, so the
cost is a few vectorised look-ups per engineer, not a walk over every shift and day.
"""

from __future__ import annotations

from dataclasses import dataclass

from rota.scenario import BANDS, Band, Engineer
from rota.spans import Span, total
from rota.spanset import SpanSet
from rota.team import TeamTime


@dataclass(frozen=True)
class Burden:
    engineer: str
    on_call_seconds: int
    seconds_by_band: dict[Band, int]
    night_seconds: int
    weekend_seconds: int
    public_holiday_seconds: int

    def to_json(self) -> dict[str, object]:
        return {
            "engineer": self.engineer,
            "on_call_hours": hours(self.on_call_seconds),
            "hours_by_band": {band: hours(s) for band, s in self.seconds_by_band.items()},
            "night_hours": hours(self.night_seconds),
            "weekend_hours": hours(self.weekend_seconds),
            "public_holiday_hours": hours(self.public_holiday_seconds),
        }


def hours(seconds: int) -> float:
    return round(seconds / 3600, 2)


def burdens(team: TeamTime, on_call: dict[str, list[Span]]) -> list[Burden]:
    """One entry per engineer of the scenario, in scenario order, on call or not."""
    return [burden_of(team, engineer, on_call.get(engineer.id, []))
            for engineer in team.scenario.engineers]


def burden_of(team: TeamTime, engineer: Engineer, spans: list[Span]) -> Burden:
    """One engineer's burden over merged on-call `spans` inside the team's range."""
    group = team.group_of[engineer.id]
    zone_name = engineer.timezone
    return Burden(
        engineer=engineer.id,
        on_call_seconds=total(spans),
        seconds_by_band={band: group.band_set(band).overlap(spans) for band in BANDS},
        night_seconds=team.zone_set(zone_name, "night").overlap(spans),
        weekend_seconds=team.zone_set(zone_name, "weekend").overlap(spans),
        public_holiday_seconds=SpanSet(list(group.profile.holidays)).overlap(spans)
        if group.profile.holidays
        else 0,
    )
