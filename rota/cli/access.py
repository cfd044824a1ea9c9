"""`rota token create|list|revoke`, `rota feed create|revoke` and `rota report-link`: who may read
and write.

A token is printed once, when made (stdout, so scripts can capture it; what it grants and which
store holds it go to stderr). It may expire: `--expires-in 30d` (m, h, d or w) or `--expires T` (an
ISO 8601 instant); from then on the API answers it 401. `token list` never shows a secret.
`report-link` prints a signed link to a team's report page (`rota.reportlink`), signed with
`ROTA_LINK_SECRET`, which must be the API's.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlencode

import typer
from rich.table import Table

from rota.cli.app import app, err, out, parse_instant, reports_errors
from rota.cli.database import open_store, store_description
from rota.errors import FieldError, InvalidInput, NotFound
from rota.reportlink import MAX_SECONDS, link_signature, report_path

if TYPE_CHECKING:
    from rota.store import TokenInfo

token_app = typer.Typer(help="API tokens: made once and shown once, stored as hashes.",
                        no_args_is_help=True)
feed_app = typer.Typer(help="Per-engineer calendar feed URLs (secret, revocable).",
                       no_args_is_help=True)
app.add_typer(token_app, name="token")
app.add_typer(feed_app, name="feed")

_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def expiry(expires_in: str | None, expires: str | None, clock: dt.datetime) -> dt.datetime | None:
    """When a new token expires, from `--expires-in` (relative to `clock`) or `--expires`."""
    if expires_in is not None and expires is not None:
        raise InvalidInput([FieldError("--expires-in", "give --expires-in or --expires, not both")],
                           "option")
    if expires_in is not None:
        match = _DURATION.match(expires_in)
        if not match or int(match.group(1)) == 0:
            raise InvalidInput([FieldError("--expires-in", f"{expires_in!r} is not a duration like "
                                            "90m, 12h, 30d or 2w")], "option")
        return clock + dt.timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    at = parse_instant(expires, "--expires")
    if at is not None and at <= clock:
        raise InvalidInput([FieldError("--expires", f"{expires!r} is not in the future")], "option")
    return at


@token_app.command("create")
@reports_errors
def token_create(
    scope: Annotated[str, typer.Option(help="read, plan or admin (each includes the ones before).")],
    team: Annotated[list[str] | None, typer.Option(help="Limit to this team (repeatable).")] = None,
    label: Annotated[str | None, typer.Option(help="Who or what the token is for.")] = None,
    expires_in: Annotated[str | None, typer.Option(
        "--expires-in", help="Expire after this long: 90m, 12h, 30d, 2w.")] = None,
    expires: Annotated[str | None, typer.Option(
        help="Expire at this instant (ISO 8601; a date is UTC midnight).")] = None,
) -> None:
    """Make an API token and print it (it is shown only this once)."""
    until = expiry(expires_in, expires, dt.datetime.now(dt.UTC))
    store = open_store()
    try:
        secret, token = store.tokens.create(scope, team or None, label, until)
    finally:
        store.close()
    ends = f", expires {_instant(until)}" if until else ""
    err.print(f"token {token.id}: scope {token.scope}, teams "
              f"{', '.join(token.teams) if token.teams else 'all'}{ends}; stored in "
              f"{store_description()}", highlight=False, markup=False)
    typer.echo(secret)


@token_app.command("list")
@reports_errors
def token_list() -> None:
    """Every token by id: scope, teams, label, created, expires, last used, status (never the secret)."""
    store = open_store()
    try:
        found = store.tokens.all_tokens()
    finally:
        store.close()
    if not found:
        err.print(f"no tokens in {store_description()}", highlight=False, markup=False)
        return
    out.print(_token_table(found, dt.datetime.now(dt.UTC)))


def _token_table(found: list[TokenInfo], clock: dt.datetime) -> Table:
    table = Table(title=f"API tokens ({len(found)})")
    for column in ("id", "scope", "teams", "label", "created (UTC)", "expires (UTC)",
                   "last used (UTC)", "status"):
        table.add_column(column, overflow="fold")
    for info in found:
        token = info.token
        table.add_row(token.id, token.scope, ", ".join(token.teams) if token.teams else "all",
                      token.label or "", _instant(info.created_at), _instant(token.expires_at),
                      _instant(info.last_used_at), info.status(clock))
    return table


def _instant(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M") if value else "-"


@token_app.command("revoke")
@reports_errors
def token_revoke(token_id: Annotated[str, typer.Argument(help="The id `token list` shows.")]) -> None:
    """Revoke a token (servers may honour it for ROTA_TOKEN_CACHE_SECONDS more)."""
    store = open_store()
    try:
        store.tokens.revoke(token_id)
    finally:
        store.close()
    err.print(f"revoked {token_id}", highlight=False)


@feed_app.command("create")
@reports_errors
def feed_create(team: str, engineer: str,
                base_url: Annotated[str, typer.Option(help="Where the API is reached.")]
                = "http://127.0.0.1:8000") -> None:
    """Make (or remake, revoking the old) an engineer's calendar feed URL and print it."""
    store = open_store()
    try:
        scenario, _ = store.teams.scenario(team)
        if engineer not in scenario.engineer_by_id:
            raise NotFound(f"no engineer {engineer!r} in team {team!r}")
        secret = store.tokens.create_feed(team, engineer)
    finally:
        store.close()
    typer.echo(f"{base_url.rstrip('/')}/v1/teams/{team}/calendars/{engineer}.ics?token={secret}")


@feed_app.command("revoke")
@reports_errors
def feed_revoke(team: str, engineer: str) -> None:
    """Revoke an engineer's calendar feed URL."""
    store = open_store()
    try:
        store.tokens.revoke_feed(team, engineer)
    finally:
        store.close()
    err.print(f"revoked the calendar feed of {engineer} in {team}", highlight=False)


@app.command("report-link")
@reports_errors
def report_link(team: str,
                expires_in: Annotated[str, typer.Option(
                    "--expires-in", help="How long the link opens the page: 15m, 12h, 1d.")] = "15m",
                base_url: Annotated[str, typer.Option(help="Where the API is reached.")]
                = "http://127.0.0.1:8000") -> None:
    """Print a signed link to the team's report page that expires (it holds no token)."""
    secret = os.environ.get("ROTA_LINK_SECRET")
    if not secret:
        raise InvalidInput([FieldError("ROTA_LINK_SECRET", "is not set; set it to the API's (a "
                                       "link signed with another key does not open the page)")],
                           "setting")
    clock = dt.datetime.now(dt.UTC).replace(microsecond=0)
    until = expiry(expires_in, None, clock)
    assert until is not None
    try:
        longest = int(os.environ.get("ROTA_LINK_MAX_SECONDS") or MAX_SECONDS)
    except ValueError:
        raise InvalidInput([FieldError("ROTA_LINK_MAX_SECONDS", "is not a whole number of "
                                       "seconds")], "setting") from None
    if (until - clock).total_seconds() > longest:
        raise InvalidInput([FieldError("--expires-in", f"{expires_in!r} is longer than the "
                                       f"{longest} s a link may last (ROTA_LINK_MAX_SECONDS)")],
                           "option")
    store = open_store()
    try:
        store.teams.state_revision(team)  # NotFound for an unknown team
    finally:
        store.close()
    expires = int(until.timestamp())
    path = report_path(team)
    query = urlencode({"expires": expires,
                       "signature": link_signature(secret.encode("utf-8"), team, path, expires)})
    typer.echo(f"{base_url.rstrip('/')}{path}?{query}")
    err.print(f"opens the report page of {team} until {until.isoformat().replace('+00:00', 'Z')}",
              highlight=False)
