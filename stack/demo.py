"""Demo data for an empty database: `python -m stack.demo`. Everything it writes is labelled demo.

Each service that has demo data offers `services/<name>/demo.py` with `load(session)`; the
session is already scoped to the demo council. A second demo council, with a few people of its
own and the same plan, shows that each council sees only its own; a demo platform administrator
adds and disables councils.
"""

import importlib
import logging
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.db import Database, make_engine, set_organisation
from common.settings import SERVICES, get_settings
from gateway import demo as demo_users
from gateway.models import Organisation

log = logging.getLogger(__name__)
DEMO_COUNCIL_NAME = "Demo Council"
SECOND_DEMO_ORG_ID = uuid.UUID("5ec0d000-0000-4000-8000-000000000002")
SECOND_DEMO_COUNCIL_NAME = "Second Demo Council"


def load_demo(database: Database) -> bool:
    """Load the demo council and its data unless the database already has organisations.

    Returns whether anything was loaded.
    """
    settings = get_settings()
    with database.session(None) as session:
        if session.scalar(select(Organisation.id).limit(1)) is not None:
            return False
        session.add(Organisation(id=settings.demo_org_id, slug="demo", name=DEMO_COUNCIL_NAME))
        session.add(
            Organisation(id=SECOND_DEMO_ORG_ID, slug="second-demo", name=SECOND_DEMO_COUNCIL_NAME)
        )
        session.flush()
        demo_users.load_platform_admin(session)

        set_organisation(session, settings.demo_org_id)
        demo_users.load(session)  # one sign-in per role, with the published demo password
        _load_services(session)
        set_organisation(session, SECOND_DEMO_ORG_ID)
        demo_users.load(session, demo_users.SECOND_COUNCIL_USERS)
        _load_services(session)
        session.commit()
    return True


def _load_services(session: Session) -> None:
    for name in SERVICES:
        try:
            module = importlib.import_module(f"services.{name}.demo")
        except ModuleNotFoundError:
            continue
        module.load(session)
        session.flush()


if __name__ == "__main__":
    db = Database(make_engine(get_settings().database_url))
    print("Demo data loaded." if load_demo(db) else "Database not empty: demo data not loaded.")
