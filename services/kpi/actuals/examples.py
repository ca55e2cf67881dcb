"""Examples of the actuals API for the OpenAPI document (`common.examples`)."""

from services.kpi.actuals.schemas import ActualCreate, ActualRead

NEW_ACTUAL = ActualCreate.model_validate(
    {
        "measure_id": "0b6f3f9e-3a51-4a4e-9d0c-2f1c6a7d8e01",
        "period": "2025-09",
        "value": "752",
        "commentary": "Up on August: more people home from hospital with reablement.",
    }
)
_ANSWER = {
    "id": "5d2c8a41-7f0e-4b9a-8c3d-6e1f2a3b4c05",
    "measure_id": "0b6f3f9e-3a51-4a4e-9d0c-2f1c6a7d8e01",
    "period": "2025-09",
    "value": "752",
    "numerator": None,
    "denominator": None,
    "commentary": "Up on August: more people home from hospital with reablement.",
    "return_reason": "",
    "approved_value": None,
    "approved_revision": None,
}
DRAFT = ActualRead.model_validate(_ANSWER | {"status": "draft", "version": 1})
"""The figure as recorded: a draft, version 1 (its ETag is `"1"`)."""
SUBMITTED = ActualRead.model_validate(_ANSWER | {"status": "submitted", "version": 2})
"""The same figure sent for approval with `If-Match: "1"`."""
