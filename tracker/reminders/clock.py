"""APScheduler as the clock: one job a minute that runs a scheduler tick."""

import logging
from datetime import UTC
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

log = logging.getLogger(__name__)
TICK_JOB_ID = "tracker-tick"


def _run_tick(app):
    from tracker.reminders.jobs import job_tick

    with app.app_context():
        try:
            job_tick()
        except Exception:  # a failed tick must not stop the clock; the next one retries
            log.exception("Scheduler tick failed")
            from tracker.extensions import db

            db.session.rollback()


def build_scheduler(app, background=False):
    """A scheduler with the single tick job (coalesced, one at a time, replaced on restart)."""
    scheduler = (BackgroundScheduler if background else BlockingScheduler)(timezone="UTC")
    scheduler.add_job(
        _run_tick,
        "interval",
        seconds=app.config["SCHEDULER_TICK_SECONDS"],
        args=[app],
        id=TICK_JOB_ID,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=30,
        next_run_time=datetime.now(UTC),  # tick at once: reminders due while stopped fire now
    )
    return scheduler
