"""In Chromium: a practice timed item by item with the metronome running, through a reload and
a closed tab, then stopped and saved from the pre-filled session form."""

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

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
from tests.test_browser_guidance import up_next_entry
from tests.test_browser_repertoire import save
from tracker.extensions import db

EMAIL = "timer@example.com"
SCALES = "Scales in thirds"
ETUDE = "Etude No. 3"
# Long names must wrap on a phone, never widen the page.
LONG_PIECE = "Ballade No. 1 in G minor, Op. 23, with the long coda that never seems to end"
SECTION = "Presto con fuoco, bars 208-264, the left hand leaps"
AWAY_MINUTES = 10  # how long the tab stays closed
EARLIER_MINUTES = 4  # minutes the first item had before the tab closed


def seed(user):
    """One instrument; two goals and a long section to practise, none played yet."""
    piano = InstrumentFactory(user=user, name="Piano")
    GoalFactory(user=user, name=SCALES, instrument=piano, target_bpm=120, priority=3)
    GoalFactory(user=user, name=ETUDE, instrument=piano, priority=2)
    piece = PieceFactory(user=user, title=LONG_PIECE, composer=None, instrument=piano)
    PieceSectionFactory(user=user, piece=piece, section_name=SECTION, target_bpm=144)
    db.session.commit()
    return user


def seconds_of(clock):
    """'1:02:03' or '12:34' as seconds."""
    total = 0
    for part in clock.split(":"):
        total = total * 60 + int(part)
    return total


def elapsed(page):
    return seconds_of(page.locator("#timer-elapsed").inner_text())


def wait_until_elapsed_passes(page, seconds):
    """Wait (with the page's deadline) until the timer shows more than seconds."""
    page.wait_for_function(
        "s => { const [a, ...r] = document.getElementById('timer-elapsed').textContent"
        ".split(':').map(Number); return r.reduce((t, n) => t * 60 + n, a) > s; }",
        arg=seconds,
    )


def stored(page, key):
    return json.loads(page.evaluate("k => localStorage.getItem(k)", key) or "null")


def assert_running_on(page, key):
    """The timer runs, with key the one active item."""
    expect(page.locator("#timer-panel")).to_have_attribute("data-state", "running")
    active = page.locator(".timer-item.active")
    expect(active).to_have_count(1)
    expect(active).to_have_attribute("data-item", key)
    expect(active).to_have_attribute("aria-pressed", "true")


def link_of(session, key):
    """The session's row for the item key ('goal:5', 'section:7', 'piece:3')."""
    kind, item_id = key.split(":")
    item_id = int(item_id)
    if kind == "goal":
        return next(link for link in session.goal_links if link.goal_id == item_id)
    if kind == "section":
        return next(link for link in session.piece_links if link.section_id == item_id)
    return next(
        link for link in session.piece_links if link.piece_id == item_id and not link.section_id
    )


def test_a_practice_is_timed_with_the_metronome_and_logged_pre_filled(live_server, page):
    errors = browser_errors(page)
    third_party = offline(page)
    widths = {}
    user = seed(register(page, live_server, EMAIL))
    key = f"tracker.timer.{user.id}"

    # "Time it" on an Up next item opens the timer on that item, not started yet.
    page.goto(f"{live_server}/app/")
    up_next_entry(page, SCALES).get_by_role("link", name="Time it").click()
    expect(page).to_have_url(re.compile(r"/app/timer/\?"))
    expect(page.locator(".timer-item")).to_have_count(1)
    expect(page.locator(".timer-item")).to_contain_text(SCALES)
    expect(page.locator("#timer-instrument")).to_have_text("Piano")
    expect(page.locator("#timer-status")).to_have_text("Not started")
    widths["timer idle"] = snap(page, "timer-idle")

    # The plan's "Time it" opens the timer on all of its items, with their minutes.
    page.goto(f"{live_server}/app/?minutes=30#plan")
    page.click("#plan-time-it")
    items = page.locator(".timer-item")
    expect(items).to_have_count(3)
    expect(items.first).to_contain_text(re.compile(r"/ \d+ min"))
    first, second, _ = items.evaluate_all("buttons => buttons.map(b => b.dataset.item)")

    # Start: the first item is on; the tab's title counts.
    # The page's scripts come after the buttons: wait for them before pressing one.
    page.wait_for_load_state("load")
    page.click("#timer-start")
    assert_running_on(page, first)
    wait_until_elapsed_passes(page, 0)
    expect(page).to_have_title(re.compile(r"^0:0\d · Practice Tracker$"))

    # Switch: tap the second item.
    items.nth(1).click()
    assert_running_on(page, second)
    assert stored(page, key)["active"] == second

    # The metronome at 116 BPM, in 3: the audio clock runs and the beats advance.
    page.fill("#metronome-bpm", "114")
    page.click("#metronome-faster")
    page.click("#metronome-faster")
    expect(page.locator("#metronome-bpm")).to_have_value("116")
    page.click("#metronome [data-beats-per-bar='3']")
    expect(page.locator("#metronome-lights .metronome-light")).to_have_count(3)
    page.click("#metronome-toggle")
    page.wait_for_function("document.getElementById('metronome').audioContext.state === 'running'")
    beats = int(page.locator("#metronome").get_attribute("data-beats"))
    # At 116 BPM a second holds about two beats; a slow machine only waits longer.
    page.wait_for_function(
        "b => Number(document.getElementById('metronome').dataset.beats) >= b + 2", arg=beats
    )
    expect(page.locator("#metronome .metronome-light.on")).to_have_count(1)
    expect(items.nth(1)).to_contain_text("116 BPM")
    widths["timer running"] = snap(page, "timer-running")
    page.fill("#metronome-bpm", "400")
    expect(page.locator("#metronome-bpm-message")).to_be_visible()
    expect(page.locator("#metronome-bpm-message")).to_have_text("A tempo from 30 to 300 BPM.")
    page.fill("#metronome-bpm", "116")
    page.click("#metronome-toggle")
    expect(page.locator("#metronome")).to_have_attribute("data-playing", "false")

    # Pause and resume.
    page.click("#timer-pause")
    expect(page.locator("#timer-status")).to_have_text("Paused")
    page.click("#timer-resume")
    assert_running_on(page, second)

    # A reload goes on where it was: still counting, the same item on.
    before = elapsed(page)
    page.reload()
    assert_running_on(page, second)
    assert elapsed(page) >= before
    wait_until_elapsed_passes(page, elapsed(page))
    expect(items.nth(1)).to_contain_text("116 BPM")

    # The tab closes; the first item had had some minutes earlier, and the second goes on for
    # ten more while it is closed. Only the stored timestamps say so: nothing ticks meanwhile.
    state = stored(page, key)
    state["items"][0]["ms"] += EARLIER_MINUTES * 60_000
    state["accumulated"] += EARLIER_MINUTES * 60_000
    for stamp in ("startedAt", "runningSince", "activeSince"):
        state[stamp] -= AWAY_MINUTES * 60_000
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, json.dumps(state)])
    context = page.context
    page.close()
    page = context.new_page()
    errors += browser_errors(page)
    third_party += offline(page)
    page.goto(f"{live_server}/app/")
    page.get_by_role(
        "link", name="Timer", exact=True
    ).click()  # from the navbar, with no items of its own
    items = page.locator(".timer-item")
    expect(items).to_have_count(3)
    assert_running_on(page, second)
    total = EARLIER_MINUTES + AWAY_MINUTES
    assert elapsed(page) >= total * 60
    expect(page).to_have_title(re.compile(rf"^{total}:\d\d · Practice Tracker$"))
    expect(items.nth(1).locator(".timer-item-time")).to_have_text(re.compile(r"^10:\d\d$"))
    expect(items.nth(0).locator(".timer-item-time")).to_have_text(re.compile(r"^4:\d\d$"))
    expect(page.locator("#timer-other")).to_be_hidden()
    expect(page.locator("#metronome-bpm")).to_have_value("116")  # the item's tempo again

    # "Time it" on other items while it runs: the running timer goes on, and says so.
    page.goto(f"{live_server}/app/")
    up_next_entry(page, SCALES).get_by_role("link", name="Time it").click()
    expect(page.locator("#timer-other")).to_be_visible()
    expect(items).to_have_count(3)
    assert_running_on(page, second)

    # Stop: the form opens with the start, the duration, the instrument and each item's
    # minutes and tempo, as the timer had them when it stopped.
    page.click("#timer-pause")
    timed = stored(page, key)
    minutes = {item["key"]: round(item["ms"] / 60_000) for item in timed["items"]}
    duration = round(timed["accumulated"] / 60_000)
    assert minutes[first] == EARLIER_MINUTES and minutes[second] == AWAY_MINUTES, minutes
    started = datetime.fromtimestamp(timed["startedAt"] / 1000, ZoneInfo(ZONE))
    page.click("#timer-stop")
    expect(page).to_have_url(re.compile(r"/app/practice_session/new/\?"))
    assert stored(page, key) is None
    expect(page.locator("input[name=started_at]")).to_have_value(f"{started:%Y-%m-%dT%H:%M}")
    expect(page.locator("input[name=duration_minutes-hours]")).to_have_value("0")
    expect(page.locator("input[name=duration_minutes-minutes]")).to_have_value(str(duration))
    expect(page.locator("#s2id_instrument")).to_contain_text("Piano")
    rows = page.locator(".inline-field-list > .inline-field")
    expect(rows).to_have_count(3)
    widths["log form"] = snap(page, "timer-log-form")

    # The musician adds how it went and saves.
    played = "input[name$=-tempo_bpm][value='116']"
    expect(page.locator(played)).to_have_count(1)
    row = rows.filter(has=page.locator(played))
    row.get_by_label("Rating").select_option("4")
    row.get_by_label("Clean").check()
    row.get_by_label("Next time").fill("Try 126")
    save(page)

    session = latest_session(user)
    assert session.duration_minutes == duration >= total
    assert session.instrument.name == "Piano"
    assert session.started_at.astimezone(ZoneInfo(ZONE)).replace(second=0) == started.replace(
        second=0, microsecond=0
    )
    second_row = link_of(session, second)
    assert (second_row.minutes, second_row.tempo_bpm) == (AWAY_MINUTES, 116)
    assert (second_row.rating, second_row.clean, second_row.next_time) == (4, True, "Try 126")
    assert link_of(session, first).minutes == EARLIER_MINUTES
    assert len([*session.goal_links, *session.piece_links]) == 3
    db.session.rollback()

    assert_clean(errors, third_party, widths)
