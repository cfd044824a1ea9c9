"""Fixtures of the compatibility API tests (defined in `servekit`)."""

from servekit import certificate, client, stored, tls_server

__all__ = ["certificate", "client", "stored", "tls_server"]
