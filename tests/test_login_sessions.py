"""Sessions end on the server: logout, sign out one or everywhere, timeouts, the remember cookie."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import time_machine

from tests.conftest import PASSWORD
from tests.conftest import csrf_token_from
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.models import LoginSession

REMEMBER = "remember_token"
CHROME_ON_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Mobile Safari/537.36"
)


def _login(app, user, remember=False, user_agent=None):
    """A new browser (test client) signed in as user."""
    browser = app.test_client()
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    headers = {"User-Agent": user_agent} if user_agent else {}
    if app.config["WTF_CSRF_ENABLED"]:
        data["csrf_token"] = csrf_token_from(browser.get("/login").get_data(as_text=True))
    response = browser.post("/login", data=data, headers=headers)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return browser


def _cookie(browser, name):
    cookie = browser.get_cookie(name)
    return cookie.value if cookie else None


def _replay(app, **cookies):
    """A fresh browser holding only copies of the given cookies."""
    browser = app.test_client()
    for name, value in cookies.items():
        browser.set_cookie(name, value)
    return browser


def _signed_in(browser):
    return browser.get("/app/").status_code == 200


def test_logout_ends_every_copy_of_the_cookies(app, report_figure):
    user = UserFactory()
    copies = []
    for _ in range(10):
        browser = _login(app, user, remember=True)
        session, remember = _cookie(browser, "session"), _cookie(browser, REMEMBER)
        assert session and remember
        # A copy works while the session lives: the replay below can fail.
        assert _signed_in(_replay(app, session=session))
        assert _signed_in(_replay(app, **{REMEMBER: remember}))
        assert browser.post("/logout").status_code == 302
        both = {"session": session, REMEMBER: remember}
        copies += [{"session": session}, {REMEMBER: remember}, both]
    working = sum(_signed_in(_replay(app, **cookies)) for cookies in copies)
    report_figure(f"logout replay: {working} of {len(copies)} old cookies still work")
    assert working == 0
    assert db.session.query(LoginSession).filter(LoginSession.revoked_at.is_(None)).count() == 0


def test_security_page_lists_sessions_in_plain_words(app):
    user = UserFactory(timezone="Europe/Berlin")
    _login(app, user, user_agent=CHROME_ON_ANDROID)
    browser = _login(app, user)
    body = browser.get("/app/security/").get_data(as_text=True)
    assert "Chrome on Android" in body
    assert body.count("Sign out</button>") == 2
    assert "This browser" in body and "127.0.0.1" in body
    assert "Sign out everywhere" in body


def test_signing_out_one_session_ends_only_that_one(csrf_app, report_figure):
    user = UserFactory()
    phone = _login(csrf_app, user, user_agent=CHROME_ON_ANDROID)
    laptop = _login(csrf_app, user)
    page = laptop.get("/app/security/").get_data(as_text=True)
    phone_row = db.session.query(LoginSession).filter_by(user_agent=CHROME_ON_ANDROID).one()
    url = f"/app/security/{phone_row.id}/sign-out"
    # Without the page's CSRF token nothing ends.
    laptop.post(url)
    assert _signed_in(phone)
    response = laptop.post(url, data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    assert "Chrome on Android is signed out." in laptop.get("/app/security/").get_data(as_text=True)
    ended = sum(not _signed_in(b) for b in (phone,))
    still = sum(_signed_in(b) for b in (laptop,))
    report_figure(f"per-session sign-out: {ended} of 1 ended, {still} of 1 other still signed in")
    assert (ended, still) == (1, 1)


def test_sign_out_everywhere_ends_every_session(csrf_app):
    user = UserFactory()
    browsers = [_login(csrf_app, user) for _ in range(3)]
    token = csrf_token_from(browsers[0].get("/app/security/").get_data(as_text=True))
    response = browsers[0].post("/app/security/sign-out-everywhere", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert [_signed_in(b) for b in browsers] == [False, False, False]


def test_a_session_ends_after_14_idle_days_and_slides_while_used(app):
    user = UserFactory()
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False) as clock:
        busy, idle = _login(app, user), _login(app, user)
        for _ in range(4):  # 40 days, used every 10
            clock.shift(timedelta(days=10))
            assert _signed_in(busy)
        assert not _signed_in(idle)


def test_a_session_ends_after_90_days_however_often_it_is_used(app):
    user = UserFactory()
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        browser = _login(app, user, remember=True)
        for _ in range(8):  # 88 days
            clock.shift(timedelta(days=11))
            assert _signed_in(browser)
        clock.shift(timedelta(days=3))
        assert not _signed_in(browser)


def test_last_seen_is_written_at_most_once_a_minute(app, count_queries):
    user = UserFactory()
    browser = _login(app, user)
    row = db.session.query(LoginSession).one()
    first_seen = row.last_seen_at
    browser.get("/app/security/")
    db.session.expire_all()
    assert db.session.get(LoginSession, row.id).last_seen_at == first_seen
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=2), tick=False):
        browser.get("/app/security/")
    db.session.expire_all()
    assert db.session.get(LoginSession, row.id).last_seen_at > first_seen


def test_remember_cookie_is_lax_httponly_and_rotated_on_use(app):
    user = UserFactory()
    browser = app.test_client()
    response = browser.post(
        "/login", data={"email": user.email, "password": PASSWORD, "remember": "y"}
    )
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(REMEMBER))
    assert "SameSite=Lax" in header and "HttpOnly" in header
    old = _cookie(browser, REMEMBER)
    # The browser closes (the session cookie goes) and comes back with the remember cookie.
    returning = _replay(app, **{REMEMBER: old})
    assert _signed_in(returning)
    new = _cookie(returning, REMEMBER)
    assert new and new != old
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=5), tick=False):
        assert not _signed_in(_replay(app, **{REMEMBER: old})), "a used remember cookie replays"
        assert _signed_in(_replay(app, **{REMEMBER: new}))
    assert db.session.query(LoginSession).count() == 1


def test_changing_the_password_ends_the_other_sessions(app):
    user = UserFactory()
    other = _login(app, user)
    browser = _login(app, user)
    new = "an even better passphrase"
    response = browser.post(
        "/change", data={"password": PASSWORD, "new_password": new, "new_password_confirm": new}
    )
    assert response.status_code == 302
    assert _signed_in(browser)
    assert not _signed_in(other)


def test_logins_are_tracked(app):
    user = UserFactory()
    _login(app, user)
    _login(app, user)
    db.session.refresh(user)
    assert user.login_count == 2
    assert user.current_login_ip == "127.0.0.1"
    assert user.last_login_at is not None
    body = _login(app, user).get("/app/security/").get_data(as_text=True)
    assert "You have signed in 3 times." in body


def test_a_cookie_from_before_session_rows_signs_nobody_in(app):
    """A session cookie naming the account's fs_uniquifier (the old scheme) is anonymous."""
    user = UserFactory()
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = user.fs_uniquifier
        session["_fresh"] = True
    assert not _signed_in(browser)
