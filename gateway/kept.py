"""A form posted after its session ended: kept for its author (common.kept_forms says how and
why), and where the sign-in page sends them back to afterwards."""

from urllib.parse import urlsplit

from fastapi import Request, Response

from common.kept_forms import KEEP_SECONDS, KeptForm, cookie_name, seal
from common.settings import Settings

_FORM = "application/x-www-form-urlencoded"


def page_posted_from(request: Request) -> str:
    """The page the form was on (htmx names it; a browser sends it as the Referer), as a path on
    this site; else the address posted to."""
    for header in ("hx-current-url", "referer"):
        if value := request.headers.get(header):
            parts = urlsplit(value)
            if parts.netloc in ("", request.url.netloc) and parts.path.startswith("/"):
                page = parts.path + (f"?{parts.query}" if parts.query else "")
                if not page.startswith(("//", "/\\", "/sign-in")):
                    return page
    return request.url.path


async def keep_posted_form(request: Request, response: Response, *, page: str) -> None:
    """Put the fields of a form posted with an ended session into the kept-form cookie."""
    owner = getattr(request.state, "ended_session_of", None)
    # Files and multipart bodies are not kept: a file does not fit in a cookie.
    if owner is None or not request.headers.get("content-type", "").startswith(_FORM):
        return
    form = await request.form()
    fields = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
    settings: Settings = request.app.state.settings
    kept = KeptForm(action=request.url.path, page=page, user_id=owner, fields=fields)
    if sealed := seal(kept, settings.identity_signing_key.get_secret_value()):
        response.set_cookie(
            cookie_name(https_only=settings.https_only),
            sealed,
            max_age=KEEP_SECONDS,
            path="/",
            httponly=True,
            samesite="lax",
            secure=settings.https_only,
        )
