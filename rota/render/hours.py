"""The hours report as a terminal table and as payroll CSV.

The CSV has one line per engineer, local month and pay category with on-call time in it: the shape
payroll systems import (employee, period, pay code, hours, rate, amount). Hours are given to two
decimals and exact minutes; amounts are the exact decimals of `rota.pay`, so the lines of a month
add up to its amount and the hours to its on-call time.
"""

from __future__ import annotations

import csv
import io

from rich.console import Group as RichGroup
from rich.table import Table

from rota.hours import HoursReport
from rota.pay import money
from rota.report import minutes
from rota.scenario import PAY_CATEGORIES
from rota.spans import iso_z

CSV_COLUMNS = ("team", "engineer", "name", "email", "month", "period_start", "period_end",
               "category", "hours", "minutes", "rate", "currency", "amount")


def hours_csv(report: HoursReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in report.engineers:
        engineer = entry.engineer
        for month in entry.months:
            for category in PAY_CATEGORIES:
                seconds = month.tally.by_category[category]
                if not seconds:
                    continue
                pay = month.pay
                writer.writerow([
                    report.team, engineer.id, engineer.label, engineer.contact.email or "",
                    month.month, _z(month.start), _z(month.end), category,
                    f"{seconds / 3600:.2f}", minutes(seconds),
                    money(pay.rates[category]) if pay else "", pay.currency if pay else "",
                    money(pay.amounts[category]) if pay else "",
                ])
    return buffer.getvalue()


def _z(ts: int) -> str:
    return iso_z(ts)


def _h(seconds: int) -> str:
    return f"{seconds / 3600:.2f}" if seconds else "-"


def hours_table(report: HoursReport) -> RichGroup:
    table = Table(title=f"On-call hours of {report.team} (rota v{report.rota_version}), "
                        f"{_z(report.start)} to {_z(report.end)}, by local month",
                  title_justify="left")
    for column in ("engineer", "month", "on call h", "working", "awake", "asleep", "night",
                   "weekend", "holiday", "shifts", "handovers", "pay"):
        table.add_column(column, justify="left" if column in ("engineer", "month") else "right")
    for entry in report.engineers:
        for month in entry.months:
            tally = month.tally
            if not tally.on_call:
                continue
            table.add_row(
                entry.engineer.id, month.month, _h(tally.on_call), _h(tally.by_band["working"]),
                _h(tally.by_band["awake"]), _h(tally.by_band["asleep"]), _h(tally.night),
                _h(tally.weekend), _h(tally.public_holiday), str(tally.shifts), str(tally.handovers),
                f"{money(month.pay.amount)} {month.pay.currency}" if month.pay else "-",
            )
    overall = sum(e.total.on_call for e in report.engineers)
    idle = [e.engineer.id for e in report.engineers if not e.total.on_call]
    totals = Table(title="Totals", title_justify="left")
    totals.add_column("what")
    totals.add_column("amount", justify="right")
    totals.add_row("on-call hours", f"{overall / 3600:.2f}")
    for currency, amount in report.pay_totals().items():
        totals.add_row(f"pay ({currency})", f"{amount} {currency}")
    parts: list[object] = [table, totals]
    if idle:
        parts.append(f"not on call in this window: {', '.join(idle)}")
    return RichGroup(*parts)  # type: ignore[arg-type]
