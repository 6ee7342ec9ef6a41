"""veille's errors mapped to HTTP at the edge: JSON for ``/api``, an HTML page for the web UI.

A user's mistake gets its status (``VeilleError.http_status``) and the one-line message; anything
else is a 500 whose body says only that it is an internal error (details go to the server log).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from veille.errors import VeilleError

log = logging.getLogger("veille.api")


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and request.url.path != "/openapi.json"


def _html_error(request: Request, status: int, message: str) -> Response:
    from veille.web.pages import error_page  # the web layer renders its own error page

    return error_page(request, status=status, message=message)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(VeilleError)
    async def veille_error(request: Request, exc: VeilleError) -> Response:
        if _wants_html(request):
            return _html_error(request, exc.http_status, str(exc))
        return JSONResponse({"error": exc.message, "source": exc.source}, status_code=exc.http_status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_html(request):
            return _html_error(request, exc.status_code, str(exc.detail))
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if _wants_html(request):
            fields = ", ".join(".".join(str(p) for p in e.get("loc", ())[1:]) for e in exc.errors())
            return _html_error(request, 422, f"invalid value for: {fields or 'the request'}")
        errors = [{k: e[k] for k in ("loc", "msg", "type") if k in e} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(OperationalError)
    async def database_error(request: Request, exc: OperationalError) -> Response:
        log.error("database error on %s: %s", request.url.path, exc)
        if _wants_html(request):
            return _html_error(request, 503, "the database is not available")
        return JSONResponse({"error": "the database is not available"}, status_code=503)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        if _wants_html(request):
            return _html_error(request, 500, "internal error")
        return JSONResponse({"error": "internal error"}, status_code=500)


__all__ = ["HTTPException", "install_error_handlers"]
