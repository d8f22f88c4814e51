"""The scheduler: reminders fire exactly once, deadlines and milestones once ever, e-mail once."""

import socket
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import GoalFactory
from tests.factories import PracticeSessionFactory
from tests.factories import ReminderFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.models import Notification
from tracker.reminders.jobs import job_fire_reminders
from tracker.reminders.jobs import job_notify_deadlines
from tracker.reminders.jobs import job_notify_milestones
from tracker.reminders.jobs import job_tick
from tracker.reminders.jobs import schedule_reminder

BERLIN = ZoneInfo("Europe/Berlin")


def _due_reminder(user=None, minutes_ago=1, **kwargs):
    reminder = ReminderFactory(user=user or UserFactory(), **kwargs)
    reminder.next_fire_at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    db.session.commit()
    return reminder


def _notifications(kind=None):
    query = db.session.query(Notification)
    if kind:
        query = query.filter_by(kind=kind)
    return query.all()


def test_due_reminder_fires_once_and_moves_to_its_next_time():
    reminder = _due_reminder(label="Scales before work")
    assert job_fire_reminders() == 1
    assert job_fire_reminders() == 0  # a second tick (or scheduler) finds nothing due
    [note] = _notifications("reminder")
    assert note.message == "Time to practise: Scales before work"
    assert note.in_app and not note.email_pending
    db.session.refresh(reminder)
    assert reminder.next_fire_at > datetime.now(UTC)


def test_restart_at_the_same_moment_does_not_double_fire():
    reminder = _due_reminder()
    due = reminder.next_fire_at
    job_fire_reminders()
    # A crashed run that never saved its progress is replayed with the same due time.
    reminder.next_fire_at = due
    db.session.commit()
    job_fire_reminders()
    assert len(_notifications("reminder")) == 1


def test_missed_ticks_coalesce_into_one():
    reminder = _due_reminder(minutes_ago=50)  # due 50 min ago, e.g. the scheduler was down
    assert job_fire_reminders() == 1
    assert len(_notifications("reminder")) == 1
    db.session.refresh(reminder)
    assert reminder.next_fire_at > datetime.now(UTC)


def test_reminder_later_than_the_grace_period_is_skipped_and_moved_on(app):
    reminder = _due_reminder(minutes_ago=app.config["REMINDER_GRACE_MINUTES"] + 5)
    assert job_fire_reminders() == 0
    assert _notifications("reminder") == []
    db.session.refresh(reminder)
    assert reminder.next_fire_at > datetime.now(UTC)


def test_inactive_or_switched_off_reminders_do_not_notify():
    _due_reminder(user=UserFactory(notify_reminders=False))
    _due_reminder(user=UserFactory(notifications_enabled=False))
    inactive = _due_reminder(is_active=False)
    assert job_fire_reminders() == 0
    assert _notifications() == []
    schedule_reminder(inactive)
    assert inactive.next_fire_at is None


def test_one_notification_per_local_day_across_dst_with_the_clock_moving():
    user = UserFactory(timezone="Europe/Berlin")
    reminder = ReminderFactory(user=user, local_time=time(2, 30), timezone="Europe/Berlin")
    start = datetime(2026, 3, 27, 12, 0, tzinfo=BERLIN)
    with time_machine.travel(start, tick=False) as clock:
        schedule_reminder(reminder)
        db.session.commit()
        for _ in range(4 * 24 * 6):  # four days of ticks, every ten minutes
            clock.shift(timedelta(minutes=10))
            job_fire_reminders()
    fired = sorted(
        datetime.fromisoformat(n.dedupe_key.split(":", 2)[2]).astimezone(BERLIN)
        for n in _notifications("reminder")
    )
    assert [f.date() for f in fired] == [
        date(2026, 3, 28),
        date(2026, 3, 29),
        date(2026, 3, 30),
        date(2026, 3, 31),
    ]
    # The spring-forward day has no 02:30: that one fired when the clocks jumped.
    assert [f.strftime("%H:%M") for f in fired] == ["02:30", "03:00", "02:30", "02:30"]


def test_deadline_notifications_3_days_and_1_day_before_once_each():
    user = UserFactory(timezone="Europe/Berlin")
    now = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)
    today = now.astimezone(BERLIN).date()
    soon = GoalFactory(user=user, name="Recital", target_date=today + timedelta(days=3))
    GoalFactory(user=user, name="Done", target_date=today + timedelta(days=3), status="completed")
    GoalFactory(user=user, name="Old", target_date=today + timedelta(days=1), archived=True)
    GoalFactory(user=UserFactory(notify_deadlines=False), target_date=today + timedelta(days=1))
    assert job_notify_deadlines(now) == 1
    assert job_notify_deadlines(now) == 0
    assert job_notify_deadlines(now + timedelta(days=1)) == 0  # 2 days before: nothing
    assert job_notify_deadlines(now + timedelta(days=2)) == 1  # tomorrow
    messages = sorted(n.message for n in _notifications("deadline"))
    assert messages == [
        "The target date of “Recital” is in 3 days.",
        "Tomorrow is the target date of “Recital”.",
    ]
    assert all(n.link == f"/app/goal/details/?id={soon.id}" for n in _notifications("deadline"))


def test_milestones_first_session_hours_and_streaks_once_ever():
    user = UserFactory(timezone="UTC")
    now = datetime.now(UTC)
    for day in range(7):
        PracticeSessionFactory(
            user=user, started_at=now - timedelta(days=day), duration_minutes=100
        )
    assert job_notify_milestones(now) == 3  # first session, 10 hours, 7-day streak
    assert job_notify_milestones(now) == 0
    keys = sorted(n.dedupe_key for n in _notifications("milestone"))
    assert keys == ["milestone:first-session", "milestone:hours:10", "milestone:streak:7"]
    PracticeSessionFactory(user=user, started_at=now, duration_minutes=15 * 60)
    assert job_notify_milestones(now) == 1  # 25 hours
    silent = UserFactory(notify_milestones=False)
    PracticeSessionFactory(user=silent)
    assert job_notify_milestones(now) == 0


def test_tick_runs_every_job(app):
    _due_reminder()
    result = job_tick()
    assert result["reminders"] == 1


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on a free local port that keeps what it receives."""
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {k: app.config[k] for k in ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    try:
        yield inbox
    finally:
        app.config.update(saved)
        controller.stop()


def test_email_reminders_send_exactly_one_message_each(smtp_server):
    alice = UserFactory(email="alice@example.com", name="Alice")
    _due_reminder(user=alice, label="Bach partita", channel="both")
    _due_reminder(user=UserFactory(email="quiet@example.com", email_enabled=False), channel="email")
    _due_reminder(user=UserFactory(email="app-only@example.com"), channel="in_app")
    job_tick()
    job_tick()
    assert [m.rcpt_tos for m in smtp_server.messages] == [["alice@example.com"]]
    text = smtp_server.messages[0].content.decode()
    assert "Time to practise: Bach partita" in text
    assert "Adjust your reminders: http" in text and "/app/reminders/" in text
    assert "text/html" in text and "text/plain" in text
    note = db.session.query(Notification).filter_by(user_id=alice.id).one()
    assert note.emailed_at is not None and not note.email_pending


def test_email_failure_keeps_the_message_pending(app):
    _due_reminder(channel="email")
    saved = {k: app.config[k] for k in ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    try:
        job_tick()
    finally:
        app.config.update(saved)
    [note] = _notifications("reminder")
    assert note.email_pending and note.emailed_at is None
