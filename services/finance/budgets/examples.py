"""Examples of the budgets API for the OpenAPI document (`common.examples`)."""

from services.finance.budgets.schemas import BudgetPosition

_MONEY = {
    "original_budget": "52000000.00",
    "budget": "52400000.00",
    "forecast_outturn": "53150500.00",
    "variance": "750500.00",
    "variance_words": "£750.5k overspend",
    "movement": "150500.00",
    "original_forecast": "52600000.00",
    "movement_since_original": "550500.00",
}
POSITION = BudgetPosition.model_validate(
    {
        "month": "2025-09",
        "financial_year": "2025/26",
        "as_at": None,
        "lines": [
            _MONEY
            | {
                "budget_line_id": "3c1e5a7b-9d2f-4e6a-b8c0-1d3f5a7b9c03",
                "name": "Residential care (older people)",
                "service_area": "Older people",
                "cost_centre": "A1001",
                "previous_forecast": "53000000.00",
                "previous_month": "2025-08",
                "original_month": "2025-04",
                "commentary": "Two more placements at higher fees.",
                "trend": [
                    {"month": "2025-08", "forecast_outturn": "53000000.00"},
                    {"month": "2025-09", "forecast_outturn": "53150500.00"},
                ],
            }
        ],
        "totals": _MONEY | {"lines_with_forecast": 1, "lines_without_forecast": 0},
    }
)
"""`GET /budget/position?month=2025-09`: the month's forecast of each line against its budget."""
