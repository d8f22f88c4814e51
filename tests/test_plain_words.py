"""Every page of the signed-in app speaks plain words and writes each day as "Tue 1 Dec 2026".

None of Flask-Admin's admin-panel words is left.

The pages are those the browser walk visits (tests/test_browser_csp.py: every scoped view's
list, form, details and edit page with a row to show, and every other page), so a new page is
checked without editing this file.
"""

import re

from tests.factories import PracticeSessionFactory
from tests.factories import UserFactory
from tests.test_browser_csp import signed_in_pages
from tracker.extensions import db
from tracker.models import PracticeSession

# Flask-Admin's words as a musician would never say them.
ADMIN_WORDS = (
    "View Record",
    "Edit Record",
    "Delete Record",
    "Create New Record",
    "Select record",
    "selected records",
    "records were",
    "successfully",
    "Failed to",
    "Are you sure",
    "Delete?",
    "With selected",
    "Save and Add Another",
    "Save and Continue Editing",
    "Empty",
)
# "Section #1": an inline row numbered like a database row.
NUMBERED_ROW = re.compile(r"\w #\d")
# A red button that only leaves the form.
RED_CANCEL = re.compile(r'class="[^"]*btn-danger[^"]*"[^>]*>\s*Cancel')
# A day written any other way than "Tue 1 Dec 2026": "2026-12-01", "01 Dec".
OTHER_DATE_STYLES = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b0\d (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"
)
TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)


def page_text(html):
    """The words a page shows: its HTML without scripts, styles and tags."""
    return " ".join(TAGS.sub(" ", html).split())


def admin_wording(html):
    """Each piece of admin-panel wording found on a page, with a little context."""
    text = page_text(html)
    found = [word for word in ADMIN_WORDS if word in text]
    found += [text[max(m.start() - 20, 0) : m.end() + 5] for m in NUMBERED_ROW.finditer(text)]
    if RED_CANCEL.search(html):
        found.append("a red Cancel")
    if 'id="fa_filter"' in html:
        found.append("a Filter box")
    found += [f"the date {m.group()}" for m in OTHER_DATE_STYLES.finditer(text)]
    return found


def test_every_page_of_the_walk_speaks_plain_words(app, client, auth):
    owner = UserFactory(timezone="Europe/Berlin")
    paths = signed_in_pages(app, owner)
    auth.login(owner)
    wording = {}
    walked = 0
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if not response.mimetype == "text/html":
            continue  # a download
        walked += 1
        found = admin_wording(response.get_data(as_text=True))
        if found:
            wording[path] = found
    assert walked > 40
    assert wording == {}


def test_the_checks_find_admin_panel_wording():
    assert admin_wording("<legend><small>Section #1</small></legend>") == ["Section #1"]
    assert admin_wording('<a class="btn btn-danger" href="/">Cancel</a>') == ["a red Cancel"]
    assert admin_wording("<p>3 records were successfully deleted.</p>") == [
        "records were",
        "successfully",
    ]
    assert admin_wording('<input id="fa_filter">') == ["a Filter box"]
    assert admin_wording("<td>2026-12-01</td><td>01 Dec 2026</td>") == [
        "the date 2026-12-01",
        "the date 01 Dec",
    ]
    assert admin_wording('<td>Tue 1 Dec 2026</td><input value="2026-12-01">') == []
    assert admin_wording('<a class="btn btn-outline-secondary">Cancel</a>') == []


def test_deleting_ticked_sessions_says_how_many_in_plain_words(client, auth):
    user = UserFactory()
    sessions = PracticeSessionFactory.create_batch(3, user=user)
    kept = PracticeSessionFactory(user=user)
    auth.login(user)
    response = client.post(
        "/app/practice_session/action/",
        data={"action": "delete", "rowid": [s.id for s in sessions]},
        follow_redirects=True,
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3 sessions deleted." in body and "successfully" not in body
    assert db.session.query(PracticeSession.id).all() == [(kept.id,)]


def test_deleting_one_goal_ticked_says_one_goal(client, auth):
    from tests.factories import GoalFactory

    user = UserFactory()
    goal = GoalFactory(user=user)
    auth.login(user)
    body = client.post(
        "/app/goal/action/", data={"action": "delete", "rowid": [goal.id]}, follow_redirects=True
    ).get_data(as_text=True)
    assert "1 goal deleted." in body


def test_a_refused_inline_edit_answers_its_message_not_failed_to_update(client, auth):
    user = UserFactory()
    session = PracticeSessionFactory(user=user)
    auth.login(user)
    response = client.post(
        "/app/practice_session/ajax/update/",
        data={"list_form_pk": session.id, "duration_minutes": "0"},
    )
    assert response.status_code == 400
    assert "Failed to update record" not in response.get_data(as_text=True)
