"""Example requests and answers for the OpenAPI document, written as the API's own models so an
example can never drift from its schema: a wrong field fails when the app starts.

    @router.post("/actuals", status_code=201, **example(request=NEW, answer=DRAFT, status=201))
"""

from typing import Any

from pydantic import BaseModel


def example(
    *, request: BaseModel | None = None, answer: BaseModel | None = None, status: int = 200
) -> dict[str, Any]:
    """The route decorator's `openapi_extra` and `responses` that show `request` and `answer`."""
    extra: dict[str, Any] = {}
    if request is not None:
        body = request.model_dump(mode="json", exclude_unset=True)
        extra["openapi_extra"] = {
            "requestBody": {"content": {"application/json": {"example": body}}}
        }
    if answer is not None:
        shown = answer.model_dump(mode="json")
        extra["responses"] = {status: {"content": {"application/json": {"example": shown}}}}
    return extra
