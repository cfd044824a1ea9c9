"""One router per concept; `ROUTERS` is what the app includes, in order."""

from __future__ import annotations

from fastapi import APIRouter

from rota_api import metrics
from rota_api.compat import opsgenie, pagerduty
from rota_api.routes import (
    calendars,
    calibration,
    docs,
    gaps,
    handoffs,
    health,
    hours,
    leave,
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
    gaps.router, handoffs.router, hours.router, leave.router, calibration.router,
    calendars.router, report.router, slack.router,
    pagerduty.router, opsgenie.router, docs.router, metrics.router,
]
