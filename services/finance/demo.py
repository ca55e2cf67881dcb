"""Demo data for the finance service: a budget monitor and a savings programme, labelled demo.

Budget lines are the Adult Social Care policy areas with budgets for four financial years and a
monthly forecast from April to the latest complete month. Savings lines follow the projects of the
shared Reading ASC service plan dataset (e.g. Supported Living Efficiencies: £376k, £575k and £576k
for 2025/26 to 2027/28), with a monthly return for every complete month since April 2025.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import text
from sqlalchemy.orm import Session

from common.periods import FinancialYear, Period
from services.finance.budgets.models import BudgetAmount, BudgetLine, Forecast
from services.finance.savings.models import (
    ActivityMeasure,
    SavingsEntry,
    SavingsLine,
    SavingsTarget,
)

LABEL = "Demo data"
FIRST_YEAR = FinancialYear(2025)
THOUSAND = Decimal(1000)


def _k(amount: str) -> Decimal:
    return (Decimal(amount) * THOUSAND).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class _Budget:
    name: str
    cost_centre: str
    budget_k: str  # 2025/26 original budget, £k (negative for income)
    virement_k: str  # change from original to current budget, £k
    first_variance_k: str  # forecast variance in April, £k
    last_variance_k: str  # forecast variance in March, £k
    commentary: str


# April's total variance is £6.2m and March's £5.399m: "forecast outturn is an overspend of
# £5.399m; the original forecast was £6.2m".
BUDGETS = (
    _Budget(
        "Learning Disabilities",
        "DEMO-LD",
        "32500",
        "300",
        "3100",
        "2750",
        "Demo data: high-cost supported living placements; reviews bringing costs down.",
    ),
    _Budget(
        "Older People",
        "DEMO-OP",
        "24100",
        "0",
        "1900",
        "1620",
        "Demo data: more hospital discharges into residential care than planned.",
    ),
    _Budget(
        "Mental Health",
        "DEMO-MH",
        "8900",
        "0",
        "700",
        "650",
        "Demo data: step-down placements from hospital.",
    ),
    _Budget(
        "Physical Support",
        "DEMO-PS",
        "9600",
        "-100",
        "600",
        "550",
        "Demo data: home care hours above budget.",
    ),
    _Budget(
        "Commissioning",
        "DEMO-COM",
        "4200",
        "0",
        "-150",
        "-200",
        "Demo data: contract savings from the new home care framework.",
    ),
    _Budget(
        "Reablement and Short-term Care",
        "DEMO-REA",
        "3400",
        "0",
        "-100",
        "-121",
        "Demo data: vacancies in the reablement team.",
    ),
    _Budget(
        "Operations and Staffing",
        "DEMO-OPS",
        "11200",
        "-200",
        "-100",
        "-50",
        "Demo data: agency social workers covering vacancies.",
    ),
    _Budget(
        "Client Finances income",
        "DEMO-INC",
        "-9800",
        "0",
        "250",
        "200",
        "Demo data: assessed charges income below target (a shortfall is an overspend).",
    ),
)


@dataclass(frozen=True)
class _Saving:
    reference: str
    title: str
    project: str  # the project's name in the shared dataset
    owner_team: str
    category: str
    saving_type: str
    recurrence: str
    confidence: str
    targets_k: tuple[tuple[str, str, str], ...]  # (year, in-year £k, full-year effect £k)
    achieved_share: str  # share of the target achieved by March
    forecast_share: str  # share of the target forecast for the year, by March
    description: str


SAVINGS = (
    _Saving(
        "SAV-SLE",
        "Supported Living Efficiencies",
        "Supported Living Efficiencies",
        "Commissioning Team",
        "care_package_reviews",
        "cashable",
        "recurring",
        "amber",
        (("2025/26", "376", "376"), ("2026/27", "575", "575"), ("2027/28", "576", "576")),
        "0.62",
        "0.85",
        "Care package reviews to right-size care in every supported living setting.",
    ),
    _Saving(
        "SAV-INC",
        "Income Review: assessed fees and charging",
        "Income Review",
        "Client Finances Team",
        "income_and_charging",
        "cashable",
        "recurring",
        "green",
        (("2025/26", "450", "600"), ("2026/27", "150", "150")),
        "0.80",
        "1.02",
        "Increased assessed fees and charging income; less social care debt.",
    ),
    _Saving(
        "SAV-SW",
        "Spending Wisely: care funding decisions",
        "Spending Wisely",
        "Transformation Team",
        "commissioning_and_procurement",
        "cashable",
        "recurring",
        "amber",
        (("2025/26", "500", "500"), ("2026/27", "250", "250")),
        "0.55",
        "0.80",
        "Negotiation training, CareCubed and improved monitoring of care decisions.",
    ),
    _Saving(
        "SAV-CPR",
        "Care package review programme",
        "Spending Wisely",
        "Operations Team",
        "care_package_reviews",
        "cashable",
        "recurring",
        "amber",
        (("2025/26", "600", "1200"),),
        "0.80",
        "0.92",
        "Strength-based reviews of the customers eligible for a care package review.",
    ),
    _Saving(
        "SAV-REA",
        "Reablement at the front door",
        "Reablement",
        "Operations Team",
        "reablement",
        "cost_avoidance",
        "recurring",
        "red",
        (("2025/26", "300", "300"), ("2026/27", "300", "300")),
        "0.25",
        "0.45",
        "Extend reablement to people who first approach ASC through the Advice and Wellbeing Hub.",
    ),
    _Saving(
        "SAV-DIG",
        "Provider Portal invoicing efficiencies",
        "Digital Transformation",
        "Digital Transformation Team",
        "technology_enabled_care",
        "non_cashable",
        "recurring",
        "green",
        (("2025/26", "150", "150"), ("2026/27", "50", "50")),
        "0.70",
        "1.00",
        "Provider Portal to improve provider invoicing and deliver efficiency.",
    ),
    _Saving(
        "SAV-DP",
        "Direct Payments uptake (mitigates Reablement)",
        "Direct Payments",
        "Direct Payments Team",
        "direct_payments",
        "cashable",
        "one_off",
        "amber",
        (("2025/26", "120", "120"),),
        "0.50",
        "0.90",
        "One-off saving from more people choosing direct payments, replacing part of the "
        "slipping reablement saving.",
    ),
)


def latest_complete_month(today: date) -> date:
    return Period.month_of(today).previous().start


def _months(year: FinancialYear, until: date) -> list[date]:
    return [m for m in year.months() if m <= until]


def _interpolate(first: Decimal, last: Decimal, index: int, months: int = 12) -> Decimal:
    value = first + (last - first) * index / (months - 1)
    return value.quantize(Decimal("1"), ROUND_HALF_UP).quantize(Decimal("0.01"))


def _project_ids(session: Session) -> dict[str, uuid.UUID]:
    """Ids of the projects service's projects by lower-case name, read from its table in this
    transaction when it exists (the projects demo loads first); empty otherwise."""
    if session.scalar(text("select to_regclass('projects.projects')")) is None:
        return {}
    columns = set(
        session.scalars(
            text(
                "select column_name from information_schema.columns "
                "where table_schema = 'projects' and table_name = 'projects'"
            )
        )
    )
    name = next((c for c in ("name", "title") if c in columns), None)
    if name is None or "id" not in columns:
        return {}
    query = f"select id, {name} from projects.projects"  # the column name comes from the list
    params = {}
    if "org_id" in columns:
        query += " where org_id = :org"
        params["org"] = session.info["org_id"]
    return {str(row[1]).strip().lower(): row[0] for row in session.execute(text(query), params)}


def load(session: Session, *, today: date | None = None) -> None:
    """Add the demo budget monitor and savings programme to the session's council."""
    until = latest_complete_month(today or date.today())
    _load_budgets(session, until)
    _load_savings(session, until)


def _load_budgets(session: Session, until: date) -> None:
    for spec in BUDGETS:
        line = BudgetLine(
            name=spec.name, service_area="Adult Social Care", cost_centre=spec.cost_centre
        )
        original = _k(spec.budget_k)
        for offset in range(4):
            year = FinancialYear(FIRST_YEAR.start_year + offset)
            # later years grow 3% a year (income too), rounded to the £1k
            grown = (original * Decimal("1.03") ** offset / THOUSAND).quantize(
                Decimal("1"), ROUND_HALF_UP
            ) * THOUSAND
            current = grown + (_k(spec.virement_k) if offset == 0 else Decimal(0))
            line.amounts.append(
                BudgetAmount(
                    financial_year=year.label,
                    original_budget=grown.quantize(Decimal("0.01")),
                    current_budget=current.quantize(Decimal("0.01")),
                )
            )
            if offset > 1:
                continue
            first, last = _k(spec.first_variance_k), _k(spec.last_variance_k)
            if offset == 1:  # this year's forecasts open a little better than last year closed
                first, last = last * Decimal("0.9"), last * Decimal("0.8")
            for index, month in enumerate(_months(year, until)):
                variance = _interpolate(first, last, index)
                line.forecasts.append(
                    Forecast(
                        month=month,
                        financial_year=year.label,
                        forecast_outturn=current.quantize(Decimal("0.01")) + variance,
                        commentary=spec.commentary,
                    )
                )
        session.add(line)


def _load_savings(session: Session, until: date) -> None:
    projects = _project_ids(session)
    lines: dict[str, SavingsLine] = {}
    for spec in SAVINGS:
        project = projects.get(spec.project.lower())
        line = SavingsLine(
            reference=spec.reference,
            title=spec.title,
            description=f"{LABEL}. {spec.description}",
            project_ids=[project] if project else [],
            owner_team=spec.owner_team,
            category=spec.category,
            saving_type=spec.saving_type,
            recurrence=spec.recurrence,
            delivery_confidence=spec.confidence,
            status="in_delivery",
            written_off_reason="",
        )
        for year, in_year, full_year in spec.targets_k:
            line.targets.append(
                SavingsTarget(
                    financial_year=year, in_year=_k(in_year), full_year_effect=_k(full_year)
                )
            )
            target = _k(in_year)
            for index, month in enumerate(_months(FinancialYear.parse(year), until)):
                share = Decimal(index + 1) / 12
                achieved = (target * Decimal(spec.achieved_share) * share).quantize(
                    Decimal("100"), ROUND_HALF_UP
                )
                # forecasts start at the target and drift to where the line ends the year
                forecast = (
                    target + (target * Decimal(spec.forecast_share) - target) * index / 11
                ).quantize(Decimal("100"), ROUND_HALF_UP)
                line.entries.append(
                    SavingsEntry(
                        month=month,
                        financial_year=year,
                        achieved_to_date=min(achieved, forecast).quantize(Decimal("0.01")),
                        forecast_for_year=forecast.quantize(Decimal("0.01")),
                        note=f"{LABEL}: return for {month:%B %Y}.",
                    )
                )
        session.add(line)
        lines[spec.reference] = line
    lines["SAV-CPR"].activity_measures.append(
        ActivityMeasure(
            name="Care package reviews done (eligible cohort, annual net cost £59m)",
            unit="reviews",
            planned=3813,
            done=452,
        )
    )
    lines["SAV-SLE"].activity_measures.append(
        ActivityMeasure(
            name="Supported living settings reviewed", unit="settings", planned=48, done=21
        )
    )
    session.flush()
    lines["SAV-DP"].mitigates_line_id = lines["SAV-REA"].id
