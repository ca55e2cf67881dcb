"""RFC 9457 problem details: one error vocabulary and one set of handlers for every app."""

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)


class FieldError(dict[str, str]):
    """One field-level message: where (`field`, a dotted path) and what (`message`)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(field=field, message=message)


class AppError(Exception):
    status = 500
    title = "Internal Server Error"

    def __init__(
        self,
        detail: str = "",
        *,
        errors: Sequence[FieldError] = (),
        headers: dict[str, str] | None = None,
        extensions: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = list(errors)
        self.headers = headers or {}
        self.extensions = extensions or {}
        """RFC 9457 extension members beside `errors` (an import's column mapping)."""


class BadRequest(AppError):
    status, title = 400, "Bad Request"


class Unauthorized(AppError):
    status, title = 401, "Unauthorized"


class Forbidden(AppError):
    status, title = 403, "Forbidden"


class NotFound(AppError):
    status, title = 404, "Not Found"


class Conflict(AppError):
    status, title = 409, "Conflict"


class PreconditionFailed(AppError):
    status, title = 412, "Precondition Failed"


class PreconditionRequired(AppError):
    status, title = 428, "Precondition Required"


class ValidationFailed(AppError):
    """Bad payload content that pydantic cannot see (rules spanning fields or records)."""

    status, title = 422, "Unprocessable Content"


class UpstreamUnavailable(AppError):
    status, title = 503, "Service Unavailable"


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    instance: str | None = None,
    errors: Sequence[dict[str, str]] = (),
    headers: dict[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        **(extensions or {}),
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = list(errors)
    if status == 401:
        # RFC 9110 section 11.6.1: a 401 names the scheme that would be accepted.
        headers = {"WWW-Authenticate": 'Bearer realm="asc-tracker"', **(headers or {})}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def internal_error(instance: str) -> JSONResponse:
    """The one answer to anything unexpected: a plain 500, never a trace or SQL."""
    return problem(
        500, "Internal Server Error", "Something went wrong on our side.", instance=instance
    )


def database_unavailable(exc: BaseException, instance: str) -> JSONResponse | None:
    """503 with Retry-After when `exc` is the database being out of reach (restarting, or the
    connection lost), else None. Said plainly; never SQL."""
    if not isinstance(exc, DBAPIError):
        return None
    if not (isinstance(exc, OperationalError | InterfaceError) or exc.connection_invalidated):
        return None
    log.warning("database unavailable", extra={"error": type(exc.orig).__name__})
    return problem(
        503,
        "Service Unavailable",
        "The database is not available. Try again shortly.",
        instance=instance,
        headers={"Retry-After": "2"},
    )


def _field_path(loc: Sequence[Any]) -> str:
    # ("body", "targets", 0, "value") -> "targets.0.value"; query/path keep their name only.
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _plain_message(error: dict[str, Any]) -> str:
    message = str(error.get("msg", "Invalid value"))
    # pydantic prefixes messages raised by our validators with "Value error, ".
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    return [
        FieldError(_field_path(e.get("loc", ())), _plain_message(e))
        for e in jsonable_encoder(exc.errors())
    ]


def install_error_handlers(app: FastAPI, *, public_prefix: str = "") -> None:
    """`public_prefix` is where callers reach this app (`/api/v1/kpi` for a service behind the
    gateway), so a problem's `instance` is the path the caller sent, not the internal one."""

    def where(request: Request) -> str:
        return public_prefix + request.url.path

    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> JSONResponse:
        return problem(
            exc.status,
            exc.title,
            exc.detail,
            instance=where(request),
            errors=exc.errors,
            headers=exc.headers,
            extensions=exc.extensions,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = validation_errors(exc)
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        return problem(422, "Unprocessable Content", detail, instance=where(request), errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {404: "Not Found", 405: "Method Not Allowed"}.get(exc.status_code, "Error")
        return problem(
            exc.status_code,
            title,
            str(exc.detail),
            instance=where(request),
            headers=dict(exc.headers or {}),
        )

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, exc: StaleDataError) -> JSONResponse:
        return problem(
            412,
            "Precondition Failed",
            "Someone else changed this record while you were editing it. Reload and try again.",
            instance=where(request),
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        log.info("integrity error", extra={"error": str(exc.orig)})
        return problem(
            409,
            "Conflict",
            "This conflicts with a record that already exists.",
            instance=where(request),
        )

    @app.exception_handler(DataError)
    async def _bad_value(request: Request, exc: DataError) -> JSONResponse:
        # PostgreSQL refused a value the schemas let through (a NUL character, say).
        log.info("data error", extra={"error": type(exc.orig).__name__})
        return problem(
            422,
            "Unprocessable Content",
            "A value could not be stored: check for control characters or values out of range.",
            instance=where(request),
        )

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> JSONResponse:
        if unavailable := database_unavailable(exc, where(request)):
            return unavailable
        log.exception("database error")
        return internal_error(where(request))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return internal_error(where(request))


class ProblemFieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details, as every error response of every part is shaped."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemFieldError] | None = None


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _problem_response("Not authenticated"),
    403: _problem_response("Not allowed"),
    404: _problem_response("Not found"),
    422: _problem_response("The request is not valid; `errors` lists each field"),
}
"""Documented on every router so the OpenAPI says what errors really look like."""
