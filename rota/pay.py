"""On-call pay: which rate table applies to an engineer, which category an hour falls in, and
money to the cent.

Every on-call second falls in exactly one pay category, the first that applies in this order:
`public_holiday` (a local public holiday of the engineer), `weekend` (local Saturday or Sunday),
`night` (local 22:00-06:00), `working` (inside their working hours), else `standard`. So the
categories partition the on-call time and the hours of a payslip add up to it exactly.

Rates: an override naming the engineer beats one naming their time zone (an office), which beats
the scenario's default table; an override's table replaces the default whole, in the override's
currency (default: the table's). Amounts are exact decimals of seconds x rate / 3600, rounded
half-up to two decimal places per category line; a month's amount is the sum of its lines and a
total the sum of its months, so every figure a payroll system sees adds up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rota.errors import FieldError
from rota.scenario import PAY_CATEGORIES, Engineer, PayCategory, PayRates, Scenario

CENT = Decimal("0.01")
PAY_ORDER: tuple[PayCategory, ...] = ("public_holiday", "weekend", "night", "working", "standard")
assert set(PAY_ORDER) == set(PAY_CATEGORIES)


@dataclass(frozen=True)
class RateTable:
    currency: str
    rates: dict[PayCategory, Decimal]
    source: str  # "default", "timezone Asia/Kolkata" or "engineer"


@dataclass(frozen=True)
class Payment:
    currency: str
    rates: dict[PayCategory, Decimal]
    amounts: dict[PayCategory, Decimal]

    @property
    def amount(self) -> Decimal:
        return sum(self.amounts.values(), Decimal(0))

    def __add__(self, other: Payment) -> Payment:
        amounts = {c: self.amounts[c] + other.amounts[c] for c in PAY_CATEGORIES}
        return Payment(self.currency, self.rates, amounts)

    def to_json(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "rates": {c: money(r) for c, r in self.rates.items()},
            "amount_by_category": {c: money(a) for c, a in self.amounts.items()},
            "amount": money(self.amount),
        }


def money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def rate_table(scenario: Scenario, engineer: Engineer) -> RateTable | None:
    """The engineer's rates, or None when the scenario gives no pay section."""
    pay = scenario.pay
    if pay is None:
        return None
    chosen, currency, source = pay.rates, pay.currency, "default"
    for override in pay.overrides:
        if override.timezone == engineer.timezone and source == "default":
            chosen, currency = override.rates, override.currency or pay.currency
            source = f"timezone {override.timezone}"
    for override in pay.overrides:
        if override.engineers and engineer.id in override.engineers:
            chosen, currency, source = override.rates, override.currency or pay.currency, "engineer"
    return RateTable(currency, _decimal_rates(chosen), source)


def _decimal_rates(rates: PayRates) -> dict[PayCategory, Decimal]:
    return {c: Decimal(str(rates.rate(c))) for c in PAY_CATEGORIES}


def payment(table: RateTable, seconds: Mapping[PayCategory, int]) -> Payment:
    amounts = {
        c: (Decimal(seconds.get(c, 0)) * table.rates[c] / 3600).quantize(CENT, rounding=ROUND_HALF_UP)
        for c in PAY_CATEGORIES
    }
    return Payment(table.currency, dict(table.rates), amounts)


def pay_checks(raw: Any, engineers: list[Any]) -> list[FieldError]:
    """Cross-field checks of the `pay` section: known engineers, one override per engineer and
    per time zone, and a time zone some engineer is in (a typo would otherwise pay no one)."""
    if not isinstance(raw, dict):
        return []
    ids = {e.get("id") for e in engineers if isinstance(e, dict)}
    zones = {e.get("timezone") for e in engineers if isinstance(e, dict)}
    errors: list[FieldError] = []
    seen: dict[str, str] = {}
    overrides = raw.get("overrides")
    for i, override in enumerate(overrides if isinstance(overrides, list) else []):
        if not isinstance(override, dict):
            continue
        path = f"pay.overrides[{i}]"
        named = override.get("engineers")
        for j, engineer in enumerate(named if isinstance(named, list) else []):
            if not isinstance(engineer, str):
                continue
            if ids and engineer not in ids:
                errors.append(FieldError(f"{path}.engineers[{j}]", f"unknown engineer {engineer!r}"))
            elif engineer in seen:
                errors.append(FieldError(f"{path}.engineers[{j}]", f"{engineer!r} already has rates "
                                                                   f"in {seen[engineer]}"))
            else:
                seen[engineer] = path
        zone_name = override.get("timezone")
        if isinstance(zone_name, str):
            key = f"timezone {zone_name}"
            if key in seen:
                errors.append(FieldError(f"{path}.timezone", f"{zone_name!r} already has rates in {seen[key]}"))
            elif zones and zone_name not in zones:
                errors.append(FieldError(f"{path}.timezone", f"no engineer is in time zone {zone_name!r}"))
            seen[key] = path
    return errors
