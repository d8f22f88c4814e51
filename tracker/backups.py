"""Backups of the whole database with pg_dump and pg_restore (custom format, `-Fc`).

The tools are the ones in PG_BIN_DIR when it is set. Otherwise they are looked for among
the binaries that ship inside the pgserver package (PostgreSQL 16, installed with the app, so
the Docker image has them too), Debian's /usr/lib/postgresql/<version>/bin and the PATH;
pg_dump refuses a server newer than itself, and pg_restore an archive newer than itself, so
the newest tools not older than the server are taken.
"""

import glob
import importlib.util
import os
import re
import subprocess
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL

# A custom-format archive starts with these bytes (pg_backup_archiver.c).
ARCHIVE_MAGIC = b"PGDMP"
VERSION_PATTERN = re.compile(r"\(PostgreSQL\) (\d+)(?:\.(\d+))?")


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what to do."""


def pgserver_bin_dir():
    """The bin folder of the PostgreSQL that ships inside pgserver, if it is installed."""
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        return None
    return str(Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin")


def candidate_dirs():
    """Folders that may hold pg_dump and pg_restore."""
    dirs = [pgserver_bin_dir()]
    dirs += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    dirs += os.get_exec_path()
    return list(dict.fromkeys(d for d in dirs if d))


def tool_version(path):
    """(major, minor) of a PostgreSQL program from its --version, or None if it won't run."""
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    match = VERSION_PATTERN.search(out.stdout)
    return (int(match.group(1)), int(match.group(2) or 0)) if match else None


def find_tool(name, server_major):
    """(path, version) of the newest `name` (pg_dump, pg_restore) not older than the server."""
    if os.environ.get("PG_BIN_DIR"):
        # Chosen by hand: used as is, and a mismatch is the tool's own error to report.
        path = os.path.join(os.environ["PG_BIN_DIR"], name)
        version = tool_version(path)
        if version is None:
            raise BackupError(f"PG_BIN_DIR is set, but {path} is not a working {name}.")
        return path, version
    found = []
    for folder in candidate_dirs():
        path = os.path.join(folder, name)
        if os.access(path, os.X_OK) and (version := tool_version(path)):
            found.append((version, path))
    usable = [(version, path) for version, path in found if version[0] >= server_major]
    if not usable:
        seen = ", ".join(f"{p} ({v[0]}.{v[1]})" for v, p in found) or "none"
        raise BackupError(
            f"No {name} for PostgreSQL {server_major} or newer was found (found: {seen}). "
            f"Install the PostgreSQL {server_major} client tools, or set PG_BIN_DIR to "
            "the folder holding them."
        )
    version, path = max(usable)
    return path, version


def server_major(engine):
    """The major version of the PostgreSQL server behind engine (15, 16, ...)."""
    with engine.connect() as conn:
        return int(conn.execute(text("SHOW server_version_num")).scalar()) // 10000


def libpq_target(url):
    """(connection URI without the password, environment with PGPASSWORD) for the tools.

    The password travels in the environment, so it never shows in the process list.
    """
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    bare = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    return bare.render_as_string(hide_password=False), env


def user_relations(engine):
    """(name, is a table) of every relation outside PostgreSQL's own schemas, tables first."""
    query = text(
        "SELECT c.relname, c.relkind IN ('r', 'p') FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
        "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' "
        "ORDER BY 2 DESC, 1"
    )
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]


def not_empty_message(database, relations):
    """Why a restore into database, which holds relations, is refused, and what to do."""
    tables = [name for name, is_table in relations if is_table]
    others = len(relations) - len(tables)
    held = f"{len(tables)} tables ({', '.join(tables[:5])}{', ...' if len(tables) > 5 else ''})"
    if not tables:
        held = f"{others} objects"
    elif others:
        held += f" and {others} other objects"
    return (
        f"The database {database} is not empty: it holds {held}. Restore into an empty "
        "database (createdb), or add --clean to replace what the backup holds with the "
        "backup's copy."
    )


def _run(command, env, what):
    """Run one of the tools; a failure becomes a BackupError carrying its own words."""
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise BackupError(f"{what} failed ({os.path.basename(command[0])}): {detail}")
    return result


def backup_database(engine, output):
    """Write the whole database behind engine to output (custom format); return the tool used.

    The archive is written next to output and renamed at the end, so a failed backup never
    leaves a half-written file under the name asked for.
    """
    path, version = find_tool("pg_dump", server_major(engine))
    uri, env = libpq_target(engine.url)
    output = os.path.abspath(output)
    os.makedirs(os.path.dirname(output), exist_ok=True)
    partial = output + ".partial"
    try:
        _run([path, "--format=custom", "--file", partial, "--dbname", uri], env, "The backup")
        os.replace(partial, output)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return path, version


def is_archive(path):
    """Tell whether path holds a pg_dump custom-format archive."""
    with open(path, "rb") as file:
        return file.read(len(ARCHIVE_MAGIC)) == ARCHIVE_MAGIC


def restore_database(engine, archive, clean=False):
    """Restore archive into the database behind engine, in one transaction; return the tool.

    The database must be empty unless clean is set: then the backup's objects that exist are
    dropped first (others are left alone). Ownership and grants are not restored: the
    restoring user owns everything, as the app's migrations would have made it.
    """
    if not is_archive(archive):
        raise BackupError(
            f"{archive} is not a backup made by `manage.py backup` (pg_dump custom format)."
        )
    existing = user_relations(engine)
    if existing and not clean:
        raise BackupError(not_empty_message(engine.url.database, existing))
    path, version = find_tool("pg_restore", server_major(engine))
    uri, env = libpq_target(engine.url)
    engine.dispose()  # no idle connection of ours sits on a table the restore drops
    command = [path, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    if clean:
        command += ["--clean", "--if-exists"]
    _run([*command, "--dbname", uri, archive], env, "The restore")
    return path, version
