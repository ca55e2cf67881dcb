"""Templates, and the rule that htmx requests get one block while others get the whole page."""

from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from common.money import format_money
from web.roles import may_change

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.filters["money"] = lambda d: format_money(Decimal(str(d)))
# Money arrives from the API as decimal strings ("376000.00"): never through float.
TEMPLATES.env.globals["may_change"] = may_change
TEMPLATES.env.filters["money_short"] = lambda d: format_money(Decimal(str(d)), short=True)


def sort_links(
    columns: list[tuple[str, str]], filters: dict[str, str], sort: str, path: str
) -> list[dict[str, str]]:
    """Each sortable column's link: sorting by it, or reversing it when it is the current sort.

    The filters stay in the link, so sorting never loses them.
    """
    links = []
    for key, label in columns:
        if sort == key:
            target, aria = f"-{key}", "ascending"
        elif sort == f"-{key}":
            target, aria = key, "descending"
        else:
            target, aria = key, "none"
        query = urlencode({k: v for k, v in filters.items() if v} | {"sort": target})
        links.append({"key": key, "label": label, "href": f"{path}?{query}", "aria": aria})
    return links


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    block: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render `name`; for an htmx request that names `block`, render only that block."""
    context = {"request": request, **(context or {})}
    if block and request.headers.get("hx-request") == "true":
        template = TEMPLATES.get_template(name)
        html = "".join(template.blocks[block](template.new_context(context)))
        return HTMLResponse(html, status_code=status_code)
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)


def as_words(value: object) -> str:
    """An API value as people read it: "no_data" is "No data", "improving" is "Improving"."""
    return str(value or "").replace("_", " ").capitalize()


TEMPLATES.env.filters["as_words"] = as_words


def render_once(request: Request, name: str, context: dict[str, Any]) -> HTMLResponse:
    """A page that shows a secret on this response only (a link to set a password): never
    cached, and its address never sent on to another site."""
    response = render(request, name, context)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
