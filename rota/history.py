"""Burden carried in from earlier rotas: fairness across periods.

A team plans month after month; the planner balances each engineer's burden over a look-back
window, not only inside the horizon. This module owns what counts:

- The window is the `fairness.lookback_days` before the horizon's start, `[start - days, start)`.
  Only on-call time inside it counts; the rest of an earlier rota is ignored.
- Each earlier rota speaks for its own horizon (its overrides applied). Where the horizons of two
  earlier rotas overlap (a re-plan of November published over the November planned first), the
  later one replaces the earlier inside its horizon, so no on-call hour counts twice: the later is
  the one given later (`rota plan --history A --history B`), or the newer published version.
- Shifts of engineers who are no longer in the scenario are left out, with a note; a rota of
  another team, or one that breaks the rota format, is refused with the file named.
- Burden is `rota.burden`'s: on-call hours, hours by band, nights (22:00-06:00) and weekends in
  the engineer's own local time, and their public holidays; compared per 40 h of weekly capacity
  (`max_hours_per_week`), as the plan's fairness figures are.

`carried_out` is what the next plan would find: carried in plus what the new rota adds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rota.burden import Burden, burden_of
from rota.errors import FieldError, RotaInvalid
from rota.forced import Forced, forced_burden
from rota.limits import MAX_ROTA_BYTES
from rota.oncall import rota_on_call
from rota.rotafile import Rota, check_rota, read_rota_json
from rota.scenario import BANDS, Scenario
from rota.spans import Instant, Span, iso_z, merge, subtract, to_ts
from rota.team import horizon_range, team_time

DAY = 86400
UNKNOWN = "unknown engineer"
# The burden kinds the planner balances across periods, in `Burden`'s seconds.
KINDS = ("on_call", "asleep", "night", "weekend", "public_holiday")


@dataclass(frozen=True)
class History:
    """Each engineer's burden inside the look-back window `[lo, hi)` (hi is the horizon's start)."""

    lo: Instant
    hi: Instant
    lookback_days: int
    sources: tuple[str, ...] = ()
    carried: dict[str, Burden] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def carries(self) -> bool:
        """Whether any earlier rota put on-call time inside the window."""
        return any(b.on_call_seconds > 0 for b in self.carried.values())

    def seconds(self, engineer: str, kind: str) -> int:
        """Carried-in seconds of one burden kind (0 for an engineer with no history)."""
        burden = self.carried.get(engineer)
        return 0 if burden is None else kind_seconds(burden, kind)


def kind_seconds(burden: Burden, kind: str) -> int:
    if kind == "on_call":
        return burden.on_call_seconds
    if kind in BANDS:
        return burden.seconds_by_band[kind]  # type: ignore[index]
    return int(getattr(burden, f"{kind}_seconds"))


def lookback_window(scenario: Scenario, lookback_days: int | None = None) -> tuple[Instant, Instant]:
    days = scenario.fairness.lookback_days if lookback_days is None else lookback_days
    hi = to_ts(scenario.horizon.start_at)
    return hi - days * DAY, hi


def read_history(path: Path, scenario: Scenario) -> tuple[Rota, list[str]]:
    """An earlier rota file (JSON) checked against the scenario, and notes on what is left out.

    Every error names the file: `--history oct.json: shifts[3].end: ends before it starts`.
    """
    where = f"--history {path}"
    if not path.exists():
        raise RotaInvalid([FieldError(where, "no such file")])
    if path.is_dir():
        raise RotaInvalid([FieldError(where, "is a directory, not a rota file")])
    if path.stat().st_size > MAX_ROTA_BYTES:
        raise RotaInvalid([FieldError(where, f"larger than {MAX_ROTA_BYTES} bytes")])
    if path.suffix.lower() != ".json":
        raise RotaInvalid([FieldError(where, "an earlier rota must be a rota file (.json), as "
                                             "`rota plan -o` writes it")])
    try:
        rota = read_rota_json(path)
    except RotaInvalid as exc:
        raise RotaInvalid([FieldError(f"{where}: {e.path}" if e.path else where, e.message)
                           for e in exc.errors]) from None
    return checked_history(rota, scenario, where)


def checked_history(rota: Rota, scenario: Scenario, where: str) -> tuple[Rota, list[str]]:
    """`rota` without the shifts and overrides of engineers who left the team (noted); any other
    problem against the scenario is an error named `where`."""
    problems = check_rota(rota, scenario)
    errors = [FieldError(f"{where}: {e.path}", e.message) for e in problems
              if not e.message.startswith(UNKNOWN)]
    if errors:
        raise RotaInvalid(errors)
    known = scenario.engineer_by_id
    gone = sorted({s.engineer for s in rota.shifts if s.engineer not in known}
                  | {o.engineer for o in rota.overrides if o.engineer not in known}
                  | {o.replaces for o in rota.overrides if o.replaces and o.replaces not in known})
    if not gone:
        return rota, []
    kept = rota.model_copy(update={
        "shifts": tuple(s for s in rota.shifts if s.engineer in known),
        "overrides": tuple(o for o in rota.overrides if o.engineer in known
                           and (o.replaces is None or o.replaces in known)),
    })
    return kept, [f"{where}: {', '.join(gone)} not in the scenario; their on-call time is left out"]


def history_on_call(rotas: list[tuple[str, Rota]], lo: Instant, hi: Instant
                    ) -> tuple[dict[str, list[Span]], list[str], list[str]]:
    """Merged on-call spans per engineer inside [lo, hi), the later rota replacing the earlier
    inside its horizon; with the names of the rotas that count and notes on those that do not."""
    spans: dict[str, list[Span]] = {}
    used: list[str] = []
    notes: list[str] = []
    for name, rota in rotas:
        first, last = rota_span(rota)
        own_lo, own_hi = max(first, lo), min(last, hi)
        if own_lo >= own_hi:
            notes.append(f"{name}: its horizon {iso_z(first)} to {iso_z(last)} lies outside the "
                         f"look-back window {iso_z(lo)} to {iso_z(hi)}; nothing of it counts")
            continue
        cut = [(own_lo, own_hi)]
        spans = {e: subtract(s, cut) for e, s in spans.items()}
        for engineer, own in rota_on_call(rota, own_lo, own_hi).items():
            spans[engineer] = merge([*spans.get(engineer, []), *own])
        used.append(name)
    return {e: s for e, s in spans.items() if s}, used, notes


def rota_span(rota: Rota) -> tuple[Instant, Instant]:
    """What a rota speaks for: its horizon, or without one the span of its shifts and overrides."""
    if rota.horizon is not None:
        return to_ts(rota.horizon.start_at), to_ts(rota.horizon.end_at)
    edges = [(to_ts(s.start), to_ts(s.end)) for s in rota.shifts]
    edges += [(to_ts(o.start), to_ts(o.end)) for o in rota.overrides]
    if not edges:
        return 0, 0
    return min(s for s, _ in edges), max(e for _, e in edges)


def carried_in(scenario: Scenario, rotas: list[tuple[str, Rota]],
               notes: list[str] | None = None) -> History:
    """The burden `rotas` (named, earliest first) put on each engineer in the look-back window."""
    lo, hi = lookback_window(scenario)
    days = scenario.fairness.lookback_days
    if lo >= hi:
        return History(lo, hi, days, notes=tuple(notes or ()))
    on_call, used, skipped = history_on_call(rotas, lo, hi)
    carried: dict[str, Burden] = {}
    if on_call:
        team = team_time(scenario, lo, hi)
        carried = {e.id: burden_of(team, e, on_call[e.id])
                   for e in scenario.engineers if e.id in on_call}
    return History(lo, hi, days, tuple(used), carried, tuple([*(notes or ()), *skipped]))


def add(a: Burden | None, b: Burden) -> Burden:
    if a is None:
        return b
    return Burden(
        engineer=b.engineer,
        on_call_seconds=a.on_call_seconds + b.on_call_seconds,
        seconds_by_band={band: a.seconds_by_band[band] + b.seconds_by_band[band] for band in BANDS},
        night_seconds=a.night_seconds + b.night_seconds,
        weekend_seconds=a.weekend_seconds + b.weekend_seconds,
        public_holiday_seconds=a.public_holiday_seconds + b.public_holiday_seconds,
    )


def zero(engineer: str) -> Burden:
    return Burden(engineer, 0, {band: 0 for band in BANDS}, 0, 0, 0)


def per_40h(scenario: Scenario, burden: Burden) -> dict[str, float]:
    """Hours of each balanced kind per 40 h of the engineer's weekly capacity."""
    per = 40 / scenario.weekly_hours_cap(scenario.engineer_by_id[burden.engineer]) / 3600
    return {f"{kind}_hours_per_40h": round(kind_seconds(burden, kind) * per, 2) for kind in KINDS}


def carried_json(scenario: Scenario, history: History, added: list[Burden],
                 forced: list[Forced] | None = None) -> dict[str, Any]:
    """The report's `carried`: per engineer, burden carried in, added by the plan, carried out;
    the spread across engineers of what is carried out, per 40 h of capacity; and the burden
    nobody else can take (`rota.forced`), with what would let it be shared."""
    engineers = []
    spreads: dict[str, list[float]] = {}
    for burden in added:
        came = history.carried.get(burden.engineer) or zero(burden.engineer)
        out = add(came, burden)
        line: dict[str, Any] = {"engineer": burden.engineer}
        for name, value in (("carried_in", came), ("added", burden), ("carried_out", out)):
            line[name] = {**value.to_json(), **per_40h(scenario, value)}
            del line[name]["engineer"]
        engineers.append(line)
        for key, value40 in per_40h(scenario, out).items():
            spreads.setdefault(key, []).append(value40)
    return {
        "lookback_days": history.lookback_days,
        "from": iso_z(history.lo),
        "to": iso_z(history.hi),
        "sources": list(history.sources),
        "notes": list(history.notes),
        "engineers": engineers,
        "carried_out_spread": {k: {"min": round(min(v), 2), "max": round(max(v), 2),
                                   "spread": round(max(v) - min(v), 2)} for k, v in spreads.items()},
        "forced": [f.to_json() | {"sentence": f.sentence()} for f in forced or []],
    }


def rota_carried_json(scenario: Scenario, rota: Rota, history: History,
                      added: list[Burden]) -> dict[str, Any]:
    """`carried_json` for a rota over its scenario's horizon, with the burden nobody else can take."""
    lo, hi = horizon_range(scenario)
    forced = forced_burden(team_time(scenario, lo, hi), rota_on_call(rota, lo, hi))
    return carried_json(scenario, history, added, forced)
