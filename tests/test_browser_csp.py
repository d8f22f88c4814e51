"""Chromium walks every page under the Content-Security-Policy: 0 violations, handlers still work.

Pages come from the app itself (every scoped view's list, form, details and edit page, every
other page of the signed-in app, the sign-in pages and the API reference), so a new page is
walked without editing this file.
"""

from tests.browser import browser_errors
from tests.browser import expect
from tests.browser import live_server_fixture  # noqa: F401 - fixture
from tests.browser import offline
from tests.browser import page_fixture  # noqa: F401 - fixture
from tests.conftest import PASSWORD
from tests.factories import GoalFactory
from tests.factories import UserFactory
from tests.test_scoping import build_secret_row
from tests.test_scoping import other_views
from tests.test_scoping import scoped_views
from tracker.extensions import db
from tracker.models import Goal

# Recorded in the page before any of its own scripts run (Playwright's init scripts are not
# subject to the page's policy).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (event) {
  window.__cspViolations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline')
    + ' at ' + event.sourceFile + ':' + event.lineNumber);
});
"""


def signed_in_pages(app, owner):
    """Every GET page of the signed-in app, with one row of each kind to show and edit."""
    paths = []
    for view in scoped_views(app):
        row, _related = build_secret_row(view.model, owner)
        paths.append(f"{view.url}/")
        if view.can_create:
            paths.append(f"{view.url}/new/")
        if view.can_view_details:
            paths.append(f"{view.url}/details/?id={row.id}")
        if view.can_edit:
            paths.append(f"{view.url}/edit/?id={row.id}")
    paths += [f"{view.url}/" for view in other_views(app)]
    return [*paths, "/change", "/api/v1/docs"]


def _violations(page, console):
    """What the policy refused on this page: the DOM's reports and the console's."""
    reported = page.evaluate("window.__cspViolations || []")
    return reported + [text for text in console if "Content Security Policy" in text]


def test_every_page_runs_under_the_csp_without_a_violation(app, live_server, page, report_figure):
    owner = UserFactory(timezone="Europe/Berlin")
    paths = signed_in_pages(app, owner)
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda msg: console.append(msg.text))
    errors = browser_errors(page)
    third_party = offline(page)
    violations = {}
    downloads = []

    def walk(path):
        console.clear()
        # A download (Settings → Download all my data) is a file, not a page: nothing runs.
        if "attachment" in page.request.get(f"{live_server}{path}").headers.get(
            "content-disposition", ""
        ):
            downloads.append(path)
            return
        response = page.goto(f"{live_server}{path}")
        assert response.status == 200, (path, response.status)
        assert "nonce-" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        found = _violations(page, console)
        if found:
            violations[path] = found

    public = ["/", "/login", "/register"]
    for path in public:
        walk(path)
    page.goto(f"{live_server}/login")
    page.fill("#email", owner.email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server}/app/")
    for path in paths:
        walk(path)
    walked = len(public) + len(paths) - len(downloads)
    count = sum(len(found) for found in violations.values())
    report_figure(
        f"CSP: {walked} pages walked ({len(downloads)} downloads skipped), {count} violations"
    )
    assert violations == {}
    assert not third_party
    assert not errors, errors


def test_flask_admin_buttons_work_without_inline_handlers(live_server, page):
    """Delete asks first, "With the ticked rows" runs, "Add filter" adds one: all by handlers.js."""
    owner = UserFactory()
    goal = GoalFactory(user=owner, name="Scales in thirds")
    page.add_init_script(RECORD_VIOLATIONS)
    errors = browser_errors(page)
    page.goto(f"{live_server}/login")
    page.fill("#email", owner.email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server}/app/goal/")
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.locator("button[data-confirm]").first.click()
    expect(page.locator("td", has_text="Scales in thirds")).to_be_visible()
    assert dialogs == ["Delete this for good?"]
    db.session.expire_all()
    assert db.session.get(Goal, goal.id) is not None

    page.get_by_role("link", name="Add Filter").click()
    page.locator("a.filter").first.click()
    expect(page.locator(".filter-row, .filter-op, #filter_form select").first).to_be_visible()

    page.remove_listener("dialog", dismiss)
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("input.action-checkbox").first.check()
    page.get_by_role("button", name="With the ticked rows").click()
    page.locator("[data-model-action=archive]").click()
    page.wait_for_load_state("load")
    db.session.expire_all()
    assert db.session.get(Goal, goal.id).archived is True
    assert page.evaluate("window.__cspViolations") == []
    assert not errors, errors
