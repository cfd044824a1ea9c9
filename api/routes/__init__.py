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
<<<<<<< HEAD
<<<<<<< HEAD
<<<<<<< HEAD
<<<<<<< HEAD
    gaps.router, handoffs.router, calendars.router, report.router, slack.router,
    pagerduty.router, opsgenie.router, docs.router, metrics.router,
=======
    gaps.router, handoffs.router, hours.router, calendars.router, report.router, slack.router,
=======
=======
>>>>>>> 2b0ef9b (Calibration: rota calibrate and POST /v1/teams/{team}/calibration fit response minutes per engineer and band from acknowledgements (generic CSV, PagerDuty export), log-normal with empirical-Bayes pooling, scenario patch and the gaps it changes, whom to test-page; bench/months.py measures recovery)
    gaps.router, handoffs.router, hours.router, leave.router, calendars.router, report.router, slack.router,
>>>>>>> 4b7acb6 (Leave from calendars: rota leave import and PUT /v1/teams/{team}/leave turn out-of-office events (iCal, CSV) into unavailable entries keyed by UID (idempotent), note every event not stored as it was, and list the gaps the new leave opens)
    pagerduty.router, opsgenie.router, docs.router,
<<<<<<< HEAD
>>>>>>> ef92970 (Hours and pay: rota hours and GET /v1/teams/{team}/hours per engineer and local month (bands, nights, weekends, holidays, shifts, handovers), optional scenario pay section with per-office and per-engineer rates, payroll CSV; held against an independent minute count)
=======
=======
    gaps.router, handoffs.router, hours.router, leave.router, calibration.router,
    calendars.router, report.router, slack.router,
    pagerduty.router, opsgenie.router,
>>>>>>> e66e2c9 (Calibration: rota calibrate and POST /v1/teams/{team}/calibration fit response minutes per engineer and band from acknowledgements (generic CSV, PagerDuty export), log-normal with empirical-Bayes pooling, scenario patch and the gaps it changes, whom to test-page; bench/months.py measures recovery)
>>>>>>> 2b0ef9b (Calibration: rota calibrate and POST /v1/teams/{team}/calibration fit response minutes per engineer and band from acknowledgements (generic CSV, PagerDuty export), log-normal with empirical-Bayes pooling, scenario patch and the gaps it changes, whom to test-page; bench/months.py measures recovery)
=======
    gaps.router, handoffs.router, hours.router, leave.router, calibration.router,
    calendars.router, report.router, slack.router,
    pagerduty.router, opsgenie.router, docs.router,
>>>>>>> 8c37e56 (Routes: register calibration beside the new docs router (a rebase left conflict markers in api/routes/__init__.py))
]
