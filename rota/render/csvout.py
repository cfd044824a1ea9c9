"""The gap list as CSV: one row per gap, the columns of the JSON gap, exposure split in two.
Booleans are written as JSON writes them (`true`, `false`), not as Python's `True`."""

from __future__ import annotations

import csv
import io

from rota.report import GapReport, gap_json

COLUMNS = ("region", "severity", "start", "end", "minutes", "required", "qualified", "cause",
           "structural", "peak", "exposure_amount", "exposure_currency")


def gaps_csv(report: GapReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for gap in report.gaps:
        row = gap_json(gap)
        exposure = row.pop("exposure") or {}
        writer.writerow([*(_cell(row[c]) for c in COLUMNS[:10]), exposure.get("amount", ""),
                         exposure.get("currency", "") or ""])
    return buffer.getvalue()


def _cell(value: object) -> object:
    return ("true" if value else "false") if isinstance(value, bool) else value
