"""Start one app as its own process: `python -m stack.serve kpi` (HOST, PORT and WEB_CONCURRENCY,
the number of worker processes, may be set)."""

import os
import sys
from typing import Any

import uvicorn

from common.logs import configure_logging
from common.settings import get_settings
from stack.apps import APPS


def uvicorn_options(name: str) -> dict[str, Any]:
    """How app `name` is served."""
    spec = APPS[name]
    return {
        "app": spec.factory,
        "factory": True,
        "host": os.environ.get("HOST", "127.0.0.1"),
        "port": int(os.environ.get("PORT", spec.port)),
        "log_config": None,
        "access_log": False,
        # Never uvicorn's X-Forwarded-* handling (it trusts 127.0.0.1, or whatever
        # FORWARDED_ALLOW_IPS says): the gateway alone decides, from TRUSTED_PROXIES.
        "proxy_headers": False,
        "forwarded_allow_ips": "",
        # WEB_CONCURRENCY (the usual convention) processes share the port; 1 when unset.
        "workers": int(os.environ.get("WEB_CONCURRENCY", "1")),
        # A worker still importing the app on a busy host must not be taken for a hung one and
        # killed (uvicorn's default of 5 s restarts every worker forever while they all start).
        "timeout_worker_healthcheck": 60,
        "timeout_graceful_shutdown": 5,
    }


def uvicorn_config(name: str) -> uvicorn.Config:
    return uvicorn.Config(**uvicorn_options(name))


def main(argv: list[str]) -> None:
    if len(argv) != 1 or argv[0] not in APPS:
        raise SystemExit(f"usage: python -m stack.serve {{{','.join(APPS)}}}")
    name = argv[0]
    configure_logging(name, get_settings().log_level)
    uvicorn.run(**uvicorn_options(name))


if __name__ == "__main__":
    main(sys.argv[1:])
