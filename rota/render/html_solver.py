"""The report page's line on how a planned rota was made: what the planner achieved.

A rota written by the planner carries `solver.achieved` (`rota/planner/outcome.py`): proved optimal,
improved but not proved (with the optimality gap of the stage it names, or none when the time
windows made it), or only the constructive start. The page says the same as the rota file, the CLI
headline and the API's plan record. A rota from elsewhere (hand-drawn, imported) has no such line.
"""

from __future__ import annotations

from html import escape

from rota.rotafile import Rota

STAGE_LABEL = {
    "peak_uncovered": "P0 peak coverage",
    "uncovered": "all-demand coverage",
    "asleep": "minutes asleep",
    "off_hours": "minutes out of hours",
    "fairness": "fairness",
}


def achieved_note(rota: Rota) -> str:
    """A paragraph saying what the planner achieved for this rota ("" when it was not planned)."""
    if rota.solver is None:
        return ""
    extra = rota.solver.model_extra or {}
    achieved = extra.get("achieved")
    seconds = rota.solver.seconds
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    if achieved == "proved_optimal":
        text = f"<b>Proved optimal</b>{took}: every stage of the planner's objective."
    elif achieved == "improved":
        stage, gap = extra.get("gap_stage"), extra.get("gap")
        if stage:
            label = escape(STAGE_LABEL.get(str(stage), str(stage)))
            gap_text = f"{float(gap):.1%}" if isinstance(gap, int | float) else "unknown"
            text = (f"<b>Improved, not proved optimal</b>{took}: better than the constructive "
                    f"start; the stage <i>{label}</i> (<code>{escape(str(stage))}</code>) has an "
                    f"optimality gap of <b>{gap_text}</b>.")
        else:
            text = (f"<b>Improved, not proved optimal</b>{took}: better than the constructive "
                    "start by local search; no bound to measure a gap against.")
    elif achieved == "constructive":
        text = (f"<b>Constructive start only</b>{took}: the search had no time or found nothing "
                "better; a longer time limit may improve it.")
    else:
        text = f"Planner status <b>{escape(rota.solver.status)}</b>{took}."
    value = escape(str(achieved)) if achieved else ""
    return f'<p class="meta achieved" id="achieved" data-achieved="{value}">Planned: {text}</p>'
