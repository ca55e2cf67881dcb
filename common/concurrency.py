"""ETag on reads and If-Match on writes, so concurrent edits never silently overwrite each other."""

from fastapi import Request, Response

from common.errors import PreconditionFailed, PreconditionRequired


def etag_for(version: int) -> str:
    """The ETag of a record at `version`: strong, since a version names exactly one state."""
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag_for(version)


def require_if_match(request: Request, current_version: int) -> None:
    """Refuse an update that names no version (428) or a stale one (412).

    If-Match compares strongly (RFC 9110 section 13.1.1), so a weak tag (`W/"3"`) never matches;
    `*` ("any version") is refused too, because it would skip the lost-update check.
    """
    header = request.headers.get("if-match")
    if header is None:
        raise PreconditionRequired(
            "Send the record's ETag in an If-Match header so that concurrent edits are not lost."
        )
    candidates = {tag.strip() for tag in header.split(",")}
    if "*" in candidates:
        raise PreconditionRequired(
            'If-Match: * is not accepted: send the ETag you read (such as "3"), so that a change '
            "made since then is not overwritten."
        )
    if etag_for(current_version) in candidates:
        return
    if all(tag.startswith("W/") for tag in candidates):
        raise PreconditionFailed(
            'A weak ETag (W/"3") never matches If-Match: send the ETag as you read it ("3").'
        )
    raise PreconditionFailed(
        "Someone else changed this record since you read it. Reload it and apply your change again."
    )
