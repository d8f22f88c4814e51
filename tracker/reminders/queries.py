"""What the reminders show the user: the next ones due and the notifications they left."""

from sqlalchemy import func
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Notification
from tracker.models import Reminder
from tracker.models.reminders import unread_in_app


def upcoming_reminders(user_id, limit=3):
    """The user's next `limit` active reminders, soonest first: id, label, next_fire_at (UTC)."""
    rows = db.session.execute(
        select(Reminder.id, Reminder.label, Reminder.next_fire_at)
        .where(
            Reminder.user_id == user_id,
            Reminder.is_active.is_(True),
            Reminder.next_fire_at.is_not(None),
        )
        .order_by(Reminder.next_fire_at, Reminder.id)
        .limit(limit)
    )
    return [row._asdict() for row in rows]


def unread_notification_count(user_id):
    """How many of the user's in-app notifications are unread."""
    query = select(func.count()).select_from(Notification).where(unread_in_app(user_id))
    return db.session.scalar(query)


def latest_notifications(user_id, limit=8):
    """The user's latest `limit` in-app notifications, newest first, as plain dicts."""
    rows = db.session.execute(
        select(
            Notification.id,
            Notification.kind,
            Notification.message,
            Notification.link,
            Notification.is_read,
            Notification.created_at,
        )
        .where(Notification.user_id == user_id, Notification.in_app.is_(True))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return [row._asdict() for row in rows]
