"""The report page's section on hard-rule violations: what the rota breaks, and what it costs.

Rows come in time order with the engineer's local time and UTC; the note above the table says how
much of the P0 peak coverage the rota keeps without the on-call time the violations concern.
"""

from __future__ import annotations

from html import escape

from rota.render.svg_timeline import interval_text
from rota.report import GapReport
from rota.scenario import Scenario
from rota.spans import iso_z

MAX_VIOLATION_ROWS = 2000


def violations_section(report: GapReport, scenario: Scenario) -> str:
    found = report.violations
    out = ['<section id="violations"><h2>Hard-rule violations</h2>']
    if not found:
        out.append('<p class="ok">None: every shift keeps the scenario\'s rules (overrides '
                   "applied).</p></section>")
        return "\n".join(out)
    out.append(
        f'<p class="meta">{len(found)} violation{"s" if len(found) != 1 else ""} of the '
        "scenario's rules, overrides applied. Without the on-call time they concern, P0 peak "
        f"coverage would be <b>{report.p0_peak_coverage_within_rules:.1%}</b> instead of "
        f"{report.p0_peak_coverage:.1%}.</p>")
    head = ("engineer", "rule", "when (engineer's local time)", "UTC", "detail")
    out += ['<div class="scroll"><table class="violations" id="violation-table">',
            "<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in head) + "</tr></thead>",
            "<tbody>"]
    for v in found[:MAX_VIOLATION_ROWS]:
        engineer = scenario.engineer_by_id[v.engineer]
        local, utc = interval_text(v.start, v.end, engineer.timezone).split(" = ")
        out.append(
            f'<tr data-engineer="{escape(v.engineer)}" data-rule="{v.rule}">'
            f"<td>{escape(engineer.label)}</td><td><b>{v.rule}</b></td>"
            f'<td class="when">{escape(local)}</td>'
            f'<td class="when"><span title="{iso_z(v.start)}/{iso_z(v.end)}">{escape(utc)}</span></td>'
            f"<td>{escape(v.detail)}</td></tr>")
    out.append("</tbody></table></div>")
    if len(found) > MAX_VIOLATION_ROWS:
        out.append(f'<p class="note">{len(found) - MAX_VIOLATION_ROWS} more not shown; '
                   "<code>--format json</code> lists them all.</p>")
    out.append("</section>")
    return "\n".join(out)


def within_rules_note(report: GapReport) -> str:
    """Beside the coverage figure: how much of it comes from breaking the rules."""
    if not report.violations:
        return ""
    return (f'<span class="rules-note" id="within-rules"><b>{report.p0_peak_coverage_within_rules:.1%}'
            f"</b> within the rules: {len(report.violations)} hard-rule violation"
            f"{'s' if len(report.violations) != 1 else ''} "
            '(<a href="#violations">see below</a>)</span>')
