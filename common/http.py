"""Calls between parts over HTTP: pooled httpx clients that carry the caller and request id."""

from typing import Any

import httpx
from fastapi import Request

from common.errors import UpstreamUnavailable
from common.identity import IDENTITY_HEADER, get_caller, sign_identity
from common.logs import REQUEST_ID_HEADER, request_id_var
from common.settings import Settings


class ServiceClients:
    """Synchronous clients to sibling services (services run their endpoints in threads)."""

    def __init__(self, settings: Settings, clients: dict[str, httpx.Client] | None = None) -> None:
        self._settings = settings
        self._clients: dict[str, httpx.Client] = dict(clients or {})

    def get(self, name: str) -> httpx.Client:
        if name not in self._clients:
            self._clients[name] = httpx.Client(
                base_url=self._settings.service_url(name),
                timeout=self._settings.upstream_timeout_seconds,
            )
        return self._clients[name]

    def close(self) -> None:
        for client in self._clients.values():
            client.close()


def call_service(
    request: Request, name: str, method: str, path: str, **kwargs: Any
) -> httpx.Response:
    """Call service `name` as the current caller; a service that is down becomes a clear 503."""
    clients: ServiceClients = request.app.state.clients
    settings: Settings = request.app.state.settings
    # The caller's own token was made for this service only: vouch for them to `name` afresh.
    token = sign_identity(
        get_caller(request),
        settings.identity_signing_key.get_secret_value(),
        audience=name,
        ttl_seconds=settings.identity_token_ttl_seconds,
    )
    headers = {IDENTITY_HEADER: token}
    if request_id := request_id_var.get():
        headers[REQUEST_ID_HEADER] = request_id
    try:
        return clients.get(name).request(method, path, headers=headers, **kwargs)
    except httpx.HTTPError as error:
        raise UpstreamUnavailable(
            f"The {name} service is not available, so this could not be checked. Try again shortly."
        ) from error
