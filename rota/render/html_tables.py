"""The report page's tables: gaps by exposure, and each engineer's load as stacked bars.

Gaps come in the terminal table's order (exposure, then length, then start), with times in UTC and
in the region's local time, and the cause in words. Load bars share one scale, the longest on-call
total, so rows compare at a glance; every number is also printed as text.
"""

from __future__ import annotations

from html import escape

from rota.burden import Burden
from rota.coverage import Gap
from rota.render.palette import BAND_FILL, CAUSE_TEXT
from rota.render.svg_timeline import interval_text
from rota.render.tables import gap_order
from rota.report import GapReport
from rota.scenario import BANDS, Scenario
from rota.spans import iso_z

MAX_GAP_ROWS = 2000
GAP_COLUMNS = ("#", "region", "severity", "when (region's local time)", "UTC", "hours", "need",
               "have", "cause", "structural", "who (on call / on leave)", "exposure")
BAR_WIDTH, BAR_HEIGHT = 240, 14


def gap_table(report: GapReport, scenario: Scenario) -> str:
    gaps = sorted(report.gaps, key=gap_order)
    if report.outside_horizon:
        return ('<p class="note" id="no-gaps">No gaps known: this window lies outside the rota\'s '
                "horizon, where nothing is known.</p>")
    if not gaps:
        return '<p class="ok" id="no-gaps">No gaps: every requirement is met in this window.</p>'
    shown = gaps[:MAX_GAP_ROWS]
    head = GAP_COLUMNS
    out = ['<table class="gaps" id="gap-table">',
           f"<caption>{len(gaps)} gaps, largest exposure first</caption>",
           "<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in head) + "</tr></thead>",
           "<tbody>"]
    out += [_gap_row(i, gap, scenario) for i, gap in enumerate(shown, start=1)]
    out.append("</tbody></table>")
    if len(gaps) > len(shown):
        out.append(f'<p class="note">{len(gaps) - len(shown)} more gaps not shown; '
                   f"<code>--format csv</code> lists them all.</p>")
    return "\n".join(out)


def _gap_row(number: int, gap: Gap, scenario: Scenario) -> str:
    region = scenario.region_by_id[gap.region]
    exposure = (f"{gap.exposure.amount:,.0f} {escape(gap.exposure.currency or '')}"
                if gap.exposure else "-")
    cause = f'<b>{gap.cause}</b>: {escape(CAUSE_TEXT[gap.cause])}'
    structural = '<b class="hire">yes: hire</b>' if gap.structural else "no"
    local, utc = interval_text(gap.start, gap.end, region.timezone).split(" = ")
    local_time, _, local_zone = local.rpartition(f" {region.timezone} ")
    when = f'{escape(local_time)}<br><span class="muted">{escape(region.timezone)} {local_zone}</span>'
    cells = (
        str(number), escape(region.label), f"{gap.severity}{' peak' if gap.peak else ''}",
        when, f'<span title="{iso_z(gap.start)}/{iso_z(gap.end)}">{utc}</span>',
        f"{gap.seconds / 3600:.2f}",
        str(gap.required), str(gap.qualified), cause, structural, _people(gap, scenario), exposure,
    )
    kinds = {3: "when", 4: "when", 10: "people"}
    return (f'<tr data-region="{escape(gap.region)}" data-cause="{gap.cause}" '
            f'data-structural="{int(gap.structural)}" data-start="{gap.start}">'
            + "".join(f'<td{_kind(kinds.get(i))} data-label="{escape(GAP_COLUMNS[i])}">{c}</td>'
                      for i, c in enumerate(cells)) + "</tr>")


def _kind(name: str | None) -> str:
    return f' class="{name}"' if name else ""


def _people(gap: Gap, scenario: Scenario) -> str:
    """Whom to ask about the gap: who serving the region was on call in it, and who on leave."""
    def names(ids: tuple[str, ...]) -> str:
        return ", ".join(escape(scenario.engineer_by_id[e].label) for e in ids) or "nobody"

    text = f"on call: {names(gap.on_call)}"
    if gap.on_leave:
        text += f'<br><span class="muted">on leave: {names(gap.on_leave)}</span>'
    return text


def load_table(report: GapReport, scenario: Scenario) -> str:
    burdens = sorted(report.engineers, key=lambda b: (-b.on_call_seconds, b.engineer))
    scale = max((b.on_call_seconds for b in burdens), default=0) or 1
    head = ("engineer", "zone", "on call h", "by band", "working h", "awake h", "asleep h",
            "night h", "weekend h", "holiday h")
    out = ['<table class="load" id="load-table">',
           "<caption>On-call load per engineer (night: 22:00-06:00 local; weekend: Saturday and "
           "Sunday local)</caption>",
           "<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in head) + "</tr></thead>",
           "<tbody>"]
    out += [_load_row(b, scenario, scale) for b in burdens]
    out.append("</tbody></table>")
    return "\n".join(out)


def _load_row(burden: Burden, scenario: Scenario, scale: int) -> str:
    engineer = scenario.engineer_by_id[burden.engineer]
    hours = {band: burden.seconds_by_band[band] / 3600 for band in BANDS}
    cells = (
        f"{escape(engineer.label)} <span class=\"muted\">({escape(engineer.id)})</span>",
        escape(engineer.timezone), f"{burden.on_call_seconds / 3600:.1f}",
        _bar(burden, scale), *(f"{hours[band]:.1f}" for band in BANDS),
        f"{burden.night_seconds / 3600:.1f}", f"{burden.weekend_seconds / 3600:.1f}",
        f"{burden.public_holiday_seconds / 3600:.1f}",
    )
    return (f'<tr data-engineer="{escape(engineer.id)}">'
            + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")


def _bar(burden: Burden, scale: int) -> str:
    label = ", ".join(f"{band} {burden.seconds_by_band[band] / 3600:.1f} h" for band in BANDS)
    out = [f'<svg class="loadbar" role="img" aria-label="{label}" width="{BAR_WIDTH}" '
           f'height="{BAR_HEIGHT}" viewBox="0 0 {BAR_WIDTH} {BAR_HEIGHT}"><title>{label}</title>']
    x = 0.0
    for band in BANDS:
        width = burden.seconds_by_band[band] / scale * BAR_WIDTH
        if width > 0:
            out.append(f'<rect x="{x:.1f}" y="0" width="{width:.1f}" height="{BAR_HEIGHT}" '
                       f'fill="{BAND_FILL[band]}" data-band="{band}"/>')
            x += width
    out.append("</svg>")
    return "".join(out)
