"""Start one app as its own process: `python -m stack.serve kpi` (HOST and PORT may be set)."""

import os
import sys

import uvicorn

from common.logs import configure_logging
from common.settings import get_settings
from stack.apps import APPS


def main(argv: list[str]) -> None:
    if len(argv) != 1 or argv[0] not in APPS:
        raise SystemExit(f"usage: python -m stack.serve {{{','.join(APPS)}}}")
    name = argv[0]
    spec = APPS[name]
    configure_logging(name, get_settings().log_level)
    uvicorn.run(
        spec.factory,
        factory=True,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", spec.port)),
        log_config=None,
        access_log=False,
        proxy_headers=name == "gateway",
        timeout_graceful_shutdown=5,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
