"""Who is on call when: a rota's shifts with its overrides applied, per engineer.

Overrides apply in the order given. One with `replaces` hands over whatever part of its span the
replaced engineer is on call (as GoAlert's replace overrides do: "Ben takes Ana's on-call
Tuesday" never puts Ben on call where Ana was not); one without `replaces` puts its engineer on
call for the whole span. Shifts of one engineer that touch or overlap count once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rota.rotafile import Override, Rota, Shift
from rota.spans import Instant, Span, clip, intersect, merge, subtract, to_ts


def on_call_spans(
    shifts: Iterable[Shift], overrides: Iterable[Override], lo: Instant, hi: Instant
) -> dict[str, list[Span]]:
    """Merged on-call spans per engineer id, cut to [lo, hi); engineers never on call are absent."""
    raw: dict[str, list[Span]] = defaultdict(list)
    for shift in shifts:
        raw[shift.engineer].append((to_ts(shift.start), to_ts(shift.end)))
    spans = {engineer: merge(s) for engineer, s in raw.items()}
    for override in overrides:
        span = [(to_ts(override.start), to_ts(override.end))]
        if override.replaces is not None:
            replaced = spans.get(override.replaces, [])
            span = intersect(replaced, span)
            spans[override.replaces] = subtract(replaced, span)
        spans[override.engineer] = merge([*spans.get(override.engineer, []), *span])
    out = {engineer: clip(s, lo, hi) for engineer, s in spans.items()}
    return {engineer: s for engineer, s in out.items() if s}


def rota_on_call(rota: Rota, lo: Instant, hi: Instant) -> dict[str, list[Span]]:
    return on_call_spans(rota.shifts, rota.overrides, lo, hi)
