"""In Chromium: save an explanation from a goal page, then find it from the navbar and open it."""

import re

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
from tests.test_browser_repertoire import pick_one
from tests.test_browser_repertoire import save
from tracker.extensions import db

EMAIL = "paco@example.com"
GOAL = "Clean barre chords"
TITLE = "How a barre works"
NOTES = "Thumb behind the neck, opposite the index finger.\nRoll the finger onto its bony side."


def test_save_an_explanation_from_a_goal_and_find_it_by_a_word(live_server, page):
    errors = browser_errors(page)
    third_party = offline(page)
    too_wide = {}
    user = register(page, live_server, EMAIL)
    goal = GoalFactory(user=user, name=GOAL)
    db.session.commit()

    page.goto(f"{live_server}/app/goal/details/?id={goal.id}")
    expect(page.locator("#goal-explanations")).to_contain_text("Nothing kept yet.")
    page.locator("#goal-explanations").get_by_role("link", name="Save an explanation").click()
    expect(page).to_have_url(re.compile(rf"/app/resource/new/\?goal_id={goal.id}"))
    expect(page.locator("#s2id_goals .select2-search-choice")).to_contain_text([GOAL])
    page.fill("input[name=title]", TITLE)
    pick_one(page, "kind", "Own note")
    page.fill("textarea[name=notes]", NOTES)
    too_wide["new explanation"] = snap(page, "explanations-form")
    save(page)

    # Back on the goal page, which now lists it.
    expect(page).to_have_url(re.compile(rf"/app/goal/details/\?id={goal.id}"))
    expect(page.locator("#goal-explanations")).to_contain_text(TITLE)
    too_wide["goal details"] = snap(page, "explanations-goal")

    # "/" puts the cursor in the navbar's search box, from any page.
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(page.locator("#navbar-search")).to_be_focused()
    page.keyboard.type("opposite")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/app/search/\?q=opposite"))
    group = page.locator(".search-group", has_text="Explanations")
    expect(group.locator(".search-result a")).to_have_text(TITLE)
    expect(group.locator(".search-snippet mark")).to_have_text("opposite")
    too_wide["search results"] = snap(page, "explanations-search")

    group.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(re.compile(r"/app/resource/details/\?id=\d+"))
    expect(page.locator("#resource-notes")).to_contain_text("Roll the finger onto its bony side.")
    too_wide["explanation"] = snap(page, "explanations-details")

    # On a phone the box sits behind the menu button; "/" opens the menu and focuses it.
    page.set_viewport_size({"width": 375, "height": 812})
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(page.locator("#navbar-search")).to_be_focused()
    page.screenshot(path=SCREENSHOTS / "explanations-phone-search-375.png")
    page.set_viewport_size({"width": 1280, "height": 800})

    assert_clean(errors, third_party, too_wide)
