"""Signed-in sessions: one row per login, so a session can be ended on the server."""

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from tracker.models.base import Base
from tracker.models.base import OwnedMixin
from tracker.phrases import local_date_text


class LoginSession(OwnedMixin, Base):
    """One browser's sign-in; the cookie holds a random token, the row only its SHA-256.

    The token rotates each time the remember cookie brings the browser back; the previous
    hash stays valid for a moment so tabs restored together all get the new token.
    """

    __tablename__ = "login_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    previous_token_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    rotated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The account's fs_uniquifier at sign-in: a password change makes a new one, which ends
    # every older session without touching their rows.
    user_uniquifier: Mapped[str] = mapped_column(String(64))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __str__(self):
        return f"Signed in {local_date_text(self.created_at)}" if self.created_at else "Signed in"
