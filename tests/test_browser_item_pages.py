"""In Chromium: a piece's page charts each section's tempos and takes its own interval."""

import re
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from tests.browser import SCREENSHOTS
from tests.browser import assert_clean
from tests.browser import browser_errors
from tests.browser import expect
from tests.browser import live_server_fixture  # noqa: F401
from tests.browser import offline
from tests.browser import page_fixture  # noqa: F401
from tests.browser import register
from tests.browser import snap
from tests.factories import GoalFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionPieceFactory
from tracker.extensions import db
from tracker.models import User

EMAIL = "johann@example.com"
# A long name, so the phone layout has to wrap it.
PIECE = "Partita for Violin Solo No. 2 in D minor, BWV 1004"
SECTION = "Ciaccona, bars 1–88 (the opening variations before the major section)"
TEMPOS = [(10, 84, True), (8, 90, False), (6, 88, True), (4, 96, True), (2, 104, False)]

DRAWN = """() => typeof Chart !== "undefined"
    && !!Chart.getChart(document.querySelector('#tempo-chart canvas'))"""
DATASETS = """() => {
    const chart = Chart.getChart(document.querySelector('#tempo-chart canvas'));
    return chart ? chart.data.datasets.map(d => [d.label, d.data.length]) : null;
}"""


def seed_piece(user):
    """A piece with two sections; the first has ten days of tempo history, the other none."""
    piece = PieceFactory(user=user, title=PIECE)
    played = PieceSectionFactory(user=user, piece=piece, section_name=SECTION, target_bpm=120)
    PieceSectionFactory(user=user, piece=piece, section_name="Giga")
    GoalFactory(user=user, name="Play the Chaconne", pieces=[piece], target_bpm=120)
    now = datetime.now(UTC)
    for days_ago, bpm, clean in TEMPOS:
        session = PracticeSessionFactory(user=user, started_at=now - timedelta(days=days_ago))
        SessionPieceFactory(
            user=user, session=session, piece=piece, section=played, tempo_bpm=bpm, clean=clean
        )
    db.session.commit()
    return piece


def test_piece_page_charts_tempo_and_sets_an_interval(live_server, page):
    errors = browser_errors(page)
    third_party = offline(page)
    # The chart then draws without animation, so the screenshots show its final state.
    page.emulate_media(reduced_motion="reduce")
    register(page, live_server, EMAIL)
    piece = seed_piece(db.session.query(User).filter_by(email=EMAIL).one())
    widths = {}

    page.goto(f"{live_server}/app/piece/details/?id={piece.id}")
    expect(page.locator("#tempo-chart canvas")).to_be_visible()
    page.wait_for_function(DRAWN)
    assert page.evaluate(DATASETS) == [["Clean", 3], ["Not clean", 2], ["Target 120 BPM", 2]]
    expect(page.locator("#piece-sections")).to_contain_text("96 / 120 BPM (80 %)")
    widths["piece page"] = snap(page, "item-page-piece")
    page.locator("#tempo-chart").screenshot(path=SCREENSHOTS / "item-page-chart.png")

    # The section without tempos says how to get some.
    page.select_option("#tempo-item", label="Giga")
    expect(page.locator("#tempo-chart .tempo-empty")).to_have_text(
        "No tempo logged yet: add the BPM when you log a session."
    )
    expect(page.locator("#tempo-chart .chart-box")).to_be_hidden()
    page.select_option("#tempo-item", label=SECTION)
    expect(page.locator("#tempo-chart .chart-box")).to_be_visible()

    box = page.locator(".item-schedule", has=page.locator("input[name=section]")).first
    expect(box.locator(".schedule-interval")).to_have_text("every 2 days")
    box.locator("input[name=days]").fill("0")
    box.get_by_role("button", name="Save").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("Enter a whole number of days")
    widths["refused interval"] = snap(page, "item-page-interval-refused")
    box = page.locator(".item-schedule").first
    box.locator("input[name=days]").fill("3")
    box.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("now comes back every 3 days")
    expect(page).to_have_url(re.compile(r"/app/piece/details/\?id=\d+"))
    expect(page.locator(".schedule-interval").first).to_have_text(
        "every 3 days (your setting; computed: every 2)"
    )
    widths["piece page after"] = snap(page, "item-page-piece-interval")

    page.goto(f"{live_server}/app/piece/")
    expect(page.locator("table.model-list .piece-tempos")).to_contain_text("96 / 120 BPM (80 %)")
    widths["pieces list"] = snap(page, "item-page-pieces-list")

    page.goto(f"{live_server}/app/goal/")
    page.locator("table.model-list tbody tr").get_by_role("link", name="View", exact=True).click()
    expect(page).to_have_url(re.compile(r"/app/goal/details/\?id=\d+"))
    expect(page.locator("#tempo-chart canvas")).to_be_visible()
    page.wait_for_function(DRAWN)
    assert page.evaluate(DATASETS) == [["Clean", 3], ["Not clean", 2], ["Target 120 BPM", 2]]
    widths["goal page"] = snap(page, "item-page-goal")

    assert_clean(errors, third_party, widths)
