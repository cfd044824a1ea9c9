"""One router per concept; `ROUTERS` is what the app includes, in order."""

from __future__ import annotations

from fastapi import APIRouter

from rota_api import metrics
from rota_api.compat import opsgenie, pagerduty
from rota_api.routes import (
    calendars,
    docs,
    gaps,
    handoffs,
    health,
    hours,
    now,
    overrides,
    plans,
    report,
    rota,
    slack,
    teams,
)

ROUTERS: list[APIRouter] = [
    now.router, health.router, teams.router, rota.router, plans.router, overrides.router,
<<<<<<< HEAD
    gaps.router, handoffs.router, calendars.router, report.router, slack.router,
    pagerduty.router, opsgenie.router, docs.router, metrics.router,
=======
    gaps.router, handoffs.router, hours.router, calendars.router, report.router, slack.router,
    pagerduty.router, opsgenie.router, docs.router,
>>>>>>> ef92970 (Hours and pay: rota hours and GET /v1/teams/{team}/hours per engineer and local month (bands, nights, weekends, holidays, shifts, handovers), optional scenario pay section with per-office and per-engineer rates, payroll CSV; held against an independent minute count)
]
