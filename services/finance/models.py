"""Every table of the `finance` schema, registered on one `Base` (migrations import this module)."""

from services.finance.base import Base
from services.finance.benefits.models import BenefitCalculation, BenefitInput
from services.finance.budgets.models import BudgetAmount, BudgetLine, Forecast
from services.finance.imports.models import SavedMapping
from services.finance.library.models import (
    LibrarySetting,
    PublishedSaving,
    PublishedTable,
    SharedSaving,
)
from services.finance.reconciliations.models import ReconciliationFlag
from services.finance.savings.models import (
    ActivityMeasure,
    SavingsEntry,
    SavingsLine,
    SavingsTarget,
)

__all__ = [
    "ActivityMeasure",
    "Base",
    "BenefitCalculation",
    "BenefitInput",
    "BudgetAmount",
    "BudgetLine",
    "Forecast",
    "LibrarySetting",
    "PublishedSaving",
    "PublishedTable",
    "ReconciliationFlag",
    "SavedMapping",
    "SavingsEntry",
    "SavingsLine",
    "SavingsTarget",
    "SharedSaving",
]
