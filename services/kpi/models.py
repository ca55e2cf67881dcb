"""Every table of the `kpi` schema, registered on one `Base` (migrations import this module)."""

from typing import Any

from services.kpi.actuals.models import Actual, ActualRevision
from services.kpi.base import Base
from services.kpi.benchmarks.models import Benchmark
from services.kpi.imports.models import SavedMapping
from services.kpi.library.models import LibraryAdoption
from services.kpi.measures.models import Measure
from services.kpi.populations.models import Population
from services.kpi.targets.models import Target

ALL_MODELS: tuple[type[Any], ...] = (
    Measure,
    Target,
    Actual,
    ActualRevision,
    Population,
    Benchmark,
    LibraryAdoption,
    SavedMapping,
)

__all__ = ["ALL_MODELS", "Base"]
