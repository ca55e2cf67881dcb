"""What this service asks of the kpi service: whether a KPI measure exists (over HTTP only)."""

import uuid
from collections.abc import Callable

from fastapi import Request

from common.errors import UpstreamUnavailable
from common.http import call_service

MeasureExists = Callable[[uuid.UUID], bool]
"""Asks the KPI service whether a measure exists for the caller's organisation."""


def kpi_measure_check(request: Request) -> MeasureExists:
    """Asks the kpi service, as the caller, whether a measure exists in their organisation."""

    def exists(measure_id: uuid.UUID) -> bool:
        response = call_service(request, "kpi", "GET", f"/measures/{measure_id}")
        if response.status_code == 200:
            return True
        if response.status_code == 404:
            return False
        raise UpstreamUnavailable(
            "The kpi service could not check the KPI measures. Try again shortly."
        )

    return exists
