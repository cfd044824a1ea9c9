"""The coverage report page: one self-contained HTML document (inline CSS and SVG, no script).

`report_page` is what `rota gaps --format html` writes and `GET /v1/teams/{team}/report` serves.
Sections, top to bottom: for a planned rota what the planner achieved (`html_solver.py`), the
headline (P0 peak coverage, and how much of it is within the rules; exposure; structural hours,
the scenario's bound; where one hire would close them), the legend, a week-by-hour heatmap per
region in its local time, the on-call timeline per engineer, the gap table by exposure, coverage
by region, each engineer's load, with the team's history their burden across periods
(`html_carried.py`), and the hard rules the rota breaks. Every time is labelled with
its zone; every piece of user text goes through `html.escape`.
Large windows are cut for the charts (first weeks shown, with a note); the tables stay complete.
A report asked for one severity filters the headline and the gap table; the heatmap always judges
every requirement of the region.
"""

from __future__ import annotations

from html import escape
from typing import Any

from rota.coverage import RegionSweep, sweep_region
from rota.oncall import rota_on_call
from rota.render.cells import region_grid
from rota.render.headline import Headline, headline
from rota.render.html_carried import carried_section
from rota.render.html_hiring import hire_section
from rota.render.html_rules import violations_section, within_rules_note
from rota.render.html_solver import achieved_note
from rota.render.html_tables import gap_table, load_table
from rota.render.palette import (
    BAND_FILL,
    BAND_HELP,
    STATE_FILL,
    STATE_HELP,
    STATE_LABEL,
    TEXTURES,
    CellState,
)
from rota.render.svg_heatmap import region_heatmap
from rota.render.svg_timeline import timeline
from rota.report import GapReport
from rota.rotafile import Rota
from rota.scenario import BANDS, Scenario
from rota.spans import from_ts
from rota.team import team_time

HEATMAP_CELL_BUDGET = 60_000
MAX_HEATMAP_DAYS = 92
MAX_TIMELINE_DAYS = 35
_DAY = 86400

CSS = """
:root{--ink:#1a1a1a;--muted:#555;--rule:#ccc}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
margin:0 auto;padding:16px 24px 48px;max-width:1240px;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid
var(--rule);padding-bottom:4px}h3{font-size:15px;margin:16px 0 4px}
.muted,.meta{color:var(--muted)}.note{color:var(--muted);font-style:italic}
nav{display:flex;flex-wrap:wrap;gap:4px 14px;margin:6px 0}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.card{border:1px solid var(--rule);border-radius:6px;padding:10px 14px;min-width:200px;flex:1}
.card .big{font-size:24px;font-weight:700;display:block}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;margin:6px 0 10px;padding:0;list-style:none}
.legend li{display:flex;align-items:center;gap:6px}
svg text{font:11px system-ui,sans-serif;fill:#222}svg text.label{font-size:12px}
svg .grid{stroke:#bbb;stroke-width:0.5}svg .midnight{stroke:#444;stroke-width:1}
svg .peakmark{fill:#000}svg .daygap{font-weight:600}
svg.heatmap{display:block;margin:2px 0 8px;max-width:100%;height:auto}.weeks{display:flex;flex-wrap:wrap;gap:0 28px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-bottom:1px solid #e3e3e3;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.when{white-space:nowrap}
.gaps{width:100%}.gaps td,.gaps th{overflow-wrap:anywhere}.gaps td.when{white-space:normal}
.gaps td:last-child,.gaps td:nth-child(n+6):nth-child(-n+8){white-space:nowrap;overflow-wrap:normal}
@media (max-width:700px){body{padding:12px 12px 32px}
.gaps thead{display:none}.gaps,.gaps tbody,.gaps tr,.gaps td{display:block;width:auto}
.gaps tr{border-bottom:2px solid var(--rule);padding:6px 0}.gaps td{border:0;padding:1px 0}
.gaps td::before{content:attr(data-label) ": ";font-weight:600}.gaps td:last-child{white-space:normal}}
.hire{color:#7a2e5f}.rules-note{display:block;color:#a33c00}.ok{color:#00664a;font-weight:600}
.scroll{overflow-x:auto}
@media print{nav{display:none}.scroll{overflow:visible}}
"""


def report_page(scenario: Scenario, rota: Rota, report: GapReport,
                carried: dict[str, Any] | None = None) -> str:
    """The page; with `carried` (`rota.history.carried_json`) also the burden across periods."""
    team = team_time(scenario, report.start, report.end)
    on_call = rota_on_call(rota, team.lo, team.hi)
    regions = [scenario.region_by_id[r.region] for r in report.regions]
    sweeps = [sweep_region(team, region, on_call) for region in regions]
    summary = headline(scenario, report)
    timeline_end = min(team.hi, team.lo + MAX_TIMELINE_DAYS * _DAY)
    title = f"Coverage report: {scenario.name or scenario.team}"
    body = [
        f"<header><h1>{escape(title)}</h1>",
        f'<p class="meta">Team <b>{escape(scenario.team)}</b>, rota version '
        f"{report.rota_version if report.rota_version is not None else '-'}, window "
        f"{_utc(report.start)} to {_utc(report.end)} (UTC). {len(report.gaps)} gaps.</p>",
        achieved_note(rota),
        '<nav><a href="#headline">Headline</a><a href="#heatmaps">Heatmaps</a>'
        '<a href="#timeline">Timeline</a><a href="#gaps">Gaps</a><a href="#regions">Regions</a>'
        '<a href="#load">Load</a>' + ('<a href="#carried">Across periods</a>' if carried else "")
        + '<a href="#violations">Rules</a></nav></header>',
        _headline_section(summary, within_rules_note(report)),
        '<section id="heatmaps"><h2>Coverage by local hour, per region</h2>',
        _state_legend(),
        _heatmaps(sweeps, team.lo, team.hi),
        "</section>",
        '<section id="timeline"><h2>Who is on call</h2>',
        f'<p class="meta">UTC across; each row in the engineer\'s own time: background = their '
        f"band, dark ticks = their local midnight. {_cut_note(team.lo, team.hi, timeline_end)}</p>",
        _band_legend(),
        f'<div class="scroll">{timeline(team, on_call, team.lo, timeline_end)}</div></section>',
        '<section id="gaps"><h2>Gaps by exposure</h2>',
        f'<div class="scroll">{gap_table(report, scenario)}</div></section>',
        '<section id="regions"><h2>Coverage by region</h2>',
        f'<div class="scroll">{_region_table(report, scenario)}</div></section>',
        '<section id="load"><h2>Load per engineer</h2>', _band_legend(),
        f'<div class="scroll">{load_table(report, scenario)}</div></section>',
        carried_section(carried),
        violations_section(report, scenario),
    ]
    return _document(title, "\n".join(body))


def _document(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f"{TEXTURES}\n{body}\n</body>\n</html>\n")


def _utc(ts: int) -> str:
    return from_ts(ts).strftime("%a %d %b %Y %H:%M")


def _cut_note(lo: int, hi: int, shown_end: int) -> str:
    if shown_end >= hi:
        return ""
    return (f"Showing the first {(shown_end - lo) // _DAY} of {(hi - lo) / _DAY:g} days; "
            f"narrow the window (--from/--to) for later ones.")


def _headline_section(summary: Headline, rules_note: str = "") -> str:
    coverage = summary.p0_peak_coverage
    p0 = (f'<span class="big">{coverage:.1%}</span>{summary.p0_peak_covered / 3600:.1f} of '
          f"{summary.p0_peak_required / 3600:.1f} h of P0 peak demand covered"
          if coverage is not None else '<span class="big">-</span>no P0 peak demand in the window')
    exposure = " + ".join(f"{amount:,.0f} {escape(currency)}".strip()
                          for currency, amount in sorted(summary.exposure.items())) or "-"
    hire_text = hire_section(summary)
    return (
        '<section id="headline"><h2>Headline</h2><div class="cards">'
        f'<div class="card" id="p0-coverage">{p0}{rules_note}</div>'
        f'<div class="card" id="exposure"><span class="big">{exposure}</span>'
        "exposure: revenue flowing through gaps</div>"
        f'<div class="card" id="structural"><span class="big">'
        f"{summary.structural_seconds / 3600:.1f} h</span>structural time: no rota within the "
        "rules could cover it with these engineers</div></div>"
        f"{hire_text}</section>"
    )


def _swatch(fill: str, label: str) -> str:
    return (f'<svg width="22" height="16" role="img" aria-label="{escape(label)}">'
            f'<rect x="0.5" y="0.5" width="21" height="15" fill="{fill}" stroke="#666"/></svg>')


def _state_legend() -> str:
    states: tuple[CellState, ...] = ("covered", "short_handed", "uncovered", "structural",
                                     "not_required", "outside")
    items = [f"<li>{_swatch(STATE_FILL[s], STATE_LABEL[s])}<span><b>{STATE_LABEL[s]}</b>: "
             f"{STATE_HELP[s]}</span></li>" for s in states]
    items.append('<li><svg width="22" height="16" role="img" aria-label="peak"><rect x="0.5" '
                 'y="0.5" width="21" height="15" fill="#EEEEEE" stroke="#666"/><rect x="1" y="1" '
                 'width="20" height="3" fill="#000"/></svg><span><b>peak</b>: black bar on top '
                 "of the hours in the region's peak windows</span></li>")
    return ('<ul class="legend" id="legend-states">' + "".join(items) + "</ul>"
            '<p class="meta">Rows are local days, columns local hours of the region; a cell shows '
            "the worst state in its hour. Hover a cell for its local and UTC interval and the "
            "cause; the right column gives the day's gap hours.</p>")


def _band_legend() -> str:
    items = [f"<li>{_swatch(BAND_FILL[b], b)}<span><b>{b}</b>: {BAND_HELP[b]}</span></li>"
             for b in BANDS]
    return '<ul class="legend legend-bands">' + "".join(items) + "</ul>"


def _heatmaps(sweeps: list[RegionSweep], lo: int, hi: int) -> str:
    if not sweeps:
        return '<p class="note">No regions in this report.</p>'
    budget_days = HEATMAP_CELL_BUDGET // (24 * len(sweeps))
    max_days = max(7, min(MAX_HEATMAP_DAYS, budget_days))
    return "\n".join(
        region_heatmap(region_grid(s, lo, hi, max_days)) for s in sweeps
    )


def _region_table(report: GapReport, scenario: Scenario) -> str:
    rows = []
    for r in report.regions:
        region = scenario.region_by_id[r.region]
        rows.append(
            f'<tr data-region="{escape(r.region)}"><td>{escape(region.label)}</td>'
            f"<td>{escape(region.timezone)}</td><td>{r.required_seconds / 3600:.1f}</td>"
            f"<td>{r.covered_seconds / 3600:.1f}</td><td>{r.coverage:.1%}</td>"
            f"<td>{r.structural_gap_seconds / 3600:.1f}</td></tr>")
    head = "".join(f'<th scope="col">{h}</th>' for h in (
        "region", "zone", "required h", "covered h", "coverage", "structural gap h"))
    return (f'<table class="regions"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}'
            "</tbody></table>")
