"""Demo data for an empty database: `python -m stack.demo`. Everything it writes is labelled demo.

Each service that has demo data offers `services/<name>/demo.py` with `load(session)`; the
session is already scoped to the demo council.
"""

import importlib
import logging

from sqlalchemy import select

from common.db import Database, make_engine, set_organisation
from common.settings import SERVICES, get_settings
from gateway import demo as demo_users
from gateway.models import Organisation

log = logging.getLogger(__name__)
DEMO_COUNCIL_NAME = "Demo Council"


def load_demo(database: Database) -> bool:
    """Load the demo council and its data unless the database already has organisations.

    Returns whether anything was loaded.
    """
    settings = get_settings()
    with database.session(None) as session:
        if session.scalar(select(Organisation.id).limit(1)) is not None:
            return False
        session.add(Organisation(id=settings.demo_org_id, slug="demo", name=DEMO_COUNCIL_NAME))
        session.flush()
        set_organisation(session, settings.demo_org_id)

        demo_users.load(session)  # one sign-in per role, with the published demo password
        for name in SERVICES:
            try:
                module = importlib.import_module(f"services.{name}.demo")
            except ModuleNotFoundError:
                continue
            module.load(session)
            session.flush()
        session.commit()
    return True


if __name__ == "__main__":
    db = Database(make_engine(get_settings().database_url))
    print("Demo data loaded." if load_demo(db) else "Database not empty: demo data not loaded.")
