"""Personal access tokens: how a musician's own scripts sign in to the JSON API."""

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from tracker.models.base import Base
from tracker.models.base import OwnedMixin


class ApiToken(OwnedMixin, Base):
    """A named token; only its SHA-256 is stored, so the secret is shown once, at creation."""

    __tablename__ = "api_tokens"

    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __str__(self):
        return self.name
