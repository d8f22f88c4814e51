"""Exactly once under concurrency: three real scheduler processes, one killed mid-run."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from tests.factories import UserFactory
from tracker.extensions import db

ROOT = Path(__file__).resolve().parent.parent
REMINDERS = 1000


def _seed_due_reminders(count):
    """count reminders, spread over 50 users, all due a minute ago."""
    users = [UserFactory() for _ in range(50)]
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO reminders (user_id, label, recurrence, local_time, timezone, "
                "channel, is_active, next_fire_at) "
                "SELECT (:ids)[1 + n % 50], 'Reminder ' || n, 'daily', '07:30', 'UTC', "
                "'in_app', true, now() - interval '1 minute' FROM generate_series(1, :n) AS n"
            ),
            {"ids": [u.id for u in users], "n": count},
        )


def _count(sql):
    with db.engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def _start_scheduler(database_url, tmp_path, index):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TRACKER_ENV": "development",
        "SECRET_KEY": "scheduler-test",
        "SECURITY_PASSWORD_SALT": "scheduler-test",
        "INSTANCE_PATH": str(tmp_path / f"instance-{index}"),
        "SCHEDULER_TICK_SECONDS": "1",
        "SCHEDULER_CLAIM_BATCH": "5",
    }
    env.pop("MAIL_SERVER", None)
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "manage", "scheduler"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_three_schedulers_one_killed_fire_every_reminder_exactly_once(database_url, tmp_path):
    _seed_due_reminders(REMINDERS)
    processes = [_start_scheduler(database_url, tmp_path, i) for i in range(3)]
    try:
        deadline = time.monotonic() + 60
        while _count("SELECT count(*) FROM notifications") < 50:
            assert time.monotonic() < deadline, "schedulers did not start firing"
            assert all(p.poll() is None for p in processes), processes[0].stderr.read()
            time.sleep(0.02)
        processes[0].send_signal(signal.SIGKILL)  # mid-run: it may hold a claimed batch
        killed_at = _count("SELECT count(*) FROM notifications")
        while _count("SELECT count(*) FROM reminders WHERE next_fire_at <= now()") > 0:
            assert time.monotonic() < deadline, "due reminders were left behind"
            time.sleep(0.1)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            process.wait(timeout=30)
    assert killed_at < REMINDERS, "the killed scheduler should have died mid-run"
    per_reminder = _count(
        "SELECT count(*) FROM (SELECT split_part(dedupe_key, ':', 2) AS reminder, count(*) "
        "FROM notifications GROUP BY 1 HAVING count(*) = 1) once"
    )
    assert _count("SELECT count(*) FROM notifications") == REMINDERS
    assert per_reminder == REMINDERS


def test_restarted_scheduler_does_not_fire_again(database_url, tmp_path):
    _seed_due_reminders(20)
    first = _start_scheduler(database_url, tmp_path, 0)
    try:
        deadline = time.monotonic() + 60
        while _count("SELECT count(*) FROM reminders WHERE next_fire_at <= now()") > 0:
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        first.terminate()
        first.wait(timeout=30)
    again = _start_scheduler(database_url, tmp_path, 1)
    try:
        # One more reminder falls due: once it fires, the new scheduler has ticked and seen
        # the twenty already fired ones too.
        _seed_due_reminders(1)
        deadline = time.monotonic() + 60
        while _count("SELECT count(*) FROM notifications") < 21:
            assert time.monotonic() < deadline, "the restarted scheduler never ticked"
            assert again.poll() is None, again.stderr.read()
            time.sleep(0.1)
    finally:
        again.terminate()
        again.wait(timeout=30)
    assert _count("SELECT count(*) FROM notifications") == 21
