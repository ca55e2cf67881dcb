# syntax=docker/dockerfile:1
#
# One image for every ASC Tracker process; the argument picks the app:
#   docker run asc-tracker:latest kpi            # gateway | kpi | projects | finance | web
#   docker run --entrypoint python asc-tracker:latest -m common.migrate
#   docker run --entrypoint python asc-tracker:latest -m stack.demo
# Health checks are defined by the orchestrator (docker-compose.yml, deploy/), not here.
# WEB_CONCURRENCY: uvicorn worker processes of the app (1 here; compose and deploy/ set each
# app's own: finance 2, the others 1: see deploy/README.md).

ARG PYTHON_IMAGE=python:3.11-slim

# ---- builder: resolve the locked runtime dependencies into /opt/venv ----------------
FROM ${PYTHON_IMAGE} AS builder

ARG UV_VERSION=0.13.9
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3 \
    UV_PROJECT_ENVIRONMENT=/opt/venv

RUN pip install "uv==${UV_VERSION}"

WORKDIR /build
COPY pyproject.toml uv.lock ./
# The project itself is not a package (tool.uv.package = false): only its dependencies
# go into the virtual environment; the source is copied into the runtime image below.
RUN uv sync --frozen --no-dev --no-install-project

# ---- runtime ------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ENV PATH=/opt/venv/bin:$PATH \
    VIRTUAL_ENV=/opt/venv \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0 \
    WEB_CONCURRENCY=1

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin app

WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY alembic.ini ./
COPY common/ common/
COPY stack/ stack/
COPY migrations/ migrations/
COPY services/ services/
COPY gateway/ gateway/
COPY web/ web/
# Compile bytecode at build time: the code is owned by root and the root filesystem may
# be read-only at run time, so the app user cannot (and need not) write .pyc files.
RUN python -m compileall -q common stack migrations services gateway web

# Numeric so that Kubernetes can verify runAsNonRoot.
USER 10001:10001

EXPOSE 8000 8001 8002 8003 8004
ENTRYPOINT ["python", "-m", "stack.serve"]
