"""Coarse access by role at the gateway: one rule for every operation of the API.

Finer rules (a data provider writes only their team's measures, a service lead only their savings
lines and the projects their team leads) belong to the services, which know who owns what.
"""

from common.identity import Role, is_platform_data

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
API = "/api/v1/"

WRITABLE: dict[Role, tuple[str, ...]] = {
    Role.VIEWER: (),
    Role.DATA_PROVIDER: ("/api/v1/kpi/",),
    Role.SERVICE_LEAD: ("/api/v1/finance/", "/api/v1/projects/"),
    Role.FINANCE: ("/api/v1/finance/",),
    Role.PROGRAMME_OFFICE: ("/api/v1/projects/", "/api/v1/kpi/"),
}
"""Where each role may change things; admins may change everything."""


def role_allows(roles: frozenset[Role], method: str, path: str) -> bool:
    """Whether any of `roles` may send `method` to `path`.

    >>> role_allows(frozenset({Role.DATA_PROVIDER}), "POST", "/api/v1/kpi/measures")
    True
    >>> role_allows(frozenset({Role.DATA_PROVIDER}), "POST", "/api/v1/finance/budget-lines")
    False
    """
    if method.upper() in SAFE_METHODS:
        return bool(roles)
    if is_platform_data(method, path):
        return False  # platform data is no council's: a platform administrator's alone
    if Role.ADMIN in roles:
        return True
    return any(path.startswith(prefix) for role in roles for prefix in WRITABLE.get(role, ()))


def key_allows(services: frozenset[str], read_write: bool, method: str, path: str) -> bool:
    """Whether an API key with this scope may send `method` to `path` (services' API only).

    >>> key_allows(frozenset({"kpi"}), False, "GET", "/api/v1/kpi/measures")
    True
    >>> key_allows(frozenset({"kpi"}), False, "POST", "/api/v1/kpi/measures")
    False
    >>> key_allows(frozenset({"kpi"}), False, "GET", "/api/v1/openapi.json")
    True
    """
    if path in (API + "me", API + "openapi.json"):  # the document is public anyway
        return method.upper() in SAFE_METHODS
    service = path.removeprefix(API).split("/", 1)[0]
    if not path.startswith(API) or service not in services:
        return False
    return method.upper() in SAFE_METHODS or read_write
