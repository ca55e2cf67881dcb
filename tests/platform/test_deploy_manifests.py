"""The deployment files keep the app contract of `stack.apps`: ports, probes, images, routing.

Checks the Kubernetes manifests under deploy/, docker-compose.yml and the Dockerfile by
structure only: nothing is built, started or applied.
"""

import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from common.settings import Settings
from stack.apps import APPS

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"

NAMESPACE = "asc-tracker"
IMAGE = "asc-tracker:latest"
CONFIG_MAP = "asc-config"
SECRET = "asc-secrets"
KUSTOMIZATION = "kustomization.yaml"
MULTI_REPLICA = {"gateway", "web"}
URL_VARIABLES = {
    "KPI_URL": "kpi",
    "PROJECTS_URL": "projects",
    "FINANCE_URL": "finance",
    "WEB_URL": "web",
    "GATEWAY_URL": "gateway",
}
SECRET_VARIABLES = {"DATABASE_URL", "IDENTITY_SIGNING_KEY"}
APP_NAMES = sorted(APPS)

Obj = dict[str, Any]


def _mapping(value: object, what: str) -> Obj:
    assert isinstance(value, dict), f"{what} is not a mapping: {value!r}"
    return value


def _list(value: object, what: str) -> list[Any]:
    assert isinstance(value, list), f"{what} is not a list: {value!r}"
    return value


# ---- Kubernetes ---------------------------------------------------------------------------


def _deploy_files() -> list[str]:
    """Every YAML file under deploy/, as a path relative to deploy/."""
    return sorted(
        path.relative_to(DEPLOY).as_posix()
        for path in DEPLOY.rglob("*")
        if path.is_file() and path.suffix in {".yaml", ".yml"}
    )


def _is_example(file: str) -> bool:
    return ".example." in Path(file).name


@cache
def _load_all(file: str) -> tuple[Obj, ...]:
    with (DEPLOY / file).open(encoding="utf-8") as stream:
        documents = [doc for doc in yaml.safe_load_all(stream) if doc is not None]
    return tuple(_mapping(doc, f"a document in deploy/{file}") for doc in documents)


def _kustomization() -> Obj:
    (document,) = _load_all(KUSTOMIZATION)
    return document


def _objects(*, include_examples: bool = False) -> list[tuple[str, Obj]]:
    """Every Kubernetes object under deploy/ (not the kustomization), with its file."""
    return [
        (file, obj)
        for file in _deploy_files()
        if file != KUSTOMIZATION and (include_examples or not _is_example(file))
        for obj in _load_all(file)
    ]


def _of_kind(kind: str, *, include_examples: bool = False) -> dict[str, Obj]:
    found: dict[str, Obj] = {}
    for file, obj in _objects(include_examples=include_examples):
        if obj.get("kind") == kind:
            name = obj["metadata"]["name"]
            assert name not in found, f"two {kind} objects named {name} (one in {file})"
            found[name] = obj
    return found


def _deployment(name: str) -> Obj:
    deployments = _of_kind("Deployment")
    assert name in deployments, f"no Deployment for app {name}"
    return deployments[name]


def _pod_spec(workload: Obj) -> Obj:
    return _mapping(workload["spec"]["template"]["spec"], "pod spec")


def _only_container(workload: Obj) -> Obj:
    containers = _list(_pod_spec(workload).get("containers"), "containers")
    assert len(containers) == 1, "expected exactly one container"
    return _mapping(containers[0], "container")


def _container_port(container: Obj, port: int | str) -> int:
    """Resolve a probe's or Service's port (a number or a named container port)."""
    if isinstance(port, int):
        return port
    named = {p.get("name"): p["containerPort"] for p in container.get("ports", [])}
    assert port in named, f"port name {port!r} is not a container port"
    return int(named[port])


def _env_from(container: Obj) -> tuple[set[str], set[str]]:
    """The ConfigMaps and Secrets a container takes its whole environment from."""
    sources = _list(container.get("envFrom"), "envFrom")
    config_maps = {s["configMapRef"]["name"] for s in sources if "configMapRef" in s}
    secrets = {s["secretRef"]["name"] for s in sources if "secretRef" in s}
    return config_maps, secrets


def _assert_hardened(pod_spec: Obj, container: Obj) -> None:
    pod_security = pod_spec.get("securityContext", {})
    security = _mapping(container.get("securityContext"), "container securityContext")
    run_as_non_root = security.get("runAsNonRoot", pod_security.get("runAsNonRoot"))
    assert run_as_non_root is True
    assert security.get("readOnlyRootFilesystem") is True
    assert security.get("allowPrivilegeEscalation") is False
    assert security.get("privileged", False) is False
    resources = _mapping(container.get("resources"), "resources")
    for section in ("requests", "limits"):
        values = _mapping(resources.get(section), f"resources.{section}")
        assert {"cpu", "memory"} <= values.keys(), f"resources.{section} needs cpu and memory"
    config_maps, secrets = _env_from(container)
    assert CONFIG_MAP in config_maps
    assert SECRET in secrets
    assert container.get("image") == IMAGE


def test_every_deploy_document_is_a_namespaced_kubernetes_object() -> None:
    objects = _objects(include_examples=True)
    assert objects, "no Kubernetes objects under deploy/"
    for file, obj in objects:
        assert obj.get("apiVersion"), f"{file}: apiVersion missing"
        assert obj.get("kind"), f"{file}: kind missing"
        metadata = _mapping(obj.get("metadata"), f"{file}: metadata")
        assert metadata.get("name"), f"{file}: metadata.name missing"
        if obj["kind"] != "Namespace":
            assert metadata.get("namespace") == NAMESPACE, f"{file}: {metadata['name']}"
    assert NAMESPACE in _of_kind("Namespace")


def test_kustomization_lists_exactly_the_manifest_files() -> None:
    kustomization = _kustomization()
    assert kustomization.get("kind") == "Kustomization"
    assert kustomization.get("namespace", NAMESPACE) == NAMESPACE
    resources = _list(kustomization.get("resources"), "kustomization resources")
    assert len(resources) == len(set(resources)), "a resource is listed twice"
    expected = {f for f in _deploy_files() if f != KUSTOMIZATION and not _is_example(f)}
    assert set(resources) == expected


def test_there_is_one_deployment_per_app_and_no_other() -> None:
    assert set(_of_kind("Deployment")) == set(APPS)


@pytest.mark.parametrize("name", APP_NAMES)
def test_deployment_serves_the_app_on_its_contract_port(name: str) -> None:
    deployment = _deployment(name)
    port = APPS[name].port
    container = _only_container(deployment)
    assert "command" not in container, "the image's entrypoint (stack.serve) must be kept"
    assert container.get("args") == [name]
    assert port in {p["containerPort"] for p in container.get("ports", [])}
    env = {e["name"]: e.get("value") for e in container.get("env", [])}
    assert env.get("PORT", str(port)) == str(port)

    readiness = container["readinessProbe"]["httpGet"]
    liveness = container["livenessProbe"]["httpGet"]
    assert readiness["path"] == "/readyz"
    assert liveness["path"] == "/healthz"
    assert _container_port(container, readiness["port"]) == port
    assert _container_port(container, liveness["port"]) == port

    minimum_replicas = 2 if name in MULTI_REPLICA else 1
    # The autoscaler owns the count: a `replicas` here would reset it at every apply.
    assert "replicas" not in deployment["spec"]
    assert _autoscaler(name)["spec"]["minReplicas"] >= minimum_replicas
    selector = _mapping(deployment["spec"]["selector"]["matchLabels"], "matchLabels")
    labels = _mapping(deployment["spec"]["template"]["metadata"]["labels"], "pod labels")
    assert selector
    assert selector.items() <= labels.items()


def _autoscaler(name: str) -> Obj:
    autoscalers = _of_kind("HorizontalPodAutoscaler")
    assert name in autoscalers, f"no HorizontalPodAutoscaler for app {name}"
    return autoscalers[name]


@pytest.mark.parametrize("name", APP_NAMES)
def test_each_app_scales_on_cpu_with_its_own_autoscaler(name: str) -> None:
    spec = _autoscaler(name)["spec"]
    assert spec["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
    assert spec["maxReplicas"] > spec["minReplicas"]
    metrics = {m["resource"]["name"] for m in spec["metrics"] if m["type"] == "Resource"}
    assert "cpu" in metrics
    # Utilisation is a share of the request: a pod must request CPU for it to mean anything.
    requests = _only_container(_deployment(name))["resources"]["requests"]
    assert requests.get("cpu")


@pytest.mark.parametrize("name", APP_NAMES)
def test_each_pod_runs_the_chosen_number_of_worker_processes(name: str) -> None:
    env = {e["name"]: e.get("value") for e in _only_container(_deployment(name)).get("env", [])}
    assert int(env["WEB_CONCURRENCY"]) >= 1
    assert int(str(_compose_env(_compose_services()[name])["WEB_CONCURRENCY"])) >= 1


@pytest.mark.parametrize("name", APP_NAMES)
def test_deployment_is_hardened_and_configured(name: str) -> None:
    deployment = _deployment(name)
    pod_spec = _pod_spec(deployment)
    container = _only_container(deployment)
    _assert_hardened(pod_spec, container)
    # A read-only root filesystem still needs a writable /tmp.
    mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
    assert "/tmp" in mounts


@pytest.mark.parametrize("name", APP_NAMES)
def test_each_deployment_has_a_cluster_ip_service_on_its_port(name: str) -> None:
    services = _of_kind("Service")
    assert name in services, f"no Service for app {name}"
    service = services[name]
    port = APPS[name].port
    assert service["spec"].get("type", "ClusterIP") == "ClusterIP"
    deployment = _deployment(name)
    selector = _mapping(service["spec"].get("selector"), "Service selector")
    pod_labels = _mapping(deployment["spec"]["template"]["metadata"]["labels"], "pod labels")
    assert selector
    assert selector.items() <= pod_labels.items(), "the Service does not select the app's pods"
    container = _only_container(deployment)
    ports = _list(service["spec"].get("ports"), "Service ports")
    assert any(
        p["port"] == port and _container_port(container, p.get("targetPort", p["port"])) == port
        for p in ports
    ), f"Service {name} does not expose port {port} to the container's port {port}"


def test_every_service_stays_inside_the_cluster() -> None:
    for name, service in _of_kind("Service").items():
        assert service["spec"].get("type", "ClusterIP") == "ClusterIP", name


def test_ingress_routes_everything_to_the_gateway_only() -> None:
    ingresses = _of_kind("Ingress")
    assert len(ingresses) == 1
    (ingress,) = ingresses.values()
    assert ingress["apiVersion"] == "networking.k8s.io/v1"
    backends: list[Obj] = []
    paths: set[str] = set()
    if "defaultBackend" in ingress["spec"]:
        backends.append(ingress["spec"]["defaultBackend"])
    for rule in ingress["spec"].get("rules", []):
        for path in rule["http"]["paths"]:
            paths.add(path["path"])
            backends.append(path["backend"])
    assert "/" in paths
    assert backends
    gateway_service_ports = {
        p["port"]: p.get("name") for p in _of_kind("Service")["gateway"]["spec"]["ports"]
    }
    for backend in backends:
        service = backend["service"]
        assert service["name"] == "gateway"
        port = service["port"]
        if "number" in port:
            assert port["number"] == APPS["gateway"].port
        else:
            assert gateway_service_ports.get(APPS["gateway"].port) == port["name"]


def test_migration_job_runs_common_migrate() -> None:
    jobs = _of_kind("Job")
    migrating = [
        job
        for job in jobs.values()
        if "common.migrate"
        in " ".join(
            [*_only_container(job).get("command", []), *_only_container(job).get("args", [])]
        )
    ]
    assert len(migrating) == 1, "expected one Job running `python -m common.migrate`"
    (job,) = migrating
    pod_spec = _pod_spec(job)
    assert pod_spec.get("restartPolicy") in {"Never", "OnFailure"}
    _assert_hardened(pod_spec, _only_container(job))


def _assert_service_urls(env: Obj, where: str) -> None:
    for variable, app in URL_VARIABLES.items():
        assert variable in env, f"{where}: {variable} missing"
        url = urlsplit(str(env[variable]))
        assert url.scheme == "http", f"{where}: {variable}"
        assert url.hostname == app, f"{where}: {variable} does not point at {app}"
        assert url.port == APPS[app].port, f"{where}: {variable} has the wrong port"


def test_config_map_points_at_each_service_and_holds_no_secret() -> None:
    config_maps = _of_kind("ConfigMap")
    assert CONFIG_MAP in config_maps
    data = _mapping(config_maps[CONFIG_MAP].get("data"), "ConfigMap data")
    _assert_service_urls(data, CONFIG_MAP)
    assert data.get("HOST") == "0.0.0.0"
    assert "LOG_LEVEL" in data
    assert not SECRET_VARIABLES & data.keys()


def test_the_gateway_trusts_forwarded_headers_only_from_a_proxy_range() -> None:
    """uvicorn's FORWARDED_ALLOW_IPS="*" once let any client set its own address; the gateway's
    TRUSTED_PROXIES is the only source of trust, and names a range, not everyone."""
    for name in APP_NAMES:
        env = {e["name"]: e.get("value") for e in _only_container(_deployment(name)).get("env", [])}
        assert "FORWARDED_ALLOW_IPS" not in env, name
    env = {e["name"]: e.get("value") for e in _only_container(_deployment("gateway"))["env"]}
    ranges = Settings(trusted_proxies=env["TRUSTED_PROXIES"]).trusted_proxies
    assert ranges
    assert all(network.is_private and network.prefixlen >= 8 for network in ranges)


def test_the_deployment_is_served_over_https_only() -> None:
    data = _mapping(_of_kind("ConfigMap")[CONFIG_MAP].get("data"), "ConfigMap data")
    assert data.get("HTTPS_ONLY") == "true"


def test_secret_is_only_a_template_with_placeholders() -> None:
    assert not _of_kind("Secret"), "a Secret must never be deployed from the repository"
    templates = _of_kind("Secret", include_examples=True)
    assert SECRET in templates
    values = _mapping(templates[SECRET].get("stringData"), "Secret stringData")
    assert values.keys() == SECRET_VARIABLES
    for key, value in values.items():
        assert "REPLACE_ME" in value, f"{key} must be a placeholder"


# ---- docker compose -----------------------------------------------------------------------


@cache
def _compose_services() -> dict[str, Obj]:
    with COMPOSE.open(encoding="utf-8") as stream:
        compose = _mapping(yaml.safe_load(stream), "docker-compose.yml")
    services = _mapping(compose.get("services"), "compose services")
    return {name: _mapping(service, name) for name, service in services.items()}


def _compose_env(service: Obj) -> Obj:
    env = service.get("environment", {})
    if isinstance(env, list):
        return {key: value for key, _, value in (str(item).partition("=") for item in env)}
    return _mapping(env, "environment")


def _compose_command(service: Obj, key: str) -> str:
    value = service.get(key, [])
    return value if isinstance(value, str) else " ".join(value)


def _condition(service: Obj, dependency: str) -> str | None:
    depends_on = _mapping(service.get("depends_on"), "depends_on")
    return _mapping(depends_on.get(dependency), f"depends_on.{dependency}").get("condition")


def _published_container_ports(service: Obj) -> set[int]:
    ports: set[int] = set()
    for entry in service.get("ports", []):
        if isinstance(entry, dict):
            ports.add(int(entry["target"]))
        else:
            ports.add(int(str(entry).rsplit(":", 1)[-1].split("/")[0]))
    return ports


@pytest.mark.parametrize("name", APP_NAMES)
def test_compose_runs_each_app_with_a_readiness_healthcheck(name: str) -> None:
    services = _compose_services()
    assert name in services, f"compose has no service {name}"
    service = services[name]
    port = APPS[name].port
    assert service.get("image") == IMAGE
    assert _compose_command(service, "command") == name
    assert "entrypoint" not in service
    env = _compose_env(service)
    assert env.get("HOST") == "0.0.0.0"
    assert str(env.get("PORT", port)) == str(port)
    _assert_service_urls(env, f"compose service {name}")
    healthcheck = _mapping(service.get("healthcheck"), f"{name} healthcheck")
    test = healthcheck["test"]
    command = test if isinstance(test, str) else " ".join(test)
    assert f"http://127.0.0.1:{port}/readyz" in command
    assert "python" in command
    assert _condition(service, "migrate") == "service_completed_successfully"


def test_compose_publishes_only_the_gateway_port() -> None:
    publishing = {n for n, s in _compose_services().items() if s.get("ports")}
    assert publishing == {"gateway"}
    assert _published_container_ports(_compose_services()["gateway"]) == {APPS["gateway"].port}


def test_compose_runs_postgres_then_migrations_then_optional_demo_data() -> None:
    services = _compose_services()
    postgres = services["postgres"]
    assert str(postgres["image"]).startswith("postgres:16")
    assert "pg_isready" in _compose_command(postgres["healthcheck"], "test")
    assert any(":/var/lib/postgresql/data" in str(v) for v in postgres.get("volumes", []))

    migrate = services["migrate"]
    assert "build" in migrate, "the migrate service builds the shared image"
    assert migrate.get("image") == IMAGE
    assert "common.migrate" in _compose_command(migrate, "entrypoint")
    assert _condition(migrate, "postgres") == "service_healthy"

    demo = services["demo"]
    assert demo.get("image") == IMAGE
    assert "stack.demo" in _compose_command(demo, "entrypoint")
    assert _condition(demo, "migrate") == "service_completed_successfully"


def test_compose_commits_no_secret() -> None:
    services = _compose_services()
    required = re.compile(r"^\$\{(?P<name>[A-Z_]+):\?[^}]+\}$")
    password = required.match(str(services["postgres"]["environment"]["POSTGRES_PASSWORD"]))
    assert password
    assert password["name"] == "POSTGRES_PASSWORD"
    for name in [*APP_NAMES, "migrate", "demo"]:
        env = _compose_env(services[name])
        key = required.match(str(env["IDENTITY_SIGNING_KEY"]))
        assert key, f"{name}: IDENTITY_SIGNING_KEY must come from the environment"
        assert key["name"] == "IDENTITY_SIGNING_KEY"
        assert "${POSTGRES_PASSWORD:?" in str(env["DATABASE_URL"])
        assert str(env["DATABASE_URL"]).startswith("postgresql+psycopg://")


# ---- Dockerfile ---------------------------------------------------------------------------


def _dockerfile_instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    instructions = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def test_dockerfile_runs_stack_serve_as_a_non_root_user() -> None:
    instructions = _dockerfile_instructions()
    entrypoints = [rest for keyword, rest in instructions if keyword == "ENTRYPOINT"]
    assert entrypoints
    assert json.loads(entrypoints[-1]) == ["python", "-m", "stack.serve"]
    users = [rest for keyword, rest in instructions if keyword == "USER"]
    assert users
    assert users[-1].split(":")[0] not in {"root", "0"}
    assert not [rest for keyword, rest in instructions if keyword == "HEALTHCHECK"]
    runs = " ".join(rest for keyword, rest in instructions if keyword == "RUN")
    assert "uv sync --frozen --no-dev" in runs
    copied = " ".join(rest for keyword, rest in instructions if keyword == "COPY")
    for source in (
        "common/",
        "stack/",
        "services/",
        "gateway/",
        "web/",
        "migrations/",
        "alembic.ini",
    ):
        assert source in copied, f"the image does not copy {source}"
    assert "python:3.11-slim" in DOCKERFILE.read_text(encoding="utf-8")
