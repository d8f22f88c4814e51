"""The Docker set-up: docker-compose.yml, Dockerfile, .env.example and docker/entrypoint.sh."""

import configparser
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from alembic.script import ScriptDirectory
from compose_spec import PyCompose
from sqlalchemy import create_engine
from sqlalchemy import text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
COMPOSE_DEV = ROOT / "compose.dev.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"
ENV_EXAMPLE = ROOT / ".env.example"

# Variables the entrypoint reads only to find its tools when run outside the image.
TOOL_OVERRIDES = {"FLASK", "PYTHON"}


def _compose():
    return yaml.safe_load(COMPOSE.read_text())


def _validate_compose(document):
    """Parse and validate a compose document against the Compose specification."""
    compose = PyCompose.from_yaml(document)
    compose.validate()
    return compose.to_spec()


def _dockerfile():
    """The Dockerfile as (INSTRUCTION, arguments) pairs, continuation lines joined."""
    instructions = []
    logical = ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            logical += stripped[:-1] + " "
            continue
        logical += stripped
        keyword, _, arguments = logical.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        logical = ""
    return instructions


def _dockerfile_stages():
    """The Dockerfile's build stages, each a list of instructions starting with its FROM."""
    stages = []
    for instruction in _dockerfile():
        if instruction[0] == "FROM" or not stages:
            stages.append([])
        stages[-1].append(instruction)
    return stages


def _dockerfile_args(keyword, stage=-1):
    """Arguments of every `keyword` instruction in one stage, by default the image's own (last)."""
    return [arguments for name, arguments in _dockerfile_stages()[stage] if name == keyword]


def _entrypoint_branches():
    """The entrypoint's `case` branches: pattern -> body."""
    body = ENTRYPOINT.read_text()
    return dict(re.findall(r"^\s*([\w*|-]+)\)\s*\n(.*?)^\s*;;", body, re.MULTILINE | re.DOTALL))


def _named_volumes(service):
    """Named volumes (not bind mounts) a service mounts, as (source, target) pairs."""
    mounts = []
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            if volume.get("type", "volume") == "volume":
                mounts.append((volume["source"], volume["target"]))
            continue
        source, _, rest = volume.partition(":")
        if not source.startswith((".", "/", "~", "$")):
            mounts.append((source, rest.split(":")[0]))
    return mounts


def _entrypoint_env(database_url, instance_path, **overrides):
    """Environment for running the entrypoint with this interpreter's flask and python."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("FLASK_")}
    env.update(
        DATABASE_URL=database_url,
        FLASK=str(Path(sys.executable).parent / "flask"),
        PYTHON=sys.executable,
        TRACKER_ENV="production",
        SECRET_KEY="entrypoint-test-secret-key",
        SECURITY_PASSWORD_SALT="entrypoint-test-password-salt",
        RATELIMIT_STORAGE_URI="memory://",
        INSTANCE_PATH=str(instance_path),
    )
    env.update(overrides)
    return env


@pytest.fixture
def fresh_database_url(database_url):
    """URL of a new, empty database on the test server, dropped afterwards."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"tracker_entrypoint_{worker}"
    server_url = make_url(database_url)
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_compose_file_validates_against_compose_spec():
    """docker-compose.yml is a valid Compose specification document without `version:`."""
    spec = _validate_compose(COMPOSE.read_text())
    assert set(spec.services) == {"db", "redis", "web", "scheduler"}
    assert "version" not in _compose()


def _merged(base, override):
    """docker compose's merge of two files: mappings merge key by key, lists add up."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merged(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(override, list):
        return base + [item for item in override if item not in base]
    return override


def _dev_compose():
    return _merged(_compose(), yaml.safe_load(COMPOSE_DEV.read_text()))


def test_dev_override_validates_alone_and_merged():
    """compose.dev.yml, and docker-compose.yml with it, are valid Compose documents."""
    _validate_compose(COMPOSE_DEV.read_text())
    spec = _validate_compose(yaml.safe_dump(_dev_compose()))
    assert set(spec.services) == {"db", "redis", "web", "scheduler", "mailpit"}


def test_production_compose_is_production():
    """Secure cookies, Redis for limits and cache, no mail catcher, restarts, a healthy web."""
    services = _compose()["services"]
    web = services["web"]["environment"]
    assert web["TRACKER_ENV"] == "production"
    assert web["SESSION_COOKIE_SECURE"] == "true"
    assert web["RATELIMIT_STORAGE_URI"].startswith("redis://redis:")
    assert web["CACHE_TYPE"] == "RedisCache" and web["CACHE_REDIS_URL"].startswith("redis://redis:")
    assert services["scheduler"]["environment"]["CACHE_TYPE"] == "RedisCache"
    for name, service in services.items():
        assert service["restart"] in ("unless-stopped", "always"), name
        assert "mailpit" not in yaml.safe_dump(service), name
        assert "MAIL_SERVER" not in service.get("environment", {}), name
    healthcheck = services["web"]["healthcheck"]
    assert "http://127.0.0.1:8000/" in " ".join(healthcheck["test"])
    assert {"interval", "timeout", "retries", "start_period"} <= set(healthcheck)
    assert services["scheduler"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_dev_override_adds_mail_debug_logging_and_the_mounted_code_with_reload():
    services = _dev_compose()["services"]
    web = services["web"]
    assert web["command"] == "dev" and "dev" in _entrypoint_branches()
    assert "--reload" in ENTRYPOINT.read_text().split("dev)")[1].split(";;")[0]
    for name in ("web", "scheduler"):
        environment = services[name]["environment"]
        assert environment["TRACKER_ENV"] == "development", name
        assert environment["LOG_LEVEL"] == "DEBUG", name
        assert environment["MAIL_SERVER"] == "mailpit", name
        assert ".:/app" in services[name]["volumes"], name
    assert web["environment"]["SESSION_COOKIE_SECURE"] == "false"
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert web["depends_on"]["mailpit"]["condition"] == "service_started"


@pytest.mark.parametrize(
    "breakage",
    ["ports-not-a-list", "unknown-top-level-key", "unknown-depends-on-condition"],
)
def test_compose_validation_rejects_invalid_document(breakage):
    """The validator rejects docker-compose.yml once a single part of it is made invalid."""
    document = _compose()
    if breakage == "ports-not-a-list":
        document["services"]["web"]["ports"] = "not-a-list"
    elif breakage == "unknown-top-level-key":
        document["servics"] = {}
    else:
        document["services"]["web"]["depends_on"]["db"]["condition"] = "service_ready"
    with pytest.raises(ValueError):
        _validate_compose(yaml.safe_dump(document))


def test_web_waits_for_healthy_db_and_started_redis():
    """web starts only once db passes its healthcheck and redis has started."""
    depends_on = _compose()["services"]["web"]["depends_on"]
    assert depends_on["db"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_started"


def test_db_has_healthcheck_and_declared_named_volume():
    """db checks readiness with pg_isready and keeps its data in a declared named volume."""
    compose = _compose()
    db = compose["services"]["db"]
    healthcheck = db["healthcheck"]
    test = healthcheck["test"]
    assert "pg_isready" in (test if isinstance(test, str) else " ".join(test))
    assert {"interval", "timeout", "retries"} <= set(healthcheck)
    assert ("pgdata", "/var/lib/postgresql/data") in _named_volumes(db)
    assert "pgdata" in compose["volumes"]


def test_compose_references_resolve():
    """Every service has an image or build, depends on defined services, uses declared volumes."""
    compose = _compose()
    services = compose["services"]
    declared = set(compose.get("volumes") or {})
    for name, service in services.items():
        assert "image" in service or "build" in service, name
        assert set(service.get("depends_on", {})) <= set(services), name
        for source, _target in _named_volumes(service):
            assert source in declared, f"{name} mounts undeclared volume {source}"


def test_web_runs_the_dockerfile_entrypoint():
    """web builds this Dockerfile, whose ENTRYPOINT is docker/entrypoint.sh and knows `web`."""
    web = _compose()["services"]["web"]
    assert web["build"] in (".", {"context": "."})
    (entrypoint,) = _dockerfile_args("ENTRYPOINT")
    (workdir,) = _dockerfile_args("WORKDIR")
    script = json.loads(entrypoint)
    assert script == ["/app/docker/entrypoint.sh"]
    assert web.get("entrypoint", script) == script
    assert (ROOT / Path(script[0]).relative_to(workdir)) == ENTRYPOINT
    assert os.access(ENTRYPOINT, os.X_OK)
    assert any(args.split()[:2] == ["docker/", "docker/"] for args in _dockerfile_args("COPY"))
    command = web["command"] if isinstance(web["command"], str) else web["command"][0]
    assert command == "web"
    assert json.loads(_dockerfile_args("CMD")[-1]) == ["web"]
    assert {"web", "migrate", "scheduler", "*"} <= set(_entrypoint_branches())


def test_dockerfile_is_slim_and_runs_as_non_root():
    """The image starts from python:3.11-slim and switches to a non-root user after its RUNs."""
    instructions = _dockerfile_stages()[-1]
    assert re.fullmatch(r"python:3\.11-slim(@sha256:\w+)?", _dockerfile_args("FROM")[0])
    user_index = max(i for i, (name, _) in enumerate(instructions) if name == "USER")
    user = instructions[user_index][1].split(":")[0]
    assert user not in {"root", "0"}
    assert all(name != "RUN" for name, _ in instructions[user_index:])
    assert "8000" in _dockerfile_args("EXPOSE")


def test_image_ships_the_vendored_front_end_libraries():
    """A node:20-slim stage runs the vendoring script; the image copies its output to /app."""
    node = re.compile(r"node:20-slim(@sha256:\w+)? AS (\w+)", re.IGNORECASE)
    assets = next(s for s in _dockerfile_stages()[:-1] if node.fullmatch(s[0][1]))
    name = node.fullmatch(assets[0][1]).group(2)
    copied = " ".join(args for keyword, args in assets if keyword == "COPY").split()
    assert {"package.json", "package-lock.json", "tools/vendor_static.sh"} <= set(copied)
    assert any("tools/vendor_static.sh" in args for keyword, args in assets if keyword == "RUN")
    (workdir,) = [args for keyword, args in assets if keyword == "WORKDIR"]
    vendor = "tracker/static/vendor"
    assert f"--from={name} {workdir}/{vendor} /app/{vendor}" in _dockerfile_args("COPY")


def test_vendoring_script_copies_every_library_a_template_loads():
    """Each `vendor/<package>/<file>` a template loads is a dist file the script copies.

    Only our own static folder counts: Flask-Admin's (`admin_static.url(...)`, in the copy of
    its base template) ships inside its wheel.
    """
    # One vendor_file command may go on over several lines.
    script = (ROOT / "tools" / "vendor_static.sh").read_text().replace("\\\n", " ")
    loaded = set()
    for template in (ROOT / "templates").rglob("*.html"):
        # Our own static folder; Flask-Admin's assets (admin_static.url) ship in its wheel.
        loaded |= set(
            re.findall(r"url_for\('static', filename='vendor/([^']+)'", template.read_text())
        )
    assert {"chart.js/chart.umd.min.js"} <= loaded
    for path in loaded:
        package, _, filename = path.partition("/")
        line = rf"^vendor_file {re.escape(package)} .*(dist/|\s){re.escape(filename)}(\s|$)"
        assert re.search(line, script, re.MULTILINE), path


def test_front_end_libraries_are_pinned_from_the_npm_registry():
    """package.json pins exact versions that package-lock.json locks, from the npm registry only."""
    package_json = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert package_json["private"] is True
    for package, version in package_json["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), package
        assert lock["packages"][f"node_modules/{package}"]["version"] == version, package
    for entry in lock["packages"].values():
        resolved = entry.get("resolved", "https://registry.npmjs.org/")
        assert resolved.startswith("https://registry.npmjs.org/"), resolved


def test_web_volume_directories_belong_to_the_app_user():
    """Directories web mounts named volumes on are created in the image and owned by app."""
    runs = " ".join(_dockerfile_args("RUN"))
    for _source, target in _named_volumes(_compose()["services"]["web"]):
        assert re.search(rf"mkdir -p [^&]*{re.escape(target)}", runs), target
        owned = re.findall(r"chown -R app:app (\S+)", runs)
        assert any(target == path or target.startswith(path + "/") for path in owned), target


def test_redis_rate_limit_storage_has_a_client_in_the_image():
    """A redis:// RATELIMIT_STORAGE_URI comes with the redis client installed in the image."""
    storage = _compose()["services"]["web"]["environment"]["RATELIMIT_STORAGE_URI"]
    assert storage.startswith("redis://")
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg")
    requires = setup["options"]["install_requires"]
    installs = " ".join(args for args in _dockerfile_args("RUN") if "pip install" in args)
    assert "redis" in requires or "redis" in installs


def test_entrypoint_web_branch_waits_migrates_and_serves_with_gunicorn():
    """`web` waits for the database, migrates, then execs gunicorn on tracker:create_app()."""
    source = ENTRYPOINT.read_text()
    assert source.startswith("#!/bin/sh\n")
    assert re.search(r"^set -eu$", source, re.MULTILINE)
    web = _entrypoint_branches()["web"]
    assert web.index("wait_for_db") < web.index("migrate") < web.index("exec gunicorn")
    assert "--bind 0.0.0.0:8000" in web
    assert '"tracker:create_app()"' in web
    assert subprocess.run(["sh", "-n", str(ENTRYPOINT)], check=False).returncode == 0


def test_env_example_documents_every_variable():
    """.env.example names, with a comment, every variable the app, compose and entrypoint read."""
    read = set()
    for path in (ROOT / "tracker").rglob("*.py"):
        read |= set(re.findall(r'(?:environ\.get|_env_flag)\(\s*"(\w+)"', path.read_text()))
    read |= set(re.findall(r"(?<!\$)\$\{([A-Za-z_]\w*)", COMPOSE.read_text()))
    read |= set(re.findall(r"\$\{([A-Za-z_]\w*)", ENTRYPOINT.read_text())) - TOOL_OVERRIDES
    lines = ENV_EXAMPLE.read_text().splitlines()
    for name in sorted(read):
        index = next((i for i, line in enumerate(lines) if re.match(rf"#?\s*{name}=", line)), None)
        assert index is not None, f"{name} missing from .env.example"
        assert lines[index - 1].startswith("#"), f"{name} has no comment"


def test_entrypoint_migrate_upgrades_a_fresh_database(fresh_database_url, tmp_path):
    """`entrypoint.sh migrate` waits for an empty database and upgrades it to the head revision."""
    result = subprocess.run(
        ["sh", str(ENTRYPOINT), "migrate"],
        cwd=tmp_path,
        env=_entrypoint_env(fresh_database_url, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Database is up." in result.stdout
    head = ScriptDirectory(str(ROOT / "migrations")).get_current_head()
    engine = create_engine(fresh_database_url)
    try:
        with engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
            assert list(versions) == [head]
            table = conn.execute(text("SELECT to_regclass('public.practice_sessions')"))
            assert table.scalar() == "practice_sessions"
    finally:
        engine.dispose()


def test_entrypoint_gives_up_on_unreachable_database(tmp_path):
    """With no database listening, `entrypoint.sh migrate` fails after DB_WAIT_TIMEOUT."""
    env = _entrypoint_env("postgresql://postgres@127.0.0.1:1/x", tmp_path, DB_WAIT_TIMEOUT="2")
    result = subprocess.run(
        ["sh", str(ENTRYPOINT), "migrate"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Database not reachable" in result.stderr
    assert "Running upgrade" not in result.stdout + result.stderr


def test_entrypoint_runs_any_other_command(tmp_path):
    """An unknown command is exec'd as is, from the source tree, without touching the database."""
    env = _entrypoint_env("postgresql://postgres@127.0.0.1:1/x", tmp_path)
    result = subprocess.run(
        ["sh", str(ENTRYPOINT), "sh", "-c", 'pwd; echo "$0 $1"', "hello", "world"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(ROOT), "hello world"]


def test_scheduler_service_runs_the_same_image_and_entrypoint():
    """The scheduler uses the web image, the entrypoint's scheduler command and the same DB."""
    compose = yaml.safe_load(COMPOSE.read_text())
    scheduler, web = compose["services"]["scheduler"], compose["services"]["web"]
    assert scheduler["build"] == web["build"]
    assert scheduler["command"] == "scheduler"
    assert scheduler["environment"]["DATABASE_URL"] == web["environment"]["DATABASE_URL"]
    assert scheduler["depends_on"]["db"]["condition"] == "service_healthy"
    assert "scheduler)" in ENTRYPOINT.read_text()
