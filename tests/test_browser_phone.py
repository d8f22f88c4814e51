"""At the music stand, 375 px wide: lists as cards, no page wider than the screen, a journey.

The pages come from the app itself (every scoped view's list, form, details and edit page,
as the CSP walk finds them), so a new view is measured without editing this file.
"""

import re

from tests.browser import PHONE_WIDTH
from tests.browser import SCREENSHOTS
from tests.browser import VIEWPORTS
from tests.browser import browser_errors
from tests.browser import expect
from tests.browser import latest_session
from tests.browser import live_server_fixture  # noqa: F401 - fixture
from tests.browser import offline
from tests.browser import page_fixture  # noqa: F401 - fixture
from tests.browser import too_wide_pages
from tests.conftest import PASSWORD
from tests.factories import EquipmentFactory
from tests.factories import FocusAreaFactory
from tests.factories import GoalFactory
from tests.factories import MaintenanceLogFactory
from tests.factories import NotificationFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import ReminderFactory
from tests.factories import ResourceFactory
from tests.factories import UserFactory
from tests.factories import days_ago
from tests.factories import played_on_two_instruments
from tests.test_browser_csp import signed_in_pages
from tests.test_scoping import build_secret_row
from tests.test_scoping import scoped_views
from tracker.extensions import db

PHONE = {"width": PHONE_WIDTH, "height": VIEWPORTS[PHONE_WIDTH]}
DESKTOP = {"width": 1280, "height": VIEWPORTS[1280]}
# A note as a musician writes one, long enough to need shortening on a card.
NOTE = (
    "Bars 9-16: left-hand shift lands late, practise the jump slowly with stops; "
    "then the whole page at 72, and record it once at the end to hear the phrasing."
)


def sign_in(page, base, user):
    """Log in through the form as user."""
    page.goto(f"{base}/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/app/")


def fill_lists(app, owner):
    """A few rows a musician would have in every list, and one of every other kind."""
    guitar, piano, study, _section, _day = played_on_two_instruments(owner)
    scales = FocusAreaFactory(user=owner, name="Scales")
    PracticeSessionFactory(
        user=owner, instrument=piano, started_at=days_ago(1), duration_minutes=85, notes=NOTE,
        focus_areas=[scales],
    )  # fmt: skip
    GoalFactory(user=owner, name="Sight-read a hymn a day", instrument=piano, priority=3)
    piece = PieceFactory(user=owner, title="Asturias (Leyenda)", composer="Isaac Albéniz",
                         instrument=guitar, notes=NOTE)  # fmt: skip
    PieceSectionFactory(user=owner, piece=piece, section_name="Opening arpeggios")
    strings = EquipmentFactory(user=owner, name="Yamaha C40", instrument=guitar)
    MaintenanceLogFactory(user=owner, equipment=strings, notes="D'Addario EJ27N, normal tension")
    ReminderFactory(user=owner, label="Scales before work")
    NotificationFactory(user=owner, message="Time to practise: Scales before work")
    ResourceFactory(user=owner, title="Relaxed thumb", notes=NOTE, goals=[study])
    for view in scoped_views(app):
        if not db.session.query(view.model).filter_by(user_id=owner.id).count():
            build_secret_row(view.model, owner)


def list_paths(app):
    """(endpoint, list URL) of every scoped view."""
    return [(view.endpoint, f"{view.url}/") for view in scoped_views(app)]


def test_no_page_scrolls_sideways_at_375_px(app, live_server, page, report_figure):
    owner = UserFactory(timezone="Europe/Berlin")
    fill_lists(app, owner)
    paths = signed_in_pages(app, owner)
    errors = browser_errors(page)
    third_party = offline(page)
    sign_in(page, live_server, owner)
    page.set_viewport_size(PHONE)
    widths = {}
    for path in paths:
        if "attachment" in page.request.get(f"{live_server}{path}").headers.get(
            "content-disposition", ""
        ):
            continue  # a download is a file, not a page
        response = page.goto(f"{live_server}{path}")
        assert response.status == 200, (path, response.status)
        page.wait_for_load_state("load")
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    report_figure(f"phone width: {len(widths)} pages measured at {PHONE_WIDTH} px")
    assert too_wide_pages(widths) == {}
    assert not third_party
    assert not errors, errors


def test_every_list_shows_cards_at_375_px(app, live_server, page):
    owner = UserFactory(timezone="Europe/Berlin")
    fill_lists(app, owner)
    errors = browser_errors(page)
    sign_in(page, live_server, owner)
    page.set_viewport_size(PHONE)
    SCREENSHOTS.mkdir(exist_ok=True)
    for endpoint, path in list_paths(app):
        page.goto(f"{live_server}{path}")
        page.wait_for_load_state("load")
        page.screenshot(path=SCREENSHOTS / f"list-{endpoint}-375.png", full_page=True)
        if endpoint == "practice_session":
            page.screenshot(path=SCREENSHOTS / "practice-log-375-after.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, endpoint
        expect(page.locator("table.model-list")).to_be_hidden()
        cards = page.locator(".list-card")
        expect(cards.first).to_be_visible()
        assert cards.count() >= 1, endpoint
        for card in cards.all():
            expect(card.locator(".list-card-title")).not_to_be_empty()
            menu = card.get_by_role("button", name=re.compile("^Actions for "))
            expect(menu).to_have_text("⋯")
            menu.click()
            items = card.locator(".dropdown-menu.show .row-action")
            expect(items.first).to_be_visible()
            assert all(label.strip() for label in items.all_inner_texts()), endpoint
            menu.click()
    assert not errors, errors


def test_practice_log_card_shows_title_fields_and_one_line_of_notes(app, live_server, page):
    owner = UserFactory(timezone="Europe/Berlin")
    fill_lists(app, owner)
    sign_in(page, live_server, owner)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/app/practice_session/")
    card = page.locator(".list-card", has_text="1 h 25 min")
    expect(card.locator(".list-card-title")).to_contain_text("1 h 25 min")
    expect(card.locator(".list-card-title")).to_contain_text("Piano")
    expect(card.locator(".list-card-fields")).to_contain_text("Scales")
    note = card.locator(".list-card-note")
    expect(note).to_contain_text("Bars 9-16")
    one_line = note.evaluate("el => el.scrollHeight <= el.clientHeight + 1")
    line_height = note.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    assert one_line and note.bounding_box()["height"] < 2 * line_height


def test_phone_journey_logs_a_session_then_edits_it_from_the_card_menu(live_server, page):
    owner = UserFactory(timezone="Europe/Berlin")
    errors = browser_errors(page)
    third_party = offline(page)
    sign_in(page, live_server, owner)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/app/practice_session/")
    page.get_by_role("link", name="Log your first session").click()
    page.fill("input[name=duration_minutes-hours]", "0")
    page.fill("input[name=duration_minutes-minutes]", "25")
    page.fill("textarea[name=notes]", NOTE)
    page.get_by_role("button", name="Save", exact=True).or_(
        page.locator("input[type=submit][value=Save]")
    ).first.click()
    session = latest_session(owner)
    assert session is not None and session.duration_minutes == 25

    page.goto(f"{live_server}/app/practice_session/")
    card = page.locator(".list-card").first
    expect(card.locator(".list-card-title")).to_contain_text("25 min")
    card.get_by_role("button", name=re.compile("^Actions for ")).click()
    card.locator(".dropdown-menu").get_by_role("link", name="Edit").click()
    expect(page).to_have_url(re.compile(rf"/app/practice_session/edit/\?id={session.id}"))
    page.fill("input[name=duration_minutes-minutes]", "40")
    page.locator("input[type=submit][value=Save]").click()
    expect(page).to_have_url(re.compile(r"/app/practice_session/"))
    expect(page.locator(".list-card").first.locator(".list-card-title")).to_contain_text("40 min")
    assert latest_session(owner).duration_minutes == 40
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    assert not third_party
    assert not errors, errors


def test_filter_and_selected_bars_fold_away_on_a_phone(live_server, page):
    owner = UserFactory(timezone="Europe/Berlin")
    kept = GoalFactory(user=owner, name="Scales in thirds")
    archived = GoalFactory(user=owner, name="Vibrato on long notes")
    sign_in(page, live_server, owner)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/app/goal/")
    add_filter = page.get_by_role("link", name="Add Filter")
    expect(add_filter).to_be_hidden()
    page.get_by_role("button", name=re.compile("^Filter")).click()
    expect(add_filter).to_be_visible()
    expect(page.locator("input[name=search]")).to_be_visible()
    add_filter.click()
    page.locator("a.filter", has_text="Status").click()
    expect(page.locator("#filter_form .filters tr").first).to_be_visible()
    page.locator("#filter_form .filters tr").first.locator(".filter-val").first.wait_for()
    page.screenshot(path=SCREENSHOTS / "list-goal-375-filter.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH

    with_ticked = page.get_by_role("button", name="With the ticked rows")
    expect(with_ticked).to_be_hidden()
    card = page.locator(".list-card", has_text="Vibrato on long notes")
    card.get_by_role("checkbox").check()
    selected = page.get_by_role("button", name=re.compile("^Selected"))
    expect(selected).to_contain_text("1")
    selected.click()
    expect(with_ticked).to_be_visible()
    expect(page.locator(".list-selected-bar.show:not(.collapsing)")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "list-goal-375-selected.png", full_page=True)
    page.on("dialog", lambda dialog: dialog.accept())
    with_ticked.click()
    page.locator("[data-model-action=archive]").click()
    expect(page.locator(".alert-success")).to_contain_text("1 goal(s) archived.")
    db.session.expire_all()
    assert db.session.get(type(archived), archived.id).archived is True
    assert db.session.get(type(kept), kept.id).archived is False
    expect(page.locator(".list-card", has_text="Vibrato on long notes")).to_have_count(0)


def test_desktop_keeps_the_table_with_labelled_row_actions(live_server, page):
    owner = UserFactory(timezone="Europe/Berlin")
    GoalFactory(user=owner, name="Scales in thirds")
    GoalFactory(user=owner, name="Vibrato on long notes", notes=NOTE)
    SCREENSHOTS.mkdir(exist_ok=True)
    sign_in(page, live_server, owner)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server}/app/goal/")
    page.wait_for_load_state("load")
    page.screenshot(path=SCREENSHOTS / "list-goal-1280.png", full_page=True)
    expect(page.locator(".list-cards")).to_be_hidden()
    row = page.locator("table.model-list tbody tr", has_text="Scales in thirds")
    expect(row).to_be_visible()
    actions = row.locator(".list-buttons-column")
    for label in ("View", "Edit", "Delete", "Mark completed", "Archive"):
        expect(actions.get_by_text(label, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Add Filter")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Filter"))).to_be_hidden()


def test_pages_of_a_long_log_stay_reachable_on_a_phone(live_server, page):
    owner = UserFactory(timezone="Europe/Berlin")
    for day in range(1, 26):
        PracticeSessionFactory(user=owner, started_at=days_ago(day), duration_minutes=day)
    sign_in(page, live_server, owner)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/app/practice_session/")
    page.wait_for_load_state("load")
    expect(page.locator(".list-card")).to_have_count(20)
    pager = page.locator(".list-pager .pagination")
    expect(pager).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    pager.get_by_role("link", name="2", exact=True).click()
    expect(page).to_have_url(re.compile(r"page=1"))
    expect(page.locator(".list-card").first.locator(".list-card-title")).to_contain_text("21 min")
