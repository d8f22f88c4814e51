"""Practice log: create, edit, delete, list, filters, inline edits and validation."""

import re
from datetime import UTC
from datetime import datetime
from zoneinfo import ZoneInfo

from tests.conftest import list_filter
from tests.factories import FocusAreaFactory
from tests.factories import InstrumentFactory
from tests.factories import PracticeSessionFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.models import FocusArea
from tracker.models import PracticeSession

NEW = "/app/practice_session/new/"
LIST = "/app/practice_session/"


def _form(**overrides):
    data = {
        "started_at": "2026-03-10T19:30",
        "duration_minutes-hours": "1",
        "duration_minutes-minutes": "15",
        "notes": "Bars 12-16: shift slower next time.",
        "mood_rating": "4",
        "quality_rating": "3",
    }
    data.update(overrides)
    return data


def test_create_form_prefills_now_in_user_timezone(client, auth):
    user = UserFactory(timezone="Asia/Tokyo")
    auth.login(user)
    body = client.get(NEW).get_data(as_text=True)
    now_tokyo = datetime.now(UTC).astimezone(ZoneInfo("Asia/Tokyo"))
    assert f'value="{now_tokyo:%Y-%m-%dT%H}' in body
    assert 'type="datetime-local"' in body
    assert 'name="duration_minutes-hours"' in body and 'name="duration_minutes-minutes"' in body


def test_create_session_stores_utc_and_links(client, auth):
    user = UserFactory(timezone="Europe/Berlin")
    violin = InstrumentFactory(user=user, name="Violin")
    scales = FocusAreaFactory(user=user, name="Scales")
    auth.login(user)
    response = client.post(
        NEW,
        data=_form(
            instrument=str(violin.id),
            focus_areas=[str(scales.id)],
            new_focus_areas="Bach partita, scales",
        ),
    )
    assert response.status_code == 302
    session = db.session.query(PracticeSession).one()
    assert session.user_id == user.id
    assert session.duration_minutes == 75
    assert session.started_at == datetime(2026, 3, 10, 18, 30, tzinfo=UTC)
    assert session.instrument_id == violin.id
    assert sorted(f.name for f in session.focus_areas) == ["Bach partita", "Scales"]
    assert db.session.query(FocusArea).filter_by(user_id=user.id).count() == 2
    assert (session.mood_rating, session.quality_rating) == (4, 3)


def test_create_session_without_ratings(client, auth):
    auth.login(UserFactory())
    response = client.post(NEW, data=_form(mood_rating="", quality_rating=""))
    assert response.status_code == 302
    session = db.session.query(PracticeSession).one()
    assert session.mood_rating is None and session.quality_rating is None


def test_duration_zero_or_over_a_day_is_refused_beside_the_field(client, auth):
    auth.login(UserFactory())
    for hours, minutes in (("0", "0"), ("24", "1"), ("", "")):
        response = client.post(
            NEW,
            data=_form(**{"duration_minutes-hours": hours, "duration_minutes-minutes": minutes}),
        )
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "invalid-feedback" in body
        assert (
            "A session lasts between 1 minute and 24 hours." in body
            or "How long did you practise?" in body
        )
    assert db.session.query(PracticeSession).count() == 0


def test_duration_not_a_number_is_refused(client, auth):
    auth.login(UserFactory())
    response = client.post(NEW, data=_form(**{"duration_minutes-hours": "one"}))
    assert response.status_code == 200
    assert "Enter hours and minutes as whole numbers." in response.get_data(as_text=True)
    assert db.session.query(PracticeSession).count() == 0


def test_rating_outside_range_is_refused(client, auth):
    auth.login(UserFactory())
    response = client.post(NEW, data=_form(mood_rating="9"))
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert db.session.query(PracticeSession).count() == 0


def test_bad_new_focus_area_does_not_half_save(client, auth):
    user = UserFactory()
    auth.login(user)
    response = client.post(NEW, data=_form(new_focus_areas="Arpeggios", mood_rating="7"))
    assert response.status_code == 200
    assert db.session.query(FocusArea).count() == 0
    assert db.session.query(PracticeSession).count() == 0


def test_list_is_newest_first_and_shows_local_time(client, auth):
    user = UserFactory(timezone="America/New_York")
    PracticeSessionFactory(
        user=user, started_at=datetime(2026, 1, 5, 3, 0, tzinfo=UTC), notes="the old one"
    )
    PracticeSessionFactory(
        user=user, started_at=datetime(2026, 2, 5, 3, 0, tzinfo=UTC), notes="the new one"
    )
    auth.login(user)
    body = client.get(LIST).get_data(as_text=True)
    # Whole notes: the navbar's search box has a placeholder, and "old" is in that word.
    assert body.index("the new one") < body.index("the old one")
    assert "Wed 4 Feb 2026, 22:00" in body


def test_list_paginates(client, auth):
    user = UserFactory()
    PracticeSessionFactory.create_batch(25, user=user)
    auth.login(user)
    first = client.get(LIST).get_data(as_text=True)
    second = client.get(LIST + "?page=1").get_data(as_text=True)
    assert first.count('name="rowid"') == 20
    assert second.count('name="rowid"') == 5


def test_search_in_notes(client, auth):
    user = UserFactory()
    PracticeSessionFactory(user=user, notes="Chromatic scale drills")
    PracticeSessionFactory(user=user, notes="Sight-reading Bach chorales")
    auth.login(user)
    body = client.get(LIST + "?search=chorales").get_data(as_text=True)
    assert "Sight-reading Bach chorales" in body
    assert "Chromatic scale drills" not in body


def _filter_index(client, label, operation):
    """The URL argument and details of a practice-log filter."""
    return list_filter(client.get(LIST).get_data(as_text=True), label, operation)


def test_filter_by_local_date_range(client, auth):
    user = UserFactory(timezone="Europe/Berlin")
    # 23:30 UTC on 9 March is 00:30 on 10 March in Berlin.
    PracticeSessionFactory(
        user=user, started_at=datetime(2026, 3, 9, 23, 30, tzinfo=UTC), notes="late"
    )
    PracticeSessionFactory(
        user=user, started_at=datetime(2026, 3, 9, 12, 0, tzinfo=UTC), notes="noon"
    )
    auth.login(user)
    arg, _ = _filter_index(client, "Date", "between")
    body = client.get(f"{LIST}?flt1_{arg}=2026-03-10+to+2026-03-10").get_data(as_text=True)
    assert "late" in body and "noon" not in body


def test_filter_by_focus_area_and_instrument_offers_only_own_rows(client, auth):
    user = UserFactory()
    other = UserFactory()
    scales = FocusAreaFactory(user=user, name="Scales")
    FocusAreaFactory(user=other, name="Secret focus")
    piano = InstrumentFactory(user=user, name="Piano")
    PracticeSessionFactory(user=user, notes="with scales", focus_areas=[scales], instrument=piano)
    PracticeSessionFactory(user=user, notes="without")
    auth.login(user)
    arg, item = _filter_index(client, "Focus area", "is")
    assert [label for _, label in item["options"]] == ["Scales"]
    body = client.get(f"{LIST}?flt1_{arg}={scales.id}").get_data(as_text=True)
    assert "with scales" in body and "without" not in body
    arg, item = _filter_index(client, "Instrument", "is")
    assert [label for _, label in item["options"]] == ["Piano"]
    body = client.get(f"{LIST}?flt1_{arg}={piano.id}").get_data(as_text=True)
    assert "with scales" in body and "without" not in body


def test_focus_area_filter_given_another_users_focus_area_finds_nothing(client, auth):
    user = UserFactory()
    other = UserFactory()
    theirs = FocusAreaFactory(user=other, name="Secret focus")
    PracticeSessionFactory(user=other, notes="their session", focus_areas=[theirs])
    PracticeSessionFactory(user=user, notes="my session")
    auth.login(user)
    arg, _item = _filter_index(client, "Focus area", "is")
    response = client.get(f"{LIST}?flt1_{arg}={theirs.id}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "their session" not in body and "my session" not in body


def test_edit_session(client, auth):
    user = UserFactory()
    session = PracticeSessionFactory(user=user, duration_minutes=30)
    auth.login(user)
    page = client.get(f"/app/practice_session/edit/?id={session.id}").get_data(as_text=True)
    assert 'value="0"' in page and 'value="30"' in page
    response = client.post(
        f"/app/practice_session/edit/?id={session.id}",
        data=_form(**{"duration_minutes-hours": "2", "duration_minutes-minutes": "0"}),
    )
    assert response.status_code == 302
    db.session.refresh(session)
    assert session.duration_minutes == 120


def test_inline_edit_duration_and_validation(client, auth):
    user = UserFactory()
    session = PracticeSessionFactory(user=user, duration_minutes=30)
    auth.login(user)
    ok = client.post(
        "/app/practice_session/ajax/update/",
        data={"list_form_pk": session.id, "duration_minutes": "45"},
    )
    assert ok.status_code == 200
    bad = client.post(
        "/app/practice_session/ajax/update/",
        data={"list_form_pk": session.id, "duration_minutes": "2000"},
    )
    assert bad.status_code == 400
    assert "between 1 minute and 24 hours" in bad.get_data(as_text=True)
    bad_rating = client.post(
        "/app/practice_session/ajax/update/",
        data={"list_form_pk": session.id, "mood_rating": "6"},
    )
    assert bad_rating.status_code == 400
    db.session.refresh(session)
    assert session.duration_minutes == 45
    assert session.mood_rating == 4


def test_delete_and_bulk_delete(client, auth):
    user = UserFactory()
    one, two, three = PracticeSessionFactory.create_batch(3, user=user)
    auth.login(user)
    response = client.post("/app/practice_session/delete/", data={"id": one.id})
    assert response.status_code == 302
    response = client.post(
        "/app/practice_session/action/",
        data={"action": "delete", "rowid": [two.id, three.id]},
    )
    assert response.status_code == 302
    assert db.session.query(PracticeSession).count() == 0


def test_csv_export_escapes_formulas(client, auth):
    user = UserFactory()
    PracticeSessionFactory(user=user, notes='=HYPERLINK("http://evil")')
    PracticeSessionFactory(user=user, notes="@SUM(A1)")
    auth.login(user)
    response = client.get("/app/practice_session/export/csv/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.splitlines()[0].startswith("When,Minutes,Instrument")
    assert "'=HYPERLINK" in body and "'@SUM(A1)" in body
    assert ",=HYPERLINK" not in body


def test_dashboard_empty_state_for_new_user(client, auth):
    auth.login(UserFactory())
    body = client.get("/app/").get_data(as_text=True)
    assert 'id="empty-state"' in body
    assert "Log your first session" in body


def test_dashboard_totals_and_recent_sessions(client, auth):
    user = UserFactory()
    now = datetime.now(UTC)
    PracticeSessionFactory(user=user, started_at=now, duration_minutes=25, notes="today's note")
    auth.login(user)
    body = client.get("/app/").get_data(as_text=True)
    assert 'id="minutes-today">25 min<' in body
    assert "today&#39;s note" in body
    assert 'id="empty-state"' not in body


def test_list_and_dashboard_queries_do_not_grow_with_sessions(client, auth, count_queries):
    user = UserFactory()
    piano = InstrumentFactory(user=user)
    scales = FocusAreaFactory(user=user)
    PracticeSessionFactory.create_batch(2, user=user, instrument=piano, focus_areas=[scales])
    auth.login(user)
    list_few = count_queries(lambda: client.get(LIST))
    dashboard_few = count_queries(lambda: client.get("/app/"))
    PracticeSessionFactory.create_batch(30, user=user, instrument=piano, focus_areas=[scales])
    assert count_queries(lambda: client.get(LIST)) == list_few
    assert count_queries(lambda: client.get("/app/")) == dashboard_few


def test_list_and_form_speak_plain_words(client, auth):
    user = UserFactory()
    PracticeSessionFactory(user=user)
    auth.login(user)
    page = client.get(LIST).get_data(as_text=True)
    form = client.get(LIST + "new/").get_data(as_text=True)
    for generic in ("Record", "record", "With selected"):
        assert generic not in page
    assert "Save and Add Another" not in form and "record" not in form
    assert '<span class="row-action-label">View</span>' in page
    assert "Delete the ticked rows for good?" in page
    assert "Save and add another" in form


def test_inline_mood_and_quality_edit_as_a_choice_of_1_to_5(client, auth):
    user = UserFactory()
    session = PracticeSessionFactory(user=user, mood_rating=4, quality_rating=None)
    auth.login(user)
    body = client.get("/app/practice_session/").get_data(as_text=True)
    mood = re.search(r'<a[^>]*name="mood_rating"[^>]*>', body).group(0)
    assert 'data-type="select2"' in mood and 'data-value="4"' in mood
    assert "&#34;value&#34;: &#34;5&#34;" in mood and "&#34;value&#34;: &#34;6&#34;" not in mood
    quality = re.search(r'<a[^>]*name="quality_rating"[^>]*>', body).group(0)
    assert 'data-value=""' in quality
    ok = client.post(
        "/app/practice_session/ajax/update/", data={"list_form_pk": session.id, "mood_rating": "2"}
    )
    assert ok.status_code == 200
    cleared = client.post(
        "/app/practice_session/ajax/update/", data={"list_form_pk": session.id, "mood_rating": ""}
    )
    assert cleared.status_code == 200
    db.session.refresh(session)
    assert session.mood_rating is None


def test_rejected_inline_edits_answer_400_with_the_message(client, auth):
    user = UserFactory()
    session = PracticeSessionFactory(user=user, duration_minutes=30, mood_rating=4)
    auth.login(user)
    url = "/app/practice_session/ajax/update/"
    mood = client.post(url, data={"list_form_pk": session.id, "mood_rating": "7"})
    assert mood.status_code == 400 and "Not a valid choice" in mood.get_data(as_text=True)
    minutes = client.post(url, data={"list_form_pk": session.id, "duration_minutes": "0"})
    assert minutes.status_code == 400
    assert "between 1 minute and 24 hours" in minutes.get_data(as_text=True)
    db.session.refresh(session)
    assert (session.mood_rating, session.duration_minutes) == (4, 30)
