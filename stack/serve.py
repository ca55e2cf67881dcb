"""Start one app as its own process: `python -m stack.serve kpi` (HOST and PORT may be set)."""

import os
import sys

import uvicorn

from common.logs import configure_logging
from common.settings import get_settings
from stack.apps import APPS


def uvicorn_config(name: str) -> uvicorn.Config:
    """How app `name` is served."""
    spec = APPS[name]
    return uvicorn.Config(
        spec.factory,
        factory=True,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", spec.port)),
        log_config=None,
        access_log=False,
        # Never uvicorn's X-Forwarded-* handling (it trusts 127.0.0.1, or whatever
        # FORWARDED_ALLOW_IPS says): the gateway alone decides, from TRUSTED_PROXIES.
        proxy_headers=False,
        forwarded_allow_ips="",
        timeout_graceful_shutdown=5,
    )


def main(argv: list[str]) -> None:
    if len(argv) != 1 or argv[0] not in APPS:
        raise SystemExit(f"usage: python -m stack.serve {{{','.join(APPS)}}}")
    name = argv[0]
    configure_logging(name, get_settings().log_level)
    uvicorn.Server(uvicorn_config(name)).run()


if __name__ == "__main__":
    main(sys.argv[1:])
