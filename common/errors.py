"""RFC 9457 problem details: one error vocabulary and one set of handlers for every app."""

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any, get_args

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from pydantic_core.core_schema import ErrorType
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
    """An error a caller is told about as problem details: `class NotFound(AppError, status=404)`
    gives its status, titled as RFC 9110 names it unless the class says otherwise."""

    status = 500
    title = "Internal Server Error"

    def __init_subclass__(cls, *, status: int | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status = status
            if "title" not in cls.__dict__:
                cls.title = HTTPStatus(status).phrase

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


class BadRequest(AppError, status=400): ...


class Unauthorized(AppError, status=401): ...


class Forbidden(AppError, status=403): ...


class NotFound(AppError, status=404): ...


class Conflict(AppError, status=409): ...


class PreconditionFailed(AppError, status=412): ...


class PreconditionRequired(AppError, status=428): ...


class ValidationFailed(AppError, status=422):
    """Bad payload content that pydantic cannot see (rules spanning fields or records)."""

    title = "Unprocessable Content"  # RFC 9110's name; Python before 3.13 keeps RFC 4918's


class UpstreamUnavailable(AppError, status=503): ...


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


def _label(loc: Sequence[Any]) -> str:
    """The field's name as people say it: ("body", "targets", 0, "in_year") -> "in year"."""
    names = [str(p) for p in loc if not isinstance(p, int)]
    if names and names[0] in {"body", "query", "path", "header", "cookie"}:
        names = names[1:]
    name = names[-1] if names else "value"
    name = name.removesuffix("_ids").removesuffix("_id") if name not in {"id"} else name
    return name.replace("_", " ").strip() or "value"


def _a(label: str) -> str:
    return f"{'an' if label[:1].lower() in 'aeiou' else 'a'} {label}"


PYDANTIC_ERRORS = frozenset(get_args(ErrorType))
"""pydantic's own error types; any other is one of ours (a PydanticCustomError, as in
common/dates.py), whose message is already written for people."""


def _plain_message(error: dict[str, Any]) -> str:
    """A pydantic error as a sentence for people, in the GOV.UK style ("Enter a title").

    The messages our own validators raise are already written for people and are kept.

    >>> _plain_message({"type": "missing", "loc": ("body", "title")})
    'Enter a title'
    >>> _plain_message({"type": "int_parsing", "loc": ("body", "targets", 0, "year")})
    'Year must be a whole number'
    """
    kind = str(error.get("type", ""))
    ctx: dict[str, Any] = error.get("ctx") or {}
    label = _label(error.get("loc", ()))
    name = label[:1].upper() + label[1:]
    if kind not in PYDANTIC_ERRORS:
        return str(error.get("msg", "")) or f"{name} is not valid"
    if kind in {"value_error", "assertion_error"}:
        message = str(error.get("msg", ""))
        if "valid email address" in message:
            return "Enter an email address in the correct format, like name@example.com"
        return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return f"Enter {_a(label)}"
    messages = {
        "string_too_short": f"{name} must be {ctx.get('min_length')} characters or more",
        "string_too_long": f"{name} must be {ctx.get('max_length')} characters or fewer",
        "too_short": f"{name} must have at least {ctx.get('min_length')}",
        "too_long": f"{name} can have {ctx.get('max_length')} at most",
        "string_type": f"{name} must be text",
        "string_pattern_mismatch": f"{name} is not in the right format",
        "int_parsing": f"{name} must be a whole number",
        "int_type": f"{name} must be a whole number",
        "int_from_float": f"{name} must be a whole number",
        "decimal_parsing": f"{name} must be a number",
        "decimal_type": f"{name} must be a number",
        "float_parsing": f"{name} must be a number",
        "float_type": f"{name} must be a number",
        "finite_number": f"{name} must be a number",
        "decimal_max_places": (
            f"{name} must have {ctx.get('decimal_places')} decimal places or fewer"
        ),
        "decimal_max_digits": f"{name} must have {ctx.get('max_digits')} digits or fewer",
        "decimal_whole_digits": f"{name} is too large",
        "greater_than": f"{name} must be more than {ctx.get('gt')}",
        "greater_than_equal": f"{name} must be {ctx.get('ge')} or more",
        "less_than": f"{name} must be less than {ctx.get('lt')}",
        "less_than_equal": f"{name} must be {ctx.get('le')} or less",
        "bool_parsing": f"{name} must be yes or no",
        "bool_type": f"{name} must be yes or no",
        "date_parsing": f"{name} must be a real date, like 2026-03-27",
        "date_from_datetime_parsing": f"{name} must be a real date, like 2026-03-27",
        "date_from_datetime_inexact": f"{name} must be a date without a time",
        "date_type": f"{name} must be a real date, like 2026-03-27",
        "datetime_parsing": f"{name} must be a real date and time",
        "datetime_from_date_parsing": f"{name} must be a real date and time",
        "uuid_parsing": f"{name} must be the id of a record",
        "uuid_type": f"{name} must be the id of a record",
        "enum": f"Select {_a(label)}: {ctx.get('expected', '')}".rstrip(": "),
        "literal_error": f"Select {_a(label)}: {ctx.get('expected', '')}".rstrip(": "),
        "list_type": f"{name} must be a list",
        "dict_type": f"{name} must be an object",
        "model_type": f"{name} must be an object",
        "model_attributes_type": f"{name} must be an object",
        "extra_forbidden": f"{_field_path(error.get('loc', ()))} is not something you can set",
        "json_invalid": "The request is not valid JSON",
        "json_type": "The request is not valid JSON",
        "url_parsing": f"{name} must be a web address",
    }
    return messages.get(kind, f"{name} is not valid")


def validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    """Every field's problem at once, each as a sentence for people."""
    return [
        FieldError(_field_path(e.get("loc", ())), _plain_message(e))
        for e in jsonable_encoder(exc.errors())
    ]


_EDITED_MEANWHILE = (
    "Someone else changed this record while you were editing it. Reload and try again."
)
_ALREADY_EXISTS = "This conflicts with a record that already exists."
_NOT_STORABLE = "A value could not be stored: check for control characters or values out of range."


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
        detail = "; ".join(e["message"] for e in errors[:5])
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

    # What the database refuses is answered as the error it means to the caller.
    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, exc: StaleDataError) -> JSONResponse:
        return await _app_error(request, PreconditionFailed(_EDITED_MEANWHILE))

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        log.info("integrity error", extra={"error": str(exc.orig)})
        return await _app_error(request, Conflict(_ALREADY_EXISTS))

    @app.exception_handler(DataError)
    async def _bad_value(request: Request, exc: DataError) -> JSONResponse:
        # PostgreSQL refused a value the schemas let through (a NUL character, say).
        log.info("data error", extra={"error": type(exc.orig).__name__})
        return await _app_error(request, ValidationFailed(_NOT_STORABLE))

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
