"""Dependencies of the KPI service's routes."""

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from common.db import get_session

SessionDep = Annotated[Session, Depends(get_session, scope="function")]
"""The request's unit of work, committed before the response is sent (FastAPI's default scope
would commit after it, so a failed commit could follow a 201 the client already has)."""
