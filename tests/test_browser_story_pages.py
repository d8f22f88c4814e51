"""In Chromium: a goal's page and a piece of gear's page tell their history, on a phone too."""

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

from tests.browser import assert_clean
from tests.browser import browser_errors
from tests.browser import expect
from tests.browser import live_server_fixture  # noqa: F401 - fixture
from tests.browser import offline
from tests.browser import page_fixture  # noqa: F401 - fixture
from tests.browser import snap
from tests.conftest import PASSWORD
from tests.factories import EquipmentFactory
from tests.factories import GoalFactory
from tests.factories import MaintenanceLogFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionGoalFactory
from tests.factories import UserFactory
from tracker.extensions import db

NOTE = "Start the run at 100 BPM and keep the thumb loose through bars 9–12 of the étude."


def seed(user):
    """A goal with five rated sessions, and a guitar with a log and the same sessions."""
    goal = GoalFactory(user=user, name="Travis picking at 120 BPM", target_bpm=120)
    guitar = EquipmentFactory(user=user, name="Yamaha C40 classical guitar")
    MaintenanceLogFactory(
        user=user,
        equipment=guitar,
        kind="string_change",
        performed_on=date(2026, 11, 3),
        notes="D'Addario EJ45, normal tension",
    )
    MaintenanceLogFactory(user=user, equipment=guitar, kind="repair", performed_on=date(2026, 6, 1))
    now = datetime.now(UTC)
    for days_ago, rating, bpm in [(1, 4, 104), (3, 3, 96), (5, None, 92), (8, 2, 88), (12, 3, 84)]:
        session = PracticeSessionFactory(
            user=user,
            started_at=now - timedelta(days=days_ago),
            duration_minutes=25 + days_ago,
            equipment=[guitar],
            notes="Alternating bass, then the melody on top.",
        )
        SessionGoalFactory(
            user=user,
            session=session,
            goal=goal,
            rating=rating,
            tempo_bpm=bpm,
            clean=bpm < 100,
            next_time=NOTE if days_ago == 1 else None,
        )
    PracticeSessionFactory(user=user, notes=None, quality_rating=None)
    db.session.commit()
    return goal, guitar


def test_goal_and_gear_pages_tell_their_history(live_server, page):
    user = UserFactory(timezone="Europe/Berlin")
    goal, guitar = seed(user)
    errors = browser_errors(page)
    third_party = offline(page)
    page.goto(f"{live_server}/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server}/app/")
    widths = {}
    # The statistics cards all in hours and minutes, the phone's strip of three included.
    expect(page.locator("#minutes-all")).to_have_text("3 h 4 min")
    widths["dashboard"] = snap(page, "dashboard-stats")

    page.goto(f"{live_server}/app/goal/details/?id={goal.id}")
    sessions = page.locator("#goal-sessions .goal-session")
    expect(sessions).to_have_count(5)
    expect(sessions.first).to_contain_text("rated 4")
    expect(sessions.first).to_contain_text("104 BPM, not clean")
    expect(sessions.first).to_contain_text(NOTE)
    expect(page.locator("#fa_filter")).to_have_count(0)
    widths["goal"] = snap(page, "goal-details")

    page.goto(f"{live_server}/app/equipment/details/?id={guitar.id}")
    expect(page.locator("#equipment-maintenance .maintenance-entry")).to_have_count(2)
    expect(page.locator("#equipment-maintenance")).to_contain_text("Tue 3 Nov 2026 · String change")
    expect(page.locator("#equipment-sessions .equipment-session")).to_have_count(5)
    widths["equipment"] = snap(page, "equipment-details")

    # An empty inline-editable cell reads a quiet dash, not x-editable's red "Empty".
    page.goto(f"{live_server}/app/practice_session/")
    # (Notes are changed on the session's page; a rating left open is the empty cell here.)
    empty = page.locator("a[data-role=x-editable][name=quality_rating][data-value='']")
    expect(empty).to_have_count(1)
    expect(empty).to_have_text("—")
    assert empty.evaluate("e => getComputedStyle(e).fontStyle") == "normal"
    expect(page.get_by_text("Empty", exact=True)).to_have_count(0)

    # Cancel leaves the form quietly: not a red button.
    page.goto(f"{live_server}/app/equipment/edit/?id={guitar.id}")
    cancel = page.get_by_role("button", name="Cancel").or_(page.get_by_role("link", name="Cancel"))
    expect(cancel.first).not_to_have_class("btn btn-danger")
    expect(
        page.locator("label", has_text="Remove this maintenance entry when saving")
    ).to_have_count(2)
    widths["equipment-edit"] = snap(page, "equipment-edit")
    assert_clean(errors, third_party, widths)
