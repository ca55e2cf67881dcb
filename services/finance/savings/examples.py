"""Examples of the savings API for the OpenAPI document (`common.examples`)."""

from services.finance.savings.schemas import TrackerPage

_PROGRESS = {
    "financial_year": "2025/26",
    "target": "376000.00",
    "full_year_effect": "376000.00",
    "achieved_to_date": "150000.00",
    "forecast_for_year": "340000.00",
    "slippage": "36000.00",
    "latest_month": "2025-09",
    "latest_note": "Two reviews moved to October.",
    "brag": "amber",
    "brag_label": "At risk (Amber)",
}
_TOTALS = {
    "lines": 1,
    "target": "376000.00",
    "full_year_effect": "376000.00",
    "achieved_to_date": "150000.00",
    "forecast_for_year": "340000.00",
    "slippage": "36000.00",
    "lines_without_return": 0,
}
TRACKER = TrackerPage.model_validate(
    {
        "items": [
            {
                "id": "9a7e2c10-4b3d-4f6a-8e21-0c5d7b9a1f02",
                "reference": "SAV-01",
                "title": "Review of care packages",
                "description": "Strengths-based reviews of home care packages.",
                "project_ids": [],
                "owner_team": "Operations Team",
                "category": "care_package_reviews",
                "saving_type": "cashable",
                "recurrence": "recurring",
                "delivery_confidence": "amber",
                "status": "in_delivery",
                "written_off_reason": "",
                "mitigates_line_id": None,
                "kpi_measure_id": None,
                "theme": "care_package_reviews",
                "theme_label": "Care package reviews",
                "theme_confirmed": False,
                "mitigated_by": [],
                "targets": [
                    {
                        "financial_year": "2025/26",
                        "in_year": "376000.00",
                        "full_year_effect": "376000.00",
                    }
                ],
                "activity_measures": [],
                "progress": [_PROGRESS],
                "version": 4,
                "selected": _PROGRESS,
            }
        ],
        "total": 1,
        "limit": 50,
        "offset": 0,
        "financial_year": "2025/26",
        "totals": _TOTALS
        | {
            "by_type": [{"saving_type": "cashable", "label": "Cashable"} | _TOTALS],
            "cashable_percent_delivered": "39.9",
            "cashable_percent_forecast": "90.4",
            "brag": {"blue": 0, "green": 0, "amber": 1, "red": 0},
        },
    }
)
"""`GET /savings-lines?financial_year=2025/26`: one line at risk, and the year's totals."""
