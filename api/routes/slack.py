"""`POST /v1/slack/commands`: the `/oncall [team] [region] [severity]` slash command.

Authenticated by Slack's request signature (`rota_api.slack`), not by a bearer token. Unsigned, badly
signed or stale requests get 401; when `ROTA_SLACK_SIGNING_SECRET` is unset, 503.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from rota_api import slack
from rota_api.deps import ServicesDep
from rota_api.openapi import answer
from rota_api.problems import Unavailable, responses
from rota_api.routes.body import raw_body_doc
from rota_api.schemas import SlackMessage

router = APIRouter(prefix="/v1/slack", tags=["slack"])


@router.post("/commands", openapi_extra=raw_body_doc("application/x-www-form-urlencoded"),
             response_model=None,
             responses={**answer(SlackMessage, description="a Slack message"),
                        **responses(401, 413, 503)})
async def slash_command(request: Request, services: ServicesDep) -> dict[str, Any]:
    """Who responds now, in Slack's message format."""
    secret = services.settings.slack_signing_secret
    if secret is None:
        raise Unavailable("Slack is not configured (ROTA_SLACK_SIGNING_SECRET)")
    body = await request.body()
    slack.verify_signature(secret.get_secret_value(),
                           request.headers.get("x-slack-request-timestamp"), body,
                           request.headers.get("x-slack-signature"), time.time())
    form = parse_qs(body.decode("utf-8", errors="replace"))
    text = (form.get("text") or [""])[0]
    return await run_in_threadpool(_answer, services, text)


def utc_now() -> dt.datetime:
    """The instant a command asks about (the request's time; tests set it)."""
    return dt.datetime.now(dt.UTC)


def _answer(services: Any, text: str) -> dict[str, Any]:
    teams = services.store.teams.team_ids()
    team, words = slack.parse_command(text, teams, services.settings.slack_team)
    if team is None or team not in teams:
        known = ", ".join(teams) or "none yet"
        return slack.usage(f"Which team? Known teams: {known}.")
    current = services.current.get(team)
    command = slack.read_words(words, current.scenario)
    if command.problem:
        return slack.usage(command.problem)
    if current.rota is None:
        return slack.usage(f"Team {team} has no rota yet.")
    answer = current.now(utc_now(), command.region, command.severity)
    return slack.message(answer)
