"""axe-core walks every page at 1280 px and 375 px: 0 serious and 0 critical violations.

The pages are those of the CSP walk (tests/test_browser_csp.py), discovered from the app, so a
new page is checked without editing this file. axe-core ships inside axe-playwright-python and
is evaluated in the page: nothing is fetched from the network.
"""

from collections import Counter

from tests.browser import VIEWPORTS
from tests.browser import browser_errors
from tests.browser import expect
from tests.browser import live_server_fixture  # noqa: F401 - fixture
from tests.browser import no_browser
from tests.browser import offline
from tests.browser import page_fixture  # noqa: F401 - fixture
from tests.conftest import PASSWORD
from tests.factories import PracticeSessionFactory
from tests.factories import ReminderFactory
from tests.factories import UserFactory
from tests.test_browser_csp import signed_in_pages

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:
    Axe = None

BLOCKING = ("critical", "serious")


def axe_violations(page):
    """axe-core's violations on the page as it is now: [(rule, impact, target), ...]."""
    if Axe is None:
        no_browser("axe-playwright-python is not installed (pip install -e '.[test]')")
    results = Axe().run(page).response
    return [
        (violation["id"], violation["impact"], " ".join(map(str, node["target"])))
        for violation in results["violations"]
        for node in violation["nodes"]
    ]


def by_rule(found):
    """'rule (impact) count' for hits starting (rule, impact, ...), most frequent first."""
    counts = Counter(f"{hit[0]} ({hit[1]})" for hit in found)
    return ", ".join(f"{name} {count}" for name, count in counts.most_common()) or "none"


def sign_in(page, base, user):
    """Sign in through the login form."""
    page.goto(f"{base}/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/app/")


def test_every_page_has_no_serious_or_critical_axe_violation(app, live_server, page, report_figure):
    owner = UserFactory(timezone="Europe/Berlin")
    paths = signed_in_pages(app, owner)
    # As for visitors who ask for less motion: Bootstrap then draws no colour transitions,
    # which axe would otherwise measure half-way.
    page.emulate_media(reduced_motion="reduce")
    errors = browser_errors(page)
    third_party = offline(page)
    found = []  # (rule, impact, target, path, width)
    walked = []

    def check(path):
        # A download (Settings → Download all my data) is a file, not a page.
        if "attachment" in page.request.get(f"{live_server}{path}").headers.get(
            "content-disposition", ""
        ):
            return
        for width, height in VIEWPORTS.items():
            page.set_viewport_size({"width": width, "height": height})
            response = page.goto(f"{live_server}{path}")
            assert response.status == 200, (path, response.status)
            page.wait_for_load_state("load")
            found.extend((*hit, path, width) for hit in axe_violations(page))
        walked.append(path)

    public = ["/", "/login", "/register"]
    for path in public:
        check(path)
    page.set_viewport_size({"width": 1280, "height": VIEWPORTS[1280]})
    sign_in(page, live_server, owner)
    for path in paths:
        check(path)

    blocking = [hit for hit in found if hit[1] in BLOCKING]
    others = [hit for hit in found if hit[1] not in BLOCKING]
    report_figure(
        f"axe: {len(walked)} pages at {' and '.join(map(str, VIEWPORTS))} px; "
        f"serious or critical: {len(blocking)} ({by_rule(blocking)}); "
        f"moderate or minor: {len(others)} ({by_rule(others)})"
    )
    where = sorted({f"{rule} at {width} px on {path}: {target}" for rule, _i, target, path, width
                    in blocking})  # fmt: skip
    assert not where, "\n".join(where[:60])
    assert not third_party, sorted(set(third_party))
    assert not errors, errors


def test_session_form_errors_are_read_with_their_fields(live_server, page):
    owner = UserFactory()
    sign_in(page, live_server, owner)
    page.goto(f"{live_server}/app/practice_session/new/")
    page.fill("#duration_minutes-hours", "0")
    page.fill("#duration_minutes-minutes", "0")
    page.get_by_role("button", name="Save", exact=True).click()
    hours = page.locator("#duration_minutes-hours")
    expect(hours).to_have_attribute("aria-invalid", "true")
    for field in (hours, page.locator("#duration_minutes-minutes")):
        described = field.get_attribute("aria-describedby")
        assert described, "the field names no description"
        expect(page.locator(f"#{described}")).to_contain_text("A session lasts")
    assert [hit for hit in axe_violations(page) if hit[1] in BLOCKING] == []


def test_keyboard_focus_is_outlined(live_server, page):
    owner = UserFactory()
    sign_in(page, live_server, owner)
    page.goto(f"{live_server}/app/practice_session/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the page")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    outlines = []
    for _ in range(6):
        page.keyboard.press("Tab")
        outlines.append(
            page.evaluate(
                "(() => { const s = getComputedStyle(document.activeElement);"
                " return [document.activeElement.textContent.trim(), s.outlineStyle,"
                " parseFloat(s.outlineWidth)]; })()"
            )
        )
    assert all(style != "none" and width >= 2 for _text, style, width in outlines), outlines


def test_reminder_active_tick_says_yes_or_no(live_server, page):
    owner = UserFactory()
    ReminderFactory(user=owner, label="Scales before work", is_active=True)
    sign_in(page, live_server, owner)
    page.goto(f"{live_server}/app/reminders/")
    expect(page.get_by_role("link", name="Active: yes, change")).to_be_visible()
    select_all = page.get_by_role("checkbox", name="Tick every row")
    expect(select_all).to_be_visible()
    expect(page.get_by_role("checkbox", name="Select reminder Scales before work")).to_be_visible()


def test_inline_edit_popup_names_its_buttons_and_field(live_server, page):
    owner = UserFactory()
    PracticeSessionFactory(user=owner, duration_minutes=25)
    sign_in(page, live_server, owner)
    page.goto(f"{live_server}/app/practice_session/")
    page.locator("a[data-role=x-editable][name=duration_minutes]").click()
    popup = page.locator(".editable-popup")
    expect(popup.get_by_role("button", name="Save")).to_be_visible()
    expect(popup.get_by_role("button", name="Cancel")).to_be_visible()
    expect(popup.get_by_role("spinbutton", name="Minutes")).to_have_value("25")
    assert [hit for hit in axe_violations(page) if hit[1] in BLOCKING] == []
