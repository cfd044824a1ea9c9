"""Signed, short-lived links to a team's report page: a URL to paste in a chat or a wiki that
opens the page in a browser without putting an API token in the URL (`rota.reportlink` signs and
checks them).

A link cannot be revoked one by one; it dies at its expiry (`ROTA_LINK_DEFAULT_SECONDS`, 15
minutes by default, at most `ROTA_LINK_MAX_SECONDS`, 24 hours), and changing the key revokes every
link made with it. The key is `ROTA_LINK_SECRET` when set (needed when several API processes serve
one store, so a link made by one opens on the others, to keep links valid across restarts, and for
`rota report-link`); unset, each process draws a random key when it starts.
"""

from __future__ import annotations

import secrets

from rota.reportlink import link_problem, link_signature
from rota_api.problems import Forbidden


class LinkSigner:
    def __init__(self, secret: str | None, max_seconds: int) -> None:
        self._key = secret.encode("utf-8") if secret else secrets.token_bytes(32)
        self.max_seconds = max_seconds

    def signature(self, team: str, path: str, expires: int) -> str:
        return link_signature(self._key, team, path, expires)

    def check(self, team: str, path: str, expires: int, signature: str, now: int) -> None:
        """Nothing when the link opens this team's page now; else `Forbidden` saying why."""
        problem = link_problem(self._key, team, path, expires, signature, now, self.max_seconds)
        if problem is not None:
            raise Forbidden(problem)
