"""In Chromium: after three sessions the dashboard says where to pick up and what to practise next.

Three sessions are logged through the real form; then the left-off cards, the reasons of
"Up next", a snooze, a 30-minute plan that opens the form pre-filled, and the first screen
of a phone.
"""

import re
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.browser import PHONE_WIDTH
from tests.browser import SCREENSHOTS
from tests.browser import VIEWPORTS
from tests.browser import ZONE
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
from tests.test_browser_repertoire import add_inline_row
from tests.test_browser_repertoire import pick_one
from tests.test_browser_repertoire import save
from tracker.extensions import db
from tracker.models import PracticeSession

EMAIL = "clara@example.com"
SCALES = "Scales in thirds"
SIGHT_READING = "Sight-reading, one page a day"
BLACKBIRD = "Blackbird"
# 120 characters: long names must wrap on a phone, never widen the page.
LONG_PIECE = ("Ballade No. 1 in G minor, Op. 23, with the long coda that never seems to end " * 2)[
    :120
]
SECTION = "Presto con fuoco, bars 208-264, the left hand leaps"
SECTION_LABEL = f"{LONG_PIECE} — {SECTION}"


def seed(user):
    """Piano and guitar; a guitar goal with a target tempo, a guitar piece, a long piano piece."""
    piano = InstrumentFactory(user=user, name="Piano")
    guitar = InstrumentFactory(user=user, name="Guitar")
    GoalFactory(user=user, name=SCALES, instrument=guitar, target_bpm=120, priority=2)
    GoalFactory(user=user, name=SIGHT_READING, priority=3)
    PieceFactory(user=user, title=BLACKBIRD, composer=None, instrument=guitar)
    long_piece = PieceFactory(user=user, title=LONG_PIECE, composer=None, instrument=piano)
    PieceSectionFactory(user=user, piece=long_piece, section_name=SECTION, target_bpm=144)
    db.session.commit()
    return user


def local_input(days_ago, hour):
    """A datetime-local value days_ago days before today, at hour, in the user's zone."""
    day = datetime.now(ZoneInfo(ZONE)).date() - timedelta(days=days_ago)
    return f"{day.isoformat()}T{hour:02d}:00"


def fill_item(row, *, rating, bpm, clean, next_time, minutes=None):
    """How one item of the session went."""
    if minutes:
        row.locator("input[name$=-minutes]").fill(str(minutes))
    row.get_by_label("Rating").select_option(str(rating))
    row.get_by_label("BPM").fill(str(bpm))
    if clean:
        row.get_by_label("Clean").check()
    row.get_by_label("Next time").fill(next_time)


def log_session(page, base, *, started_at, minutes, instrument, notes, goals=(), pieces=()):
    """Log one session through the form: goals [(name, results)], pieces [(label, section, ...)]."""
    page.goto(f"{base}/app/")
    page.click("#log-session")
    expect(page).to_have_url(re.compile(r"/app/practice_session/new/"))
    page.fill("input[name=started_at]", started_at)
    page.fill("input[name=duration_minutes-hours]", "0")
    page.fill("input[name=duration_minutes-minutes]", str(minutes))
    pick_one(page, "instrument", instrument)
    page.fill("textarea[name=notes]", notes)
    page.select_option("select[name=quality_rating]", "3")
    for name, results in goals:
        row = add_inline_row(page, "goal_links")
        pick_one(page, f"{row.get_attribute('id')}-goal", name)
        fill_item(row, **results)
    for label, section, results in pieces:
        row = add_inline_row(page, "piece_links")
        row_id = row.get_attribute("id")
        pick_one(page, f"{row_id}-piece", label)
        if section:
            pick_one(page, f"{row_id}-section", section)
        fill_item(row, **results)
    save(page)
    expect(page).to_have_url(f"{base}/app/")


def log_three_sessions(page, base):
    """Guitar three days ago and today, piano yesterday, each item with its own results."""
    log_session(
        page,
        base,
        started_at=local_input(3, 18),
        minutes=40,
        instrument="Guitar",
        notes="Warm-up, then thirds.",
        goals=[
            (SCALES, {"rating": 3, "bpm": 88, "clean": True, "next_time": "Thirds in G at 96"}),
        ],
        pieces=[
            (BLACKBIRD, None, {"rating": 4, "bpm": 80, "clean": True, "next_time": "Intro ok"}),
        ],
    )
    log_session(
        page,
        base,
        started_at=local_input(1, 19),
        minutes=50,
        instrument="Piano",
        notes="Hands separately first. " * 10 + "Recorded the coda at the end.",
        pieces=[
            (
                LONG_PIECE,
                SECTION_LABEL,
                {"rating": 2, "bpm": 100, "clean": True, "next_time": "LH leaps: start at 92"},
            ),
        ],
    )
    log_session(
        page,
        base,
        started_at=local_input(0, 7),
        minutes=30,
        instrument="Guitar",
        notes="Short morning session.",
        goals=[
            (SCALES, {"rating": 4, "bpm": 96, "clean": True, "next_time": "Try A major at 100"}),
        ],
        pieces=[
            (
                BLACKBIRD,
                None,
                {"rating": 1, "bpm": 84, "clean": False, "next_time": "Bar 9 stretch: slow"},
            ),
        ],
    )


def up_next_entry(page, title):
    """The "Up next" line of the item titled title."""
    exact = re.compile(rf"^\s*{re.escape(title)}\s*$")
    return page.locator("#up-next .up-next-item").filter(
        has=page.locator(".item-title", has_text=exact)
    )


def box(page, selector):
    """The bounding box of the first element matching selector, in page coordinates."""
    return page.locator(selector).first.evaluate(
        "el => { const r = el.getBoundingClientRect(); return"
        " {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right}; }"
    )


def test_three_sessions_give_where_to_pick_up_and_what_next(live_server, page):
    errors = browser_errors(page)
    third_party = offline(page)
    widths = {}
    user = seed(register(page, live_server, EMAIL))
    log_three_sessions(page, live_server)
    assert db.session.query(PracticeSession).filter_by(user_id=user.id).count() == 3
    db.session.rollback()

    # Where you left off: the guitar (played today) first, its notes and tempos; then the piano.
    page.goto(f"{live_server}/app/")
    cards = page.locator("#left-off .left-off-card")
    expect(cards).to_have_count(2)
    guitar, piano = cards.nth(0), cards.nth(1)
    expect(guitar.locator(":scope > summary")).to_contain_text("Guitar")
    expect(guitar.locator(":scope > summary")).to_contain_text("Today 07:00 · 30 min")
    expect(guitar).to_contain_text("Try A major at 100")
    expect(guitar).to_contain_text("last clean 96 / target 120 BPM")
    expect(guitar).to_contain_text("Bar 9 stretch: slow")
    expect(guitar).to_contain_text("last clean 80 BPM")
    expect(piano.locator(":scope > summary")).to_contain_text("Piano")
    expect(piano.locator(":scope > summary")).to_contain_text("Yesterday 19:00 · 50 min")
    # The piano card is folded: it opens on a click, its long notes behind "more".
    expect(piano.get_by_text("LH leaps: start at 92")).to_be_hidden()
    piano.locator(":scope > summary").click()
    expect(piano.get_by_text("LH leaps: start at 92")).to_be_visible()
    expect(piano.get_by_text("Recorded the coda at the end.")).to_be_hidden()
    piano.locator(".notes-more summary").click()
    expect(piano.get_by_text("Recorded the coda at the end.", exact=False)).to_be_visible()
    expect(piano).to_contain_text("last clean 100 / target 144 BPM")

    # Up next, with its reasons in true numbers.
    expect(up_next_entry(page, BLACKBIRD)).to_contain_text("came apart last time (rated 1)")
    expect(up_next_entry(page, BLACKBIRD)).to_contain_text("try 80 BPM")
    expect(up_next_entry(page, SIGHT_READING)).to_contain_text("never practised yet")
    expect(up_next_entry(page, SIGHT_READING)).to_contain_text("high priority")
    expect(up_next_entry(page, SECTION_LABEL)).to_contain_text("Piano · Learning")
    widths["dashboard"] = snap(page, "guidance-dashboard")
    page.reload()  # every card and note folded as they first come
    first_screen(page)

    # Snooze sight-reading for 3 days: it leaves the list.
    up_next_entry(page, SIGHT_READING).get_by_role("button", name="3 days").click()
    expect(page.locator(".alert-success")).to_contain_text("Snoozed for 3 days.")
    expect(up_next_entry(page, SIGHT_READING)).to_have_count(0)
    expect(up_next_entry(page, BLACKBIRD)).to_have_count(1)

    # Practise opens the form on the item, its instrument and the tempo to try.
    up_next_entry(page, BLACKBIRD).get_by_role("link", name="Practise").click()
    expect(page).to_have_url(re.compile(r"/app/practice_session/new/\?"))
    expect(page.locator("#s2id_instrument")).to_contain_text("Guitar")
    expect(page.locator("#s2id_piece_links-0-piece")).to_contain_text(BLACKBIRD)
    expect(page.locator("input[name=piece_links-0-tempo_bpm]")).to_have_value("80")
    expect(page.locator("#goal_links .inline-field-list > .inline-field")).to_have_count(0)

    # Continue the piano: its instrument and its section, at the tempo to try.
    page.goto(f"{live_server}/app/")
    piano = page.locator("#left-off .left-off-card").nth(1)
    piano.locator(":scope > summary").click()
    piano.get_by_role("link", name="Continue").click()
    expect(page.locator("#s2id_instrument")).to_contain_text("Piano")
    expect(page.locator("#s2id_piece_links-0-section")).to_contain_text(SECTION)
    expect(page.locator("input[name=piece_links-0-tempo_bpm]")).to_have_value("108")

    # A plan for 30 minutes, started: the form holds every item with its minutes.
    page.goto(f"{live_server}/app/")
    page.fill("#plan-minutes", "30")
    page.get_by_role("button", name="Make a plan").click()
    steps = page.locator("#plan .plan-steps > li")
    expect(steps).to_have_count(3)
    expect(steps.first).to_contain_text(" min")
    minutes = [int(re.search(r"· (\d+) min", text).group(1)) for text in steps.all_inner_texts()]
    assert sum(minutes) == 30 and min(minutes) >= 5, minutes
    widths["plan"] = snap(page, "guidance-plan")
    page.click("#plan-start")
    expect(page).to_have_url(re.compile(r"/app/practice_session/new/\?"))
    rows = page.locator(".inline-field-list > .inline-field")
    expect(rows).to_have_count(3)
    filled = sorted(
        int(value)
        for value in page.locator(".inline-field-list input[name$=-minutes]").evaluate_all(
            "inputs => inputs.map(input => input.value)"
        )
    )
    assert filled == sorted(minutes), filled
    expect(page.locator("input[name=duration_minutes-minutes]")).to_have_value("30")
    widths["started plan"] = snap(page, "guidance-plan-form")
    save(page)
    latest = latest_session(user)
    assert latest.duration_minutes == 30
    assert sorted(link.minutes for link in [*latest.goal_links, *latest.piece_links]) == sorted(
        minutes
    )
    db.session.rollback()

    assert_clean(errors, third_party, widths)


def first_screen(page):
    """A phone's first screen answers "where did I leave off" and "what next"; a desktop's too."""
    page.set_viewport_size({"width": PHONE_WIDTH, "height": VIEWPORTS[PHONE_WIDTH]})
    page.evaluate("window.scrollTo(0, 0)")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    screen = VIEWPORTS[PHONE_WIDTH]
    assert box(page, "#log-session")["bottom"] <= screen
    assert box(page, "#left-off .left-off-card")["bottom"] <= screen
    assert box(page, "#up-next .up-next-item")["top"] < screen
    strip = [
        box(page, f"#{figure}") for figure in ("minutes-today", "minutes-week", "streak-current")
    ]
    assert len({round(figure["top"]) for figure in strip}) == 1, "one strip of three"
    assert strip[0]["top"] > box(page, "#up-next")["top"]
    page.screenshot(path=SCREENSHOTS / "guidance-first-screen-375.png")

    page.set_viewport_size({"width": 1280, "height": VIEWPORTS[1280]})
    left_off, up_next = box(page, "#left-off"), box(page, "#up-next")
    assert round(left_off["top"]) == round(up_next["top"]), "side by side"
    assert left_off["right"] <= up_next["left"]
    assert box(page, "#stat-cards")["top"] > max(left_off["bottom"], up_next["bottom"])
    page.screenshot(path=SCREENSHOTS / "guidance-first-screen-1280.png")
