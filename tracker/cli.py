"""Command-line tasks: `python manage.py <command>` (or `flask --app manage <command>`)."""

from datetime import UTC
from datetime import datetime

import click
from flask import current_app
from flask_security import hash_password

from tracker.extensions import db


def init_app(app):
    """Register the project's commands on app."""
    app.cli.add_command(create_user)
    app.cli.add_command(wait_for_db)
    app.cli.add_command(scheduler)
    app.cli.add_command(dev_server)
    app.cli.add_command(sweep_uploads)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(build_static)


@click.command("create-user")
@click.argument("email")
@click.password_option()
@click.option("--timezone", default="UTC", help="IANA time zone, e.g. Europe/Berlin.")
def create_user(email, password, timezone):
    """Create an account without the registration page."""
    datastore = current_app.extensions["security"].datastore
    if datastore.find_user(email=email):
        raise click.ClickException(f"{email} already has an account.")
    # Made by the operator: the address needs no confirmation e-mail.
    datastore.create_user(
        email=email,
        password=hash_password(password),
        timezone=timezone,
        confirmed_at=datetime.now(UTC),
    )
    db.session.commit()
    click.echo(f"Created {email}.")


@click.command("wait-for-db")
@click.option("--timeout", default=60, show_default=True, help="Seconds to keep trying.")
def wait_for_db(timeout):
    """Block until the database accepts connections (used by the container entrypoint)."""
    import time

    from sqlalchemy import text

    deadline = time.monotonic() + timeout
    while True:
        try:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            click.echo("Database is up.")
            return
        except Exception as exc:  # any connection failure means "not yet"
            if time.monotonic() > deadline:
                raise click.ClickException(f"Database not reachable: {exc}") from exc
            time.sleep(1)


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Run one tick and exit.")
def scheduler(once):
    """Run the reminder scheduler (several copies may run; nothing fires twice)."""
    from tracker.reminders.clock import build_scheduler
    from tracker.reminders.jobs import job_tick

    if once:
        click.echo(job_tick())
        return
    seconds = current_app.config["SCHEDULER_TICK_SECONDS"]
    click.echo(f"Scheduler running; one tick every {seconds} s.")
    build_scheduler(current_app._get_current_object()).start()


@click.command("build-static")
def build_static():
    """Write the hashed, brotli- and gzip-compressed copy of the static files WhiteNoise serves."""
    from tracker.assets.build import build_static as build

    build_dir = current_app.config.get("STATIC_BUILD_DIR")
    if not build_dir:
        raise click.ClickException("STATIC_BUILD_DIR is not set: nowhere to build into.")
    build(current_app._get_current_object(), build_dir, click.echo)


@click.command("dev-server")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def dev_server(host, port):
    """Serve the app for development with the scheduler in one background thread."""
    from werkzeug.serving import run_simple

    from tracker.reminders.clock import build_scheduler

    app = current_app._get_current_object()
    clock = build_scheduler(app, background=True)
    clock.start()
    try:
        # No reloader: a second process would start a second clock. (Flask's app.run()
        # refuses to run inside a flask command, so serve with Werkzeug directly.)
        run_simple(host, port, app, use_reloader=False, threaded=True)
    finally:
        clock.shutdown(wait=False)


@click.command("sweep-uploads")
@click.option("--dry-run", is_flag=True, help="Only list the files that would go.")
def sweep_uploads(dry_run):
    """Remove attachment files no attachment owns any more (a deleted account's, say)."""
    from tracker.uploads import sweep_orphans

    removed = sweep_orphans(current_app, dry_run=dry_run)
    for path in removed:
        click.echo(path)
    verb = "Would remove" if dry_run else "Removed"
    click.echo(f"{verb} {len(removed)} file(s).")


def _default_backup_path():
    """instance/backups/practice-tracker-<UTC time>.dump: a new name for every backup."""
    import os
    from datetime import UTC
    from datetime import datetime

    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return os.path.join(current_app.instance_path, "backups", f"practice-tracker-{stamp}.dump")


@click.command("backup")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="File to write. Default: instance/backups/practice-tracker-<UTC time>.dump.",
)
def backup(output):
    """Back up the whole database (DATABASE_URL) with pg_dump, in its custom format."""
    import os

    from tracker.backups import BackupError
    from tracker.backups import backup_database

    output = output or _default_backup_path()
    try:
        tool, version = backup_database(db.engine, output)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    size = os.path.getsize(output)
    click.echo(
        f"Backed up {db.engine.url.database} to {output} ({size:,} bytes, "
        f"pg_dump {version[0]}.{version[1]} from {os.path.dirname(tool)})."
    )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--clean",
    is_flag=True,
    help="The database is not empty: drop what the backup holds first, then restore it.",
)
def restore(file, clean):
    """Restore a backup made by `backup` into the database (DATABASE_URL), all or nothing."""
    from tracker.backups import BackupError
    from tracker.backups import restore_database

    try:
        _tool, version = restore_database(db.engine, file, clean=clean)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Restored {file} into {db.engine.url.database} "
        f"(pg_restore {version[0]}.{version[1]})."
    )
