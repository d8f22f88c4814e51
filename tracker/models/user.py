"""Accounts: users and roles, as Flask-Security-Too expects them."""

from datetime import datetime

from flask_security import RoleMixin
from flask_security import UserMixin
from sqlalchemy import BigInteger
from sqlalchemy import Boolean
from sqlalchemy import Column
from sqlalchemy import DateTime
from sqlalchemy import FetchedValue
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import Text
from sqlalchemy import func
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from tracker.models.base import Base
from tracker.models.base import TimestampMixin

SKILL_LEVELS = [
    ("beginner", "Beginner"),
    ("intermediate", "Intermediate"),
    ("advanced", "Advanced"),
    ("professional", "Professional"),
]

roles_users = Table(
    "roles_users",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    Column("updated_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)


class Role(TimestampMixin, Base, RoleMixin):
    """A named set of permissions (not ownership: views still check the owner)."""

    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str | None] = mapped_column(String(255))

    def __str__(self):
        return self.name

    def __repr__(self):
        return f"<Role {self.name}>"


class User(TimestampMixin, Base, UserMixin):
    """A musician with an account; owner of every other row."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    password: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    fs_uniquifier: Mapped[str] = mapped_column(String(64), unique=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Flask-Security's trackable fields (SECURITY_TRACKABLE): when and from where.
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    current_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_ip: Mapped[str | None] = mapped_column(String(64))
    current_login_ip: Mapped[str | None] = mapped_column(String(64))
    login_count: Mapped[int | None] = mapped_column(Integer)

    name: Mapped[str | None] = mapped_column(String(120))
    skill_level: Mapped[str | None] = mapped_column(String(20))
    practice_goals: Mapped[str | None] = mapped_column(Text)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    # Notification preferences (Settings → Profile).
    notifications_enabled: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default="true"
    )
    notify_reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    notify_deadlines: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    notify_milestones: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    email_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    # Moved on by database triggers whenever the user's data changes (figures/data_version.sql);
    # the figures cache keys on it. Never written by the app.
    data_version: Mapped[int] = mapped_column(
        BigInteger, server_default="1", server_onupdate=FetchedValue()
    )

    roles = relationship("Role", secondary=roles_users, backref="users")
    instruments = relationship(
        "Instrument", order_by="Instrument.name", viewonly=True, overlaps="user"
    )

    def __str__(self):
        return self.name or self.email

    def __repr__(self):
        return f"<User {self.id} {self.email}>"
