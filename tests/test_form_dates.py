"""Dates a musician probably did not mean: future sessions and pieces, far-off goal targets."""

import io
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

from tests.factories import GoalFactory
from tests.factories import PracticeSessionFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.models import Goal
from tracker.models import Piece
from tracker.models import PracticeSession
from tracker.phrases import date_text
from tracker.plausible_dates import future_refusal
from tracker.plausible_dates import likely_meant
from tracker.plausible_dates import start_refusal
from tracker.plausible_dates import target_date_question


def _session_form(started_at):
    return {
        "started_at": started_at,
        "duration_minutes-hours": "0",
        "duration_minutes-minutes": "30",
    }


def _goal_form(target_date, **extra):
    return {
        "name": "Scales in thirds",
        "goal_type": "technique",
        "priority": "2",
        "status": "not_started",
        "target_date": target_date,
        **extra,
    }


def test_likely_meant_is_the_same_day_this_year_else_today():
    today = date(2026, 12, 1)
    assert likely_meant(date(2099, 3, 5), today) == date(2026, 3, 5)
    assert likely_meant(date(2099, 12, 25), today) == today
    assert likely_meant(date(2028, 2, 29), date(2027, 3, 1)) == date(2027, 2, 28)
    assert future_refusal(date(2099, 3, 5), today) == (
        "That's in the future — did you mean Thu 5 Mar 2026?"
    )
    assert future_refusal(today, today) is None


def test_target_date_question_far_off_always_past_only_on_create():
    today = date(2026, 12, 1)
    assert "more than 10 years away" in target_date_question(date(2037, 1, 1), today, False)
    assert target_date_question(date(2036, 12, 1), today, True) is None
    assert "in the past" in target_date_question(date(2026, 11, 30), today, True)
    assert target_date_question(date(2026, 11, 30), today, False) is None


def test_a_session_in_2099_is_refused_beside_the_field(client, auth):
    auth.login(UserFactory())
    response = client.post("/app/practice_session/new/", data=_session_form("2099-03-05T18:00"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    today = datetime.now(UTC).date()
    suggestion = date(today.year, 3, 5) if date(today.year, 3, 5) <= today else today
    assert f"That&#39;s in the future — did you mean {date_text(suggestion)}?" in body
    assert db.session.query(PracticeSession).count() == 0


def test_a_session_tomorrow_is_kept_the_day_after_is_refused(client, auth):
    auth.login(UserFactory())
    now = datetime.now(UTC)
    soon = (now + timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M")
    later = (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert client.post("/app/practice_session/new/", data=_session_form(soon)).status_code == 302
    refused = client.post("/app/practice_session/new/", data=_session_form(later))
    assert refused.status_code == 200 and "in the future" in refused.get_data(as_text=True)
    assert db.session.query(PracticeSession).count() == 1


def test_a_piece_started_in_the_future_is_refused(client, auth):
    auth.login(UserFactory())
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    data = {"title": "Clair de lune", "status": "learning", "date_started": tomorrow.isoformat()}
    response = client.post("/app/piece/new/", data=data)
    assert response.status_code == 200
    assert "in the future — did you mean" in response.get_data(as_text=True)
    assert db.session.query(Piece).count() == 0
    data["date_started"] = datetime.now(UTC).date().isoformat()
    assert client.post("/app/piece/new/", data=data).status_code == 302


def test_a_far_off_goal_target_asks_for_yes_that_date(client, auth):
    auth.login(UserFactory())
    asked = client.post("/app/goal/new/", data=_goal_form("2099-01-01"))
    body = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "more than 10 years away (Thu 1 Jan 2099)" in body
    assert 'name="target_date-confirmed"' in body and "Yes, that date" in body
    # The box answers the question, so it comes after it.
    assert body.index("more than 10 years away") < body.index('name="target_date-confirmed"')
    assert db.session.query(Goal).count() == 0
    confirmed = _goal_form("2099-01-01", **{"target_date-confirmed": "y"})
    kept = client.post("/app/goal/new/", data=confirmed)
    assert kept.status_code == 302
    assert db.session.query(Goal).one().target_date == date(2099, 1, 1)


def test_the_tick_box_appears_only_when_asked(client, auth):
    auth.login(UserFactory())
    form = client.get("/app/goal/new/").get_data(as_text=True)
    assert 'name="target_date-confirmed"' not in form
    ok = client.post("/app/goal/new/", data=_goal_form(""))
    assert ok.status_code == 302


def test_a_past_goal_target_asks_on_create_not_on_edit(client, auth):
    user = UserFactory()
    auth.login(user)
    past = (datetime.now(UTC).date() - timedelta(days=30)).isoformat()
    asked = client.post("/app/goal/new/", data=_goal_form(past))
    assert asked.status_code == 200 and "That&#39;s in the past" in asked.get_data(as_text=True)
    assert db.session.query(Goal).count() == 0
    goal = GoalFactory(user=user)
    edited = client.post(f"/app/goal/edit/?id={goal.id}", data=_goal_form(past))
    assert edited.status_code == 302
    db.session.refresh(goal)
    assert goal.target_date.isoformat() == past


def test_a_far_off_inline_target_date_answers_400_pointing_to_the_form(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user)
    auth.login(user)
    response = client.post(
        "/app/goal/ajax/update/", data={"list_form_pk": goal.id, "target_date": "2099-01-01"}
    )
    assert response.status_code == 400
    assert "more than 10 years away" in response.get_data(as_text=True)
    assert "goal's form" in response.get_data(as_text=True)
    db.session.refresh(goal)
    assert goal.target_date is None


def test_start_refusal_allows_a_day_ahead_for_dates_and_instants():
    now = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
    assert start_refusal(now + timedelta(hours=23), now) is None
    assert "did you mean Tue 1 Dec 2026?" in start_refusal(now + timedelta(days=2), now)
    assert start_refusal(date(2026, 12, 2), now) is None
    assert start_refusal(date(2026, 12, 3), now, days_ahead=0) is not None
    assert start_refusal(None, now) is None


def test_the_api_refuses_a_session_in_2099_beside_started_at(client, auth):
    auth.login(UserFactory())
    body = {"started_at": "2099-03-05T18:00:00+01:00", "duration_minutes": 30}
    response = client.post("/api/v1/sessions", json=body)
    assert response.status_code == 422, response.get_json()
    [message] = response.get_json()["errors"]["json"]["started_at"]
    assert message.startswith("That's in the future — did you mean ")
    assert db.session.query(PracticeSession).count() == 0
    body["started_at"] = datetime.now(UTC).isoformat()
    assert client.post("/api/v1/sessions", json=body).status_code == 201


def test_the_api_refuses_moving_a_session_into_2099(client, auth):
    user = UserFactory()
    auth.login(user)
    session = PracticeSessionFactory(user=user)
    response = client.patch(
        f"/api/v1/sessions/{session.id}", json={"started_at": "2099-03-05T18:00:00+00:00"}
    )
    assert response.status_code == 422, response.get_json()
    assert "in the future" in response.get_json()["errors"]["json"]["started_at"][0]
    db.session.expire_all()
    assert db.session.get(PracticeSession, session.id).started_at.year < 2099


def test_the_import_refuses_a_line_dated_2099_and_saves_nothing(client, auth):
    auth.login(UserFactory(timezone="Europe/Berlin"))
    header = "Date,Time,Minutes\n"
    data = (header + "2026-03-02,18:30,30\n2099-03-05,18:30,30\n").encode()
    response = client.post(
        "/api/v1/import/sessions",
        data={"file": (io.BytesIO(data), "practice.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422, response.get_json()
    [error] = response.get_json()["errors"]
    assert error["line"] == 3 and error["column"] == "Date"
    assert error["message"].startswith("That's in the future — did you mean ")
    assert db.session.query(PracticeSession).count() == 0
