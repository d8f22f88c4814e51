"""In Chromium: the instrument of three ticked sessions set at once; a double click saves once."""

import re

from tests.browser import assert_clean
from tests.browser import browser_errors
from tests.browser import expect
from tests.browser import live_server_fixture  # noqa: F401
from tests.browser import offline
from tests.browser import page_fixture  # noqa: F401
from tests.browser import register
from tests.browser import snap
from tests.factories import InstrumentFactory
from tests.factories import PracticeSessionFactory
from tracker.extensions import db
from tracker.models import PracticeSession

EMAIL = "django@example.com"


def test_bulk_set_the_instrument_of_three_sessions(live_server, page):
    errors = browser_errors(page)
    third_party = offline(page)
    user = register(page, live_server, EMAIL)
    guitar = InstrumentFactory(user=user, name="Guitar")
    InstrumentFactory(user=user, name="Banjo")
    sessions = PracticeSessionFactory.create_batch(4, user=user)
    ticked = sessions[:3]

    page.goto(f"{live_server}/app/practice_session/")
    for session in ticked:
        page.locator(f"input.action-checkbox[value='{session.id}']").check()
    page.get_by_role("button", name="With the ticked rows").click()
    page.locator("[data-model-action=set_instrument]").click()
    expect(page.locator("#bulk-count")).to_have_text("3 sessions ticked.")
    widths = {"bulk edit": snap(page, "bulk-edit-choose")}
    page.get_by_label("Instrument").select_option(label="Guitar")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#bulk-question")).to_have_text(
        "Set the instrument of 3 sessions to Guitar?"
    )
    widths["bulk confirm"] = snap(page, "bulk-edit-confirm")
    page.get_by_role("button", name="Yes, set it").click()

    expect(page).to_have_url(re.compile(rf"{live_server}/app/practice_session/(\?.*)?$"))
    expect(page.locator(".alert-success")).to_contain_text(
        "The instrument of 3 sessions is now Guitar."
    )
    db.session.expire_all()
    instruments = {s.id: db.session.get(PracticeSession, s.id).instrument_id for s in sessions}
    assert instruments == {**{s.id: guitar.id for s in ticked}, sessions[3].id: None}
    assert_clean(errors, third_party, widths)


def test_save_waits_while_the_form_is_sending_so_it_saves_once(live_server, page):
    errors = browser_errors(page)
    third_party = offline(page)
    user = register(page, live_server, "clara@example.com")
    posts = []
    page.on(
        "request",
        lambda request: posts.append(request.url)
        if request.method == "POST" and "/practice_session/new/" in request.url
        else None,
    )
    page.goto(f"{live_server}/app/practice_session/new/")
    page.fill("input[name=duration_minutes-minutes]", "25")
    # The answer opens in a frame, so this page stays to be looked at while it is sent.
    page.evaluate(
        """() => {
          const frame = document.createElement('iframe');
          frame.name = 'answer';
          document.body.appendChild(frame);
          document.querySelector('form.admin-form').target = 'answer';
        }"""
    )
    sent = page.expect_response(
        lambda response: response.request.method == "POST" and "/new/" in response.url
    )
    with sent as answer:
        page.locator("form.admin-form input[type=submit][value=Save]").dblclick()
        # Read after the task the page's script queued to disable them (polling would be eval,
        # which the Content-Security-Policy refuses).
        disabled = page.evaluate(
            """() => new Promise(done => setTimeout(() => done(
                [...document.querySelectorAll('form.admin-form [type=submit]')]
                  .map(button => button.disabled)), 0))"""
        )
        assert disabled and all(disabled), disabled
        # Enter, or another button, while it is sending sends nothing more either.
        page.evaluate("document.querySelector('form.admin-form').requestSubmit()")
    assert answer.value.status == 302
    assert len(posts) == 1, posts
    db.session.expire_all()
    assert db.session.query(PracticeSession).filter_by(user_id=user.id).count() == 1
    assert_clean(errors, third_party, {})
