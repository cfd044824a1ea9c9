"""`GET /v1/teams/{team}/report` (read): the coverage report page, HTML with SVG.

Browsers cannot send a bearer header from a link, so this page (only) also takes the token as
`?access_token=` (RFC 6750 section 2.3). A token in a URL ends up in browser history and proxy logs,
so there only a `read` token is accepted (a `plan` or `admin` one is refused with 403: give links a
`read` token limited to the team), and the page is sent with `Cache-Control: no-store` and
`Referrer-Policy: no-referrer` so it is neither cached nor leaked to the sites it links to.

Better than a token in a URL: `POST /v1/teams/{team}/report-link` (a `read` token in the header)
answers a signed link that opens the page until it expires, and holds no token at all
(`rota_api.reportlinks`).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from rota.errors import FieldError, InvalidInput
from rota.history import rota_carried_json
from rota.published_history import published_history
from rota.report import gap_report
from rota.reportlink import report_path
from rota.spans import to_ts
from rota.store import Token
from rota_api.deps import ReadAccess, ServicesDep, parse_window, services_of
from rota_api.openapi import answer
from rota_api.problems import READ_ERRORS, Forbidden, Unavailable, responses
from rota_api.schemas import Feed

router = APIRouter(prefix="/v1/teams", tags=["report"])
PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


async def _page_access(request: Request, team: str,
                       access_token: Annotated[str | None, Query(max_length=200)] = None,
                       expires: Annotated[int | None, Query(ge=0, le=2**40)] = None,
                       signature: Annotated[str | None, Query(max_length=100)] = None
                       ) -> Token | None:
    header = request.headers.get("authorization")
    if header is None and (expires is not None or signature is not None):
        if expires is None or not signature:
            raise Forbidden("a report link needs both `expires` and `signature`")
        services_of(request).links.check(team, report_path(team), expires, signature,
                                         int(time.time()))
        return None
    if header is not None or not access_token:
        return await services_of(request).tokens.authorize(header, "read", team)
    token = await services_of(request).tokens.authorize(f"Bearer {access_token}", "read", team)
    if token.scope != "read":
        raise Forbidden(f"a token in a link must have scope 'read', not {token.scope!r}; "
                        f"make one with `rota token create --scope read --team {team}`")
    return token


@router.get("/{team}/report", response_class=HTMLResponse, response_model=None,
            responses={**answer(Feed, description="the report page", media_type="text/html"),
                       **responses(*READ_ERRORS)})
def report_page(team: str, services: ServicesDep,
                _token: Annotated[Token | None, Depends(_page_access)],
                start: Annotated[str | None, Query(alias="from")] = None,
                end: Annotated[str | None, Query(alias="to")] = None) -> HTMLResponse:
    """The coverage report of the current rota version; from the horizon's start, with each
    engineer's burden carried in from the published versions before it, added and carried out."""
    current = services.current.get(team)
    rota = current.require_rota()
    scenario = current.scenario
    report = gap_report(scenario, rota, *parse_window(start, end, scenario.horizon))
    try:
        from rota.render.html import report_page as render
    except ImportError:
        raise Unavailable("the HTML report is not available in this build") from None
    carried = None
    if report.start == to_ts(scenario.horizon.start_at):  # carried in meets what is added
        history = published_history(services.store, scenario)
        carried = rota_carried_json(scenario, rota, history, report.engineers)
    return HTMLResponse(render(scenario, rota, report, carried), headers=PAGE_HEADERS)



class LinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expires_in_seconds: int | None = Field(
        default=None, ge=1, description="how long the link opens the page (default "
        "`ROTA_LINK_DEFAULT_SECONDS`, at most `ROTA_LINK_MAX_SECONDS`)")


class ReportLink(BaseModel):
    url: str = Field(description="the report page, signed; no token in it")
    expires_at: dt.datetime


@router.post("/{team}/report-link", response_model=ReportLink,
             responses=responses(401, 403, 404, 422, 503))
def report_link(team: str, request: Request, services: ServicesDep, _token: ReadAccess,
                body: LinkRequest | None = None) -> ReportLink:
    """A signed link to the team's report page that expires (for a chat or a wiki: it holds no
    token). Made with a `read` token (or a higher one) in the `Authorization` header."""
    services.store.teams.state_revision(team)  # 404 for a team that does not exist
    settings = services.settings
    seconds = body.expires_in_seconds if body and body.expires_in_seconds else \
        settings.link_default_seconds
    if seconds > settings.link_max_seconds:
        raise InvalidInput([FieldError("expires_in_seconds", f"{seconds} is more than the "
                                       f"{settings.link_max_seconds} s a link may last")],
                           "request")
    expires = int(time.time()) + seconds
    path = report_path(team)
    query = urlencode({"expires": expires, "signature": services.links.signature(team, path,
                                                                                 expires)})
    return ReportLink(url=f"{str(request.base_url).rstrip('/')}{path}?{query}",
                      expires_at=dt.datetime.fromtimestamp(expires, dt.UTC))
