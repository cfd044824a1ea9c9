"""`GET /docs`: the API's Swagger UI page, served without any CDN.

FastAPI's own docs page loads Swagger UI from jsDelivr, so without internet it is blank. Here the
page points at `/docs/assets/...`, files shipped by the `fastapi-offline` package (Swagger UI 5,
which reads OpenAPI 3.1), served from the package by this server. Only the files named in `ASSETS`
are served. There is no `/redoc`: ReDoc's bundle fetches its logo from redoc.ly.
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

router = APIRouter(include_in_schema=False)

ASSETS_PACKAGE = "fastapi_offline"
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon.png": "image/png",
}
ASSETS_PATH = "/docs/assets"


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", ""))


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    root, app = _root(request), request.app
    return get_swagger_ui_html(
        openapi_url=f"{root}{app.openapi_url}",
        title=f"{app.title} - API docs",
        swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
        swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
    )


@router.get(ASSETS_PATH + "/{name}")
def asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise HTTPException(404, f"no docs asset {name!r}")
    with resources.as_file(resources.files(ASSETS_PACKAGE).joinpath("static", name)) as path:
        return FileResponse(path, media_type=ASSETS[name],
                            headers={"Cache-Control": "public, max-age=86400"})
