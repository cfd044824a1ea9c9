"""The report page's "Burden across periods" section: per engineer, what the team's earlier
rotas carried in over the look-back window, what this rota adds, and what it carries out, each
per 40 h of weekly capacity (the report's `carried`, `rota.history.carried_json`); and the burden
nobody else can take (`rota.forced`), with what would let it be shared."""

from __future__ import annotations

from html import escape
from typing import Any

COLUMNS = (("on call", "on_call_hours_per_40h"), ("asleep", "asleep_hours_per_40h"),
           ("night", "night_hours_per_40h"), ("weekend", "weekend_hours_per_40h"),
           ("holiday", "public_holiday_hours_per_40h"))


def carried_section(carried: dict[str, Any] | None) -> str:
    if carried is None:
        return ""
    sources = ", ".join(escape(s) for s in carried["sources"]) or "none published"
    head = "".join(f'<th scope="col">{name}<br><span class="muted">in + added = out</span></th>'
                   for name, _ in COLUMNS)
    rows = []
    for line in carried["engineers"]:
        cells = "".join(
            f"<td>{line['carried_in'][key]:g} + {line['added'][key]:g} = "
            f"<b>{line['carried_out'][key]:g}</b></td>" for _, key in COLUMNS)
        rows.append(f'<tr data-engineer="{escape(line["engineer"])}"><td>'
                    f'{escape(line["engineer"])}</td>{cells}</tr>')
    spread = ", ".join(f"{name} {carried['carried_out_spread'][key]['spread']:g} h"
                       for name, key in COLUMNS)
    notes = "".join(f'<p class="note">{escape(n)}</p>' for n in carried["notes"])
    forced = "".join(f'<li data-engineer="{escape(f["engineer"])}">{escape(f["sentence"])}</li>'
                     for f in carried.get("forced", []))
    if forced:
        forced = ('<h3>Burden nobody else can take</h3><p class="meta">On call where no one else '
                  'serving the region could answer: no rota covers that time without them.</p>'
                  f'<ul class="forced" id="forced">{forced}</ul>')
    return "\n".join([
        '<section id="carried"><h2>Burden across periods</h2>',
        f'<p class="meta">Hours per 40 h of weekly capacity. Carried in: earlier rotas over the '
        f'{carried["lookback_days"]} days before the horizon ({escape(carried["from"])} to '
        f'{escape(carried["to"])}; {sources}); added: this rota; carried out: their sum. '
        f"Spread across engineers of what is carried out: {spread}.</p>", notes,
        '<div class="scroll"><table class="carried" id="carried-table"><thead><tr>'
        f'<th scope="col">engineer</th>{head}</tr></thead><tbody>', *rows,
        "</tbody></table></div>", forced, "</section>",
    ])
