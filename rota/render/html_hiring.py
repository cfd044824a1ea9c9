"""The report page's hire advice: `rota.hiring`'s suggestions, in words.

The text says what the figures assume (the candidates, their own hours and public holidays, one
person's weekly cap), so a reader can act on "hire in Berlin" knowing Berlin's Christmas is counted.
"""

from __future__ import annotations

from html import escape

from rota.render.headline import Headline


def hire_section(summary: Headline) -> str:
    where = ("the candidates the scenario lists under <code>hiring.candidates</code>"
             if summary.hire_candidates_listed else
             "the team's own office zones, each with that office's public holidays")
    out = ['<div id="hire"><h3>Where one hire would close structural gaps</h3>',
           f'<p class="meta">Candidates: {where}. Each is a hypothetical engineer serving every '
           "region with the team's default response minutes, their own working hours and sleep, "
           "and their own public holidays (no on-call on them unless the rules allow holiday work), "
           "on call at most the weekly hours cap. Closed: structural time where exactly one "
           "engineer is missing and the hire would answer in time; an upper bound, as shift "
           "lengths and rest are not modelled. Offsets as at the window start.</p>"]
    if summary.hires:
        items = "".join(
            f'<li data-zone="{escape(h.timezone)}"><b>{escape(h.timezone)}</b> ({h.utc_offset}'
            f"{', holidays ' + escape(h.holiday_country) if h.holiday_country else ''}): closes "
            f"{h.closes_seconds / 3600:.1f} h of structural time, "
            + ", ".join(f"{escape(r)} {s / 3600:.1f} h" for r, s in h.regions.items())
            + "</li>" for h in summary.hires)
        out.append(f"<ol>{items}</ol>")
    elif not summary.structural_seconds:
        out.append("<p>No structural gaps: re-planning with the engineers you have can close "
                   "every gap.</p>")
    else:
        out.append("<p>No single candidate closes any of it: where the structural time lies, "
                   "more than one engineer is missing, or no candidate would answer in time.</p>")
    out.append("</div>")
    return "".join(out)
