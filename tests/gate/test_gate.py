"""`rota.gate`: exposure bars by currency, and amounts as people write them."""

from __future__ import annotations

import pytest

from domain import rota, scenario
from rota.errors import InvalidInput
from rota.gate import Bar, check, parse_bar

TWO_CURRENCIES = [
    {"id": "eu", "timezone": "Europe/Berlin", "peak_windows": [{"start": "19:00", "end": "23:00"}],
     "users_at_peak": 1000, "revenue_per_user_hour": 0.5, "currency": "EUR"},
    {"id": "cn", "timezone": "Asia/Shanghai", "peak_windows": [{"start": "19:00", "end": "23:00"}],
     "users_at_peak": 1000, "revenue_per_user_hour": 2.0, "currency": "CNY"},
]


@pytest.mark.parametrize(("text", "bar"), [
    ("1500000", Bar(1500000, None)), ("1,500,000", Bar(1500000, None)),
    ("1500000 usd", Bar(1500000, "USD")), ("2.5EUR", Bar(2.5, "EUR")),
], ids=["plain", "commas", "currency", "no space"])
def test_amounts(text: str, bar: Bar) -> None:
    assert parse_bar(text) == bar


def test_an_exposure_bar_in_several_currencies_must_name_one() -> None:
    team = scenario(regions=TWO_CURRENCIES, engineers=[], horizon={"start": "2026-12-07", "days": 1})
    with pytest.raises(InvalidInput, match="in 2 currencies"):
        check(team, rota("t"), max_exposure=Bar(100, None))
    # 4 peak hours x 1000 users: 2,000 EUR and 8,000 CNY
    assert check(team, rota("t"), max_exposure=Bar(2000, "EUR")).passed
    [reason] = check(team, rota("t"), max_exposure=Bar(2000, "CNY")).reasons
    assert reason.detail == "exposure 8,000 CNY is over the bar of 2,000 CNY"
