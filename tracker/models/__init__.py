"""All models, imported here so metadata and Alembic see every table."""

from tracker.models.base import Base
from tracker.models.base import OwnedMixin
from tracker.models.form_submissions import FormSubmission
from tracker.models.gear import Equipment
from tracker.models.gear import MaintenanceLog
from tracker.models.goals import Goal
from tracker.models.goals import goal_pieces
from tracker.models.goals import goal_sections
from tracker.models.practice import FocusArea
from tracker.models.practice import Instrument
from tracker.models.practice import PracticeDay
from tracker.models.practice import PracticeDayItem
from tracker.models.practice import PracticeRun
from tracker.models.practice import PracticeSession
from tracker.models.practice import SessionGoal
from tracker.models.practice import SessionPiece
from tracker.models.practice import session_equipment
from tracker.models.practice import session_focus_areas
from tracker.models.reminders import Notification
from tracker.models.reminders import Reminder
from tracker.models.repertoire import Attachment
from tracker.models.repertoire import Piece
from tracker.models.repertoire import PieceSection
from tracker.models.resources import Resource
from tracker.models.resources import resource_focus_areas
from tracker.models.resources import resource_goals
from tracker.models.resources import resource_pieces
from tracker.models.resources import resource_sections
from tracker.models.reviews import ReviewState
from tracker.models.sessions import LoginSession
from tracker.models.tokens import ApiToken
from tracker.models.user import Role
from tracker.models.user import User
from tracker.models.user import roles_users

__all__ = [
    "ApiToken",
    "Attachment",
    "Base",
    "Equipment",
    "FocusArea",
    "FormSubmission",
    "Goal",
    "Instrument",
    "LoginSession",
    "MaintenanceLog",
    "Notification",
    "OwnedMixin",
    "Piece",
    "PieceSection",
    "PracticeDay",
    "PracticeDayItem",
    "PracticeRun",
    "PracticeSession",
    "Reminder",
    "Resource",
    "ReviewState",
    "Role",
    "SessionGoal",
    "SessionPiece",
    "User",
    "goal_pieces",
    "goal_sections",
    "resource_focus_areas",
    "resource_goals",
    "resource_pieces",
    "resource_sections",
    "roles_users",
    "session_equipment",
    "session_focus_areas",
]
