"""factory_boy factories; every owned factory builds its user with a SubFactory."""

import uuid
from datetime import UTC
from datetime import datetime
from datetime import time
from datetime import timedelta

import factory
import sqlalchemy as sa
from factory.alchemy import SQLAlchemyModelFactory
from flask_security import hash_password

from tests.conftest import PASSWORD
from tracker.access_tokens import secret_hash
from tracker.extensions import db
from tracker.models import ApiToken
from tracker.models import Attachment
from tracker.models import Equipment
from tracker.models import FocusArea
from tracker.models import FormSubmission
from tracker.models import Goal
from tracker.models import Instrument
from tracker.models import LoginSession
from tracker.models import MaintenanceLog
from tracker.models import Notification
from tracker.models import Piece
from tracker.models import PieceSection
from tracker.models import PracticeSession
from tracker.models import Reminder
from tracker.models import Resource
from tracker.models import ReviewState
from tracker.models import SessionGoal
from tracker.models import SessionPiece
from tracker.models import User


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 - bound per app context
        sqlalchemy_session_persistence = "commit"


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"musician{n}@example.com")
    password = factory.LazyFunction(lambda: hash_password(PASSWORD))
    active = True
    confirmed_at = factory.LazyFunction(lambda: datetime.now(UTC))
    fs_uniquifier = factory.LazyFunction(lambda: uuid.uuid4().hex)
    timezone = "UTC"


class InstrumentFactory(BaseFactory):
    class Meta:
        model = Instrument

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Instrument {n}")


class FocusAreaFactory(BaseFactory):
    class Meta:
        model = FocusArea

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Focus {n}")


class PracticeSessionFactory(BaseFactory):
    class Meta:
        model = PracticeSession

    user = factory.SubFactory(UserFactory)
    started_at = factory.LazyFunction(lambda: datetime.now(UTC) - timedelta(hours=1))
    duration_minutes = 30
    notes = "Slow practice, metronome at 60."
    mood_rating = 4
    quality_rating = 3


class GoalFactory(BaseFactory):
    class Meta:
        model = Goal

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Goal {n}")
    goal_type = "technique"
    status = "in_progress"
    priority = 2


class PieceFactory(BaseFactory):
    class Meta:
        model = Piece

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Piece {n}")
    composer = "J. S. Bach"
    status = "learning"
    difficulty = 3


class PieceSectionFactory(BaseFactory):
    class Meta:
        model = PieceSection

    user = factory.SubFactory(UserFactory)
    piece = factory.SubFactory(PieceFactory, user=factory.SelfAttribute("..user"))
    section_name = factory.Sequence(lambda n: f"Bars {n * 8 + 1}-{n * 8 + 8}")
    status = "learning"


class AttachmentFactory(BaseFactory):
    class Meta:
        model = Attachment

    user = factory.SubFactory(UserFactory)
    piece = factory.SubFactory(PieceFactory, user=factory.SelfAttribute("..user"))
    original_name = "score.pdf"
    content_type = "application/pdf"
    size_bytes = 0
    stored_name = factory.LazyFunction(lambda: uuid.uuid4().hex)


class ResourceFactory(BaseFactory):
    class Meta:
        model = Resource

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Explanation {n}")
    kind = "note"
    notes = "Thumb behind the neck, wrist relaxed."


class EquipmentFactory(BaseFactory):
    class Meta:
        model = Equipment

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Guitar {n}")
    kind = "instrument"


class MaintenanceLogFactory(BaseFactory):
    class Meta:
        model = MaintenanceLog

    user = factory.SubFactory(UserFactory)
    equipment = factory.SubFactory(EquipmentFactory, user=factory.SelfAttribute("..user"))
    kind = "string_change"
    performed_on = factory.LazyFunction(lambda: datetime.now(UTC).date() - timedelta(days=10))


class SessionGoalFactory(BaseFactory):
    class Meta:
        model = SessionGoal

    user = factory.SubFactory(UserFactory)
    session = factory.SubFactory(PracticeSessionFactory, user=factory.SelfAttribute("..user"))
    goal = factory.SubFactory(GoalFactory, user=factory.SelfAttribute("..user"))


class SessionPieceFactory(BaseFactory):
    class Meta:
        model = SessionPiece

    user = factory.SubFactory(UserFactory)
    session = factory.SubFactory(PracticeSessionFactory, user=factory.SelfAttribute("..user"))
    piece = factory.SubFactory(PieceFactory, user=factory.SelfAttribute("..user"))


def days_ago(days, hour=None):
    """An aware UTC datetime days before now (at hour UTC when given)."""
    moment = datetime.now(UTC) - timedelta(days=days)
    return moment.replace(hour=hour) if hour is not None else moment


LONG_NOTES = "Long tones first. " * 12 + "THE END OF THE NOTES"


def played_on_two_instruments(user):
    """Guitar played 2 days ago (a goal with tempo and a note), piano 5 days ago (a section).

    Returns (guitar, piano, the goal, the section, the guitar's session): the dashboard's
    left-off cards, "Up next" and the timer's links are read from this one history.
    """
    guitar = InstrumentFactory(user=user, name="Guitar")
    piano = InstrumentFactory(user=user, name="Piano")
    study = GoalFactory(user=user, name="Travis picking", instrument=guitar, target_bpm=120)
    piece = PieceFactory(user=user, title="Gymnopédie", instrument=piano)
    section = PieceSectionFactory(user=user, piece=piece, section_name="Bars 9-12")
    piano_day = PracticeSessionFactory(
        user=user, instrument=piano, started_at=days_ago(5), duration_minutes=20, notes="Slow"
    )
    SessionPieceFactory(
        user=user, session=piano_day, piece=piece, section=section, next_time="LH shift late"
    )
    guitar_day = PracticeSessionFactory(
        user=user, instrument=guitar, started_at=days_ago(2), duration_minutes=45, notes=LONG_NOTES
    )
    SessionGoalFactory(
        user=user,
        session=guitar_day,
        goal=study,
        tempo_bpm=76,
        clean=True,
        next_time="Start at 80",
    )
    return guitar, piano, study, section, guitar_day


def factory_for(model):
    """The factory that builds rows of model (every owned model must have one)."""
    for factory_cls in BaseFactory.__subclasses__():
        if factory_cls._meta.model is model:
            return factory_cls
    raise LookupError(f"tests/factories.py has no factory for {model.__name__}")


class ReminderFactory(BaseFactory):
    class Meta:
        model = Reminder

    user = factory.SubFactory(UserFactory)
    label = factory.Sequence(lambda n: f"Scales before work {n}")
    recurrence = "daily"
    local_time = factory.LazyFunction(lambda: time(7, 30))
    timezone = "UTC"
    channel = "in_app"
    is_active = True


class NotificationFactory(BaseFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = "reminder"
    message = factory.Sequence(lambda n: f"Time to practise {n}")
    link = "/app/practice_session/new/"
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")


class ApiTokenFactory(BaseFactory):
    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Script {n}")
    token_hash = factory.Sequence(lambda n: secret_hash(f"pt_factory-token-{n}"))


class ReviewStateFactory(BaseFactory):
    """A goal's review state: the database adds the row with the goal, so this finds it."""

    class Meta:
        model = ReviewState

    user = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, user, **settings):
        goal = GoalFactory(user=user)
        row = db.session.execute(
            sa.select(ReviewState).where(ReviewState.goal_id == goal.id)
        ).scalar_one()
        for name, value in settings.items():
            setattr(row, name, value)
        db.session.commit()
        return row


class LoginSessionFactory(BaseFactory):
    """A live sign-in of user (its token is not kept: log in through the form for that)."""

    class Meta:
        model = LoginSession

    user = factory.SubFactory(UserFactory)
    token_hash = factory.Sequence(lambda n: secret_hash(f"factory-session-{n}"))
    user_uniquifier = factory.LazyAttribute(lambda row: row.user.fs_uniquifier)
    created_at = factory.LazyFunction(lambda: datetime.now(UTC))
    last_seen_at = factory.LazyFunction(lambda: datetime.now(UTC))
    ip = "192.0.2.10"
    user_agent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


class FormSubmissionFactory(BaseFactory):
    """A create form's token, recorded for a row the user made with it."""

    class Meta:
        model = FormSubmission

    user = factory.SubFactory(UserFactory)
    token = factory.Sequence(lambda n: f"form-token-{n:08d}-abcdef")
    table_name = "instruments"
    row_id = factory.LazyAttribute(lambda sub: InstrumentFactory(user=sub.user).id)


def every_kind_of_row(user):
    """Give user a row of every owned model, each linked to more of user's rows.

    The links fill the link tables, the session fills the rollups the triggers keep, and a
    role fills roles_users: every table holding rows of a user then holds some of user's.
    """
    from tracker.models import Base
    from tracker.models import Role
    from tracker.ownership import is_owned
    from tracker.ownership import owned_relationships

    for mapper in sorted(Base.registry.mappers, key=lambda m: m.class_.__name__):
        model = mapper.class_
        if not is_owned(model):
            continue
        row = factory_for(model)(user=user)
        for name, target in owned_relationships(model):
            # A section linked next to its piece must be one of that piece's sections.
            shared = {
                key: getattr(row, key)
                for key, kind in owned_relationships(target)
                if isinstance(getattr(row, key, None), kind)
            }
            other = factory_for(target)(user=user, **shared)
            if getattr(model, name).property.uselist:
                getattr(row, name).append(other)
            else:
                setattr(row, name, other)
    role = Role(name=f"member-{user.id}")
    user.roles.append(role)
    db.session.commit()
    return user
