"""The API docs (`/docs`) in headless Chromium with every request off the server refused.

The first URL `rota demo` prints is `/docs`; without internet FastAPI's default page stays blank,
because Swagger UI comes from a CDN. Here any request to another host is aborted and recorded, and
the page must still render the API's operations from assets served by the API itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from browserkit import Served

pytestmark = pytest.mark.browser


@dataclass
class Offline:
    context: Any
    base: str
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def offline(browser: Any, served: Served) -> Iterator[Offline]:
    base = served.url.split("/v1/")[0]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    seen = Offline(context, base)

    def only_the_server(route: Any) -> None:
        if route.request.url.startswith(base + "/"):
            route.continue_()
        else:
            seen.refused.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_the_server)
    yield seen
    context.close()


def test_swagger_ui_renders_every_operation_offline(offline: Offline) -> None:
    tab = offline.context.new_page()
    tab.on("console", lambda m: offline.errors.append(m.text) if m.type == "error" else None)
    response = tab.goto(f"{offline.base}/docs", wait_until="load")
    assert response is not None and response.status == 200
    tab.wait_for_selector(".opblock-summary-path", timeout=20_000)
    paths = {p.strip().replace("\u200b", "") for p in tab.locator(".opblock-summary-path").all_inner_texts()}
    assert "/v1/teams/{team}/now" in paths
    assert "/v1/teams/{team}/gaps" in paths
    assert tab.locator(".opblock").count() >= 10
    assert offline.refused == []
    assert offline.errors == []


def test_only_the_named_assets_are_served(offline: Offline) -> None:
    tab = offline.context.new_page()
    assert tab.goto(f"{offline.base}/docs/assets/swagger-ui.css").status == 200
    assert tab.goto(f"{offline.base}/docs/assets/core.py").status == 404
    assert tab.goto(f"{offline.base}/docs/assets/..%2Fcore.py").status == 404
    assert tab.goto(f"{offline.base}/redoc").status == 404
