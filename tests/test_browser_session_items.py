"""In Chromium: a session records how each goal and piece went, on one compact line per item."""

import re
from datetime import UTC
from datetime import datetime
from datetime import timedelta

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
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.test_browser_repertoire import add_inline_row
from tests.test_browser_repertoire import pick_one
from tests.test_browser_repertoire import save
from tracker.extensions import db
from tracker.models import PracticeSession

EMAIL = "django@example.com"
GOAL = "Scales in thirds"
PIECE = "Nuages, a very long title for a jazz standard that must still fit on a phone"
SECTION = "Bars 9–12"
PIECE_NOTE = "bars 9–12: LH shift late, start at 80"


def seed(user):
    """Piano and guitar, a session on the guitar yesterday, a goal and a piece with a section."""
    InstrumentFactory(user=user, name="Piano")
    guitar = InstrumentFactory(user=user, name="Guitar")
    PracticeSessionFactory(
        user=user, instrument=guitar, started_at=datetime.now(UTC) - timedelta(days=1)
    )
    GoalFactory(user=user, name=GOAL, target_bpm=120)
    piece = PieceFactory(user=user, title=PIECE, composer=None)
    PieceSectionFactory(user=user, piece=piece, section_name=SECTION, target_bpm=96)
    db.session.commit()
    return user


def same_line(row, names):
    """The tops of the row's fields named ...-name, one per name, all equal (one line)."""
    tops = {
        round(row.locator(f"label[for$=-{name}]").bounding_box()["y"]) for name in names
    }
    return len(tops) == 1


def test_session_items_are_recorded_on_one_line_each(live_server, page):
    errors = browser_errors(page)
    third_party = offline(page)
    user = seed(register(page, live_server, EMAIL))

    page.goto(f"{live_server}/app/practice_session/new/")
    # The guitar was played last: a new session starts on it.
    expect(page.locator("#s2id_instrument")).to_contain_text("Guitar")
    page.fill("input[name=duration_minutes-hours]", "0")
    page.fill("input[name=duration_minutes-minutes]", "45")
    page.select_option("select[name=quality_rating]", "3")

    goal_row = add_inline_row(page, "goal_links")
    goal_id = goal_row.get_attribute("id")
    expect(page.locator(f"#s2id_{goal_id}-goal")).to_contain_text("—")
    pick_one(page, f"{goal_id}-goal", GOAL)
    goal_row.locator("input[name$=-minutes]").fill("15")
    goal_row.get_by_label("Rating").select_option("4")
    goal_row.get_by_label("BPM").fill("96")
    goal_row.get_by_label("Clean").check()
    goal_row.get_by_label("Next time").fill("Thirds in G at 100")

    piece_row = add_inline_row(page, "piece_links")
    piece_id = piece_row.get_attribute("id")
    # A new piece row names no piece until one is chosen.
    expect(page.locator(f"#s2id_{piece_id}-piece")).to_contain_text("—")
    pick_one(page, f"{piece_id}-piece", PIECE)
    pick_one(page, f"{piece_id}-section", f"{PIECE} — {SECTION}")
    piece_row.get_by_label("BPM").fill("72")
    piece_row.get_by_label("Next time").fill(PIECE_NOTE)

    fields = ["minutes", "rating", "tempo_bpm", "clean", "next_time"]
    assert same_line(goal_row, ["goal", *fields])
    assert same_line(piece_row, ["piece", "section", *fields])
    widths = {"new session": snap(page, "session-items-form")}
    save(page)

    session = latest_session(user)
    assert session.instrument.name == "Guitar"
    [goal_link] = session.goal_links
    [piece_link] = session.piece_links
    assert (goal_link.rating, goal_link.tempo_bpm, goal_link.clean, goal_link.next_time) == (
        4,
        96,
        True,
        "Thirds in G at 100",
    )
    # Unrated: the item counts as the session's quality; unticked with a tempo: not clean.
    assert (piece_link.rating, piece_link.effective_rating) == (None, 3)
    assert (piece_link.tempo_bpm, piece_link.clean, piece_link.next_time) == (72, False, PIECE_NOTE)

    page.goto(f"{live_server}/app/practice_session/details/?id={session.id}")
    items = page.locator("table.table tr", has_text="Pieces worked on")
    expect(items).to_contain_text("rated 3 (as the session) · 72 BPM, not clean")
    expect(items).to_contain_text(f"Next time: {PIECE_NOTE}")
    expect(page.locator("table.table tr", has_text="Goals worked on")).to_contain_text(
        "rated 4 · 96 BPM, clean"
    )
    widths["session details"] = snap(page, "session-items-details")

    page.goto(f"{live_server}/app/practice_session/edit/?id={session.id}")
    goal_row = page.locator("#goal_links .inline-field-list > .inline-field").first
    expect(goal_row.get_by_label("Rating")).to_have_value("4")
    expect(goal_row.get_by_label("BPM")).to_have_value("96")
    expect(goal_row.get_by_label("Clean")).to_be_checked()
    expect(goal_row.get_by_label("Next time")).to_have_value("Thirds in G at 100")
    bpm = goal_row.get_by_label("BPM")
    bpm.fill("500")
    assert bpm.evaluate("input => input.validity.rangeOverflow")  # the browser says no first
    bpm.evaluate("input => input.removeAttribute('max')")  # ... and then the server does
    page.click("input[type=submit][value=Save]")
    expect(page.locator("#goal_links")).to_contain_text("A tempo from 10 to 400 BPM.")
    widths["refused edit"] = snap(page, "session-items-refused")
    db.session.expire_all()
    assert db.session.get(PracticeSession, session.id).goal_links[0].tempo_bpm == 96
    expect(page).to_have_url(re.compile(r"/app/practice_session/edit/"))

    assert_clean(errors, third_party, widths)
