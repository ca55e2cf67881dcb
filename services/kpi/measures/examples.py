"""Examples of the measures API for the OpenAPI document (`common.examples`)."""

from common.pagination import Page
from services.kpi.measures.schemas import MeasureRead

MEASURE = MeasureRead.model_validate(
    {
        "id": "0b6f3f9e-3a51-4a4e-9d0c-2f1c6a7d8e01",
        "code": "ASC01",
        "title": "People supported to live at home",
        "definition": "Adults receiving long-term support in their own home.",
        "numerator_definition": "",
        "denominator_definition": "",
        "unit": "count",
        "decimal_places": 0,
        "polarity": "bigger_is_better",
        "frequency": "monthly",
        "target_type": "flat",
        "council_plan": True,
        "data_provider": "Performance Team",
        "service_area": "Community services",
        "national_reference": "",
        "baseline_value": "720",
        "baseline_period": "2024-03",
        "tolerance_kind": "percent",
        "tolerance": "5",
        "population_area": None,
        "population_age_band": None,
        "active": True,
        "version": 3,
    }
)
MEASURES = Page[MeasureRead](items=[MEASURE], total=42, limit=1, offset=0)
"""`GET /measures?limit=1`: the first page of one, and how many there are in all."""
