"""What each role may do, as the pages need to know it: which controls to offer, which
navigation to show, and who to name when a person is refused.

The gateway's rule (`role_allows`) and the services' ownership rules decide; this module only
mirrors them so a page never offers what would be refused (docs/security.md, "Roles").
"""

from collections.abc import Iterable
from typing import Literal

Area = Literal[
    "kpi",
    "approve",
    "closed",
    "targets",
    "projects",
    "plan",
    "finance",
    "budget",
    "imports",
    "admin",
]

ROLE_NAMES = {
    "viewer": "a viewer",
    "data_provider": "a data provider",
    "service_lead": "a service lead",
    "finance": "a finance officer",
    "programme_office": "the programme office",
    "admin": "an administrator",
}

CHANGES: dict[str, frozenset[str]] = {
    # entering and correcting KPI figures: data providers (their team's measures) and above
    "kpi": frozenset({"data_provider", "programme_office", "admin"}),
    # approving or returning KPI figures: never the data provider who entered them
    "approve": frozenset({"programme_office", "admin"}),
    # changing a figure of a closed period, with a reason: the approvers of any team's figures
    "closed": frozenset({"service_lead", "programme_office", "admin"}),
    # the KPI table itself, targets and profiles
    "targets": frozenset({"programme_office", "admin"}),
    # projects, milestones, highlight reports, RAID: service leads only for their team's projects
    "projects": frozenset({"service_lead", "programme_office", "admin"}),
    # priorities, objectives, programmes, the improvement plan
    "plan": frozenset({"programme_office", "admin"}),
    # savings lines, budget lines and their monthly returns
    "finance": frozenset({"service_lead", "finance", "admin"}),
    # budget lines and their monthly forecasts: finance's own
    "budget": frozenset({"finance", "admin"}),
    # the spreadsheet imports: whoever writes somewhere (each import checks its own service)
    "imports": frozenset({"data_provider", "service_lead", "finance", "programme_office", "admin"}),
    "admin": frozenset({"admin"}),
}


DIRECTOR_VIEW = frozenset({"viewer", "programme_office", "admin"})
"""Who sees the director's part of the dashboard: directors and councillors (who are given
the viewer role), the programme office that runs the plan for them, and administrators. The
roles that enter figures keep a dashboard of their own tasks."""


def sees_director_view(roles: Iterable[str]) -> bool:
    """Whether someone with `roles` sees the director's part of the dashboard.

    >>> sees_director_view(["viewer"]), sees_director_view(["data_provider"])
    (True, False)
    """
    return bool(set(roles) & DIRECTOR_VIEW)


def may_change(roles: Iterable[str], area: Area) -> bool:
    """Whether someone with `roles` may change things in `area` (ownership aside).

    >>> may_change(["viewer"], "projects")
    False
    >>> may_change(["finance"], "finance")
    True
    """
    return bool(set(roles) & CHANGES[area])


def who_can(area: Area) -> str:
    """The roles that may, in words.

    >>> who_can("plan")
    'the programme office or an administrator'
    """
    order = ["data_provider", "service_lead", "finance", "programme_office", "admin"]
    names = [ROLE_NAMES[r] for r in order if r in CHANGES[area]]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def refusal(action: str, area: Area) -> str:
    """The sentence for a refusal: what the person cannot do and who can.

    >>> refusal("change objectives", "admin")
    'You do not have permission to change objectives. Ask an administrator.'
    """
    return f"You do not have permission to {action}. Ask {who_can(area)}."


def area_of_path(path: str) -> tuple[str, Area]:
    """The action and area a page path belongs to, for a refusal the view did not word itself."""
    for prefix, action, area in (
        ("/admin", "use the administration pages", "admin"),
        ("/kpis", "change KPIs", "kpi"),
        ("/objectives", "change priorities and objectives", "plan"),
        ("/improvement", "change the improvement plan", "plan"),
        ("/projects", "change this project", "projects"),
        ("/savings", "change savings", "finance"),
        ("/budget", "change the budget", "budget"),
    ):
        if path.startswith(prefix):
            return action, area  # type: ignore[return-value]
    return "do this", "admin"
