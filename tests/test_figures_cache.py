"""The figures cache keys on users.data_version: no worker or eviction serves old figures."""

import logging
import re
import uuid
from datetime import UTC
from datetime import datetime

import pytest
from sqlalchemy import text

from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import PracticeSessionFactory
from tests.factories import UserFactory
from tests.served import Client
from tests.served import Served
from tracker.access_tokens import create_token
from tracker.admin.dashboard import csrf_marker
from tracker.config import IN_PROCESS_CACHE
from tracker.extensions import cache
from tracker.extensions import db
from tracker.figures import stats
from tracker.figures.cache import cache_key
from tracker.figures.cache import check_cache_setup
from tracker.figures.cache import data_version
from tracker.figures.cache import log as cache_log
from tracker.models import User

PAIRS = 30
WORKERS = 3
REDIS_URL = "redis://127.0.0.1:6379/0"


def _version(user_id):
    with db.engine.connect() as conn:
        return conn.execute(
            text("SELECT data_version FROM users WHERE id = :u"), {"u": user_id}
        ).scalar_one()


def test_a_raw_sql_write_moves_the_data_version_once_per_transaction():
    user = UserFactory()
    before = _version(user.id)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO practice_sessions (user_id, started_at, duration_minutes) "
                "SELECT :u, now() - (n || ' hours')::interval, 30 FROM generate_series(1, 500) n"
            ),
            {"u": user.id},
        )
    assert _version(user.id) == before + 1


def test_every_owned_write_moves_the_version_and_only_the_owners():
    user, other = UserFactory(), UserFactory()
    start, others = _version(user.id), _version(other.id)
    instrument = InstrumentFactory(user=user)
    assert _version(user.id) == start + 1
    instrument.name = "Viola da gamba"
    db.session.commit()
    assert _version(user.id) == start + 2
    db.session.delete(instrument)
    db.session.commit()
    assert _version(user.id) == start + 3
    assert _version(other.id) == others


def test_a_new_time_zone_moves_the_version_and_a_new_name_does_not():
    user = UserFactory(timezone="UTC")
    start = _version(user.id)
    user.name = "Clara"
    db.session.commit()
    assert _version(user.id) == start
    user.timezone = "Asia/Tokyo"
    db.session.commit()
    assert _version(user.id) == start + 1


def test_a_rolled_back_write_leaves_the_version():
    user = UserFactory()
    start = _version(user.id)
    InstrumentFactory.build(user=user)
    db.session.add(InstrumentFactory.build(user=user))
    db.session.flush()
    db.session.rollback()
    assert _version(user.id) == start


def test_figures_cached_by_another_process_are_never_served_after_a_write():
    """Another worker's cache, or one that lost its entries, cannot bring old figures back."""
    user = UserFactory(timezone="UTC")
    today = datetime.now(UTC).date()
    PracticeSessionFactory(user=user, started_at=datetime.now(UTC), duration_minutes=20)
    assert stats.period_totals(user.id, today)["today"] == 20
    cache.clear()  # an eviction, a restarted Redis: nothing is left to say "stale"
    PracticeSessionFactory(user=user, started_at=datetime.now(UTC), duration_minutes=15)
    assert stats.period_totals(user.id, today)["today"] == 35


def test_the_signed_in_users_version_comes_with_their_row(app, count_queries):
    from flask_login import login_user

    user = UserFactory()
    with app.test_request_context():
        login_user(user)
        assert count_queries(lambda: data_version(user.id)) == 0
        assert data_version(user.id) == _version(user.id)


def test_cache_keys_of_different_arguments_never_collide():
    assert cache_key("f", 1, 7, ["a:b", "c"]) != cache_key("f", 1, 7, ["a", "b:c"])
    assert re.fullmatch(r"stats:1:7:f:[0-9a-f]{32}", cache_key("f", 1, 7, ["<script>"]))


def test_only_the_app_writes_the_cache_and_user_text_stays_escaped(client, auth, monkeypatch):
    """Every key is ids, a version and a digest; a cached panel holds the user's words escaped."""
    user = UserFactory()
    instrument = InstrumentFactory(user=user, name='<script>alert("x")</script>')
    PracticeSessionFactory(user=user, instrument=instrument, notes="<img src=x onerror=alert(1)>")
    GoalFactory(user=user)  # "Up next" shows it, with its snooze forms
    auth.login(user)
    written = {}
    real_set = cache.set

    def recording_set(key, value, **kwargs):
        written[key] = value
        return real_set(key, value, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    response = client.get("/app/")
    assert response.status_code == 200
    assert written, "the dashboard cached nothing"
    for key in written:
        assert re.fullmatch(r"stats:\d+:\d+:\w+:[0-9a-f]{32}", key), key
    # The statistics and the guidance panels, each with the user's words escaped, and the
    # guidance with a marker where the asking browser's CSRF token goes, never a token.
    panels = [value for value in written.values() if isinstance(value, str)]
    assert len(panels) == 2
    assert all("<script>alert" not in panel for panel in panels)
    assert all("&lt;script&gt;alert" in panel for panel in panels)
    with client.application.test_request_context():
        marker = csrf_marker()
    guidance = next(panel for panel in panels if marker in panel)
    token = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
    assert token and token.group(1) != marker and token.group(1) not in guidance


def test_production_warns_about_a_per_process_cache(caplog, monkeypatch):
    # Alembic's logging set-up, run by the migrations, disables the loggers that existed then.
    monkeypatch.setattr(cache_log, "disabled", False)
    production = type("Production", (), {"config": {"ENV_NAME": "production",
                                                    "CACHE_TYPE": "SimpleCache"}})  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="tracker.figures.cache"):
        check_cache_setup(production)
    assert "CACHE_TYPE=SimpleCache keeps the figures cache inside each worker" in caplog.text
    caplog.clear()
    shared = type("Shared", (), {"config": {"ENV_NAME": "production", "CACHE_TYPE": "RedisCache"}})
    check_cache_setup(shared)
    assert caplog.text == ""
    bounded = type("Bounded", (), {"config": {"ENV_NAME": "production",
                                              "CACHE_TYPE": IN_PROCESS_CACHE}})  # fmt: skip
    check_cache_setup(bounded)
    assert f"CACHE_TYPE={IN_PROCESS_CACHE} keeps the figures cache inside" in caplog.text


def _write_then_read(port, secret):
    """PAIRS times: log a session through one connection, read the figures through another."""
    headers = {"Authorization": f"Bearer {secret}"}
    reader = Client(port, headers)
    for _ in range(WORKERS * 3):  # every worker caches the empty figures first
        assert reader.get_json("/api/v1/stats/summary")[0] == 200
    stale = 0
    for pair in range(1, PAIRS + 1):
        status, _body = Client(port, headers).post_json(
            "/api/v1/sessions", {"duration_minutes": 10}
        )
        assert status == 201
        status, summary = Client(port, headers).get_json("/api/v1/stats/summary")
        assert status == 200
        stale += summary["total_minutes"] != 10 * pair
    return stale


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["SimpleCache", IN_PROCESS_CACHE, "RedisCache"])
def test_no_stale_figures_with_three_workers(database_url, backend, tmp_path, report_figure):
    user = UserFactory(timezone="UTC")
    _token, secret = create_token(user.id, "stale check")
    db.session.commit()
    prefix = f"tracker-stale-{uuid.uuid4().hex[:8]}:"
    env = {"TRACKER_ENV": "production", "CACHE_TYPE": backend, "CACHE_KEY_PREFIX": prefix,
           "RATELIMIT_STORAGE_URI": REDIS_URL}  # fmt: skip
    if backend == "RedisCache":
        env["CACHE_REDIS_URL"] = REDIS_URL
    try:
        with Served(database_url, WORKERS, str(tmp_path / "gunicorn.log"), **env) as served:
            stale = _write_then_read(served.port, secret)
    finally:
        if backend == "RedisCache":
            import redis

            client = redis.Redis.from_url(REDIS_URL)
            for key in client.scan_iter(f"{prefix}*"):
                client.delete(key)
    report_figure(f"stale reads with {WORKERS} workers on {backend}: {stale} of {PAIRS}")
    assert stale == 0
    assert db.session.get(User, user.id) is not None
