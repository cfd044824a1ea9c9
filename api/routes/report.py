"""`GET /v1/teams/{team}/report` (read): the coverage report page, HTML with SVG.

Browsers cannot send a bearer header from a link, so this page (only) also takes the token as
`?access_token=` (RFC 6750 section 2.3). A token in a URL ends up in browser history and proxy logs,
so there only a `read` token is accepted (a `plan` or `admin` one is refused with 403: give links a
`read` token limited to the team), and the page is sent with `Cache-Control: no-store` and
`Referrer-Policy: no-referrer` so it is neither cached nor leaked to the sites it links to.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from rota.history import carried_json
from rota.published_history import published_history
from rota.report import gap_report
from rota.spans import to_ts
from rota.store import Token
from rota_api.deps import ServicesDep, parse_window, services_of
from rota_api.openapi import answer
from rota_api.problems import READ_ERRORS, Forbidden, Unavailable, responses
from rota_api.schemas import Feed

router = APIRouter(prefix="/v1/teams", tags=["report"])
PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


async def _page_access(request: Request, team: str,
                       access_token: Annotated[str | None, Query(max_length=200)] = None
                       ) -> Token:
    header = request.headers.get("authorization")
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
                _token: Annotated[Token, Depends(_page_access)],
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
        carried = carried_json(scenario, history, report.engineers)
    return HTMLResponse(render(scenario, rota, report, carried), headers=PAGE_HEADERS)
