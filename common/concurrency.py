"""ETag on reads and If-Match on writes, so concurrent edits never silently overwrite each other."""

from fastapi import Request, Response

from common.errors import PreconditionFailed, PreconditionRequired


def etag_for(version: int) -> str:
    """The ETag of a record at `version` (weak: it names the version, not the bytes)."""
    return f'W/"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag_for(version)


def require_if_match(request: Request, current_version: int) -> None:
    """Refuse an update that names no version (428) or a stale one (412)."""
    header = request.headers.get("if-match")
    if header is None:
        raise PreconditionRequired(
            "Send the record's ETag in an If-Match header so that concurrent edits are not lost."
        )
    candidates = {tag.strip() for tag in header.split(",")}
    current = etag_for(current_version)
    if "*" in candidates or current in candidates or current.removeprefix("W/") in candidates:
        return
    raise PreconditionFailed(
        "Someone else changed this record since you read it. Reload it and apply your change again."
    )
