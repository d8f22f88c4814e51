"""In Chromium: a musician downloads all their data from Settings, then deletes the account."""

import json
import zipfile

from tests.browser import assert_clean
from tests.browser import browser_errors
from tests.browser import expect
from tests.browser import live_server_fixture  # noqa: F401
from tests.browser import offline
from tests.browser import page_fixture  # noqa: F401
from tests.browser import register
from tests.browser import snap
from tests.conftest import PASSWORD
from tracker.extensions import db
from tracker.models import User

EMAIL = "ines@example.com"


def test_download_everything_then_delete_the_account(live_server, page):
    errors = browser_errors(page)
    third_party = offline(page)
    register(page, live_server, EMAIL)
    page.get_by_label("Instruments you play").fill("Piano, Viola da gamba")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".alert-success")).to_contain_text("Your profile is saved.")

    your_data = page.locator("#your-data")
    expect(your_data.get_by_role("heading", name="Your data")).to_be_visible()
    widths = {"profile with your data": snap(page, "your-data-profile")}

    with page.expect_download() as download_info:
        your_data.get_by_role("link", name="Download all my data").click()
    download = download_info.value
    assert download.suggested_filename.startswith("practice-tracker-")
    with zipfile.ZipFile(download.path()) as archive:
        instruments = json.loads(archive.read("instruments.json"))
        assert sorted(row["name"] for row in instruments) == ["Piano", "Viola da gamba"]
        assert json.loads(archive.read("users.json"))[0]["email"] == EMAIL
        assert "instruments.json (2 rows)" in archive.read("README.txt").decode()

    your_data.get_by_role("link", name="Delete my account…").click()
    expect(page).to_have_url(f"{live_server}/app/settings/delete-account/")
    widths["delete account"] = snap(page, "delete-account")

    page.get_by_label("Your password").fill("not my password")
    page.get_by_label("Type DELETE to confirm").fill("DELETE")
    page.get_by_role("button", name="Delete my account and everything in it").click()
    expect(page.locator(".invalid-feedback")).to_have_text("That is not your password.")
    widths["wrong password"] = snap(page, "delete-account-wrong-password")
    db.session.expire_all()
    assert db.session.query(User).filter_by(email=EMAIL).count() == 1

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Type DELETE to confirm").fill("delete")
    page.get_by_role("button", name="Delete my account and everything in it").click()
    expect(page).to_have_url(f"{live_server}/login")
    expect(page.locator(".alert")).to_contain_text("Your account and everything in it are deleted.")
    widths["deleted"] = snap(page, "account-deleted")
    db.session.expire_all()
    assert db.session.query(User).filter_by(email=EMAIL).count() == 0
    page.goto(f"{live_server}/app/")
    expect(page).to_have_url(f"{live_server}/login?next=/app/")

    assert_clean(errors, third_party, widths)
