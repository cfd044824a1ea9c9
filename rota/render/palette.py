"""Colours, textures and words of the report page, shared by its charts and legend.

Colours are the Okabe-Ito palette, distinguishable with the common colour-vision deficiencies;
each state also has its own texture (solid, dots, cross-hatch, stripes) and a text label, so no
meaning rests on colour alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from rota.scenario import Band

CellState = Literal["covered", "short_handed", "uncovered", "structural", "not_required", "outside"]
STATE_ORDER: tuple[CellState, ...] = (
    "structural", "uncovered", "short_handed", "covered", "not_required", "outside",
)
"""Worst first: a cell shows the worst state of any instant inside it."""

STATE_LABEL: dict[CellState, str] = {
    "covered": "covered",
    "short_handed": "short-handed",
    "uncovered": "uncovered",
    "structural": "structural gap",
    "not_required": "nothing required",
    "outside": "outside the window",
}
STATE_HELP: dict[CellState, str] = {
    "covered": "enough qualified responders on call",
    "short_handed": "some qualify, fewer than required",
    "uncovered": "no one on call qualifies; a better rota could cover it",
    "structural": "no rota could cover it with these engineers: a hire is needed",
    "not_required": "the region requires nothing here",
    "outside": "not in the analysed window, or a local hour skipped by DST",
}
STATE_FILL: dict[CellState, str] = {
    "covered": "#009E73",
    "short_handed": "url(#tex-short)",
    "uncovered": "url(#tex-uncovered)",
    "structural": "url(#tex-structural)",
    "not_required": "#EEEEEE",
    "outside": "#FFFFFF",
}
STATE_SWATCH: dict[CellState, str] = {  # the base colour, for the legend's text
    "covered": "#009E73", "short_handed": "#F0E442", "uncovered": "#D55E00",
    "structural": "#CC79A7", "not_required": "#EEEEEE", "outside": "#FFFFFF",
}

BAND_FILL: dict[Band, str] = {
    "working": "#0072B2",
    "awake": "url(#tex-awake)",
    "asleep": "url(#tex-asleep)",
}
BAND_HELP: dict[Band, str] = {
    "working": "inside working hours: answers fastest",
    "awake": "at home and awake",
    "asleep": "inside the sleep window: slowest to answer",
}
BAND_BACKGROUND: dict[Band, str] = {"working": "#D6E6F2", "awake": "#FBEBCB", "asleep": "#DDDDDD"}

CAUSE_TEXT: dict[str, str] = {
    "no_responder": "no one on call serves the region",
    "unavailable": "the one on call is on leave",
    "too_slow": "on call but slower than the target (asleep or off hours)",
    "short_handed": "fewer qualified than required",
}

TEXTURES = """<svg class="defs" width="0" height="0" aria-hidden="true" focusable="false">
<defs>
<pattern id="tex-short" width="5" height="5" patternUnits="userSpaceOnUse">
<rect width="5" height="5" fill="#F0E442"/><circle cx="2.5" cy="2.5" r="1" fill="#000"/></pattern>
<pattern id="tex-uncovered" width="6" height="6" patternUnits="userSpaceOnUse">
<rect width="6" height="6" fill="#D55E00"/>
<path d="M0 0L6 6M6 0L0 6" stroke="#000" stroke-width="0.8"/></pattern>
<pattern id="tex-structural" width="6" height="6" patternUnits="userSpaceOnUse"
 patternTransform="rotate(45)">
<rect width="6" height="6" fill="#CC79A7"/><rect width="2.5" height="6" fill="#000"/></pattern>
<pattern id="tex-awake" width="5" height="5" patternUnits="userSpaceOnUse">
<rect width="5" height="5" fill="#E69F00"/><circle cx="2.5" cy="2.5" r="1" fill="#000"/></pattern>
<pattern id="tex-asleep" width="6" height="6" patternUnits="userSpaceOnUse"
 patternTransform="rotate(45)">
<rect width="6" height="6" fill="#333333"/><rect width="2" height="6" fill="#FFFFFF"/></pattern>
</defs></svg>"""


def offset_text(moment: dt.datetime) -> str:
    """`UTC+05:45` for an aware datetime."""
    offset = moment.utcoffset() or dt.timedelta()
    sign = "-" if offset < dt.timedelta() else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
