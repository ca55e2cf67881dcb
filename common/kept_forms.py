"""What someone typed into a form that reached the gateway after their session had ended.

The gateway keeps the form's fields in a cookie instead of throwing them away; once the same
person has signed in again, the web app puts them back into the form on the page they came from,
unsaved until they press Save again (WCAG 2.2.1 and 2.2.6: a timeout loses nothing).

Why a cookie, and why encrypted: nothing is kept on a server for someone who is not signed in (no
table to clean, nothing to fill up), and the browser that typed the words is the only place they
go. The fields can be personal data (commentary about people), so the cookie is encrypted and
authenticated (JWE, `dir` + A256GCM, under a key derived from the identity signing key that only
the gateway and the web app hold), HttpOnly, SameSite=Lax, short-lived, bound to the account that
typed them (someone else signing in on the same computer never sees them), and read once.
Passwords, CSRF tokens and files are never kept: a password must not sit in a cookie, a CSRF token
belongs to the session that has ended, and a file does not fit.
"""

import hashlib
import json
import time
from dataclasses import dataclass

from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

SECURE_COOKIE = "__Host-asc_kept_form"
PLAIN_COOKIE = "asc_kept_form"
KEEP_SECONDS = 30 * 60
"""How long the typed fields wait for the person to sign in again."""
MAX_COOKIE_CHARS = 3800
"""Browsers keep cookies up to 4096 bytes with their name and attributes: more is not kept."""
_NEVER_KEPT = ("csrf", "password", "token", "secret")
_PROTECTED = {"alg": "dir", "enc": "A256GCM"}


def cookie_name(*, https_only: bool) -> str:
    return SECURE_COOKIE if https_only else PLAIN_COOKIE


@dataclass(frozen=True)
class KeptForm:
    """A form as it was posted: where to (`action`), from which page, by whom, and its fields."""

    action: str
    page: str
    user_id: str
    fields: list[tuple[str, str]]


def keepable(name: str) -> bool:
    """Whether a field may be kept: never a password, CSRF token or other secret.

    >>> keepable("commentary"), keepable("csrf_token"), keepable("new_password")
    (True, False, False)
    """
    return not any(word in name.lower() for word in _NEVER_KEPT)


def _key(signing_key: str) -> OctKey:
    # A key of its own, so that this cookie and the identity tokens never share one.
    return OctKey.import_key(hashlib.sha256(b"asc-kept-form\0" + signing_key.encode()).digest())


def seal(form: KeptForm, signing_key: str, *, now: float | None = None) -> str | None:
    """The cookie value for `form`, or None when it is too large to keep."""
    payload = {
        "action": form.action,
        "page": form.page,
        "user": form.user_id,
        "fields": [[name, value] for name, value in form.fields if keepable(name)],
        "exp": int((now if now is not None else time.time()) + KEEP_SECONDS),
    }
    plaintext = json.dumps(payload, separators=(",", ":")).encode()
    sealed = jwe.encrypt_compact(_PROTECTED, plaintext, _key(signing_key))
    return sealed if len(sealed) <= MAX_COOKIE_CHARS else None


def unseal(value: str, signing_key: str, *, now: float | None = None) -> KeptForm | None:
    """The form in a cookie value, or None if it is forged, altered, malformed or too old."""
    try:
        payload = json.loads(jwe.decrypt_compact(value, _key(signing_key)).plaintext or b"")
        if int(payload["exp"]) < (now if now is not None else time.time()):
            return None
        return KeptForm(
            action=str(payload["action"]),
            page=str(payload["page"]),
            user_id=str(payload["user"]),
            fields=[(str(name), str(field)) for name, field in payload["fields"]],
        )
    except (JoseError, ValueError, KeyError, TypeError):
        return None
