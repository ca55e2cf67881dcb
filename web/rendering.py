"""Templates, and the rule that htmx requests get one block while others get the whole page."""

from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from common.money import format_money

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.filters["money"] = lambda d: format_money(Decimal(str(d)))
# Money arrives from the API as decimal strings ("376000.00"): never through float.
TEMPLATES.env.filters["money_short"] = lambda d: format_money(Decimal(str(d)), short=True)


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
