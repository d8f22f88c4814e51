"""In Chromium: a musician makes a token under Settings → API tokens; a script then uses it."""

import requests

from tests.browser import assert_clean
from tests.browser import browser_errors
from tests.browser import expect
from tests.browser import live_server_fixture  # noqa: F401
from tests.browser import offline
from tests.browser import page_fixture  # noqa: F401
from tests.browser import register
from tests.browser import snap

EMAIL = "tomas@example.com"


def test_token_made_on_the_settings_page_works_from_a_script(live_server, page):
    errors = browser_errors(page)
    third_party = offline(page)
    register(page, live_server, EMAIL)

    page.goto(f"{live_server}/app/")
    page.get_by_role("button", name="Settings").or_(
        page.get_by_role("link", name="Settings")
    ).first.click()
    page.get_by_role("link", name="API tokens").click()
    expect(page).to_have_url(f"{live_server}/app/api-tokens/")
    expect(page.locator("#token-list-empty")).to_be_visible()
    widths = {"tokens empty": snap(page, "api-tokens-empty")}

    page.get_by_label("Name").fill("Spreadsheet sync")
    page.get_by_role("button", name="Create a token").click()
    expect(page.locator("#new-token")).to_contain_text("“Spreadsheet sync” is ready")
    secret = page.locator("#new-token-secret").inner_text().strip()
    assert secret.startswith("pt_")
    expect(page.locator("#token-list")).to_contain_text("Spreadsheet sync")
    widths["token made"] = snap(page, "api-tokens-made")

    # A script with nothing but the token: create an instrument, then list them.
    headers = {"Authorization": f"Bearer {secret}"}
    made = requests.post(
        f"{live_server}/api/v1/instruments", json={"name": "Cello"}, headers=headers, timeout=10
    )
    assert made.status_code == 201, made.text
    listed = requests.get(f"{live_server}/api/v1/instruments", headers=headers, timeout=10)
    assert listed.status_code == 200
    assert [item["name"] for item in listed.json()] == ["Cello"]
    assert "X-Pagination" in listed.headers
    anonymous = requests.get(f"{live_server}/api/v1/instruments", timeout=10)
    assert anonymous.status_code == 401 and anonymous.json()["code"] == 401

    # The secret is shown once; the list now says the token was used.
    page.goto(f"{live_server}/app/api-tokens/")
    expect(page.locator("#new-token")).to_have_count(0)
    expect(page.locator("#token-list")).to_contain_text("last used")
    assert secret not in page.content()

    # The docs link opens Swagger UI from the app's own copy.
    page.get_by_role("link", name="Practice Tracker API").click()
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    expect(page.locator(".swagger-ui")).to_contain_text("/api/v1/instruments")

    page.goto(f"{live_server}/app/api-tokens/")
    page.get_by_role("button", name="Revoke").click()
    expect(page.locator("#token-list-empty")).to_be_visible()
    refused = requests.get(f"{live_server}/api/v1/instruments", headers=headers, timeout=10)
    assert refused.status_code == 401
    widths["token revoked"] = snap(page, "api-tokens-revoked")

    assert_clean(errors, third_party, widths)
