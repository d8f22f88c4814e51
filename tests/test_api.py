"""The /api/v1/stats endpoints: scoped, validated, cached and invalidated, constant in queries."""

import csv
import io
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import text

from tests.factories import FocusAreaFactory
from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import PieceFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionGoalFactory
from tests.factories import SessionPieceFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.figures.cache import forget_user
from tracker.ownership import FORMULA_PREFIXES

ENDPOINTS = [
    "/api/v1/stats/summary",
    "/api/v1/stats/timeseries?bucket=day",
    "/api/v1/stats/timeseries?bucket=week",
    "/api/v1/stats/timeseries?bucket=month",
    "/api/v1/stats/breakdown",
    "/api/v1/stats/heatmap",
    "/api/v1/stats/ratings",
]


def test_anonymous_gets_401_json(client):
    response = client.get("/api/v1/stats/summary")
    assert response.status_code == 401
    assert response.get_json()["code"] == 401
    assert "Bearer" in response.get_json()["message"]


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("start=2026-13-01", "start", "Not a valid date."),
        ("start=2026-05-02&end=2026-05-01", "start", "The start date is after the end date."),
        ("bucket=hour", "bucket", "Must be one of: day, week, month."),
    ],
)
def test_bad_range_is_422_with_the_field_message(client, auth, query, field, message):
    auth.login(UserFactory())
    response = client.get(f"/api/v1/stats/timeseries?{query}")
    assert response.status_code == 422
    assert response.get_json()["errors"]["query"][field] == [message]


def test_user_b_gets_only_b_figures(client, auth):
    alice = UserFactory()
    bob = UserFactory()
    PracticeSessionFactory(
        user=alice, duration_minutes=500, focus_areas=[FocusAreaFactory(user=alice)]
    )
    PracticeSessionFactory(user=bob, duration_minutes=20)
    auth.login(bob)
    summary = client.get("/api/v1/stats/summary?start=2000-01-01").get_json()
    assert (summary["total_minutes"], summary["sessions"]) == (20, 1)
    groups = client.get("/api/v1/stats/breakdown?start=2000-01-01").get_json()["groups"]
    assert groups["focus_area"] == []
    heatmap = client.get("/api/v1/stats/heatmap").get_json()
    assert sum(day["minutes"] for day in heatmap["days"]) == 20
    assert len(heatmap["days"]) == 365


def test_one_breakdown_request_answers_every_kind(client, auth):
    """The analytics page's one request: `groups` holds what each `by=` request answers."""
    user = UserFactory()
    session = PracticeSessionFactory(
        user=user,
        duration_minutes=45,
        focus_areas=[FocusAreaFactory(user=user, name="Scales")],
        instrument=InstrumentFactory(user=user, name="Cello"),
    )
    SessionGoalFactory(user=user, session=session, goal=GoalFactory(user=user, name="Vibrato"))
    SessionPieceFactory(user=user, session=session, piece=PieceFactory(user=user, title="Elegy"))
    auth.login(user)
    response = client.get("/api/v1/stats/breakdown?start=2000-01-01")
    assert response.status_code == 200
    body = response.get_json()
    assert body["by"] == "all" and "items" not in body
    assert body["groups"] == {
        "focus_area": [{"label": "Scales", "minutes": 45}],
        "goal": [{"label": "Vibrato", "minutes": 45}],
        "piece": [{"label": "Elegy", "minutes": 45}],
        "instrument": [{"label": "Cello", "minutes": 45}],
    }
    for kind, items in body["groups"].items():
        one = client.get(f"/api/v1/stats/breakdown?start=2000-01-01&by={kind}").get_json()
        assert one == {"by": kind, "items": items}


def test_new_session_shows_up_at_once(client, auth):
    user = UserFactory()
    auth.login(user)
    before = client.get("/api/v1/stats/summary").get_json()
    assert before["sessions"] == 0
    response = client.post(
        "/app/practice_session/new/",
        data={
            "started_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes-hours": "0",
            "duration_minutes-minutes": "35",
        },
    )
    assert response.status_code == 302
    after = client.get("/api/v1/stats/summary").get_json()
    assert (after["sessions"], after["total_minutes"]) == (1, 35)
    dashboard = client.get("/app/").get_data(as_text=True)
    assert 'id="minutes-today">35 min<' in dashboard


def test_figures_are_cached_until_the_user_writes(client, auth, count_queries):
    user = UserFactory()
    PracticeSessionFactory(user=user)
    auth.login(user)
    client.get("/api/v1/stats/summary")
    assert count_queries(lambda: client.get("/api/v1/stats/summary")) <= 1  # the login lookup only
    session = PracticeSessionFactory(user=user, duration_minutes=10)
    assert client.get("/api/v1/stats/summary").get_json()["sessions"] == 2
    db.session.delete(session)
    db.session.commit()
    assert client.get("/api/v1/stats/summary").get_json()["sessions"] == 1


def test_dashboard_follows_a_new_time_zone_at_once(client, auth):
    user = UserFactory(timezone="UTC")
    PracticeSessionFactory(
        user=user, instrument=None, started_at=datetime(2026, 3, 2, 10, 5, tzinfo=UTC)
    )
    auth.login(user)
    assert "10:05" in client.get("/app/").get_data(as_text=True)
    response = client.post("/app/settings/", data={"timezone": "Asia/Tokyo", "skill_level": ""})
    assert response.status_code == 302
    dashboard = client.get("/app/").get_data(as_text=True)
    assert "19:05" in dashboard
    assert "10:05" not in dashboard


def _bulk_sessions(user_id, count):
    """Insert count sessions over the past days in one statement."""
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO practice_sessions "
                "(user_id, started_at, duration_minutes, mood_rating) "
                "SELECT :u, now() - (n || ' hours')::interval, 30, 1 + n % 5 "
                "FROM generate_series(1, :n) AS n"
            ),
            {"u": user_id, "n": count},
        )
    forget_user(user_id)


def test_endpoint_queries_do_not_grow_with_data(client, auth, count_queries):
    user = UserFactory()
    auth.login(user)
    _bulk_sessions(user.id, 10)
    few = {
        url: count_queries(
            lambda url=url: client.get(
                url + "&start=2000-01-01" if "?" in url else url + "?start=2000-01-01"
            )
        )
        for url in ENDPOINTS
    }
    _bulk_sessions(user.id, 2000)
    many = {
        url: count_queries(
            lambda url=url: client.get(
                url + "&start=2000-01-01" if "?" in url else url + "?start=2000-01-01"
            )
        )
        for url in ENDPOINTS
    }
    assert many == few
    forget_user(user.id)
    dash_few = count_queries(lambda: client.get("/app/"))
    _bulk_sessions(user.id, 100)
    assert count_queries(lambda: client.get("/app/")) == dash_few


def test_csv_export_streams_range_with_names_and_escapes(client, auth):
    user = UserFactory(timezone="UTC")
    scales = FocusAreaFactory(user=user, name="Scales")
    PracticeSessionFactory(
        user=user,
        started_at=datetime(2026, 4, 2, 9, 15, tzinfo=UTC),
        notes="=cmd()",
        focus_areas=[scales],
    )
    PracticeSessionFactory(
        user=user, started_at=datetime(2026, 5, 2, 9, 15, tzinfo=UTC), notes="May"
    )
    other = UserFactory()
    PracticeSessionFactory(
        user=other, started_at=datetime(2026, 4, 3, 9, 0, tzinfo=UTC), notes="not yours"
    )
    auth.login(user)
    response = client.get("/api/v1/stats/export.csv?start=2026-04-01&end=2026-04-30")
    assert response.status_code == 200
    assert response.is_streamed
    assert "attachment;" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("Date,Time,Minutes,Instrument,Focus areas")
    assert lines[1].startswith("2026-04-02,09:15,30,,Scales,")
    assert "'=cmd()" in lines[1]
    assert len(lines) == 2


def test_csv_export_escapes_every_formula_start_in_every_text_column(client, auth):
    user = UserFactory(timezone="UTC")
    sneaky = FocusAreaFactory(user=user, name="@Warm-up")
    piano = InstrumentFactory(user=user, name="-Piano")
    for hour, prefix in enumerate(FORMULA_PREFIXES):
        PracticeSessionFactory(
            user=user,
            started_at=datetime(2026, 4, 2, hour, 0, tzinfo=UTC),
            notes=f"{prefix}SUM(A1)",
            instrument=piano,
            focus_areas=[sneaky],
        )
    auth.login(user)
    body = client.get("/api/v1/stats/export.csv?start=2026-04-01&end=2026-04-30").get_data(
        as_text=True
    )
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["Notes"] for row in rows] == [f"'{p}SUM(A1)" for p in FORMULA_PREFIXES]
    assert {(row["Instrument"], row["Focus areas"]) for row in rows} == {("'-Piano", "'@Warm-up")}


def test_csv_export_all_time(client, auth):
    user = UserFactory()
    PracticeSessionFactory(user=user, started_at=datetime.now(UTC) - timedelta(days=400))
    PracticeSessionFactory(user=user)
    auth.login(user)
    body = client.get("/api/v1/stats/export.csv").get_data(as_text=True)
    assert len(body.splitlines()) == 3
