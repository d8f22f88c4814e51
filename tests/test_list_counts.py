"""The list's row count: capped so a page costs the same however long the list, yet correct."""

import json
import re
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from flask_login import login_user
from sqlalchemy import insert

from tests.conftest import AuthActions
from tests.factories import FocusAreaFactory
from tests.factories import InstrumentFactory
from tests.factories import PracticeSessionFactory
from tests.factories import UserFactory
from tracker.admin.practice import PracticeSessionView
from tracker.admin.row_count import count_rows
from tracker.extensions import db
from tracker.models import PracticeSession

LIST = "/app/practice_session/"
CAP = 25


def _sessions(user, count, **values):
    """Insert count sessions of user in one statement, an hour apart, newest first."""
    start = datetime.now(UTC) - timedelta(hours=1)
    rows = [
        {
            "user_id": user.id,
            "started_at": start - timedelta(hours=n),
            "duration_minutes": 30,
            **values,
        }
        for n in range(count)
    ]
    if rows:
        db.session.execute(insert(PracticeSession), rows)
        db.session.commit()


def _of(user):
    return db.session.query(PracticeSession).filter(PracticeSession.user_id == user.id)


def _tab(body):
    return re.search(r'class="nav-link active">All \(([^)]*)\)', body)


@pytest.fixture
def small_cap(monkeypatch):
    """The log counts at most CAP rows past a page's first (500 in the app)."""
    monkeypatch.setattr(PracticeSessionView, "count_cap", CAP)


def test_count_of_exactly_cap_rows_is_exact(app):
    user = UserFactory()
    _sessions(user, CAP)
    count = count_rows(_of(user), 0, CAP)
    assert (count, count.exact, str(count)) == (CAP, True, str(CAP))


def test_count_of_cap_plus_one_rows_stops_at_cap_and_says_more(app):
    user = UserFactory()
    _sessions(user, CAP + 1)
    count = count_rows(_of(user), 0, CAP)
    assert (count, count.exact, str(count)) == (CAP, False, f"{CAP}+")


def test_count_from_a_later_page_adds_the_rows_before_it(app):
    user = UserFactory()
    _sessions(user, CAP + 30)
    assert (count_rows(_of(user), 20, CAP), count_rows(_of(user), 20, CAP).exact) == (
        CAP + 20,
        False,
    )
    last = count_rows(_of(user), 40, CAP)
    assert (last, last.exact) == (CAP + 30, True)


def test_count_past_the_last_row_counts_every_row(app):
    user = UserFactory()
    _sessions(user, 12)
    count = count_rows(_of(user), 40, CAP)
    assert (count, count.exact) == (12, True)


def test_count_of_an_empty_list_is_zero(app):
    user = UserFactory()
    count = count_rows(_of(user), 0, CAP)
    assert (count, count.exact) == (0, True)


def test_count_without_a_cap_is_exact_and_ignores_paging(app):
    user = UserFactory()
    _sessions(user, CAP + 5)
    count = count_rows(_of(user).limit(20).offset(20), 0, None)
    assert (count, count.exact) == (CAP + 5, True)


def test_count_is_only_the_users_own_rows(app):
    user, other = UserFactory(), UserFactory()
    _sessions(user, 3)
    _sessions(other, CAP + 10)
    assert count_rows(_of(user), 0, CAP) == 3


def test_log_with_exactly_cap_sessions_shows_the_exact_count_and_last_page(client, auth, small_cap):
    user = UserFactory()
    _sessions(user, CAP)
    auth.login(user)
    response = client.get(LIST)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _tab(body).group(1) == str(CAP)
    assert "page=1" in body and "page=2" not in body


def test_log_with_more_than_cap_sessions_says_more_and_offers_next(client, auth, small_cap):
    user = UserFactory()
    _sessions(user, CAP + 60)
    auth.login(user)
    response = client.get(LIST)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _tab(body).group(1) == f"{CAP}+"
    # The next page is offered; "»" to a last page nobody has counted is not.
    assert 'href="/app/practice_session/?page=1' in body and "&raquo;</a>" in body
    assert (
        re.search(r'<li class="page-item">\s*<a class="page-link" href="[^"]*">&raquo;', body)
        is None
    )


def test_log_last_page_counts_exactly(client, auth, small_cap):
    user = UserFactory()
    _sessions(user, CAP + 30)
    auth.login(user)
    body = client.get(LIST + "?page=2").get_data(as_text=True)
    assert _tab(body).group(1) == str(CAP + 30)
    assert body.count('class="action-checkbox"') == CAP + 30 - 40


def test_log_page_past_the_end_is_empty_with_the_exact_count(client, auth, small_cap):
    user = UserFactory()
    _sessions(user, 12)
    auth.login(user)
    response = client.get(LIST + "?page=5")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _tab(body).group(1) == "12"
    assert 'class="action-checkbox"' not in body


def test_filtered_log_counts_the_matching_sessions_only(client, auth, small_cap):
    user = UserFactory()
    piano, flute = InstrumentFactory(user=user, name="Piano"), InstrumentFactory(user=user)
    _sessions(user, 7, instrument_id=piano.id)
    _sessions(user, CAP + 5, instrument_id=flute.id)
    auth.login(user)
    html = client.get(LIST).get_data(as_text=True)
    groups = json.loads(re.search(r'id="filter-groups-data"[^>]*>(.*?)</div>', html, re.S).group(1))
    arg = groups["Instrument"][0]["arg"]
    body = client.get(f"{LIST}?flt0_{arg}={piano.id}").get_data(as_text=True)
    assert _tab(body).group(1) == "7"
    assert body.count('class="action-checkbox"') == 7


def test_empty_log_shows_no_count(client, auth):
    user = UserFactory()
    auth.login(user)
    body = client.get(LIST).get_data(as_text=True)
    assert _tab(body) is None and "No sessions yet" in body


def test_log_statements_are_the_same_for_10_and_2000_sessions(client, auth, count_queries):
    user = UserFactory()
    piano = InstrumentFactory(user=user)
    scales = FocusAreaFactory(user=user)
    PracticeSessionFactory.create_batch(10, user=user, instrument=piano, focus_areas=[scales])
    auth.login(user)
    client.get(LIST)
    few = count_queries(lambda: client.get(LIST))
    _sessions(user, 1990, instrument_id=piano.id)
    client.get(LIST)
    assert count_queries(lambda: client.get(LIST)) == few
    body = client.get(LIST).get_data(as_text=True)
    assert _tab(body).group(1) == f"{PracticeSessionView.count_cap}+"


def test_log_shows_a_new_session_at_once_though_its_rows_are_cached(client, auth):
    user = UserFactory()
    PracticeSessionFactory(user=user, notes="Scales at 80.")
    auth.login(user)
    assert "Scales at 80." in client.get(LIST).get_data(as_text=True)
    PracticeSessionFactory(user=user, notes="Arpeggios at 90.")
    body = client.get(LIST).get_data(as_text=True)
    assert "Arpeggios at 90." in body and "Scales at 80." in body


def test_cached_log_rows_carry_each_browsers_own_csrf_token(app):
    user = UserFactory()
    PracticeSessionFactory(user=user)
    tokens = []
    for _browser in range(2):
        browser = app.test_client()
        AuthActions(browser).login(user)
        body = browser.get(LIST).get_data(as_text=True)
        page_token = re.search(r'name="csrf-token" content="([^"]+)"', body).group(1)
        row_tokens = set(re.findall(r'data-csrf="([^"]*)"', body))
        assert row_tokens == {page_token}
        tokens.append(page_token)
    assert tokens[0] != tokens[1]


def test_an_export_sized_page_counts_every_row(app, small_cap):
    user = UserFactory()
    _sessions(user, CAP + 5)
    admin = app.extensions["tracker_admin"]
    view = next(v for v in admin._views if v.endpoint == "practice_session")
    with app.test_request_context(LIST):
        login_user(user)
        count, rows = view.get_list(0, None, False, None, None, page_size=view.export_max_rows)
    assert (count, count.exact, len(rows)) == (CAP + 5, True, CAP + 5)


def test_each_musician_sees_only_their_own_cached_log(app):
    pages = {}
    for note in ("Anna's scales.", "Ben's etudes."):
        user = UserFactory()
        PracticeSessionFactory(user=user, notes=note)
        browser = app.test_client()
        AuthActions(browser).login(user)
        browser.get(LIST)
        pages[note] = browser.get(LIST).get_data(as_text=True)
    assert "Anna&#39;s scales." in pages["Anna's scales."]
    assert "Ben&#39;s etudes." not in pages["Anna's scales."]
    assert "Ben&#39;s etudes." in pages["Ben's etudes."]
    assert "Anna&#39;s scales." not in pages["Ben's etudes."]
