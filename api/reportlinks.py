"""Signed, short-lived links to a team's report page: a URL to paste in a chat or a wiki that
opens the page in a browser without putting an API token in the URL.

A link is `/v1/teams/{team}/report?expires=<epoch seconds>&signature=<HMAC>`; the signature is
HMAC-SHA256 over `report-link`, the team, the path and the expiry, keyed with the service's link
key, in URL-safe base64. The page checks it in constant time: another team's link, a changed
path or expiry, or an expired link are refused (403). A link cannot be revoked one by one; it dies
at its expiry (`ROTA_LINK_DEFAULT_SECONDS`, 15 minutes by default, at most
`ROTA_LINK_MAX_SECONDS`, 24 hours), and changing the key revokes every link made with it.

The key is `ROTA_LINK_SECRET` when set (needed when several API processes serve one store, so a
link made by one opens on the others, and to keep links valid across restarts); unset, each
process draws a random key when it starts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from rota_api.problems import Forbidden

LINK_PURPOSE = "report-link"


def report_path(team: str) -> str:
    return f"/v1/teams/{team}/report"


class LinkSigner:
    def __init__(self, secret: str | None) -> None:
        self._key = secret.encode("utf-8") if secret else secrets.token_bytes(32)

    def signature(self, team: str, path: str, expires: int) -> str:
        message = "\n".join((LINK_PURPOSE, team, path, str(expires))).encode("utf-8")
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def check(self, team: str, path: str, expires: int, signature: str, now: int) -> None:
        """Nothing when the link is the service's own for this team and path and still valid;
        else `Forbidden` saying why (the same message for any wrong signature)."""
        expected = self.signature(team, path, expires)
        if not hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii", "replace")):
            raise Forbidden("this report link is not valid for this page (altered, for another "
                            "team, or made with another key); ask for a new one")
        if expires <= now:
            raise Forbidden("this report link has expired; ask for a new one "
                            "(POST /v1/teams/{team}/report-link)")
