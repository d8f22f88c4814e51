"""The scheduler's work: due reminders, goal deadlines and milestones become notifications.

APScheduler is only the clock. Every tick claims due rows with FOR UPDATE SKIP LOCKED and
inserts notifications under a unique dedupe key (ON CONFLICT DO NOTHING), so any number
of schedulers, restarts or crashes never notify twice nor lose a reminder.
"""

import logging
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert

from tracker.extensions import db
from tracker.form_tokens import forget_old_tokens
from tracker.models import Notification
from tracker.models import Reminder
from tracker.models import User
from tracker.reminders.recurrence import drop_unused_settings
from tracker.reminders.recurrence import next_fire_after

log = logging.getLogger(__name__)

MILESTONE_HOURS = (10, 25, 50, 100, 250, 500, 1000)
MILESTONE_STREAKS = (7, 30, 100)
DEADLINE_DAYS = (3, 1)


def schedule_reminder(reminder, now=None):
    """Set the reminder's next_fire_at from its rule (None while it is switched off)."""
    now = now or datetime.now(UTC)
    reminder.next_fire_at = next_fire_after(reminder, now) if reminder.is_active else None


def settle_reminder(reminder, zone_name, now=None):
    """After a create or an edit: read the rule in zone_name, keep only what it uses, schedule.

    Both the Settings → Reminders form and /api/v1/reminders call this, so they agree.
    """
    reminder.timezone = zone_name
    drop_unused_settings(reminder)
    schedule_reminder(reminder, now)


def _notify(user_id, kind, message, link, dedupe_key, in_app=True, email=False):
    """Insert one notification unless its dedupe key exists; True when it was new."""
    if not in_app and not email:
        return False
    statement = (
        insert(Notification)
        .values(
            user_id=user_id,
            kind=kind,
            message=message,
            link=link,
            dedupe_key=dedupe_key,
            in_app=in_app,
            email_pending=email,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "dedupe_key"])
        .returning(Notification.id)
    )
    return db.session.execute(statement).first() is not None


def job_fire_reminders(now=None):
    """Fire every due reminder once and move it to its next time; returns how many fired.

    A reminder more than REMINDER_GRACE_MINUTES late is not sent, only moved on; missed
    ticks coalesce because the next time is computed from now, not from the missed one.
    """
    now = now or datetime.now(UTC)
    grace = timedelta(minutes=current_app.config["REMINDER_GRACE_MINUTES"])
    fired = 0
    while True:
        due = db.session.execute(
            select(Reminder, User)
            .join(User, User.id == Reminder.user_id)
            .where(Reminder.is_active.is_(True), Reminder.next_fire_at <= now)
            .order_by(Reminder.next_fire_at)
            .limit(current_app.config["SCHEDULER_CLAIM_BATCH"])
            .with_for_update(of=Reminder, skip_locked=True)
        ).all()
        if not due:
            return fired
        for reminder, user in due:
            if now - reminder.next_fire_at <= grace and _wants(user, "notify_reminders"):
                fired += _notify(
                    user.id,
                    "reminder",
                    f"Time to practise: {reminder.label}",
                    "/app/practice_session/new/",
                    f"reminder:{reminder.id}:{reminder.next_fire_at.isoformat()}",
                    in_app=reminder.channel in ("in_app", "both"),
                    email=reminder.channel in ("email", "both") and user.email_enabled,
                )
                reminder.last_fired_at = now
            reminder.next_fire_at = next_fire_after(reminder, now)
        db.session.commit()


def _wants(user, switch):
    return user.notifications_enabled and getattr(user, switch)


DEADLINE_SQL = text(
    """
    INSERT INTO notifications (user_id, kind, message, link, dedupe_key, in_app, email_pending)
    SELECT g.user_id, 'deadline',
           CASE WHEN g.target_date - local_day(u.timezone, :now) = 1
                THEN 'Tomorrow is the target date of “' || g.name || '”.'
                ELSE 'The target date of “' || g.name || '” is in 3 days.' END,
           '/app/goal/details/?id=' || g.id,
           'deadline:' || g.id || ':' || g.target_date || ':'
               || (g.target_date - local_day(u.timezone, :now)),
           true, false
      FROM goals g JOIN users u ON u.id = g.user_id
     WHERE g.status <> 'completed' AND NOT g.archived AND g.target_date IS NOT NULL
       AND u.notifications_enabled AND u.notify_deadlines
       AND g.target_date - local_day(u.timezone, :now) IN (1, 3)
    ON CONFLICT (user_id, dedupe_key) DO NOTHING
    """
)


def job_notify_deadlines(now=None):
    """Tell users about open goals due in 3 days and tomorrow (once each)."""
    result = db.session.execute(DEADLINE_SQL, {"now": now or datetime.now(UTC)})
    db.session.commit()
    return result.rowcount


MILESTONE_SQL = text(
    """
    WITH recent AS (
        SELECT DISTINCT s.user_id FROM practice_sessions s
         WHERE s.created_at >= :since OR s.updated_at >= :since
    ), eligible AS (
        SELECT u.id, u.timezone FROM users u JOIN recent r ON r.user_id = u.id
         WHERE u.notifications_enabled AND u.notify_milestones
    ), totals AS (
        SELECT e.id AS user_id, sum(d.minutes) AS minutes
          FROM eligible e JOIN practice_days d ON d.user_id = e.id GROUP BY e.id
    ), runs AS (
        SELECT r.user_id, r.last_day - r.first_day + 1 AS length
          FROM eligible e JOIN practice_runs r ON r.user_id = e.id
    ), achieved AS (
        SELECT user_id, 'milestone:first-session' AS key,
               'You logged your first session. Great start!' AS message
          FROM totals
        UNION ALL
        SELECT t.user_id, 'milestone:hours:' || h, 'You have practised ' || h || ' hours in all!'
          FROM totals t JOIN unnest(CAST(:hours AS int[])) AS h ON t.minutes >= h * 60
        UNION ALL
        SELECT DISTINCT r.user_id, 'milestone:streak:' || n, 'A ' || n || '-day practice streak!'
          FROM runs r JOIN unnest(CAST(:streaks AS int[])) AS n ON r.length >= n
    )
    INSERT INTO notifications (user_id, kind, message, link, dedupe_key, in_app, email_pending)
    SELECT user_id, 'milestone', message, '/app/', key, true, false FROM achieved
    ON CONFLICT (user_id, dedupe_key) DO NOTHING
    """
)


def job_notify_milestones(now=None, lookback=timedelta(days=1)):
    """Celebrate first session, total hours and streaks, once per user ever.

    Only users who logged or changed a session within `lookback` are checked.
    """
    now = now or datetime.now(UTC)
    params = {
        "since": now - lookback,
        "hours": list(MILESTONE_HOURS),
        "streaks": list(MILESTONE_STREAKS),
    }
    result = db.session.execute(MILESTONE_SQL, params)
    db.session.commit()
    return result.rowcount


def job_tick(now=None):
    """One scheduler tick: reminders, deadlines, milestones, e-mails, then old form tokens."""
    from tracker.reminders.mail import job_send_emails

    now = now or datetime.now(UTC)
    fired = job_fire_reminders(now)
    deadlines = job_notify_deadlines(now)
    milestones = job_notify_milestones(now)
    sent = job_send_emails()
    forget_old_tokens(now)
    if fired or deadlines or milestones or sent:
        log.info(
            "tick: %s reminders, %s deadlines, %s milestones, %s e-mails",
            fired,
            deadlines,
            milestones,
            sent,
        )
    return {"reminders": fired, "deadlines": deadlines, "milestones": milestones, "emails": sent}
