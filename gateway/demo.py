"""Demo sign-ins: one person per role in the demo council. Demo only: made only when the demo
data is loaded (`stack/demo.py`), with a password that is published in the README."""

from sqlalchemy.orm import Session

from common.identity import Role
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


def load(session: Session) -> None:
    """Add the demo people to the session's organisation (the demo council)."""
    password_hash = hash_password(DEMO_PASSWORD)
    for email, name, team, role in DEMO_USERS:
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


def describe() -> str:
    """The demo sign-ins, for the console."""
    width = max(len(email) for email, *_ in DEMO_USERS)
    lines = [f"Demo sign-ins (demo data only), password {DEMO_PASSWORD!r}:"]
    lines += [f"  {email:<{width}}  {role.value}" for email, _, _, role in DEMO_USERS]
    return "\n".join(lines)
