"""Demo sign-ins: one person per role in the demo council, a few in the second demo council, and
a platform administrator. Demo only: made only when the demo data is loaded (`stack/demo.py`),
with a password that is published in the README."""

from sqlalchemy.orm import Session

from common.identity import NO_COUNCIL, Role
from gateway.accounts import hash_password
from gateway.models import User

DEMO_PASSWORD = "asc-demo-password"
"""Published on purpose: these accounts exist only in demo data."""

DEMO_USERS: tuple[tuple[str, str, str | None, Role], ...] = (
    ("admin@demo.example", "Demo administrator", None, Role.ADMIN),
    (
        "programme.office@demo.example",
        "Demo programme office",
        "Transformation Team",
        Role.PROGRAMME_OFFICE,
    ),
    ("service.lead@demo.example", "Demo service lead", "Commissioning Team", Role.SERVICE_LEAD),
    (
        "data.provider@demo.example",
        "Demo data provider",
        "Performance and Data Team",
        Role.DATA_PROVIDER,
    ),
    ("finance@demo.example", "Demo finance officer", "Client Finances Team", Role.FINANCE),
    ("viewer@demo.example", "Demo viewer", None, Role.VIEWER),
)


SECOND_COUNCIL_USERS: tuple[tuple[str, str, str | None, Role], ...] = (
    ("admin@second-demo.example", "Second demo administrator", None, Role.ADMIN),
    (
        "programme.office@second-demo.example",
        "Second demo programme office",
        "Strategy and Performance Team",
        Role.PROGRAMME_OFFICE,
    ),
    ("viewer@second-demo.example", "Second demo viewer", None, Role.VIEWER),
)
"""The second demo council's people: enough to show that each council sees only its own."""

PLATFORM_ADMIN = ("platform@demo.example", "Demo platform administrator")
"""Adds and disables councils; belongs to none and reads no council's records."""


def load(
    session: Session, people: tuple[tuple[str, str, str | None, Role], ...] = DEMO_USERS
) -> None:
    """Add demo people to the session's organisation (the demo council unless told)."""
    password_hash = hash_password(DEMO_PASSWORD)
    for email, name, team, role in people:
        session.add(
            User(
                email=email,
                display_name=name,
                team=team,
                roles=[role.value],
                password_hash=password_hash,
            )
        )
    session.flush()


def load_platform_admin(session: Session) -> None:
    """Add the demo platform administrator (a session scoped to no organisation yet)."""
    email, name = PLATFORM_ADMIN
    session.add(
        User(
            org_id=NO_COUNCIL,
            email=email,
            display_name=name,
            roles=[],
            password_hash=hash_password(DEMO_PASSWORD),
        )
    )
    session.flush()


def describe() -> str:
    """The demo sign-ins, for the console."""
    people = [*DEMO_USERS, *SECOND_COUNCIL_USERS]
    width = max(len(email) for email, *_ in people)
    lines = [f"Demo sign-ins (demo data only), password {DEMO_PASSWORD!r}:"]
    lines += [f"  {email:<{width}}  {role.value}" for email, _, _, role in DEMO_USERS]
    lines += ["  Second Demo Council:"]
    lines += [f"  {email:<{width}}  {role.value}" for email, _, _, role in SECOND_COUNCIL_USERS]
    lines += [f"  {PLATFORM_ADMIN[0]:<{width}}  platform administrator (no council)"]
    return "\n".join(lines)
