"""Create forms carry a one-time token: a replayed POST leads to the first row, never a second."""

import http.client
import os
import random
import re
import signal
import threading
import time
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from tests.factories import FormSubmissionFactory
from tests.factories import UserFactory
from tests.served import Client
from tests.served import Served
from tests.test_scoping import scoped_views
from tracker.extensions import db
from tracker.models import FormSubmission
from tracker.models import Goal
from tracker.models import Instrument
from tracker.models import PracticeSession
from tracker.reminders.jobs import job_tick


def _token(html):
    return re.search(r'name="form_token"[^>]*value="([^"]+)"', html).group(1)


def _count(model, user):
    db.session.expire_all()
    return db.session.query(model).filter_by(user_id=user.id).count()


def test_every_create_form_carries_a_fresh_token(app, client, auth):
    auth.login(UserFactory())
    for view in scoped_views(app):
        if not view.can_create:
            continue
        first = client.get(f"{view.url}/new/")
        assert first.status_code == 200, view.endpoint
        second = client.get(f"{view.url}/new/")
        assert _token(first.get_data(as_text=True)) != _token(second.get_data(as_text=True))


def test_a_replayed_create_post_leads_to_the_first_row(csrf_client, csrf_auth):
    user = UserFactory()
    csrf_auth.login(user)
    html = csrf_client.get("/app/instrument/new/").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    form = {"csrf_token": csrf, "form_token": _token(html), "name": "Cello"}
    first = csrf_client.post("/app/instrument/new/", data=form)
    again = csrf_client.post("/app/instrument/new/", data=form)
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert _count(Instrument, user) == 1


def test_a_replay_with_continue_editing_opens_the_first_row(client, auth):
    user = UserFactory()
    auth.login(user)
    token = _token(client.get("/app/goal/new/").get_data(as_text=True))
    form = {"form_token": token, "name": "Scales in thirds", "goal_type": "technique",
            "status": "not_started", "priority": "2", "_continue_editing": "1"}  # fmt: skip
    first = client.post("/app/goal/new/", data=form)
    again = client.post("/app/goal/new/", data=form)
    assert first.status_code == 302, first.get_data(as_text=True)[:2000]
    goal = db.session.query(Goal).filter_by(user_id=user.id).one()
    assert f"/app/goal/edit/?id={goal.id}" in first.headers["Location"]
    assert again.headers["Location"] == first.headers["Location"]
    assert _count(Goal, user) == 1


def test_a_session_form_sent_three_times_saves_one_session(client, auth):
    user = UserFactory(timezone="Europe/Berlin")
    auth.login(user)
    token = _token(client.get("/app/practice_session/new/").get_data(as_text=True))
    form = {"form_token": token, "started_at": "2026-03-01T18:00",
            "duration_minutes": "30"}  # fmt: skip
    answers = [client.post("/app/practice_session/new/", data=form) for _ in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 302], answers[0].get_data(as_text=True)
    assert len({a.headers["Location"] for a in answers}) == 1
    assert _count(PracticeSession, user) == 1
    assert _count(FormSubmission, user) == 1


def test_another_users_token_is_not_a_replay(client, auth):
    """Bob sending a token Alice used saves Bob's row: tokens are looked up per user."""
    alice_token = FormSubmissionFactory().token
    bob = UserFactory()
    auth.login(bob)
    response = client.post("/app/instrument/new/", data={"form_token": alice_token, "name": "Oboe"})
    assert response.status_code == 302
    assert _count(Instrument, bob) == 1


@pytest.mark.parametrize("token", ["", "short", "x" * 65])
def test_a_missing_or_odd_token_still_saves_once_without_recording(client, auth, token):
    user = UserFactory()
    auth.login(user)
    response = client.post("/app/instrument/new/", data={"form_token": token, "name": "Harp"})
    assert response.status_code == 302
    assert _count(Instrument, user) == 1
    assert _count(FormSubmission, user) == 0


def test_a_refused_form_records_no_token(client, auth):
    user = UserFactory()
    auth.login(user)
    token = _token(client.get("/app/instrument/new/").get_data(as_text=True))
    refused = client.post("/app/instrument/new/", data={"form_token": token, "name": ""})
    assert refused.status_code == 200
    saved = client.post("/app/instrument/new/", data={"form_token": token, "name": "Lute"})
    assert saved.status_code == 302
    assert _count(Instrument, user) == 1


def test_the_clock_forgets_tokens_older_than_thirty_days(app):
    now = datetime.now(UTC)
    old = FormSubmissionFactory(created_at=now - timedelta(days=31))
    recent = FormSubmissionFactory(created_at=now - timedelta(days=29))
    old_id, recent_id = old.id, recent.id
    job_tick(now)
    db.session.expire_all()
    assert db.session.get(FormSubmission, old_id) is None
    assert db.session.get(FormSubmission, recent_id) is not None


CREATES = 500
# A worker killed mid-answer: the connection refused or reset, or the body cut short.
LOST_ANSWERS = (OSError, http.client.HTTPException)
KILLS = 8
RETRIES = 10


def _create_with_retries(client, number):
    """Open the form once, then POST it until an answer arrives: a client that retries."""
    for attempt in range(RETRIES):
        try:
            fields = client.form_fields("/app/instrument/new/")
            break
        except LOST_ANSWERS:
            time.sleep(0.05 * (attempt + 1))
    form = {**fields, "name": f"Kill test {number:03d}"}
    for attempt in range(RETRIES):
        try:
            status, _headers, _body = client.post_form("/app/instrument/new/", form)
        except LOST_ANSWERS:  # the worker died under the request: the answer is lost
            status = None
        if status == 302:
            return attempt
        time.sleep(0.05 * (attempt + 1))
    raise AssertionError(f"create {number} got no answer after {RETRIES} tries")


@pytest.mark.slow
def test_killed_workers_lose_and_duplicate_no_form_create(database_url, tmp_path, report_figure):
    user = UserFactory()
    env = {"TRACKER_ENV": "production", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
           "CACHE_TYPE": "SimpleCache"}  # fmt: skip
    with Served(database_url, 3, str(tmp_path / "gunicorn.log"), **env) as served:
        client = Client(served.port)
        client.login(user.email)
        done = threading.Event()
        killed = []

        def kill_workers():
            # A worker every half second while the creates run, a bounded number of times.
            while not done.wait(0.5) and len(killed) < KILLS:
                pids = served.worker_pids()
                if pids:
                    os.kill(random.choice(pids), signal.SIGKILL)
                    killed.append(pids)

        killer = threading.Thread(target=kill_workers, daemon=True)
        killer.start()
        try:
            retried = sum(_create_with_retries(client, n) > 0 for n in range(CREATES))
        finally:
            done.set()
            killer.join(timeout=10)
    db.session.expire_all()
    names = [i.name for i in db.session.query(Instrument).filter_by(user_id=user.id)]
    lost = CREATES - len(set(names))
    duplicated = len(names) - len(set(names))
    report_figure(f"{CREATES} form creates, {len(killed)} workers SIGKILLed, {retried} retried: "
          f"{lost} lost, {duplicated} duplicated")  # fmt: skip
    assert killed, "no worker was killed"
    assert (lost, duplicated) == (0, 0)
