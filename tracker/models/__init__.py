"""All models, imported here so metadata and Alembic see every table."""

from tracker.models.base import Base
from tracker.models.base import OwnedMixin
from tracker.models.practice import FocusArea
from tracker.models.practice import Instrument
from tracker.models.practice import PracticeSession
from tracker.models.practice import session_focus_areas
from tracker.models.user import Role
from tracker.models.user import User
from tracker.models.user import roles_users

__all__ = [
    "Base",
    "FocusArea",
    "Instrument",
    "OwnedMixin",
    "PracticeSession",
    "Role",
    "User",
    "roles_users",
    "session_focus_areas",
]
