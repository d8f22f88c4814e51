"""In Chromium: the analytics page draws every chart, follows the range and exports CSV."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from tests.browser import assert_clean
from tests.browser import browser_errors
from tests.browser import expect
from tests.browser import live_server_fixture  # noqa: F401
from tests.browser import offline
from tests.browser import page_fixture  # noqa: F401
from tests.browser import register
from tests.browser import snap
from tests.factories import FocusAreaFactory
from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import PieceFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionGoalFactory
from tests.factories import SessionPieceFactory
from tracker.extensions import db
from tracker.models import User

EMAIL = "clara@example.com"
PANELS = ["timeseries", "heatmap", "goal", "piece", "focus_area", "instrument", "ratings"]


def seed_practice(user):
    """Sixty days of varied practice: instruments, focus areas, goals, pieces, ratings."""
    violin, piano = (
        InstrumentFactory(user=user, name="Violin"),
        InstrumentFactory(user=user, name="Piano"),
    )
    scales, bach = (
        FocusAreaFactory(user=user, name="Scales"),
        FocusAreaFactory(user=user, name="Bach"),
    )
    goal = GoalFactory(user=user, name="Play the partita")
    piece = PieceFactory(user=user, title="Partita No. 2")
    now = datetime.now(UTC)
    for day in range(0, 60, 2):
        session = PracticeSessionFactory(
            user=user,
            started_at=now - timedelta(days=day, hours=1),
            duration_minutes=20 + day,
            instrument=violin if day % 4 else piano,
            focus_areas=[scales] if day % 3 else [scales, bach],
            mood_rating=1 + day % 5,
            quality_rating=1 + (day // 2) % 5,
        )
        if day % 4 == 0:
            SessionGoalFactory(user=user, session=session, goal=goal, minutes=15)
            SessionPieceFactory(user=user, session=session, piece=piece)
    db.session.commit()


def wait_for_charts(page):
    """Every panel has finished loading and drawn a chart (none is empty or failed)."""
    for panel in PANELS:
        card = page.locator(f"#chart-{panel}")
        expect(card).to_have_attribute("aria-busy", "false")
        drawn = page.evaluate(
            "id => !!Chart.getChart(document.querySelector('#chart-' + id + ' canvas'))", panel
        )
        assert drawn, f"{panel} chart not drawn"


def test_analytics_draws_every_chart_and_follows_the_range(live_server, page):
    errors = browser_errors(page)
    third_party = offline(page)
    register(page, live_server, EMAIL)
    seed_practice(db.session.query(User).filter_by(email=EMAIL).one())

    page.goto(f"{live_server}/app/analytics/?range=30d")
    wait_for_charts(page)
    thirty = page.locator("[data-stat=sessions]").inner_text()
    widths = {"analytics 30 days": snap(page, "analytics-30d")}

    page.get_by_role("button", name="7 days").click()
    expect(page).to_have_url(f"{live_server}/app/analytics/?range=7d")
    wait_for_charts(page)
    expect(page.locator("[data-stat=sessions]")).not_to_have_text(thirty)
    page.get_by_role("button", name="Week").click()
    wait_for_charts(page)

    page.get_by_role("button", name="All time").click()
    wait_for_charts(page)
    expect(page.locator("[data-stat=sessions]")).to_have_text("30")
    widths["analytics all time"] = snap(page, "analytics-all")

    with page.expect_download() as download_info:
        page.click("#export-csv")
    csv_text = open(download_info.value.path(), encoding="utf-8").read()
    lines = csv_text.splitlines()
    assert lines[0].startswith("Date,Time,Minutes,Instrument,Focus areas,Goals,Pieces")
    assert len(lines) == 31
    assert any("Play the partita" in line and "Partita No. 2" in line for line in lines)

    assert_clean(errors, third_party, widths)
