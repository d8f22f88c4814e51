"""Notifications: the bell's JSON, marking read, the list page, settings switches, the dashboard."""

import re
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from tests.factories import NotificationFactory
from tests.factories import ReminderFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.models import Notification

API = "/api/v1/notifications"
BELL = API + "/bell"
LIST = "/app/notification/"


def ago(**delta):
    return datetime.now(UTC) - timedelta(**delta)


def is_read(notification):
    db.session.expire_all()
    return db.session.get(Notification, notification.id).is_read


def test_anonymous_gets_401_json(client):
    assert client.get(API).status_code == 401
    assert client.post(API + "/read-all").status_code == 401


def test_api_lists_own_in_app_notifications_newest_first(client, auth):
    alice, bob = UserFactory(), UserFactory()
    old = NotificationFactory(user=bob, message="Old news", created_at=ago(days=2))
    new = NotificationFactory(
        user=bob, kind="milestone", message="A 7-day practice streak!", created_at=ago(minutes=5)
    )
    read = NotificationFactory(user=bob, is_read=True, created_at=ago(days=1))
    NotificationFactory(user=bob, in_app=False, email_pending=True, message="Only by e-mail")
    NotificationFactory(user=alice, message="Alice's reminder")
    auth.login(bob)
    data = client.get(BELL).get_json()
    assert data["unread"] == 2
    assert [item["id"] for item in data["items"]] == [new.id, read.id, old.id]
    first = data["items"][0]
    assert first == {
        "id": new.id,
        "kind": "milestone",
        "message": "A 7-day practice streak!",
        "link": "/app/practice_session/new/",
        "is_read": False,
        "created_at": first["created_at"],
        "when": first["when"],
    }
    assert (
        datetime.fromisoformat(first["created_at"])
        == db.session.get(Notification, new.id).created_at
    )
    assert re.fullmatch(r"Today \d\d:\d\d", first["when"])
    assert re.fullmatch(r"Yesterday \d\d:\d\d", data["items"][1]["when"])


def test_api_shows_the_latest_eight(client, auth):
    user = UserFactory()
    for n in range(10):
        NotificationFactory(user=user, message=f"Note {n}", created_at=ago(hours=10 - n))
    auth.login(user)
    data = client.get(BELL).get_json()
    assert data["unread"] == 10
    assert [item["message"] for item in data["items"]] == [f"Note {n}" for n in range(9, 1, -1)]


def test_api_drops_links_to_other_sites(client, auth):
    user = UserFactory()
    NotificationFactory(user=user, link="javascript:alert(1)", created_at=ago(hours=2))
    NotificationFactory(user=user, link="//evil.example/", created_at=ago(hours=1))
    NotificationFactory(user=user, link="/app/goal/details/?id=3")
    auth.login(user)
    links = [item["link"] for item in client.get(BELL).get_json()["items"]]
    assert links == ["/app/goal/details/?id=3", None, None]


def test_mark_one_read(client, auth):
    user = UserFactory()
    first, second = NotificationFactory(user=user), NotificationFactory(user=user)
    auth.login(user)
    response = client.post(f"{API}/{first.id}/read")
    assert response.status_code == 200
    assert response.get_json() == {"id": first.id, "is_read": True, "marked": 1, "unread": 1}
    assert is_read(first) and not is_read(second)


def test_mark_all_read_only_touches_own(client, auth):
    alice, bob = UserFactory(), UserFactory()
    alices = NotificationFactory(user=alice)
    bobs = [NotificationFactory(user=bob) for _ in range(3)]
    auth.login(bob)
    response = client.post(API + "/read-all")
    assert response.status_code == 200
    assert response.get_json() == {"marked": 3, "unread": 0}
    assert all(is_read(n) for n in bobs)
    assert not is_read(alices)
    assert client.get(BELL).get_json()["unread"] == 0


def test_bob_gets_404_for_alices_notification(client, auth):
    alice, bob = UserFactory(), UserFactory()
    alices = NotificationFactory(user=alice, message="Alice only")
    before = {c: getattr(alices, c) for c in ("is_read", "message", "updated_at")}
    auth.login(bob)
    response = client.post(f"{API}/{alices.id}/read")
    assert response.status_code == 404
    assert response.get_json()["message"] == "No such notification."
    db.session.expire_all()
    after = db.session.get(Notification, alices.id)
    assert {c: getattr(after, c) for c in before} == before
    assert client.post(f"{API}/999999/read").status_code == 404


def test_list_page_shows_in_app_notifications_newest_first(client, auth):
    user = UserFactory()
    NotificationFactory(user=user, message="Older reminder", created_at=ago(days=3))
    NotificationFactory(
        user=user, kind="deadline", message="Tomorrow is the target date", link="/app/goal/"
    )
    NotificationFactory(user=user, in_app=False, message="Sent by e-mail only")
    NotificationFactory(message="Someone else's")
    auth.login(user)
    body = client.get(LIST).get_data(as_text=True)
    assert body.index("Tomorrow is the target date") < body.index("Older reminder")
    assert '<a href="/app/goal/">Tomorrow is the target date</a>' in body
    assert "Sent by e-mail only" not in body and "Someone else" not in body
    assert "Deadline" in body and "Reminder" in body
    assert 'value="mark_read"' in body  # the row action
    assert "/app/notification/new/" not in body


def test_list_filters_by_kind_and_read(client, auth):
    user = UserFactory()
    NotificationFactory(user=user, kind="milestone", message="Ten hours in all", is_read=True)
    NotificationFactory(user=user, kind="reminder", message="Time to practise scales")
    NotificationFactory(user=user, in_app=False, message="E-mail only")
    auth.login(user)
    views = client.application.extensions["tracker_admin"]._views
    notifications = next(v for v in views if v.endpoint == "notification")
    args = {f.name: arg for arg, (_idx, f) in notifications._filter_args.items()}

    body = client.get(f"{LIST}?flt1_{args['About']}=milestone").get_data(as_text=True)
    assert "Ten hours in all" in body and "Time to practise scales" not in body
    body = client.get(f"{LIST}?flt1_{args['Read']}=0").get_data(as_text=True)
    assert "Time to practise scales" in body and "Ten hours in all" not in body
    body = client.get(f"{LIST}?flt1_{args['Shown in the app']}=0").get_data(as_text=True)
    assert "E-mail only" in body and "Time to practise scales" not in body


def test_bulk_and_row_actions_mark_read_and_unread(client, auth):
    user = UserFactory()
    first, second = NotificationFactory(user=user), NotificationFactory(user=user)
    others = NotificationFactory()
    auth.login(user)
    client.post(LIST + "action/", data={"action": "mark_read", "rowid": [first.id, others.id]})
    assert is_read(first) and not is_read(second) and not is_read(others)
    client.post(LIST + "action/", data={"action": "mark_unread", "rowid": [first.id]})
    assert not is_read(first)


def test_bell_on_the_dashboard(client, auth):
    user = UserFactory()
    NotificationFactory(user=user)
    NotificationFactory(user=user)
    NotificationFactory(user=user, is_read=True)
    auth.login(user)
    body = client.get("/app/").get_data(as_text=True)
    assert 'id="notifications-menu"' in body and "fa-bell" in body
    badge = re.search(r'id="notifications-badge"[^>]*>(\d+)<', body)
    assert badge and badge.group(1) == "2"
    assert 'aria-label="Notifications, 2 unread"' in body
    assert 'href="/app/notification/" id="notifications-all">All notifications' in body
    assert 'id="notifications-read-all">Mark all read' in body
    assert '<meta name="csrf-token" content="' in body
    assert "js/notifications.js" in body
    assert body.index('id="notifications-menu"') < body.index('id="settings-menu"')


def test_bell_badge_hidden_when_all_read(client, auth):
    auth.login(UserFactory())
    body = client.get("/app/").get_data(as_text=True)
    assert re.search(r'id="notifications-badge"[^>]* hidden>0<', body)


def test_signed_out_pages_have_no_bell(client):
    body = client.get("/login").get_data(as_text=True)
    assert "notifications-menu" not in body and "notifications.js" not in body


def test_writes_need_the_csrf_header(csrf_client, csrf_auth):
    user = UserFactory()
    csrf_auth.login(user)
    notification = NotificationFactory(user=user)
    response = csrf_client.post(API + "/read-all")
    assert response.status_code == 400
    assert "CSRF" in response.get_json()["message"]
    assert csrf_client.post(f"{API}/{notification.id}/read").status_code == 400
    assert not is_read(notification)

    page = csrf_client.get("/app/").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    response = csrf_client.post(API + "/read-all", headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert is_read(notification)


def test_profile_saves_notification_switches(client, auth):
    user = UserFactory()
    auth.login(user)
    page = client.get("/app/settings/").get_data(as_text=True)
    assert "<legend" in page and 'href="/app/reminders/"' in page
    assert re.search(r'<input[^>]* checked [^>]*id="notifications_enabled"', page)
    response = client.post(
        "/app/settings/",
        data={
            "timezone": "UTC",
            "skill_level": "",
            "notifications_enabled": "y",
            "notify_deadlines": "y",
            "email_enabled": "y",
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (
        user.notifications_enabled,
        user.notify_reminders,
        user.notify_deadlines,
        user.notify_milestones,
        user.email_enabled,
    ) == (True, False, True, False, True)


def test_dashboard_shows_the_next_three_reminders(client, auth):
    user = UserFactory(timezone="UTC")
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(
        hour=7, minute=30, second=0, microsecond=0
    )
    ReminderFactory(user=user, label="Scales before work", next_fire_at=tomorrow)
    ReminderFactory(user=user, label="Later one", next_fire_at=tomorrow + timedelta(hours=30))
    ReminderFactory(user=user, label="Third", next_fire_at=tomorrow + timedelta(hours=40))
    ReminderFactory(user=user, label="Fourth", next_fire_at=tomorrow + timedelta(hours=50))
    ReminderFactory(user=user, label="Paused", is_active=False, next_fire_at=None)
    ReminderFactory(label="Someone else's", next_fire_at=tomorrow)
    auth.login(user)
    body = client.get("/app/").get_data(as_text=True)
    section = body[body.index('id="upcoming-reminders"') :]
    assert "Tomorrow 07:30</strong> · Scales before work" in section
    assert section.index("Scales before work") < section.index("Later one")
    assert "Third" in section
    assert "Fourth" not in section and "Paused" not in section
    assert "Someone else" not in body
    assert 'href="/app/reminders/">Manage reminders' in section


def test_dashboard_reminders_empty_state(client, auth):
    auth.login(UserFactory())
    body = client.get("/app/").get_data(as_text=True)
    section = body[body.index('id="upcoming-reminders"') :]
    assert "No reminders set." in section
    assert 'href="/app/reminders/new/?url=/app/">Add a reminder' in section


def test_dashboard_queries_do_not_grow_with_reminders(client, auth, count_queries):
    user = UserFactory()
    auth.login(user)
    ReminderFactory(user=user, next_fire_at=ago(hours=-2))
    NotificationFactory(user=user)
    few = count_queries(lambda: client.get("/app/"))
    for hours in range(3, 10):
        ReminderFactory(user=user, next_fire_at=ago(hours=-hours))
        NotificationFactory(user=user)
    assert count_queries(lambda: client.get("/app/")) == few
