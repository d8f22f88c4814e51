"""Reminders to practise, and the notifications the scheduler leaves for the user."""

from datetime import date
from datetime import datetime
from datetime import time

from sqlalchemy import Boolean
from sqlalchemy import CheckConstraint
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import Index
from sqlalchemy import SmallInteger
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import Time
from sqlalchemy import UniqueConstraint
from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import column_property
from sqlalchemy.orm import mapped_column

from tracker.models.base import Base
from tracker.models.base import OwnedMixin
from tracker.models.choices import values_check
from tracker.models.user import User

RECURRENCES = [
    ("daily", "Every day"),
    ("weekdays", "On chosen weekdays"),
    ("interval", "Every N days"),
]
CHANNELS = [("in_app", "In the app"), ("email", "By e-mail"), ("both", "In the app and by e-mail")]
NOTIFICATION_KINDS = [
    ("reminder", "Reminder"),
    ("deadline", "Deadline"),
    ("milestone", "Milestone"),
]
WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class Reminder(OwnedMixin, Base):
    """A reminder at a local time: daily, on chosen weekdays, or every N days from a date."""

    __tablename__ = "reminders"
    __owned_constraints__ = (
        CheckConstraint(values_check("recurrence", RECURRENCES), name="recurrence_known"),
        CheckConstraint(values_check("channel", CHANNELS), name="channel_known"),
        CheckConstraint("weekdays BETWEEN 0 AND 127", name="weekdays_mask"),
        CheckConstraint("recurrence <> 'weekdays' OR weekdays > 0", name="weekdays_chosen"),
        CheckConstraint(
            "recurrence <> 'interval' OR (interval_days >= 1 AND start_date IS NOT NULL)",
            name="interval_complete",
        ),
        # The scheduler's "what is due" scan reads only active reminders by time.
        Index(
            "ix_reminders_due",
            "next_fire_at",
            postgresql_where=text("is_active"),
        ),
    )

    label: Mapped[str] = mapped_column(String(120))
    recurrence: Mapped[str] = mapped_column(String(10), default="daily", server_default="daily")
    local_time: Mapped[time] = mapped_column(Time)
    # Bit i set = weekday i (Monday = 0) chosen.
    weekdays: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    interval_days: Mapped[int | None] = mapped_column(SmallInteger)
    start_date: Mapped[date | None] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    channel: Mapped[str] = mapped_column(String(10), default="in_app", server_default="in_app")
    next_fire_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_fired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __str__(self):
        return self.label


class Notification(OwnedMixin, Base):
    """A message for the user: a reminder, a goal deadline or a milestone."""

    __tablename__ = "notifications"
    __owned_constraints__ = (
        CheckConstraint(values_check("kind", NOTIFICATION_KINDS), name="kind_known"),
        # The same event never notifies twice, however many schedulers run.
        UniqueConstraint("user_id", "dedupe_key"),
        Index("ix_notifications_user_id_unread", "user_id", "is_read", "created_at"),
        Index(
            "ix_notifications_email_pending",
            "email_pending",
            postgresql_where=text("email_pending"),
        ),
    )

    kind: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(255))
    is_read: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    in_app: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    email_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    dedupe_key: Mapped[str] = mapped_column(String(200))

    def __str__(self):
        return self.message


def unread_in_app(user_id):
    """SQL condition: the user's in-app notifications that are not read yet."""
    return and_(
        Notification.user_id == user_id,
        Notification.in_app.is_(True),
        Notification.is_read.is_(False),
    )


# The navbar's bell shows this on every page: it is loaded with the user, in the same query.
User.unread_notifications = column_property(
    select(func.count())
    .where(unread_in_app(User.id))
    .correlate_except(Notification)
    .scalar_subquery()
)
