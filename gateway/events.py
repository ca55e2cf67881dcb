"""Security events, one structured log line each (ASVS V16): who, what, from where, and the
outcome. Never a password, session id, CSRF token or API key."""

import logging
from typing import Any

log = logging.getLogger("asc.security")


def security_event(event: str, *, warning: bool = False, **fields: Any) -> None:
    """Log `event` (e.g. "sign_in_failed") with its fields, under the `asc.security` logger."""
    log.log(logging.WARNING if warning else logging.INFO, event, extra={"event": event, **fields})
