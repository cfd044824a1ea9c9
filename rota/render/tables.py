"""Terminal renderings of the gap report and the `now` answer, with rich.

Gaps come sorted by exposure (then length), so the first rows are the ones to act on; times are
shown in UTC and in the region's local time.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group as RichGroup
from rich.table import Table
from rich.text import Text

from rota.coverage import Gap
from rota.report import GapReport
from rota.scenario import Scenario
from rota.spans import from_ts, iso_z
from rota.zones import zone

_CAUSE_TEXT = {
    "no_responder": "no one on call serves the region",
    "unavailable": "the one on call is on leave",
    "too_slow": "on call but too slow (asleep or off hours)",
    "short_handed": "fewer qualified than required",
}


def gap_order(gap: Gap) -> tuple[float, int, int]:
    amount = gap.exposure.amount if gap.exposure else 0.0
    return (-amount, -gap.seconds, gap.start)


def _local(ts: int, zone_name: str) -> str:
    return from_ts(ts).astimezone(zone(zone_name)).strftime("%a %d %b %H:%M")


def _horizon_note(report: GapReport) -> Text | None:
    """What the window asked has outside the horizon, where nothing is known; None if nothing."""
    h_lo, h_hi = (iso_z(t) for t in report.horizon)
    if report.outside_horizon:
        return Text(f"{iso_z(report.start)} -> {iso_z(report.end)} lies outside the rota's horizon "
                    f"({h_lo} -> {h_hi}): nothing is known there", style="bold")
    if report.requested is not None:
        asked = " -> ".join(iso_z(t) for t in report.requested)
        return Text(f"window {asked} clipped to the rota's horizon ({h_lo} -> {h_hi})", style="yellow")
    return None


def gaps_table(report: GapReport, scenario: Scenario, limit: int | None = 50) -> RichGroup:
    note = _horizon_note(report)
    if report.outside_horizon and note is not None:
        return RichGroup(note)
    gaps = sorted(report.gaps, key=gap_order)
    shown = gaps if limit is None else gaps[:limit]
    table = Table(title=f"Coverage gaps of {report.team} (rota v{report.rota_version}), "
                        f"{len(gaps)} in all, by exposure", title_justify="left")
    for column in ("region", "sev", "start (UTC)", "local start", "hours", "need", "have",
                   "cause", "structural", "exposure"):
        table.add_column(column, justify="right" if column in ("hours", "need", "have", "exposure")
                         else "left")
    for gap in shown:
        region = scenario.region_by_id[gap.region]
        exposure = f"{gap.exposure.amount:,.0f} {gap.exposure.currency or ''}" if gap.exposure else "-"
        table.add_row(
            gap.region, gap.severity, from_ts(gap.start).strftime("%Y-%m-%d %H:%M"),
            f"{_local(gap.start, region.timezone)} {region.timezone}",
            f"{gap.seconds / 3600:.2f}", str(gap.required), str(gap.qualified),
            gap.cause, "yes: hire" if gap.structural else "no", exposure,
        )
    empty = Text(f"No gaps: every target is met in this window ({report.team}, rota "
                 f"v{report.rota_version}).")
    parts: list[Any] = [_headline(report)] if note is None else [note, _headline(report)]
    parts += [Text(line) for line in hire_lines([h.to_json() for h in report.hiring])]
    parts.append(table if gaps else empty)
    if limit is not None and len(gaps) > limit:
        parts.append(Text(f"... and {len(gaps) - limit} more (--format json or csv lists all)"))
    if report.violations:
        parts.append(violations_table(report, limit))
    parts += [_regions_table(report), _engineers_table(report, scenario), _legend()]
    return RichGroup(*parts)


def violations_table(report: GapReport, limit: int | None = 50) -> RichGroup:
    """The hard rules the rota breaks, in time order (overrides applied)."""
    found = report.violations
    shown = found if limit is None else found[:limit]
    table = Table(title=f"Hard-rule violations ({len(found)})", title_justify="left")
    for column in ("engineer", "rule", "start (UTC)", "end (UTC)", "detail"):
        table.add_column(column)
    for v in shown:
        table.add_row(v.engineer, v.rule, from_ts(v.start).strftime("%Y-%m-%d %H:%M"),
                      from_ts(v.end).strftime("%Y-%m-%d %H:%M"), v.detail)
    parts: list[Any] = [table]
    if len(found) > len(shown):
        parts.append(Text(f"... and {len(found) - len(shown)} more (--format json lists all)"))
    return RichGroup(*parts)


def hire_lines(hires: list[dict[str, Any]]) -> list[str]:
    """The hire advice (`rota.hiring`) in words: the same lines for `rota gaps` and `rota plan`."""
    lines = []
    for h in hires:
        holidays = f", holidays {h['holiday_country']}" if h["holiday_country"] else ""
        regions = ", ".join(f"{r} {m}" for r, m in h["regions"].items())
        lines.append(f"hire: one engineer in {h['timezone']} ({h['utc_offset']}{holidays}) would close "
                     f"{h['closes_minutes']} structural minutes ({regions})")
    return lines


def coverage_text(report: GapReport) -> str:
    """`61.3%`, or with violations `61.3% (12.0% within the rules; 98 rule violations)`."""
    text = f"{report.p0_peak_coverage:.1%}"
    if report.violations:
        count = len(report.violations)
        text += (f" ({report.p0_peak_coverage_within_rules:.1%} within the rules; "
                 f"{count} rule violation{'s' if count != 1 else ''})")
    return text


def _headline(report: GapReport) -> Text:
    summary = report.summary_json()
    exposure = ", ".join(f"{e['amount']:,.0f} {e['currency'] or ''}".strip() for e in summary["exposure"]) or "-"
    structural = summary["structural_gap_minutes"] / 60
    return Text(
        f"P0 peak demand covered: {coverage_text(report)}   "
        f"uncovered: {summary['uncovered_minutes'] / 60:,.1f} h in {len(report.gaps)} "
        f"gap{'s' if len(report.gaps) != 1 else ''}   "
        f"exposure: {exposure}   structural (needs a hire): {structural:,.1f} h",
        style="bold",
    )


def _regions_table(report: GapReport) -> Table:
    table = Table(title="Coverage by region", title_justify="left")
    for column in ("region", "required h", "covered h", "coverage", "structural gap h"):
        table.add_column(column, justify="left" if column == "region" else "right")
    for r in report.regions:
        table.add_row(r.region, f"{r.required_seconds / 3600:.1f}", f"{r.covered_seconds / 3600:.1f}",
                      f"{r.coverage:.1%}", f"{r.structural_gap_seconds / 3600:.1f}")
    return table


def _engineers_table(report: GapReport, scenario: Scenario) -> Table:
    """On-call load of the engineers who were on call and serve a region of the report (with
    `--region`, only those of that region)."""
    regions = {r.region for r in report.regions}
    shown = [b for b in report.engineers if b.on_call_seconds > 0
             and regions & set(scenario.engineer_by_id[b.engineer].regions)]
    hidden = len(report.engineers) - len(shown)
    table = Table(title="On-call load by engineer", title_justify="left",
                  caption=f"not shown: {hidden} engineer{'s' if hidden != 1 else ''} not on call or "
                          f"serving none of {', '.join(sorted(regions))}" if hidden else None,
                  caption_justify="left")
    for column in ("engineer", "zone", "on call h", "working", "awake", "asleep", "night",
                   "weekend", "holiday"):
        table.add_column(column, justify="left" if column in ("engineer", "zone") else "right")
    for b in sorted(shown, key=lambda b: -b.on_call_seconds):
        e = scenario.engineer_by_id[b.engineer]
        table.add_row(
            b.engineer, e.timezone, f"{b.on_call_seconds / 3600:.1f}",
            *(f"{b.seconds_by_band[band] / 3600:.1f}" for band in ("working", "awake", "asleep")),
            f"{b.night_seconds / 3600:.1f}", f"{b.weekend_seconds / 3600:.1f}",
            f"{b.public_holiday_seconds / 3600:.1f}",
        )
    return table


def _legend() -> Text:
    lines = ["causes: " + "; ".join(f"{k} = {v}" for k, v in _CAUSE_TEXT.items()),
             "structural: no rota could close it with the engineers given (a hire is needed)"]
    return Text("\n".join(lines), style="dim")


def now_table(answer: dict[str, Any]) -> RichGroup:
    parts: list[Any] = [Text(f"{answer['team']} at {answer['at']} (rota v{answer['rota_version']})",
                             style="bold")]
    if answer.get("outside_horizon"):
        horizon = answer["horizon"]
        parts.append(Text(f"outside the rota's horizon ({horizon['start']} -> {horizon['end']}): "
                          "nothing is known at this instant", style="bold red"))
    for region in answer["regions"]:
        status = "covered" if region["covered"] else "NOT COVERED"
        title = (f"{region['region']}: {region['severity']} within {region['target_minutes']} min, "
                 f"{region['required']} required - {status}")
        table = Table(title=title, title_justify="left")
        for column in ("", "engineer", "local time", "band", "answers in", "until (UTC)", "contact"):
            table.add_column(column)
        for kind, people in (("on call", region["responders"]), ("fallback", region["fallback"])):
            for p in people:
                mark = "ok" if p["meets_target"] else ("on leave" if p["on_leave"] else "slow")
                table.add_row(
                    f"{kind} ({mark})", f"{p['name']} ({p['engineer']})",
                    f"{p['local_time']} {p['timezone']}", p["band"], f"{p['response_minutes']} min",
                    p["on_call_until"] or "-", ", ".join(str(v) for v in p["contact"].values()),
                )
        parts.append(table)
        if region["gap"]:
            gap = region["gap"]
            parts.append(Text(f"  gap {gap['start']} -> {gap['end']}: {gap['cause']}", style="red"))
    return RichGroup(*parts)
