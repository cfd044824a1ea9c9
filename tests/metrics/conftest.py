"""Fixtures of the metrics tests (defined in `servekit`)."""

from servekit import client, stored

__all__ = ["client", "stored"]
