"""Build the corpus of published-style council tables beside this file, as councils lay them out
(titles above the header, units in headings, year columns, section rows, stated totals that
don't reconcile, bracket negatives), so the importers are tested on tables shaped like real ones.

    .venv/bin/python -m tests.imports.tables.make_tables

The writers (`xlsx`, `ods`, `docx_plan`) are also what the tests use to build small files.
Every file is the same byte for byte each time it is built (fixed timestamps).
"""

import io
import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from openpyxl import Workbook

HERE = Path(__file__).parent
Rows = Sequence[Sequence[str | int | float | date | None]]


def _fixed_zip(data: bytes) -> bytes:
    """The same package with every member's timestamp fixed, so a rebuild changes nothing."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = member.compress_type
            target.writestr(info, source.read(member))
    return out.getvalue()


def xlsx(sheets: dict[str, Rows], *, hidden: Sequence[str] = ()) -> bytes:
    """A workbook with a sheet per entry (openpyxl, as Excel would save it)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.properties.creator = "ASC Tracker tests"
    out = io.BytesIO()
    book.save(out)
    return _fixed_zip(out.getvalue())


_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _ods_cell(value: str | int | float | date | None) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, date):
        value = value.isoformat()
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p>'
        "</table:table-cell>"
    )


def ods(sheets: dict[str, Rows], *, padding: bool = True, extra: str = "") -> bytes:
    """An OpenDocument spreadsheet, padded to the sheet's edge with repeated empty rows and
    cells as LibreOffice saves one (which a reader must not expand); `extra` is raw XML added
    to each sheet (for hostile files)."""
    tables = []
    for name, rows in sheets.items():
        body = "".join(
            "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        body += extra
        if padding:
            body += (
                '<table:table-row table:number-rows-repeated="1048000">'
                '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
            )
        tables.append(f'<table:table table:name="{escape(name)}">{body}</table:table>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        stamp = (1980, 1, 1, 0, 0, 0)
        package.writestr(
            zipfile.ZipInfo("mimetype", stamp), "application/vnd.oasis.opendocument.spreadsheet"
        )
        manifest = zipfile.ZipInfo("META-INF/manifest.xml", stamp)
        package.writestr(manifest, _ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        package.writestr(zipfile.ZipInfo("content.xml", stamp), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def docx_plan(blocks: Sequence[tuple[str, str | Rows]]) -> bytes:
    """A Word document of ("heading", text), ("paragraph", text) and ("table", rows) blocks."""
    document = docx.Document()
    document.core_properties.author = "ASC Tracker tests"
    for kind, content in blocks:
        if kind == "heading":
            document.add_heading(str(content), level=2)
        elif kind == "paragraph":
            document.add_paragraph(str(content))
        else:
            assert not isinstance(content, str)
            rows = [["" if v is None else str(v) for v in row] for row in content]
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for cells, values in zip(table.rows, rows, strict=True):
                for cell, value in zip(cells.cells, values, strict=False):
                    cell.text = value
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip(out.getvalue())


# The corpus -------------------------------------------------------------------------------------

BUDGET_BOOK: Rows = [
    ["Adult Social Care: revenue budget 2024/25 to 2027/28", None, None, None, None],
    ["All figures £m", None, None, None, None],
    [None, None, None, None, None],
    [
        "Service area",
        "Budget 2024/25 £m",
        "Budget 2025/26 £m",
        "Budget 2026/27 £m",
        "Budget 2027/28 £m",
    ],
    ["Older people", None, None, None, None],
    ["Residential care", 52.3, 54.1, 55.8, 57.2],
    ["Home care", 31.6, 33.0, 34.2, 35.5],
    ["Sub-total older people", 83.9, 87.1, 90.0, 92.7],
    ["Working-age adults", None, None, None, None],
    ["Learning disabilities", 44.8, 46.9, 48.3, 49.9],
    ["Mental health", 12.4, 12.9, 13.5, 14.0],
    ["Sub-total working-age adults", 57.2, 59.8, 61.8, 63.9],
    ["Grand total", 141.1, 146.9, 152.4, 157.3],
]
"""Year columns under "£m"; section rows; sub-totals that reconcile, and a grand total that
reconciles in 2024/25 and 2025/26 but not in 2026/27 (lines 151.8, stated 152.4) or 2027/28
(lines 156.6, stated 157.3)."""

SAVINGS_ACHIEVED: Rows = [
    ["Savings achieved by area, 2023/24", None, None],
    ["Savings area", "Savings delivered", "Variance to plan (£m)"],
    ["Home care review", "£2.45 million", "(0.3)"],
    ["Reablement", "£1.2 million", "0.1"],
    ["Direct payments", "£0.75 million", "(0.05)"],
    ["Transport", "£450,000", "-200k"],
    ["Total", "£5.1 million", "(0.45)"],
]
"""An achieved-by-area table: "£x million" cells, bracket negatives, a total that does not
reconcile (the lines add to £4.85m)."""

PLAN: list[tuple[str, str | Rows]] = [
    ("heading", "Adult Social Care service plan 2024/25"),
    ("paragraph", "This plan sets out what we will deliver and how we will measure success."),
    ("heading", "Measuring success"),
    (
        "table",
        [
            ["Objective", "Activity", "What we will deliver 2024/25", "Current", "Target"],
            [
                "Independence",
                "% of people aged 65+ still at home 91 days after reablement",
                "More people at home",
                "82.1%",
                "85%",
            ],
            [
                "Independence",
                "Rate of admissions to care homes per 100,000 aged 18-64",
                "Fewer admissions",
                "14.2",
                "13",
            ],
            ["Carers", "Number of carers' assessments", "Faster assessments", "1,204", "1,400"],
        ],
    ),
    ("heading", "Projects"),
    (
        "table",
        [
            ["Title", "Lead", "Start", "End"],
            ["Digital front door", "Transformation team", "Apr-24", "Mar-25"],
        ],
    ),
]
"""A service plan with a KPI table (objectives, ages in titles, % and counts) and a projects
table, each named by the heading above it."""


LEDGER_000S = """Adult Social Care budget monitoring: period 6 (September 2025)
£000s unless stated

Cost Centre,Description,Division,Annual budget 2025/26 (£000),Forecast outturn (£000),Notes
A1001,Residential care (older people),Older people,"52,300","53,150.5",Placements above plan
A1002,Client contributions,Older people,"(12,400)","(12,100)",
A2001,Supported living,Working-age adults,"18,750","18,900",
,Total,,"58,650","60,000",
"""
"""A ledger export: two title lines, "(£000)" headings, bracket negatives (income), and a
stated forecast total of £60.0m where the lines add to £59.9505m."""

SAVINGS_TWO_HEADER_ROWS: Rows = [
    ["Adult Social Care savings programme 2025/26 to 2026/27", None, None, None, None, None],
    ["Ref", "Proposal", "Lead team", "Savings target (£k)", None, "Comments"],
    [None, None, None, "2025/26", "2026/27", None],
    ["Older people", None, None, None, None, None],
    ["ASC-01", "Home care review", "Operations Team", 450, 300, "Phased"],
    ["ASC-02", "Reablement expansion", "Operations Team", "(25)", 200, "Costs first year"],
    ["Working-age adults", None, None, None, None, None],
    ["ASC-03", "Supported living review", "Commissioning Team", 610.5, 0, None],
    ["Total", None, None, 1035.5, 500, None],
]
"""Two header rows ("Savings target (£k)" over the years), section rows, a bracket negative and
a total that reconciles."""

SAVINGS_MILLIONS = """Theme,Savings proposal,Responsible team,Target 2025/26,Target 2026/27
Reviews,Annual review backlog,Operations Team,£1.2m,£0.8m
Commissioning,Day services recommissioning,Commissioning Team,£2.45 million,£1.1m
Grand total,,,£3.5m,£2.0m
"""
"""No reference column (each is made from the title), the theme first, "£x million" cells, and
a grand total that reconciles in neither year (£3.65m and £1.9m)."""

BUDGET_INCOME: Rows = [
    ["Budget 2025/26 (£)", "Original budget 2025/26 (£)", "Budget line", "Code"],
    ["1,200,000", "1,150,000", "Day opportunities", "D100"],
    ["(350,000)", "(340,000)", "Client income", "D900"],
    ["850,000", "810,000", "Net total", None],
]
"""Columns in another order (figures first, the code last), pounds with brackets for income, a
net total that reconciles; an OpenDocument spreadsheet."""

SAVINGS_RETURNS = """Saving,Return month,Achieved to date (£k),Full year forecast (£k),Comments
ANNUAL-REVIEW-BACKLOG,Sep-25,410,"1,150",Behind on complex reviews
DAY-SERVICES-RECOMMISSIONING,Sep-25,"1,020.5","2,450",On track
"""
"""Monthly returns in £k, naming the lines by the references made from their titles."""

OBJECTIVES_PLAN = """No.,Objective,Lead officer,Priority
1,Help people stay independent at home for longer,Head of Reablement,Independence
2,Support unpaid carers,Head of Commissioning,Carers
"""
"""Objectives as a plan's appendix lists them."""

MILESTONES_PLAN = """Project title,Milestone name,Due date,Progress,Date completed
Digital front door,Online assessment live,June 2024,Complete,July 2024
Digital front door,Self-service review form,December 2024,,
"""
"""Milestones with a month for each date."""

KPI_REWORDED = """Indicator,Ref,Units,Good is,How often,Lead team
People aged 65+ still at home 91 days after reablement,ASC1,%,Bigger,Quarterly,Reablement Team
Care home admissions 65+,ASC2,Rate per 100k population of 65+,Smaller,Annually,Commissioning
Carers' assessments completed,ASC3,Number,Bigger,Monthly,Operations Team
"""
"""KPIs in other words and another order, with an extra column."""

BUDGET_MONTHS_WIDE: Rows = [
    ["Cost centre", "Service", "Budget line", "Apr-25", "May-25", "Jun-25"],
    ["B100", "Older people", "Nursing care", "£1.1m", "£1.15m", "£1.2m"],
    ["B200", "Older people", "Extra care", "250k", "255k", "-5k"],
]
"""Forecasts in month columns with cells of their own scale ("£1.15m", "250k", "-5k")."""

KPI_TARGETS_BY_YEAR = """Adult Social Care: measures of success and targets 2025/26 to 2028/29
Ref,Indicator,Units,Good is,How often,Target 2025/26 (%),Target 26/27,2027/28,Stretch 2028/29
ASC10,People who use services who feel safe,%,Bigger,Monthly,70,72%,74.5,76
ASC11,Care home admissions 65+,Rate per 100k population of 65+,Smaller,Quarterly,560,540,520,
ASC12,Carers supported,Number,Bigger,Quarterly,"1,400","1,450",TBC,
ASC13,Safeguarding enquiries concluded,Number,Bigger,Monthly,120,125,130,
ASC14,Spend on agency social workers,£,Smaller,Monthly,£1.2m,£1.1m,£950k,
"""
"""A target for each year, headed three ways ("Target 2025/26 (%)", "Target 26/27", "2027/28"),
and a fourth ("Stretch 2028/29") that only a mapping to "a value for each year" makes a
target; "TBC" sets no target."""

KPI_ACTUALS_BY_MONTH: Rows = [
    ["Adult Social Care performance by month, 2025/26", None, None, None, None],
    ["Ref", "Indicator", "Apr-25", "May 2025", "Jun-25"],
    ["ASC10", "People who use services who feel safe", "68%", 69.5, None],
    ["ASC13", "Safeguarding enquiries concluded", 112, "118", "1,21"],
]
"""A row per measure, a column per month, headed two ways; a month not yet reported is blank,
and one cell ("1,21") is not a number."""

KPI_ACTUALS_BY_QUARTER: Rows = [
    ["Indicator", "Q1 2025/26", "Q2 2025/26"],
    ["Care home admissions 65+", "575.2", "561"],
    ["Carers supported", "1,380", None],
]
"""A column per quarter, the measures named by title; an OpenDocument spreadsheet."""

KPI_SPEND_BY_MONTH = """Ref,Apr-25 £k,May-25 £k,Jun-25 £k
ASC14,96.5,101,£99.25k
"""
"""A money measure's figures a month a column, in £k by the heading; one cell says its own scale."""

KPI_ACTUALS_ONE_PERIOD = """Ref,Figure,Comments
ASC10,71.2%,Above target
ASC13,125,
"""
"""Figures with no period column: the period is given once for the file."""

SAVINGS_BY_YEAR = """Savings programme 2024/25 to 2026/27
Ref,Saving,Lead team,Achieved 2024/25 (£k),Savings 2025/26 £k,Savings 2026/27 £k
SAV-01,Home first,Operations Team,310,450,300
SAV-02,Day services review,Commissioning Team,95.5,"1,200.5",(50)
Total,,,405.5,"1,650.5",250
"""
"""Achieved savings of one year beside the targets of the next two, in £k, a bracket negative,
and a total that reconciles."""

SAVINGS_DELIVERED_BY_YEAR: Rows = [
    ["Savings delivered by year", None, None, None],
    ["Savings area", "2022/23 £m", "2023/24 £m", "2024/25 £m"],
    ["Care package reviews", 1.2, 0.9, "1.05"],
    ["Reablement", 0.4, "0.6", "(0.1)"],
    ["Total", 1.6, 1.5, 1.0],
]
"""Savings achieved by area and year (no targets): bare years under "£m", and a total that
does not reconcile in 2024/25 (the lines add to £0.95m)."""

SAVINGS_RETURNS_ONE_MONTH = """Saving,Achieved so far £k,Forecast £k,Notes
SAV-01,210,450,On plan
SAV-02,"(12.5)","1,150",Costs came first
"""
"""Returns with no month column, in £k: the month is given once for the file."""


def build() -> dict[str, bytes]:
    return {
        "budget-book-four-years.xlsx": xlsx(
            {"Notes": [["See the Budget sheet"]], "Budget": BUDGET_BOOK}
        ),
        "savings-achieved-by-area.ods": ods({"Savings achieved": SAVINGS_ACHIEVED}),
        "service-plan.docx": docx_plan(PLAN),
        "budget-monitoring-2025-09.csv": LEDGER_000S.encode(),
        "savings-programme-two-header-rows.xlsx": xlsx({"Savings": SAVINGS_TWO_HEADER_ROWS}),
        "savings-targets-millions.csv": SAVINGS_MILLIONS.encode(),
        "budget-with-income.ods": ods({"Budget": BUDGET_INCOME}),
        "savings-returns-2025-09.csv": SAVINGS_RETURNS.encode(),
        "objectives-appendix.csv": OBJECTIVES_PLAN.encode(),
        "milestones-appendix.csv": MILESTONES_PLAN.encode(),
        "kpis-reworded.csv": KPI_REWORDED.encode(),
        "forecasts-by-month.xlsx": xlsx({"Forecasts": BUDGET_MONTHS_WIDE}),
        "kpi-targets-by-year.csv": KPI_TARGETS_BY_YEAR.encode(),
        "kpi-actuals-by-month.xlsx": xlsx({"Performance": KPI_ACTUALS_BY_MONTH}),
        "kpi-actuals-by-quarter.ods": ods({"Quarterly": KPI_ACTUALS_BY_QUARTER}),
        "kpi-actuals-one-period.csv": KPI_ACTUALS_ONE_PERIOD.encode(),
        "kpi-spend-by-month.csv": KPI_SPEND_BY_MONTH.encode(),
        "savings-by-year.csv": SAVINGS_BY_YEAR.encode(),
        "savings-returns-one-month.csv": SAVINGS_RETURNS_ONE_MONTH.encode(),
        "savings-delivered-by-year.xlsx": xlsx({"Delivered": SAVINGS_DELIVERED_BY_YEAR}),
    }


def main() -> None:
    for name, data in build().items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
