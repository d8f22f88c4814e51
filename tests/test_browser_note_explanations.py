"""In Chromium: a "next time" note, still unsaved, turned into an explanation from the session
form; the session saved; the dashboard's item links to the explanation."""

import re

from tests.browser import assert_clean
from tests.browser import browser_errors
from tests.browser import expect
from tests.browser import latest_session
from tests.browser import live_server_fixture  # noqa: F401
from tests.browser import offline
from tests.browser import page_fixture  # noqa: F401
from tests.browser import register
from tests.browser import snap
from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.test_browser_guidance import local_input
from tests.test_browser_guidance import up_next_entry
from tests.test_browser_repertoire import add_inline_row
from tests.test_browser_repertoire import pick_one
from tests.test_browser_repertoire import save
from tracker.extensions import db
from tracker.models import Resource

EMAIL = "ana@example.com"
GOAL = "Clean barre chords at the fifth fret, all six strings ringing"
FIRST_WORDS = "Barre at fret 5"
NOTE = FIRST_WORDS + ": thumb behind the neck, roll the index onto its bony side"
TITLE = "Barre at fret 5: thumb behind the neck, roll the index onto …"


def seed(user):
    """A guitar and one goal on it, never practised."""
    guitar = InstrumentFactory(user=user, name="Guitar")
    goal = GoalFactory(user=user, name=GOAL, instrument=guitar)
    db.session.commit()
    return goal


def test_a_next_time_note_becomes_an_explanation_the_dashboard_links_to(live_server, page):
    errors = browser_errors(page)
    third_party = offline(page.context)  # the new tab's requests too
    widths = {}
    user = register(page, live_server, EMAIL)
    goal = seed(user)

    # A session being written: the goal's row, and its note for next time.
    page.goto(f"{live_server}/app/")
    page.click("#log-session")
    page.fill("input[name=started_at]", local_input(0, 8))
    page.fill("input[name=duration_minutes-hours]", "0")
    page.fill("input[name=duration_minutes-minutes]", "25")
    pick_one(page, "instrument", "Guitar")
    row = add_inline_row(page, "goal_links")
    pick_one(page, f"{row.get_attribute('id')}-goal", GOAL)
    control = row.locator(".save-note-explanation")
    expect(control).to_have_count(0)  # nothing to save yet
    note = row.get_by_label("Next time")
    note.fill(FIRST_WORDS)
    expect(control).to_be_visible()
    expect(control).to_have_attribute("href", re.compile(rf"goal_id={goal.id}"))
    note.fill("   ")
    expect(control).to_be_hidden()
    note.fill(NOTE)  # the whole note, still unsaved, is what the link carries
    expect(control).to_be_visible()
    widths["session form"] = snap(page, "note-explanation-session-form")

    # It opens the new-explanation page in a tab of its own, filled and linked.
    with page.context.expect_page() as opened:
        control.click()
    tab = opened.value
    tab_errors = browser_errors(tab)
    tab.wait_for_load_state()
    expect(tab).to_have_url(re.compile(r"/app/resource/new/\?"))
    expect(tab.locator("input[name=title]")).to_have_value(TITLE)
    expect(tab.locator("textarea[name=notes]")).to_have_value(NOTE)
    expect(tab.locator("#s2id_kind")).to_contain_text("Own note")
    expect(tab.locator("#s2id_goals .select2-search-choice")).to_contain_text([GOAL])
    widths["new explanation"] = snap(tab, "note-explanation-form")
    save(tab)
    expect(tab.locator("table.model-list")).to_contain_text(TITLE)
    tab.close()

    # The session form was left as it was: save it.
    expect(note).to_have_value(NOTE)
    save(page)
    expect(page).to_have_url(f"{live_server}/app/")
    session = latest_session(user)
    assert [link.next_time for link in session.goal_links] == [NOTE]
    [kept] = db.session.query(Resource).filter_by(user_id=user.id).all()
    assert (kept.title, kept.kind, kept.notes) == (TITLE, "note", NOTE)
    assert [g.id for g in kept.goals] == [goal.id]
    db.session.rollback()

    # The dashboard: the goal's "Up next" line and its left-off card link to it.
    entry_link = up_next_entry(page, GOAL).locator(".explanations-link")
    expect(entry_link).to_have_text("1 explanation")
    card_link = page.locator("#left-off .left-off-item .explanations-link")
    expect(card_link).to_have_text("1 explanation")
    widths["dashboard"] = snap(page, "note-explanation-dashboard")
    entry_link.click()
    expect(page).to_have_url(re.compile(rf"/app/goal/details/\?id={goal.id}.*#goal-explanations$"))
    expect(page.locator("#goal-explanations")).to_contain_text(TITLE)

    # The saved session's page offers the same for its note.
    page.goto(f"{live_server}/app/practice_session/details/?id={session.id}")
    widths["session details"] = snap(page, "note-explanation-session-details")
    page.get_by_role("link", name="Save as explanation").click()
    expect(page.locator("textarea[name=notes]")).to_have_value(NOTE)
    expect(page.locator("#s2id_goals .select2-search-choice")).to_contain_text([GOAL])

    assert_clean(errors + tab_errors, third_party, widths)
