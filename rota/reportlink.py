"""Signed report links: the HMAC that lets a URL open a team's report page until it expires.

A link is `/v1/teams/{team}/report?expires=<epoch seconds>&signature=<HMAC>`; the signature is
HMAC-SHA256 over `report-link`, the team, the path and the expiry, in URL-safe base64 without
padding, keyed with the service's link key (`ROTA_LINK_SECRET`). The API makes and checks them
(`rota_api.reportlinks`), `rota report-link` makes them from the command line with the same key.
Checking takes the clock as an argument, like the rest of the core.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

LINK_PURPOSE = "report-link"
DEFAULT_SECONDS = 900
MAX_SECONDS = 86400


def report_path(team: str) -> str:
    return f"/v1/teams/{team}/report"


def link_signature(key: bytes, team: str, path: str, expires: int) -> str:
    message = "\n".join((LINK_PURPOSE, team, path, str(expires))).encode("utf-8")
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def link_problem(key: bytes, team: str, path: str, expires: int, signature: str, now: int,
                 max_seconds: int) -> str | None:
    """Why the link does not open the page (None: it does). Any wrong signature gets the same
    answer, compared in constant time; a link reaching further ahead than `max_seconds` is
    refused even when signed (the limit holds for links made anywhere)."""
    expected = link_signature(key, team, path, expires)
    if not hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii", "replace")):
        return ("this report link is not valid for this page (altered, for another team, or made "
                "with another key); ask for a new one")
    if expires <= now:
        return "this report link has expired; ask for a new one (POST /v1/teams/{team}/report-link)"
    if expires - now > max_seconds:
        return f"this report link lasts longer than the {max_seconds} s a link may last"
    return None
