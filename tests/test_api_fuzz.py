"""schemathesis against /api/v1, in-process: every operation, every check, a fixed seed.

Each operation is one test with a seeded musician and a bearer token; the suite empties the
tables after each test, so what one operation's examples write never reaches the next.
"""

import pytest
import schemathesis
from flask import g
from hypothesis import HealthCheck
from hypothesis import settings
from schemathesis.config import SchemathesisConfig
from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES

from tests.conftest import _config
from tests.factories import FocusAreaFactory
from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import NotificationFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionGoalFactory
from tests.factories import SessionPieceFactory
from tests.factories import UserFactory
from tracker import create_app
from tracker.access_tokens import create_token
from tracker.access_tokens import secret_hash
from tracker.extensions import db
from tracker.models import ApiToken

SEED = 20261201
EXAMPLES_PER_OPERATION = 25
# The seeded musician's token: fixed, so the loaded document's auth config can name it.
FUZZ_TOKEN = "pt_fuzzing-token-of-the-seeded-musician"


def seed_musician():
    """A musician with a little of everything, whose token is FUZZ_TOKEN."""
    user = UserFactory()
    violin = InstrumentFactory(user=user, name="Violin")
    InstrumentFactory(user=user, name="Piano")
    scales = FocusAreaFactory(user=user, name="Scales")
    FocusAreaFactory(user=user, name="Sight-reading")
    session = PracticeSessionFactory(user=user, instrument=violin, focus_areas=[scales])
    # Items with a history, so "Up next", left-off and the plan answer with every field.
    goal = GoalFactory(user=user, instrument=violin, target_bpm=120)
    SessionGoalFactory(
        user=user, session=session, goal=goal, tempo_bpm=96, clean=True, next_time="Bars 9-12"
    )
    section = PieceSectionFactory(user=user)
    SessionPieceFactory(user=user, session=session, piece=section.piece, section=section)
    NotificationFactory(user=user)
    # Other tokens first: the fuzzer deleting token 1 then leaves its own one working.
    create_token(user.id, "Spreadsheet sync")
    create_token(user.id, "Phone")
    db.session.add(ApiToken(user_id=user.id, name="fuzzing", token_hash=secret_hash(FUZZ_TOKEN)))
    db.session.commit()
    return user


def load_schema():
    """The OpenAPI document, read in-process from an app of its own (it needs no database).

    Loaded at import, not from a fixture: the lazy loader of schemathesis 4.32 writes a pytest
    node attribute that pytest 9.2 no longer has. Requests go to the test app (`app=`).
    """
    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "generation": {"max-examples": EXAMPLES_PER_OPERATION, "database": "none"},
            "auth": {"openapi": {"bearerAuth": {"bearer": FUZZ_TOKEN}}},
            "checks": {
                "enabled": True,
                # A request can fit the document and still break a rule no JSON Schema states:
                # a name the musician already uses, a start after the end, someone else's id.
                # The API answers those 422, with the field's message.
                "positive_data_acceptance": {
                    "expected-statuses": [*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "422"]
                },
            },
        }
    )
    spec_app = create_app(_config("postgresql+psycopg2://unused@127.0.0.1:1/unused"))
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", spec_app, config=config)


schema = load_schema()


def fresh_requests(app):
    """app as a WSGI callable whose every request starts with an empty `g` and session.

    The test holds an app context open, and Flask reuses it for requests: without this the
    user signed in by one request would still be signed in for the next.
    """

    def wsgi(environ, start_response):
        vars(g._get_current_object()).clear()
        db.session.rollback()
        return app(environ, start_response)

    return wsgi


@pytest.fixture
def musician():
    """The seeded musician the fuzzer signs in as."""
    return seed_musician()


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_api_conforms_to_its_document(case, app, musician):
    case.call_and_validate(app=fresh_requests(app))
