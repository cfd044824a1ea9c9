"""The `pay` section: which table applies to whom, the payroll CSV, and errors with their paths."""

from __future__ import annotations

import copy
import csv
import io
from decimal import Decimal
from typing import Any

import pytest

from domain import at, rota, shift
from rota.errors import ScenarioInvalid
from rota.hours import hours_report
from rota.pay import rate_table
from rota.render.hours import hours_csv
from rota.validation import parse_scenario

TEAM: dict[str, Any] = {
    "team": "t", "horizon": {"start": "2026-12-07", "days": 28},
    "regions": [{"id": "eu", "timezone": "Europe/Berlin",
                 "peak_windows": [{"start": "19:00", "end": "23:00"}]}],
    "engineers": [
        {"id": "ana", "timezone": "Europe/Berlin", "regions": ["eu"], "holiday_country": "DE",
         "contact": {"email": "ana@example.com"}},
        {"id": "jo", "timezone": "Europe/Berlin", "regions": ["eu"]},
        {"id": "raj", "timezone": "Asia/Kolkata", "regions": ["eu"]},
    ],
    "pay": {"currency": "EUR", "rates": {"standard": 3, "night": 4.5, "weekend": 6, "public_holiday": 12},
            "overrides": [{"timezone": "Asia/Kolkata", "currency": "INR", "rates": {"standard": 100}},
                          {"engineers": ["jo"], "rates": {"standard": 5, "working": 0}}]},
}


def test_engineer_override_beats_office_beats_default() -> None:
    scenario = parse_scenario(TEAM)
    ana, jo, raj = scenario.engineers
    assert (rate_table(scenario, ana).currency, rate_table(scenario, ana).rates["night"]) == ("EUR", Decimal("4.5"))
    assert rate_table(scenario, ana).rates["working"] == Decimal("3")  # absent: paid as standard
    assert rate_table(scenario, jo).rates == {"standard": Decimal(5), "working": Decimal(0), "night": Decimal(5),
                                              "weekend": Decimal(5), "public_holiday": Decimal(5)}
    assert (rate_table(scenario, raj).currency, rate_table(scenario, raj).source) == ("INR", "timezone Asia/Kolkata")


def test_christmas_is_paid_as_a_holiday_and_totals_are_per_currency() -> None:
    scenario = parse_scenario(TEAM)
    # Ana: 24 h over Christmas Day in Berlin (a Friday, a public holiday); Raj: 10 h on a weekday.
    plan = rota("t", shift("ana", "2026-12-24T23:00Z", "2026-12-25T23:00Z"),
                shift("raj", "2026-12-08T04:30Z", "2026-12-08T14:30Z"))
    report = hours_report(scenario, plan)
    ana = report.engineers[0]
    december = ana.months[0]
    assert [m.month for m in ana.months] == ["2026-12", "2027-01"]
    assert december.tally.by_category["public_holiday"] == 24 * 3600
    assert december.pay is not None and december.pay.amount == Decimal("288.00")
    assert report.pay_totals() == {"EUR": "288.00", "INR": "1000.00"}
    body = report.to_json()
    assert body["totals"]["pay"] == [{"currency": "EUR", "amount": "288.00"},
                                     {"currency": "INR", "amount": "1000.00"}]
    assert body["engineers"][1]["total"]["on_call_hours"] == 0  # jo: listed, never on call


def test_payroll_csv_lines_add_up_to_the_on_call_time_and_pay() -> None:
    scenario = parse_scenario(TEAM)
    plan = rota("t", shift("ana", "2026-12-11T15:00Z", "2026-12-12T01:00Z"),
                shift("ana", "2026-12-31T20:00Z", "2027-01-01T06:00Z"))
    report = hours_report(scenario, plan)
    rows = list(csv.DictReader(io.StringIO(hours_csv(report))))
    assert {r["month"] for r in rows} == {"2026-12", "2027-01"}  # New Year's Eve split at local midnight
    assert sum(Decimal(r["minutes"]) for r in rows) == 20 * 60
    assert sum(Decimal(r["amount"]) for r in rows) == sum(
        (m.pay.amount for m in report.engineers[0].months if m.pay), Decimal(0))
    assert {r["email"] for r in rows} == {"ana@example.com"}
    new_year = [r for r in rows if r["month"] == "2027-01"]
    assert [(r["category"], r["hours"], r["rate"], r["amount"]) for r in new_year] == [
        ("public_holiday", "7.00", "12.00", "84.00")]  # 23:00Z is midnight in Berlin


def test_a_window_is_cut_to_local_months() -> None:
    scenario = parse_scenario(TEAM)
    plan = rota("t", shift("ana", "2026-12-08T08:00Z", "2026-12-08T16:00Z"))
    report = hours_report(scenario, plan, at("2026-12-08T12:00Z"), at("2026-12-09T00:00Z"))
    assert report.engineers[0].total.on_call == 4 * 3600
    assert report.engineers[0].total.shifts == 1 and report.engineers[0].total.handovers == 0


def _errors(mutate: Any) -> list[str]:
    data = copy.deepcopy(TEAM)
    mutate(data)
    with pytest.raises(ScenarioInvalid) as caught:
        parse_scenario(data)
    return [str(e) for e in caught.value.errors]


@pytest.mark.parametrize(("mutate", "expected"), [
    (lambda d: d["pay"].update(currency="euro"), "pay.currency: String should match pattern"),
    (lambda d: d["pay"]["rates"].update(night=-1), "pay.rates.night: Input should be greater than or equal to 0"),
    (lambda d: d["pay"]["rates"].pop("standard"), "pay.rates.standard: is required"),
    (lambda d: d["pay"]["rates"].update(overtime=9), "pay.rates.overtime: unknown key"),
    (lambda d: d["pay"]["overrides"][1].update(engineers=["jo", "nobody"]),
     "pay.overrides[1].engineers[1]: unknown engineer 'nobody'"),
    (lambda d: d["pay"]["overrides"][0].update(timezone="Asia/Tokyo"),
     "pay.overrides[0].timezone: no engineer is in time zone 'Asia/Tokyo'"),
    (lambda d: d["pay"]["overrides"][1].update(timezone="Europe/Berlin"),
     "pay.overrides[1]: give either engineers or timezone"),
    (lambda d: d["pay"]["overrides"].append({"engineers": ["jo"], "rates": {"standard": 1}}),
     "pay.overrides[2].engineers[0]: 'jo' already has rates in pay.overrides[1]"),
], ids=["currency", "negative-rate", "no-standard", "unknown-category", "unknown-engineer",
        "zone-of-no-one", "two-targets", "twice"])
def test_pay_errors_name_their_path(mutate: Any, expected: str) -> None:
    assert any(e.startswith(expected) for e in _errors(mutate)), _errors(mutate)
