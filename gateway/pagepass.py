"""A page's pass for its inner calls: what lets the web app's calls made while it renders one page
count once, with the page, against the person's rate limits.

When the gateway forwards a page request to the web app it counts it, then mints a pass: an
HMAC-signed token (under a key derived from the identity signing key, so that it can never be
taken for an identity token or the reverse) naming the caller and expiring with the upstream
timeout. The web app sends it back with every API call it makes for that page; the gateway lets a
call that carries a valid pass, for the same caller, past the per-address and per-credential
limits, up to `INNER_CALLS` calls per pass.

Why a pass rather than trusting the web app's address or a fixed header: the browser never sees
the pass (it travels gateway → web → gateway only; the gateway drops any pass a client sends on),
it cannot be forged without the key, it is bound to one person's credential, it dies within
seconds, and even a leaked one buys at most `INNER_CALLS` uncounted calls. A request with a pass
still needs the person's own cookie or key: the pass grants no access, only the skip of a count.

A page's pass also carries whom the page's own request found signed in, bound to (a digest of)
their session cookie, so that the page's inner calls, which send that same cookie, are not each
looked up in the database again: the session is resolved once per page. Revocation still holds:
a call whose cookie differs from the pass's is looked up as any other; once any session ends in
this process (sign-out, a password change, an administrator's change) every earlier pass stops
standing in for the lookup; and in another replica the pass lives no longer than one page's
render may take (the upstream timeout).
"""

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Delete, event
from sqlalchemy.orm import ORMExecuteState, Session

from common.db import Database
from common.identity import PAGE_PASS_HEADER, Caller
from gateway.models import UserSession

__all__ = ["PAGE_PASS_HEADER", "PagePasses", "watch_sessions"]
INNER_CALLS = 60
"""The most API calls one page may make uncounted; beyond that its calls count as any other."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def holder(caller: Caller) -> str:
    """Whom a pass is for: the credential the per-credential limit counts."""
    return f"{caller.org_id}|{caller.client}|{caller.user_id}"


@dataclass
class PagePasses:
    """Mints and checks passes; counts each pass's uses in this process."""

    signing_key: str
    ttl_seconds: float
    clock: Callable[[], float] = time.time
    _key: bytes = b""
    _uses: dict[str, tuple[float, int]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _sessions_ended_at: float = 0.0

    def __post_init__(self) -> None:
        self._key = hmac.new(self.signing_key.encode(), b"asc-page-pass", hashlib.sha256).digest()

    def mint(self, caller: Caller, *, session: str | None = None) -> str:
        """A pass for `caller`'s page; with `session` (the digest of the session cookie the page
        was found signed in by), the pass also stands in for that session's lookup."""
        now = self.clock()
        payload: dict[str, Any] = {
            "for": holder(caller),
            "exp": now + self.ttl_seconds,
            "n": secrets.token_urlsafe(9),
        }
        if session is not None:
            payload |= {"iat": now, "session": session, "who": caller.model_dump(mode="json")}
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        return f"{body}.{_b64(hmac.new(self._key, body.encode(), hashlib.sha256).digest())}"

    def valid(self, token: str | None) -> str | None:
        """The holder a genuine, unexpired pass names, or None."""
        payload = self._read(token)
        found = payload.get("for") if payload else None
        return found if isinstance(found, str) else None

    def caller_of(self, token: str | None, session: str) -> Caller | None:
        """Whom the page's request found signed in by the session whose cookie digest is
        `session`, if `token` is a genuine pass minted for that very session since the last time
        a session ended in this process; otherwise None, and the session is looked up."""
        payload = self._read(token)
        if not payload or payload.get("session") != session or "who" not in payload:
            return None
        if float(payload.get("iat", 0)) <= self._sessions_ended_at:
            return None
        return Caller.model_validate(payload["who"])

    def sessions_ended(self) -> None:
        """A session ended here: no pass minted until now stands in for a lookup any more."""
        self._sessions_ended_at = self.clock()

    def _read(self, token: str | None) -> dict[str, Any] | None:
        """A genuine, unexpired pass's payload, or None."""
        if not token or token.count(".") != 1:
            return None
        body, signature = token.split(".")
        expected = hmac.new(self._key, body.encode(), hashlib.sha256).digest()
        try:
            if not hmac.compare_digest(expected, _unb64(signature)):
                return None
            payload = json.loads(_unb64(body))
        except ValueError:
            return None
        if not isinstance(payload, dict) or float(payload.get("exp", 0)) < self.clock():
            return None
        return payload

    def use(self, token: str | None, caller: Caller) -> bool:
        """Whether this call, by `caller`, rides on a page's pass (and so is not counted)."""
        if self.valid(token) != holder(caller):
            return False
        assert token is not None
        now = self.clock()
        with self._lock:
            if len(self._uses) > 10_000:  # forget expired passes
                self._uses = {k: v for k, v in self._uses.items() if v[0] >= now}
            expires, used = self._uses.get(token, (now + self.ttl_seconds, 0))
            if used >= INNER_CALLS:
                return False
            self._uses[token] = (expires, used + 1)
        return True


SESSIONS: str = getattr(UserSession.__table__, "fullname", "")


def watch_sessions(database: Database, passes: PagePasses) -> None:
    """Tell `passes` whenever this process ends a session, however it does (every session ends by
    a delete of its row): when the delete runs and again when it commits, so that a page that
    found the session in between, before the delete was visible, cannot stand in for it either."""

    @event.listens_for(database.sessionmaker, "do_orm_execute")
    def _deleting(state: ORMExecuteState) -> None:
        statement = state.statement
        # Compared by name: an ORM-enabled delete carries an annotated copy of the table.
        if isinstance(statement, Delete) and getattr(statement.table, "fullname", None) == SESSIONS:
            state.session.info["sessions_ended"] = True
            passes.sessions_ended()

    @event.listens_for(database.sessionmaker, "after_flush")
    def _flushed(session: Session, _context: object) -> None:
        if any(isinstance(row, UserSession) for row in session.deleted):
            session.info["sessions_ended"] = True
            passes.sessions_ended()

    @event.listens_for(database.sessionmaker, "after_commit")
    def _committed(session: Session) -> None:
        if session.info.pop("sessions_ended", False):
            passes.sessions_ended()
