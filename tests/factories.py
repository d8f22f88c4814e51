"""factory_boy factories; every owned factory builds its user with a SubFactory."""

import uuid
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import factory
from factory.alchemy import SQLAlchemyModelFactory
from flask_security import hash_password

from tests.conftest import PASSWORD
from tracker.extensions import db
from tracker.models import FocusArea
from tracker.models import Instrument
from tracker.models import PracticeSession
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


def factory_for(model):
    """The factory that builds rows of model (every owned model must have one)."""
    for factory_cls in BaseFactory.__subclasses__():
        if factory_cls._meta.model is model:
            return factory_cls
    raise LookupError(f"tests/factories.py has no factory for {model.__name__}")
