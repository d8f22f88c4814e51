"""In Chromium: a musician checks a CSV file, sees what it holds, then imports it."""

from tests.browser import assert_clean
from tests.browser import browser_errors
from tests.browser import expect
from tests.browser import live_server_fixture  # noqa: F401
from tests.browser import offline
from tests.browser import page_fixture  # noqa: F401
from tests.browser import register
from tests.browser import snap

EMAIL = "ines@example.com"
GOOD = (
    "Date,Time,Minutes,Instrument,Focus areas,Goals,Pieces,Mood,Quality,Notes\r\n"
    '2026-11-02,18:30,45,Piano,"Scales, Arpeggios",,,4,3,\'=Slow hands first\r\n'
    "2026-11-03,07:15,20,Piano,Sight-reading,,,,,\r\n"
    "2026-11-03,07:15,20,Piano,Sight-reading,,,,,\r\n"
)
BAD = "Date,Time,Minutes\r\n2026-11-02,18:30,abc\r\n2026-11-03,7 pm,20\r\n"


def csv_file(text):
    return {"name": "practice.csv", "mimeType": "text/csv", "buffer": text.encode()}


def test_check_then_import_keeps_the_chosen_file(live_server, page):
    errors = browser_errors(page)
    third_party = offline(page)
    register(page, live_server, EMAIL)

    page.goto(f"{live_server}/app/practice_session/")
    page.get_by_role("link", name="Import from a CSV file").first.click()
    expect(page).to_have_url(f"{live_server}/app/import/")
    widths = {"import empty": snap(page, "import-empty")}

    page.set_input_files("#file", csv_file(BAD))
    page.get_by_role("button", name="Check the file").click()
    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("Line 2, Minutes: “abc” is not a number of minutes.")
    expect(problems).to_contain_text("Line 3, Time: “7 pm” is not a time like 18:30.")
    expect(page.locator("#import-file")).to_have_count(0)
    widths["import problems"] = snap(page, "import-problems")

    page.set_input_files("#file", csv_file(GOOD))
    expect(problems).to_have_count(0)  # a new file clears the old result
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#import-summary")).to_contain_text("2 sessions to import")
    expect(page.locator("#import-summary")).to_contain_text("1 line is already")
    expect(page.locator("#import-summary")).to_contain_text("New instruments to add: Piano")
    expect(page.locator("#import-preview tbody tr")).to_have_count(2)
    expect(page.locator("#import-notices")).to_contain_text("Notes on line 2")
    # Checked without leaving the page: the file is still chosen for the import.
    assert page.evaluate("document.getElementById('file').files.length") == 1
    widths["import preview"] = snap(page, "import-preview")

    page.get_by_role("button", name="Import 2 sessions").click()
    expect(page).to_have_url(f"{live_server}/app/practice_session/")
    expect(page.locator(".alert-success")).to_contain_text(
        "Imported 2 sessions. Skipped 1 line already in your log or repeated in the file."
    )
    expect(page.locator("table.model-list tbody tr")).to_have_count(2)
    widths["log after import"] = snap(page, "import-done")

    assert_clean(errors, third_party, widths)
