"""The pages that create and change the plan: each record's form, declared once (web/forms.py)."""

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from fastapi import APIRouter, Request

from common.periods import FinancialYear, Period
from web.clients import finance_api_client as finance
from web.clients import kpi_api_client as kpi
from web.clients import projects_api_client as projects
from web.clients.finance_api_client import FinanceApiClient
from web.clients.gateway import ApiError, GatewayClient
from web.clients.kpi_api_client import KpiApiClient
from web.clients.models import Caller, Project
from web.clients.projects_api_client import ProjectsApiClient
from web.forms import Choices, Form, Question, Resource, Step, add_pages, choices_of
from web.views.kpis import UNIT_WORDS
from web.views.projects import (
    BASES,
    MILESTONE_STATUSES,
    RAGS,
    RAID_KINDS,
    STAGES,
    can_edit,
    month_label,
)
from web.views.savings import CATEGORIES, STATUSES, TYPES

router = APIRouter()
CENTRAL_PROJECTS = frozenset({"programme_office", "admin"})
"""Who hands a project to another lead team (its lead may not: the projects service's rule)."""
CENTRAL_FINANCE = frozenset({"finance", "admin"})
"""Who hands a savings line to another team (its service lead may not: the finance rule)."""

SCORES = [(str(n), str(n)) for n in range(1, 6)]
CONFIDENCE = [("green", "Green: on track"), ("amber", "Amber: at risk"), ("red", "Red: off track")]
ACTION_STATUSES = [
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("completed", "Completed"),
]


def _field(record: Any, name: str) -> Any:
    return record.get(name) if isinstance(record, Mapping) else getattr(record, name, None)


async def _project_lead(gateway: GatewayClient, page: Mapping[str, Any], record: Any) -> str | None:
    """Only the lead team's service lead (and the programme office, administrators) change a
    project and what belongs to it: its milestones, RAID items and highlight reports."""
    if isinstance(record, Project):
        project = record
    else:
        project_id = _field(record, "project_id")
        if not project_id:
            return None  # a new project: the programme office's, checked by its area
        try:
            project = await ProjectsApiClient(gateway).project(str(project_id))
        except ApiError:
            return None  # an unknown project: the form says so when it is sent
    if can_edit(dict(page), project):
        return None
    return (
        "You do not have permission to change this project. It is led by the "
        f"{project.lead_team or 'no team yet'}: its service lead, the programme office or an "
        "administrator can."
    )


async def _line_owner(_gateway: GatewayClient, page: Mapping[str, Any], record: Any) -> str | None:
    """A service lead changes only the savings lines their team owns (finance's rule)."""
    me = page.get("me")
    roles = set(me.roles) if isinstance(me, Caller) else set()
    if roles & {"admin", "finance"}:
        return None
    owner = str(_field(record, "owner_team") or "")
    if isinstance(record, Mapping) or (me is not None and owner == str(me.team or "")):
        return None
    return (
        "You do not have permission to change this savings line. It belongs to "
        f'"{owner or "no team"}": its service lead, a finance officer or an administrator can.'
    )


async def _project_options(gateway: GatewayClient, _request: Request) -> dict[str, Choices]:
    client = ProjectsApiClient(gateway)
    objectives = await client.objectives()
    teams = await client.lead_teams()
    return {
        "objective_ids": [(o.id, f"{o.number}. {o.statement[:90]}") for o in objectives],
        "lead_team": [("", "Not set"), *((t, t) for t in teams)],
        "programme_id": [
            ("", "None"),
            *((p.id, p.name) for p in await client.programmes()),
        ],
    }


PROJECT = Resource(
    owner=_project_lead,
    base="/projects",
    noun="project",
    nav="projects",
    area="projects",
    create_area="plan",
    api=projects.EDITABLE_PROJECT,
    form=Form(
        (
            Question("name", "Project name", required="Enter the project's name"),
            Question("description", "What it will deliver and its benefits", "textarea"),
            Question(
                "lead_team",
                "Lead team",
                "select",
                hint="The team whose service lead runs the project.",
                roles=CENTRAL_PROJECTS,
            ),
            Question(
                "sro",
                "Senior responsible owner (SRO)",
                hint="The person accountable for the project delivering its benefits.",
            ),
            Question(
                "stage",
                "Stage",
                "radios",
                choices=choices_of(STAGES),
                hint="Close a project rather than removing it: its history is kept.",
                required="Select the project's stage",
            ),
            Question("programme_id", "Programme", "select", empty=None),
            Question("objective_ids", "Objectives it delivers", "checkboxes"),
            Question("start_month", "Start month", "month"),
            Question("end_month", "End month", "month"),
            Question("budget_amount", "Budget", "money"),
            Question(
                "budget_basis",
                "The budget is",
                "radios",
                choices=choices_of(BASES),
                empty=None,
            ),
            Question("funding_source", "Funding source", empty=None),
            Question(
                "resources",
                "Depends on",
                "lines",
                hint="Other projects, teams or resources it depends on, one a line.",
                empty=[],
            ),
            Question("council_plan", "Is it a Council Plan project?", "yes_no", empty=False),
        ),
        steps=(
            Step(
                "About the project",
                ("name", "description", "lead_team", "sro", "stage", "programme_id"),
            ),
            Step("What it delivers", ("objective_ids", "council_plan", "resources")),
            Step(
                "Dates and budget",
                ("start_month", "end_month", "budget_amount", "budget_basis", "funding_source"),
            ),
        ),
    ),
    defaults=lambda request: {"stage": "proposed", "council_plan": "no"},
    options=_project_options,
)


def _part_of_project(
    anchor: str,
    defaults: Callable[[Request], dict[str, Any]] = lambda request: {},
    **declared: Any,
) -> Resource:
    """A record that belongs to a project (a milestone, RAID item or highlight report): added
    from the project's page (`?project_id=`), changed by whoever may change the project, and
    listed on its page at `#anchor`, where saving it or going back returns."""

    def project_page(request: Request, record: Any | None) -> str:
        project_id = (
            record.project_id if record is not None else request.query_params.get("project_id")
        )
        return f"/projects/{project_id}" if project_id else "/projects"

    return Resource(
        owner=_project_lead,
        nav="projects",
        area="projects",
        hidden=("project_id",),
        defaults=lambda request: (
            {"project_id": request.query_params.get("project_id", "")} | defaults(request)
        ),
        done=lambda record: f"/projects/{record.project_id}#{anchor}",
        back=project_page,
        **declared,
    )


MILESTONE = _part_of_project(
    "milestones",
    base="/milestones",
    noun="milestone",
    api=projects.EDITABLE_MILESTONE,
    form=Form(
        (
            Question("title", "Milestone", required="Enter what the milestone is"),
            Question(
                "baseline_date",
                "Baseline date",
                "date",
                hint="The date in the agreed plan.",
                required="Enter the baseline date",
            ),
            Question(
                "forecast_date",
                "Forecast date",
                "date",
                hint="When it is now expected. Leave blank to use the baseline.",
            ),
            Question(
                "actual_date",
                "Date completed",
                "date",
                hint="Entering a date marks the milestone completed.",
            ),
            Question(
                "status",
                "Status",
                "radios",
                choices=choices_of(MILESTONE_STATUSES),
                hint="Cancel a milestone rather than removing it: its history is kept.",
                empty=None,
            ),
        )
    ),
    caption=lambda record: "Milestones",
)

RAID_ITEM = _part_of_project(
    "raid",
    base="/raid-items",
    noun="RAID item",
    api=projects.EDITABLE_RAID_ITEM,
    form=Form(
        (
            Question(
                "kind", "Type", "radios", choices=choices_of(RAID_KINDS), required="Select the type"
            ),
            Question("title", "Title", required="Enter a title"),
            Question("description", "Description", "textarea"),
            Question(
                "likelihood",
                "Likelihood",
                "radios",
                choices=SCORES,
                hint="1 is very unlikely, 5 is almost certain.",
                required="Select the likelihood",
            ),
            Question(
                "impact",
                "Impact",
                "radios",
                choices=SCORES,
                hint="1 is very low, 5 is very high.",
                required="Select the impact",
            ),
            Question("owner", "Owner"),
            Question("mitigation", "Mitigation", "textarea"),
            Question("review_date", "Review date", "date"),
            Question(
                "status",
                "Status",
                "radios",
                choices=[("open", "Open"), ("closed", "Closed")],
                hint="Close an item rather than removing it: its history is kept.",
            ),
        )
    ),
    defaults=lambda request: {"status": "open"},
)

REPORT_QUESTIONS = (
    Question(
        "rag",
        "RAG status for the month",
        "radios",
        choices=RAGS,
        required="Select the RAG status of the project for the month",
    ),
    Question("summary", "Summary", "textarea", required="Enter a summary"),
    Question("achievements", "Achievements this month", "textarea"),
    Question("next_steps", "Next steps", "textarea"),
    Question("issues", "Issues", "textarea"),
    Question("decisions_needed", "Decisions needed", "textarea"),
)


async def _month_reported(
    gateway: GatewayClient, values: Mapping[str, Any], errors: Mapping[str, str]
) -> list[tuple[str, str]]:
    """The month's report already written, to change instead of writing a second."""
    if "already has a report" not in errors.get("period", ""):
        return []
    reports = await ProjectsApiClient(gateway).highlight_reports(str(values.get("project_id")))
    return [
        (f"Change the report for {month_label(r.period)}", f"/highlight-reports/{r.id}/edit")
        for r in reports
        if r.period == values.get("period")
    ]


HIGHLIGHT_REPORT = _part_of_project(
    "highlight-reports",
    base="/highlight-reports",
    noun="highlight report",
    api=projects.EDITABLE_HIGHLIGHT_REPORT,
    form=Form(REPORT_QUESTIONS),
    create_form=Form(
        (
            Question(
                "period",
                "Month the report covers",
                "month",
                required="Enter the month the report covers",
                width="govuk-input--width-5",
            ),
            *REPORT_QUESTIONS,
        )
    ),
    defaults=lambda request: {"period": Period.month_of(date.today()).code},
    instead=_month_reported,
    caption=lambda record: "Highlight reports",
)


async def _objective_options(gateway: GatewayClient, _request: Request) -> dict[str, Choices]:
    priorities = await ProjectsApiClient(gateway).priorities()
    measures = await KpiApiClient(gateway).all_measures()
    return {
        "priority_ids": [(p.id, p.title) for p in priorities],
        "kpi_measure_ids": [(m.id, f"{m.code} {m.title}".strip()) for m in measures if m.active],
    }


OBJECTIVE = Resource(
    base="/objectives",
    noun="objective",
    nav="projects",
    area="plan",
    api=projects.EDITABLE_OBJECTIVE,
    form=Form(
        (
            Question(
                "number",
                "Objective number",
                "number",
                hint="Its number in the service plan.",
                required="Enter the objective's number",
            ),
            Question("statement", "Objective", "textarea", required="Enter the objective"),
            Question("owner", "Owner"),
            Question("priority_ids", "Priorities it serves", "checkboxes"),
            Question("kpi_measure_ids", "KPIs that track it", "checkboxes"),
            Question("council_plan", "Is it a Council Plan objective?", "yes_no", empty=False),
        )
    ),
    done=lambda record: f"/objectives#objective-{record.number}",
    listed_on="/objectives",
    defaults=lambda request: {"council_plan": "no"},
    options=_objective_options,
)

PRIORITY = Resource(
    base="/priorities",
    noun="priority",
    nav="projects",
    area="plan",
    api=projects.EDITABLE_PRIORITY,
    form=Form(
        (
            Question("title", "Priority", required="Enter the priority"),
            Question(
                "position",
                "Position in the plan",
                "number",
                hint="Priorities are listed in this order, lowest first.",
            ),
        )
    ),
    listed_on="/objectives",
)

IMPROVEMENT_ACTION = Resource(
    base="/improvement-plan/actions",
    noun="improvement action",
    nav="projects",
    area="plan",
    api=projects.EDITABLE_ACTION,
    form=Form(
        (
            Question(
                "area", "Area", hint="For example, Quality assurance", required="Enter the area"
            ),
            Question("action", "Action", "textarea", required="Enter the action"),
            Question("owner", "Owner"),
            Question("due_date", "Due date", "date"),
            Question("status", "Status", "radios", choices=ACTION_STATUSES),
        )
    ),
    listed_on="/improvement-plan",
    defaults=lambda request: {"status": "not_started"},
)


TARGET_YEARS = [
    FinancialYear(FinancialYear.containing(date.today()).start_year + offset)
    for offset in range(-1, 3)
]
"""The years a savings line's form asks a target for: last year, this year and the next two."""


def _target_name(year: FinancialYear) -> str:
    return f"target_{year.label.replace('/', '_')}"


def _targets_shown(data: Mapping[str, Any]) -> dict[str, Any]:
    """Each year's target as its own answer; the theme only as a person set it (a theme its
    words suggest is shown as that choice, so saving the form leaves it to the words)."""
    return {
        f"target_{t['financial_year'].replace('/', '_')}": t["in_year"]
        for t in data.get("targets") or []
    } | {"theme": data.get("theme") if data.get("theme_confirmed") else ""}


def _targets_sent(payload: dict[str, Any], _values: Mapping[str, Any]) -> dict[str, Any]:
    """The per-year answers as the API's `targets` (it sets the years named, keeps the rest)."""
    targets = []
    for year in TARGET_YEARS:
        amount = payload.pop(_target_name(year), None)
        if amount is not None:
            targets.append({"financial_year": year.label, "in_year": amount})
    return payload | ({"targets": targets} if targets else {})


async def _savings_options(gateway: GatewayClient, _request: Request) -> dict[str, Choices]:
    client = FinanceApiClient(gateway)
    names = await client.project_names()
    teams = sorted(set(await client.owners()) | set(await ProjectsApiClient(gateway).lead_teams()))
    measures = await KpiApiClient(gateway).all_measures()
    themes = await client.themes()
    return {
        "theme": [("", "As its words suggest"), *((t.theme, t.label) for t in themes)],
        "kpi_measure_id": [
            ("", "None"),
            *((m.id, f"{m.code} {m.title}".strip()) for m in measures if m.active),
        ],
        "project_ids": sorted(names.items(), key=lambda item: item[1].lower()),
        "owner_team": [("", "Not set"), *((t, t) for t in teams)],
    }


def _own_team(page: Mapping[str, Any]) -> dict[str, Any]:
    me = page.get("me")
    if isinstance(me, Caller) and not set(me.roles) & CENTRAL_FINANCE:
        return {"owner_team": me.team or ""}
    return {}


SAVINGS_LINE = Resource(
    owner=_line_owner,
    unasked=_own_team,
    read_more=_targets_shown,
    write_more=_targets_sent,
    base="/savings",
    noun="savings line",
    nav="savings",
    area="finance",
    api=finance.EDITABLE_SAVINGS_LINE,
    form=Form(
        (
            Question(
                "reference",
                "Reference",
                hint="For example, ASC-SAV-01",
                required="Enter a reference",
                width="govuk-input--width-10",
            ),
            Question("title", "Savings line", required="Enter a title"),
            Question("description", "Description", "textarea"),
            Question(
                "owner_team",
                "Owner",
                "select",
                hint="The team whose service lead delivers it.",
                roles=CENTRAL_FINANCE,
            ),
            Question(
                "category",
                "Category",
                "select",
                choices=[("", "Select a category"), *CATEGORIES],
                required="Select a category",
            ),
            Question("saving_type", "Type of saving", "radios", choices=TYPES),
            Question(
                "recurrence",
                "Recurrence",
                "radios",
                choices=[("recurring", "Recurring"), ("one_off", "One-off")],
            ),
            Question(
                "status",
                "Status",
                "radios",
                choices=choices_of(STATUSES),
                hint="Write a line off rather than removing it: its history is kept.",
            ),
            Question("written_off_reason", "Reason it was written off", "textarea"),
            Question("delivery_confidence", "Delivery confidence", "radios", choices=CONFIDENCE),
            Question("project_ids", "Projects that deliver it", "checkboxes"),
            *(
                Question(
                    _target_name(year),
                    f"In-year target for {year.label}",
                    "money",
                    hint="The saving to land in that financial year. Leave blank for none.",
                )
                for year in TARGET_YEARS
            ),
            Question(
                "theme",
                "Theme in the savings library",
                "select",
                hint="Where other councils' savings like it are found. Left as its words "
                "suggest, it follows them; choose one to confirm or change it.",
                empty=None,
            ),
            Question(
                "kpi_measure_id",
                "The KPI it depends on",
                "select",
                hint="The measure whose progress the saving relies on, if there is one.",
                empty=None,
            ),
        ),
        steps=(
            Step(
                "About the saving",
                ("reference", "title", "description", "owner_team", "category", "saving_type"),
            ),
            Step(
                "Its status",
                ("recurrence", "status", "written_off_reason", "delivery_confidence"),
            ),
            Step("Targets by year", tuple(_target_name(year) for year in TARGET_YEARS)),
            Step("What it depends on", ("project_ids", "kpi_measure_id")),
        ),
    ),
    defaults=lambda request: {
        "saving_type": "cashable",
        "recurrence": "recurring",
        "status": "proposed",
        "delivery_confidence": "amber",
    },
    options=_savings_options,
)

MEASURE_QUESTIONS = (
    Question(
        "code",
        "Code",
        hint="The council's short reference, for example ASCOF 2A",
        required="Enter the KPI's code",
        width="govuk-input--width-10",
    ),
    Question("title", "Title", required="Enter the KPI's title"),
    Question("definition", "Definition", "textarea"),
    Question("numerator_definition", "Numerator", "textarea"),
    Question("denominator_definition", "Denominator", "textarea"),
    Question("unit", "Unit", "radios", choices=choices_of(UNIT_WORDS), required="Select the unit"),
    Question("decimal_places", "Decimal places shown", "number"),
    Question(
        "polarity",
        "Which is better?",
        "radios",
        choices=[("bigger_is_better", "Bigger"), ("smaller_is_better", "Smaller")],
        required="Select whether bigger or smaller is better",
    ),
    Question(
        "frequency",
        "How often it is reported",
        "radios",
        choices=[("monthly", "Monthly"), ("quarterly", "Quarterly"), ("annual", "Annual")],
        required="Select how often it is reported",
    ),
    Question(
        "target_type",
        "Target type",
        "radios",
        choices=[
            ("flat", "Flat: the same target all year"),
            ("cumulative", "Cumulative: the year's total builds up"),
            ("profiled", "Profiled: a target for each period"),
        ],
    ),
    Question(
        "tolerance_kind",
        "Amber tolerance is",
        "radios",
        choices=[("percent", "A percentage of the target"), ("absolute", "An amount")],
    ),
    Question("tolerance", "Amber tolerance", "number"),
    Question("baseline_value", "Baseline", "number"),
    Question("baseline_period", "Baseline period", hint="For example, 2024/25", empty=None),
    Question("data_provider", "Data provider", hint="The team that reports it."),
    Question("service_area", "Service area"),
    Question("national_reference", "National reference"),
    Question("population_area", "Population area", empty=None),
    Question("population_age_band", "Population age band", empty=None),
    Question("council_plan", "Is it a Council Plan KPI?", "yes_no", empty=False),
)
KPI_TARGET_YEARS = TARGET_YEARS[1:]
"""The years a new KPI is asked a target for: this year and the next two."""


def _kpi_target(year: FinancialYear) -> tuple[str, str]:
    code = year.label.replace("/", "_")
    return f"kpi_target_{code}", f"kpi_profile_{code}"


def _kpi_targets_sent(payload: dict[str, Any], _values: Mapping[str, Any]) -> dict[str, Any]:
    """A new KPI's per-year answers as the API's `targets`, the years left blank left out."""
    targets = []
    for year in KPI_TARGET_YEARS:
        value_name, profile_name = _kpi_target(year)
        value, profile = payload.pop(value_name, None), payload.pop(profile_name, None)
        if value is not None or profile:
            targets.append({"financial_year": year.label, "value": value, "profile": profile})
    return payload | ({"targets": targets} if targets else {})


def _kpi_target_error(path: str, payload: Mapping[str, Any]) -> str:
    """`targets.1.profile` is the profile question of the second year sent."""
    parts = path.split(".")
    if parts[0] != "targets" or len(parts) < 2 or not parts[1].isdigit():
        return path
    sent = payload.get("targets") or []
    if int(parts[1]) >= len(sent):
        return path
    value_name, profile_name = _kpi_target(
        FinancialYear.parse(sent[int(parts[1])]["financial_year"])
    )
    return profile_name if parts[-1] == "profile" else value_name


KPI_TARGET_QUESTIONS = tuple(
    question
    for year in KPI_TARGET_YEARS
    for question in (
        Question(
            _kpi_target(year)[0],
            f"Target for {year.label}",
            "number",
            hint="The level to reach in the year. Leave blank to set it later.",
        ),
        Question(
            _kpi_target(year)[1],
            f"Profile for {year.label}",
            "lines",
            hint="For a profiled KPI, one target a line for each month or quarter, from April.",
            empty=None,
        ),
    )
)

MEASURE = Resource(
    base="/kpis",
    noun="KPI",
    nav="kpis",
    area="targets",
    api=kpi.EDITABLE_MEASURE,
    form=Form(MEASURE_QUESTIONS),
    create_form=Form(
        MEASURE_QUESTIONS + KPI_TARGET_QUESTIONS,
        steps=(
            Step(
                "About the KPI",
                ("code", "title", "definition", "numerator_definition", "denominator_definition"),
            ),
            Step(
                "How it is measured",
                (
                    "unit",
                    "decimal_places",
                    "polarity",
                    "frequency",
                    "target_type",
                    "tolerance_kind",
                    "tolerance",
                    "baseline_value",
                    "baseline_period",
                ),
            ),
            Step(
                "Who reports it",
                (
                    "data_provider",
                    "service_area",
                    "national_reference",
                    "population_area",
                    "population_age_band",
                    "council_plan",
                ),
            ),
            Step("Targets by year", tuple(q.name for q in KPI_TARGET_QUESTIONS)),
        ),
    ),
    write_more=_kpi_targets_sent,
    error_field=_kpi_target_error,
    defaults=lambda request: {
        "target_type": "flat",
        "tolerance_kind": "percent",
        "council_plan": "no",
    },
)

TARGET = Resource(
    base="/kpi-targets",
    noun="target",
    nav="kpis",
    area="targets",
    api=kpi.EDITABLE_TARGET,
    form=Form(
        (
            Question(
                "financial_year",
                "Financial year",
                hint="For example, 2026/27",
                required="Enter the financial year",
                width="govuk-input--width-5",
            ),
            Question(
                "kind",
                "The target is",
                "radios",
                choices=[("level", "A level to reach"), ("reduction", "An amount to reduce by")],
            ),
            Question("value", "Target for the year", "number", required="Enter the target"),
            Question(
                "profile",
                "Profile",
                "lines",
                hint="For a profiled KPI, one target a line for each month or quarter, from April.",
                empty=None,
            ),
            Question("note", "As the council wrote it", "textarea"),
        )
    ),
    hidden=("measure_id",),
    done=lambda record: f"/kpis/{record.measure_id}",
    back=lambda request, record: (
        f"/kpis/{record.measure_id if record else request.query_params.get('measure_id', '')}"
    ),
    defaults=lambda request: {
        "measure_id": request.query_params.get("measure_id", ""),
        "kind": "level",
    },
)


def _budget_years(record: Any | None) -> list[str]:
    """The financial years a budget line's form asks amounts for: each year the line has, or
    this year for a new line (or one with none yet)."""
    years = [b.financial_year for b in record.budgets] if record is not None else []
    return years or [FinancialYear.containing(date.today()).label]


def _budget_names(year: str) -> tuple[str, str]:
    code = year.replace("/", "_")
    return f"budget_{code}_original", f"budget_{code}_current"


def _budget_questions(record: Any | None) -> tuple[Question, ...]:
    return tuple(
        question
        for year in _budget_years(record)
        for question in (
            Question(
                _budget_names(year)[0],
                f"Original budget for {year}",
                "money",
                hint="The budget set for the year. Negative for an income line.",
            ),
            Question(
                _budget_names(year)[1],
                f"Current budget for {year}",
                "money",
                hint="The budget after virements. Leave blank to use the original.",
            ),
        )
    )


def _budgets_shown(data: Mapping[str, Any]) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for amount in data.get("budgets") or []:
        original, current = _budget_names(amount["financial_year"])
        shown |= {original: amount["original_budget"], current: amount["current_budget"]}
    return shown


def _budgets_sent(payload: dict[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """Each year with an amount changed, as the API's `budgets` (it sets the years named and
    keeps the rest): both of that year's amounts, as typed, so the money stays exact."""
    changed = {
        name.removeprefix("budget_").rsplit("_", 1)[0].replace("_", "/")
        for name in payload
        if name.startswith("budget_")
    }
    budgets = []
    for year in sorted(changed):
        original, current = _budget_names(year)
        budgets.append(
            {
                "financial_year": year,
                "original_budget": str(values.get(original, "")).strip() or None,
                "current_budget": str(values.get(current, "")).strip() or None,
            }
        )
    rest = {n: v for n, v in payload.items() if not n.startswith("budget_")}
    return rest | ({"budgets": budgets} if budgets else {})


def _budget_error(path: str, payload: Mapping[str, Any]) -> str:
    """`budgets.0.current_budget` is the current budget question of the first year sent."""
    parts = path.split(".")
    sent = payload.get("budgets") or []
    if parts[0] != "budgets" or len(parts) < 3 or not parts[1].isdigit():
        return path
    if int(parts[1]) >= len(sent):
        return path
    original, current = _budget_names(sent[int(parts[1])]["financial_year"])
    return current if parts[2] == "current_budget" else original


BUDGET_LINE = Resource(
    more_questions=_budget_questions,
    read_more=_budgets_shown,
    write_more=_budgets_sent,
    error_field=_budget_error,
    base="/budget/lines",
    noun="budget line",
    nav="budget",
    area="budget",
    api=finance.EDITABLE_BUDGET_LINE,
    form=Form(
        (
            Question(
                "name",
                "Budget line",
                hint="For example, Learning Disabilities",
                required="Enter the budget line's name",
            ),
            Question("service_area", "Service area"),
            Question("cost_centre", "Cost centre", width="govuk-input--width-10"),
        )
    ),
    listed_on="/budget",
)

for resource in (
    BUDGET_LINE,
    MEASURE,
    TARGET,
    PROJECT,
    MILESTONE,
    RAID_ITEM,
    HIGHLIGHT_REPORT,
    OBJECTIVE,
    PRIORITY,
    IMPROVEMENT_ACTION,
    SAVINGS_LINE,
):
    add_pages(router, resource)
