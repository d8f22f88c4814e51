"""In Chromium: a piece split into sections drives a goal's progress as sections get ready."""

import re

from tests.browser import assert_clean
from tests.browser import browser_errors
from tests.browser import expect
from tests.browser import live_server_fixture  # noqa: F401
from tests.browser import offline
from tests.browser import page_fixture  # noqa: F401
from tests.browser import register
from tests.browser import snap
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tracker.extensions import db
from tracker.models import User

EMAIL = "frederic@example.com"
PIECE = "Nocturne Op. 9 No. 2"
PIECE_LABEL = f"{PIECE} (Chopin)"
GOAL = "Learn the Nocturne"
GEAR = "Steinway B"
SECTIONS = ["Bars 1-16", "Cadenza"]
OTHER = "Scherzo No. 2"


def open_menu(page, menu, item):
    """Open a navbar dropdown and follow one of its entries."""
    page.wait_for_load_state()
    page.click(f"#menu-{menu}")
    page.locator(f"[aria-labelledby=menu-{menu}]").get_by_role("link", name=item).click()


def select2_option(page, label):
    """The option labelled exactly label in the open select2 drop-down."""
    exact = re.compile(rf"^\s*{re.escape(label)}\s*$")
    return page.locator(".select2-drop-active .select2-result-label", has_text=exact)


def pick_many(page, field, label):
    """Choose label in the select2 multi-select over select[name=field]."""
    page.click(f"#s2id_{field} input.select2-input")
    select2_option(page, label).click()
    expect(page.locator(f"#s2id_{field} .select2-search-choice")).to_contain_text([label])


def pick_one(page, field_id, label):
    """Choose label in the select2 single select over #field_id."""
    page.click(f"#s2id_{field_id} a.select2-choice")
    select2_option(page, label).click()
    expect(page.locator(f"#s2id_{field_id}")).to_contain_text(label)


def add_inline_row(page, field):
    """Press the inline 'Add ...' button of field and return the new row."""
    rows = page.locator(f"#{field} > .inline-field-list > .inline-field")
    count = rows.count()
    page.wait_for_load_state()
    page.click(f"#{field}-button")
    expect(rows).to_have_count(count + 1)
    return rows.nth(count)


def save(page, message="Saved."):
    """Press the form's Save button and wait for the app to confirm with message."""
    page.click("input[type=submit][value=Save]")
    expect(page.locator(".alert-success")).to_have_text(re.compile(rf"{re.escape(message)}\s*$"))


def test_goal_progress_follows_piece_sections(live_server, page):
    errors = browser_errors(page)
    third_party = offline(page)
    too_wide = {}
    register(page, live_server, EMAIL)

    open_menu(page, "repertoire", "Pieces")
    expect(page).to_have_url(f"{live_server}/app/piece/")
    page.locator(".nav-tabs").get_by_role("link", name="Add new").click()
    expect(page).to_have_url(re.compile(r"/app/piece/new/"))
    page.fill("input[name=title]", PIECE)
    page.fill("input[name=composer]", "Chopin")
    pick_one(page, "status", "Learning")
    add_button = page.locator("#sections-button")
    expect(add_button).to_have_text("Add Section")
    for name in SECTIONS:
        row = add_inline_row(page, "sections")
        row.locator("input[name$=-section_name]").fill(name)
        row.locator("select[name$=-status]").select_option(label="Learning")
    snap(page, "repertoire-piece-form")
    save(page)

    expect(page).to_have_url(re.compile(r"/app/piece/"))
    rows = page.locator("table.model-list tbody tr")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name="View", exact=True).click()
    expect(page).to_have_url(re.compile(r"/app/piece/details/\?id=\d+"))
    piece_url = page.url
    sections = page.locator("#piece-sections li")
    expect(sections).to_have_count(2)
    for name in SECTIONS:
        expect(sections.filter(has_text=name)).to_contain_text("Learning")

    open_menu(page, "gear", "Equipment")
    page.locator(".nav-tabs").get_by_role("link", name="Add new").click()
    page.fill("input[name=name]", GEAR)
    pick_one(page, "kind", "Instrument")
    save(page)
    expect(page.locator("table.model-list tbody tr")).to_contain_text(GEAR)

    page.locator("nav").get_by_role("link", name="Goals").click()
    expect(page).to_have_url(re.compile(r"/app/goal/"))
    page.locator(".nav-tabs").get_by_role("link", name="Add new").click()
    page.fill("input[name=name]", GOAL)
    pick_one(page, "goal_type", "Piece")
    pick_one(page, "priority", "High")
    pick_one(page, "status", "In progress")
    pick_many(page, "pieces", PIECE_LABEL)
    save(page)
    expect(page).to_have_url(re.compile(r"/app/goal/"))
    goal_row = page.locator("table.model-list tbody tr", has_text=GOAL)
    expect(goal_row.locator(".goal-progress .progress-bar")).to_have_attribute(
        "style", re.compile(r"width: 0%")
    )
    expect(goal_row.locator(".goal-progress")).to_contain_text("0 of 2 sections ready")
    # Another piece's section must not be offered once the Nocturne is chosen.
    user = db.session.query(User).filter_by(email=EMAIL).one()
    PieceSectionFactory(user=user, piece=PieceFactory(user=user, title=OTHER), section_name="Trio")
    db.session.commit()

    page.locator("nav").get_by_role("link", name="Practice log").click()
    page.locator(".nav-tabs").get_by_role("link", name="Add new").click()
    expect(page).to_have_url(re.compile(r"/app/practice_session/new/"))
    page.fill("input[name=duration_minutes-hours]", "0")
    page.fill("input[name=duration_minutes-minutes]", "45")
    pick_many(page, "equipment", GEAR)
    expect(page.locator("#piece_links-button")).to_be_visible()
    row = add_inline_row(page, "piece_links")
    row_id = row.get_attribute("id")
    offered = page.locator(".select2-drop-active .select2-result-label")
    for piece, sections in ((f"{OTHER} (J. S. Bach)", [f"{OTHER} — Trio"]), (PIECE_LABEL, None)):
        pick_one(page, f"{row_id}-piece", piece)
        page.click(f"#s2id_{row_id}-section a.select2-choice")
        sections = sections or [f"{PIECE} — {name}" for name in SECTIONS]
        expect(offered).to_have_text(["— whole piece —", *sections])
        page.keyboard.press("Escape")
    pick_one(page, f"{row_id}-section", f"{PIECE} — Cadenza")
    row.locator("input[name$=-minutes]").fill("30")
    snap(page, "repertoire-session-form")
    save(page)
    log_rows = page.locator("table.model-list tbody tr")
    expect(log_rows).to_have_count(1)
    log_rows.get_by_role("link", name="View", exact=True).click()
    expect(page).to_have_url(re.compile(r"/app/practice_session/details/"))
    details = page.locator("table.table tr")
    expect(details.filter(has_text="Pieces worked on")).to_contain_text(f"{PIECE} — Cadenza")
    expect(details.filter(has_text="Gear used")).to_contain_text(GEAR)

    page.goto(piece_url)
    page.locator(".nav-tabs").get_by_role("link", name="Edit").click()
    expect(page).to_have_url(re.compile(r"/app/piece/edit/"))
    cadenza = page.locator("#sections .inline-field", has=page.locator("input[value=Cadenza]"))
    cadenza.locator("select[name$=-status]").select_option(label="Performance-ready")
    save(page, "Changes saved.")

    page.locator("nav").get_by_role("link", name="Goals").click()
    goal_row = page.locator("table.model-list tbody tr", has_text=GOAL)
    expect(goal_row.locator(".goal-progress .progress-bar")).to_have_attribute(
        "style", re.compile(r"width: 50%")
    )
    expect(goal_row.locator(".goal-progress")).to_contain_text("1 of 2 sections ready")
    snap(page, "repertoire-goal-list")
    goal_row.get_by_role("link", name="View", exact=True).click()
    expect(page.locator("#progress-rule")).to_contain_text(
        "1 of the 2 piece sections linked to this goal (directly or through its pieces) "
        "are performance-ready"
    )
    too_wide["goal details"] = snap(page, "repertoire-goal-details")

    page.locator("nav").get_by_role("link", name="Dashboard").click()
    active = page.locator("#active-goals li", has_text=GOAL)
    expect(active.locator(".progress-bar")).to_have_attribute("style", re.compile(r"width: 50%"))
    expect(active).to_contain_text("1 of 2 sections ready")
    too_wide["dashboard"] = snap(page, "repertoire-dashboard")

    page.goto(piece_url)
    expect(page.locator("#piece-sessions li")).to_have_count(1)
    expect(page.locator("#piece-sessions")).to_contain_text("Cadenza")
    expect(page.locator("#piece-total")).to_have_text("30 min")
    too_wide["piece details"] = snap(page, "repertoire-piece-details")

    assert_clean(errors, third_party, too_wide)
