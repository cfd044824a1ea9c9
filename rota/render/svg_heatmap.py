"""The week-by-hour coverage heatmap of one region, in the region's local time, as inline SVG.

One SVG per week: a row per local day (at most 7), a column per local hour. Each cell is a
`<g class="cell">` with `data-state`, `data-peak`, `data-utc` and a `<title>` naming its local
interval with the zone, its UTC interval and what happened inside it (state, minutes, cause). Peak
hours carry a black bar along their top edge. The last column gives the day's gap hours as text.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from rota.render.cells import HOURS, Cell, RegionGrid
from rota.render.palette import STATE_FILL, STATE_LABEL, offset_text
from rota.spans import from_ts, iso_z
from rota.zones import zone

CELL_W, CELL_H = 19, 17
LEFT, TOP, RIGHT = 84, 20, 48
GAP_STATES = ("structural", "uncovered", "short_handed")


def region_heatmap(grid: RegionGrid) -> str:
    region = grid.region
    tz = zone(region.timezone)
    offset = offset_text(from_ts(grid.cells[0].start).astimezone(tz)) if grid.cells else ""
    weeks = [grid.days[i:i + 7] for i in range(0, len(grid.days), 7)]
    parts = [
        f'<section class="region" id="heatmap-{escape(region.id)}" '
        f'data-region="{escape(region.id)}">',
        f"<h3>{escape(region.label)} <span class=\"muted\">({escape(region.id)}), local time "
        f"{escape(region.timezone)} {offset}</span></h3>",
    ]
    parts.append('<div class="weeks">')
    for w, days in enumerate(weeks):
        parts.append(_week_svg(grid, w * 7, len(days), w))
    parts.append("</div>")
    if len(grid.days) < grid.total_days:
        parts.append(f'<p class="note">First {len(grid.days)} of {grid.total_days} local days '
                     f"shown; narrow the window (--from/--to) to see the rest.</p>")
    parts.append("</section>")
    return "\n".join(parts)


def _week_svg(grid: RegionGrid, first: int, rows: int, week: int) -> str:
    width = LEFT + HOURS * CELL_W + RIGHT
    height = TOP + rows * CELL_H + 4
    zone_name = grid.region.timezone
    start_day = grid.days[first]
    label = (f"{grid.region.label}: coverage by local hour ({zone_name}), week of "
             f"{start_day:%a %d %b %Y}")
    out = [f'<svg class="heatmap" role="img" aria-label="{escape(label)}" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" data-week="{week}">',
           f"<title>{escape(label)}</title>"]
    for h in range(HOURS):
        x = LEFT + h * CELL_W + CELL_W / 2
        out.append(f'<text class="axis" x="{x:g}" y="{TOP - 6}" text-anchor="middle">{h:02d}'
                   "</text>")
    out.append(f'<text class="axis" x="{LEFT + HOURS * CELL_W + 4}" y="{TOP - 6}">gap h</text>')
    for r in range(rows):
        cells = grid.row(first + r)
        y = TOP + r * CELL_H
        out.append(f'<text class="axis" x="{LEFT - 6}" y="{y + CELL_H - 5}" text-anchor="end">'
                   f"{cells[0].day:%a %d %b}</text>")
        out += [_cell(cell, LEFT + cell.hour * CELL_W, y, zone_name) for cell in cells]
        gap_hours = sum(_gap_seconds(c) for c in cells) / 3600
        out.append(f'<text class="axis daygap" x="{LEFT + HOURS * CELL_W + 4}" '
                   f'y="{y + CELL_H - 5}">{gap_hours:.1f}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _gap_seconds(cell: Cell) -> int:
    return cell.end - cell.start if cell.state in GAP_STATES else 0


def _cell(cell: Cell, x: int, y: int, zone_name: str) -> str:
    peak = (f'<rect class="peakmark" x="{x + 1}" y="{y + 1}" width="{CELL_W - 2}" height="3"/>'
            if cell.peak else "")
    return (
        f'<g class="cell" data-state="{cell.state}" data-peak="{int(cell.peak)}" '
        f'data-utc="{iso_z(cell.start)}/{iso_z(cell.end)}">'
        f"<title>{escape(cell_title(cell, zone_name))}</title>"
        f'<rect x="{x}" y="{y}" width="{CELL_W - 1}" height="{CELL_H - 1}" '
        f'fill="{STATE_FILL[cell.state]}"/>{peak}</g>'
    )


def cell_title(cell: Cell, zone_name: str) -> str:
    """`Mon 07 Dec 19:00-20:00 Asia/Jakarta (UTC+07:00) = 12:00-13:00 UTC: uncovered ...`."""
    tz = zone(zone_name)
    local_start = dt.datetime.combine(cell.day, dt.time(cell.hour))
    local = f"{local_start:%a %d %b} {cell.hour:02d}:00-{(cell.hour + 1) % 24:02d}:00"
    if cell.state == "outside" or cell.end <= cell.start:
        return f"{local} {zone_name}: {STATE_LABEL['outside']}"
    start_utc, end_utc = from_ts(cell.start), from_ts(cell.end)
    offset = offset_text(start_utc.astimezone(tz))
    utc = f"{start_utc:%a %d %b %H:%M}-{end_utc:%H:%M} UTC"
    return f"{local} {zone_name} ({offset}) = {utc}: {STATE_LABEL[cell.state]}; {cell.note}"
