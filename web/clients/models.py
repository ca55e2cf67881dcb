"""The API's answers as the web pages read them: pydantic models of the merged OpenAPI document's
response schemas (tests/platform/test_web_clients.py checks each field against it).

Each model holds its schema's fields (a national measure only those the library page shows);
anything else the API sends is ignored. Money is `Decimal`; dates, months and ids stay the
strings the API sends (the pages show them as written, and put them in links); other figures (KPI
values) stay strings too, formatted by the page as the measure says.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Read(BaseModel):
    """An answer of the API: read-only, and tolerant of fields added later."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class Page(Read, Generic[T]):
    """One page of a list endpoint (`Page_XRead_` in the document)."""

    items: list[T]
    total: int
    limit: int
    offset: int


# The gateway: the caller, the council, people and API keys.


class Organisation(Read):
    id: str
    name: str
    slug: str
    allow_self_approval: bool
    version: int


class Caller(Read):
    user_id: str
    display_name: str
    roles: list[str]
    team: str | None
    organisation: Organisation


class MyReminders(Read):
    enabled: bool


class MySession(Read):
    created_at: str
    last_seen_at: str
    expires_at: str
    current: bool


class SessionStarted(Read):
    csrf_token: str
    expires_at: str


class PasswordResetLink(Read):
    email: str
    expires_at: str


class User(Read):
    id: str
    email: str
    display_name: str
    team: str | None
    roles: list[str]
    disabled: bool
    version: int


class Person(Read):
    id: str
    display_name: str
    team: str | None


class ApiKey(Read):
    id: str
    name: str
    prefix: str
    access: str
    services: list[str]
    role: str
    team: str | None
    created_by: str
    created_at: str
    expires_at: str | None
    last_used_at: str | None
    revoked_at: str | None


class ApiKeyCreated(ApiKey):
    key: str


class PasswordResetCreated(Read):
    path: str
    expires_at: str


class CouncilUsage(Read):
    people: int
    active_people: int
    api_keys: int
    last_sign_in_at: str | None


class Council(Read):
    """A council as the platform administrator sees it (gateway/platform.py)."""

    id: str
    slug: str
    name: str
    created_at: str
    disabled_at: str | None
    usage: CouncilUsage


class CouncilAdmin(Read):
    id: str
    email: str
    display_name: str


class CouncilCreated(Read):
    council: Council
    admin: CouncilAdmin
    password_reset: PasswordResetCreated


class AuditEvent(Read):
    id: int
    occurred_at: str
    actor: str
    client: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None  # a record as it was: arbitrary JSON
    after: dict[str, Any] | None
    request_id: str | None


# The KPI service.


class Measure(Read):
    retired: bool = False
    id: str
    code: str
    title: str
    definition: str
    unit: str
    polarity: str
    frequency: str
    target_type: str
    tolerance: str
    tolerance_kind: str
    decimal_places: int
    council_plan: bool
    active: bool
    data_provider: str
    service_area: str
    national_reference: str
    numerator_definition: str
    denominator_definition: str
    population_age_band: str | None
    population_area: str | None
    baseline_period: str | None
    baseline_value: str | None
    version: int


class Actual(Read):
    id: str
    measure_id: str
    period: str
    value: str
    numerator: str | None
    denominator: str | None
    commentary: str
    status: str
    return_reason: str
    approved_value: str | None
    approved_revision: int | None
    version: int


class Revision(Read):
    number: int
    action: str
    status: str
    value: str
    numerator: str | None
    denominator: str | None
    commentary: str
    reason: str
    changed_by: str
    created_at: str


class BulkResult(Read):
    created: int
    updated: int
    actuals: list[Actual]


class KpiTarget(Read):
    id: str
    measure_id: str
    financial_year: str
    kind: str
    value: str
    note: str
    profile: list[str] | None
    version: int


class Benchmark(Read):
    id: str
    measure_id: str
    financial_year: str
    comparator: str
    value: str
    source: str
    version: int


class Status(Read):
    """A measure in one period: what was compared, and what it says (the KPI service's
    `Status`, which a scorecard row and a series point both are)."""

    period: str
    label: str
    actual: str | None
    period_actual: str | None
    target: str | None
    actual_display: str | None
    """The figures as shown: rounded to the measure's decimal places by the KPI service."""
    target_display: str | None
    period_actual_display: str | None
    rag: str
    direction_previous: str
    direction_last_year: str


class ScorecardRow(Status):
    measure: Measure
    year_end_forecast: str | None
    year_end_forecast_display: str | None
    year_end_rag: str
    trend: list[str | None]
    trend_periods: list[str]
    entry: Actual | None


class Scorecard(Read):
    period: str
    as_at: str | None = None
    """The day the figures are as at, when asked for `as_at`."""
    counts: dict[str, int]
    items: list[ScorecardRow]
    total: int
    limit: int
    offset: int


class SeriesPoint(Status):
    status: str | None
    commentary: str


class Series(Read):
    measure: Measure
    points: list[SeriesPoint]
    targets: list[KpiTarget]
    benchmarks: list[Benchmark]


# The projects service.


class NextMilestone(Read):
    id: str
    title: str
    due_date: str
    overdue: bool


class Project(Read):
    retired: bool = False
    id: str
    name: str
    description: str
    stage: str
    lead_team: str
    sro: str = ""
    programme_id: str | None
    objective_ids: list[str]
    council_plan: bool
    resources: list[str]
    budget_amount: Decimal | None
    budget_basis: str | None
    budget_text: str
    funding_source: str | None
    start_month: str | None
    start_text: str
    end_month: str | None
    end_text: str
    rag: str | None
    rag_reason: str
    scope_rag: str | None
    scope_rag_reason: str
    schedule_rag: str | None
    schedule_rag_reason: str
    cost_rag: str | None
    cost_rag_reason: str
    next_milestone: NextMilestone | None = None
    overdue: bool = False
    slippage_days: int | None = None
    version: int


class Milestone(Read):
    id: str
    project_id: str
    title: str
    baseline_date: str
    forecast_date: str | None
    actual_date: str | None
    due_date: str
    status: str
    overdue: bool
    slippage_days: int
    version: int


class Timeline(Read):
    project_id: str
    project_name: str
    start_month: str | None
    end_month: str | None
    milestones: list[Milestone]


class HighlightReport(Read):
    id: str
    project_id: str
    period: str
    period_start: str
    rag: str
    summary: str
    achievements: str
    next_steps: str
    issues: str
    decisions_needed: str
    author: str
    version: int


class RaidItem(Read):
    id: str
    project_id: str
    kind: str
    title: str
    description: str
    owner: str
    likelihood: int
    impact: int
    score: int
    severity: str
    mitigation: str
    review_date: str | None
    status: str
    version: int


class Objective(Read):
    retired: bool = False
    id: str
    number: int
    statement: str
    owner: str
    council_plan: bool
    priority_ids: list[str]
    kpi_measure_ids: list[str]
    version: int


class Priority(Read):
    retired: bool = False
    id: str
    position: int
    title: str
    version: int


class Programme(Read):
    id: str
    name: str
    description: str
    parent_id: str | None
    version: int


class ImprovementAction(Read):
    retired: bool = False
    id: str
    area: str
    area_label: str
    action: str
    owner: str
    due_date: str | None
    status: str
    completed_on: str | None
    open: bool
    overdue: bool
    version: int


class AreaSummary(Read):
    area: str
    open: int
    closed: int
    total: int
    overdue: int


class ImprovementPlanSummary(Read):
    as_at: str | None
    areas: list[AreaSummary]
    open: int
    closed: int
    total: int
    overdue: int


class MilestoneDue(Read):
    id: str
    project_id: str
    project_name: str
    title: str
    due_date: str
    overdue: bool
    slippage_days: int


class PortfolioSummary(Read):
    from_: str = Field(alias="from")
    to: str
    as_at: str | None = None
    projects: int
    projects_overdue: int = 0
    by_rag: dict[str, int]
    by_stage: dict[str, int]
    milestones_due: int
    milestones_overdue: int
    milestones: list[MilestoneDue]


# The finance service.


class TrendPoint(Read):
    month: str
    forecast_outturn: Decimal


class PositionLine(Read):
    budget_line_id: str
    name: str
    cost_centre: str
    service_area: str
    original_budget: Decimal
    budget: Decimal
    forecast_outturn: Decimal | None
    previous_forecast: Decimal | None
    previous_month: str | None
    variance: Decimal | None
    variance_words: str
    movement: Decimal | None
    original_forecast: Decimal | None
    original_month: str | None
    movement_since_original: Decimal | None
    commentary: str
    trend: list[TrendPoint]


class PositionTotals(Read):
    original_budget: Decimal
    budget: Decimal
    forecast_outturn: Decimal
    variance: Decimal
    variance_words: str
    movement: Decimal
    original_forecast: Decimal
    movement_since_original: Decimal
    lines_with_forecast: int
    lines_without_forecast: int


class BudgetPosition(Read):
    financial_year: str
    month: str
    as_at: str | None
    lines: list[PositionLine]
    totals: PositionTotals


class SavingsTarget(Read):
    financial_year: str
    in_year: Decimal
    full_year_effect: Decimal


class YearProgress(Read):
    financial_year: str
    target: Decimal
    full_year_effect: Decimal
    achieved_to_date: Decimal | None
    forecast_for_year: Decimal | None
    slippage: Decimal | None
    latest_month: str | None
    latest_note: str
    brag: str
    brag_label: str


class ActivityMeasure(Read):
    id: str
    savings_line_id: str
    name: str
    unit: str
    planned: int
    done: int
    percent_done: str | None
    version: int


class SavingsLine(Read):
    retired: bool = False
    id: str
    reference: str
    title: str
    description: str
    category: str
    saving_type: str
    recurrence: str
    status: str
    delivery_confidence: str
    owner_team: str
    written_off_reason: str
    project_ids: list[str]
    mitigates_line_id: str | None
    kpi_measure_id: str | None
    mitigated_by: list[str]
    theme: str = ""
    theme_label: str = ""
    theme_confirmed: bool = False
    targets: list[SavingsTarget]
    progress: list[YearProgress]
    activity_measures: list[ActivityMeasure]
    version: int


class TrackerRow(SavingsLine):
    selected: YearProgress


class TypeTotals(Read):
    saving_type: str
    label: str
    lines: int
    target: Decimal
    full_year_effect: Decimal
    achieved_to_date: Decimal
    forecast_for_year: Decimal
    slippage: Decimal
    lines_without_return: int


class Totals(Read):
    """`target` to `slippage` add every type together: the savings to quote are the cashable
    figures of `by_type`."""

    target: Decimal
    full_year_effect: Decimal
    achieved_to_date: Decimal
    forecast_for_year: Decimal
    slippage: Decimal
    lines: int
    lines_without_return: int
    by_type: list[TypeTotals]
    cashable_percent_delivered: str | None
    cashable_percent_forecast: str | None
    brag: dict[str, int]

    def of_type(self, saving_type: str) -> TypeTotals:
        """The totals of one type of saving (the service gives every type)."""
        return next(t for t in self.by_type if t.saving_type == saving_type)


class TrackerPage(Read):
    financial_year: str
    items: list[TrackerRow]
    total: int
    limit: int
    offset: int
    totals: Totals


class TotalsGroup(Totals):
    key: str
    label: str


class SavingsTotals(Read):
    by: str
    financial_year: str | None
    groups: list[TotalsGroup]
    overall: Totals


class BudgetAmount(Read):
    financial_year: str
    original_budget: Decimal
    current_budget: Decimal


class BudgetLine(Read):
    retired: bool = False
    id: str
    name: str
    service_area: str
    cost_centre: str
    budgets: list[BudgetAmount]
    version: int


class Forecast(Read):
    month: str
    financial_year: str
    budget: Decimal | None
    forecast_outturn: Decimal
    variance: Decimal | None
    movement: Decimal | None
    commentary: str
    version: int


class Entry(Read):
    id: str
    month: str
    financial_year: str
    target: Decimal | None
    achieved_to_date: Decimal
    forecast_for_year: Decimal
    slippage: Decimal | None
    note: str
    version: int


class Flag(Read):
    """A stated total of an imported table that did not add up (`FlagRead`)."""

    id: str
    tracker: str
    filename: str
    sheet: str
    row: int
    label: str
    message: str
    version: int


# The imports: the document gives an import's answer no schema (it is the row-by-row report, read
# as JSON); the mapping step's part of it, in the preview or in a 422 refusing the headings, is
# read as these.


class MappedColumn(Read):
    """A heading of the file and the field it was read as ("not-imported", "each-year"…)."""

    heading: str
    field: str
    label: str
    chosen: bool


class ImportField(Read):
    """A field the mapping step offers for a column."""

    key: str
    label: str
    required: bool


class SavedMappingUsed(Read):
    """The mapping the council saved for files with these headings, used for this one."""

    id: str
    saved_on: str
    saved_by: str

    @property
    def day(self) -> str:
        """The day it was saved, in England: "1 December 2026"."""
        when = datetime.fromisoformat(self.saved_on).astimezone(ZoneInfo("Europe/London"))
        return f"{when.day} {when:%B %Y}"


class ColumnMapping(Read):
    """ "We read your columns as…": each heading with its field, and the fields to choose from."""

    mapping: list[MappedColumn]
    fields: list[ImportField]
    saved_mapping: SavedMappingUsed | None = None


# A person's tasks (`GET /me/tasks`).


class TaskItem(Read):
    key: str
    kind: str
    title: str
    due: str
    overdue: bool
    link: str


class MyTasks(Read):
    items: list[TaskItem]
    unavailable: list[str]


class ReminderSent(Read):
    email: str
    item: str
    title: str
    day: str
    sent_at: str
    delivered: bool


class Deadlines(Read):
    monthly_figures_working_days: int
    quarterly_figures_working_days: int
    savings_return_working_day: int
    close_working_days: int | None
    reminders_enabled: bool
    reminder_lead_days: int


class OrganisationDeadlines(Read):
    """The organisation (`GET /organisation`) as the deadlines page reads it."""

    deadlines: Deadlines
    version: int


# --- the savings library and benefits ---------------------------------------------------------


class LibraryLine(Read):
    source: str
    council: str
    theme: str
    theme_label: str
    description: str
    area: str
    financial_year: str
    planned: Decimal | None
    achieved: Decimal | None
    status: str
    source_document: str
    page: str
    your_council: bool


class CouncilYearTotal(Read):
    council: str
    financial_year: str
    lines: int
    planned: Decimal
    achieved: Decimal
    adult_population: int | None
    planned_per_head: Decimal | None
    achieved_per_head: Decimal | None


class LibraryPage(Read):
    theme: str | None
    theme_label: str
    financial_year: str | None
    items: list[LibraryLine]
    total: int
    totals: list[CouncilYearTotal]
    reconciliations: list[dict[str, Any]]


class LibraryTheme(Read):
    theme: str
    label: str


class CouncilByTheme(Read):
    council: str
    by_theme: dict[str, Decimal]
    total: Decimal


class ThemeTable(Read):
    financial_year: str | None
    amount: str
    themes: list[LibraryTheme]
    councils: list[CouncilByTheme]


class BenefitInput(Read):
    name: str
    label: str
    kind: str
    planned: Decimal
    actual: Decimal | None
    measure_id: str | None
    actual_from_measure: Decimal | None


class Working(Read):
    amount: Decimal
    words: str


class Benefit(Read):
    method: str
    stage: str
    spend_line: str
    inputs: list[BenefitInput]
    overlaps_reference: str | None
    overlap_percent: Decimal
    planned: Working
    achieved_to_date: Working | None
    rounding: str
    warnings: list[str]
    version: int


class LibraryMeasure(Read):
    """What the measure library page shows of a national definition, and adopts by `key`."""

    key: str
    framework: str
    year: str
    national_id: str
    title: str
    definition: str
    unit: str
    predecessor_id: str
    unconfirmed: list[str]
    adopted_measure_id: str | None = None


class Adoption(Read):
    measure_id: str
    library_key: str
    national_id: str


# The director's dashboard.


class AreaStatus(Read):
    service_area: str
    measures: int
    counts: dict[str, int]
    previous_counts: dict[str, int]
    improved: int
    worsened: int
    direction: str
    """better, worse, same or not_known."""


class ServiceAreas(Read):
    period: str
    label: str
    previous_label: str
    areas: list[AreaStatus]


class OverdueItem(TaskItem):
    owner: str


class SavingsMonth(Read):
    month: str
    achieved_to_date: Decimal | None
    forecast_for_year: Decimal | None
    lines_with_return: int


class SavingsTrend(Read):
    financial_year: str
    saving_type: str
    lines: int
    target: Decimal
    months: list[SavingsMonth]


class BudgetMonth(Read):
    month: str
    forecast_outturn: Decimal | None
    variance: Decimal | None
    lines_with_forecast: int


class BudgetTrend(Read):
    financial_year: str
    lines: int
    budget: Decimal
    months: list[BudgetMonth]


class NoActiveOwnerItem(Read):
    kind: str
    id: str
    name: str
    team: str
    reason: str
    link: str


class NoActiveOwner(Read):
    items: list[NoActiveOwnerItem]
    unavailable: list[str]
