"""Login and registration answer the same whether or not an address has an account."""

import re

from tests.conftest import PASSWORD
from tests.factories import UserFactory

KNOWN = "known@example.com"
UNKNOWN = "nobody@example.com"


def _page(response, client, email):
    """What a browser ends up showing: the status, where it was sent, and the page's words.

    Each page repeats the address it was given; it is taken out, so the rest must be equal.
    """
    location = response.headers.get("Location")
    final = client.get(location) if location else response
    body = final.get_data(as_text=True)
    # The CSRF token (form field and meta tag) is random per browser; the rest must be equal.
    body = re.sub(r'(?:value|content)="[\w.-]{40,}"', "CSRF-TOKEN", body).replace(email, "ADDRESS")
    return response.status_code, location, final.status_code, body


def _answers(app, path, data_for):
    """The page shown for a known and for an unknown address, each from a fresh browser."""
    answers = []
    for email in (KNOWN, UNKNOWN):
        client = app.test_client()
        answers.append(_page(client.post(path, data=data_for(email)), client, email))
    return answers


def test_login_answers_alike_for_known_and_unknown_addresses(app, report_figure):
    UserFactory(email=KNOWN)
    known, unknown = _answers(app, "/login", lambda email: {"email": email, "password": "wrong"})
    report_figure(f"enumeration, login: identical={known == unknown}")
    assert known == unknown
    assert known[0] == 200 and "don&#39;t match" in known[3]
    assert "does not exist" not in known[3]


def test_registration_answers_alike_for_known_and_unknown_addresses(app, report_figure):
    UserFactory(email=KNOWN)
    form = {"password": PASSWORD, "password_confirm": PASSWORD}
    known, unknown = _answers(app, "/register", lambda email: {**form, "email": email})
    report_figure(f"enumeration, registration: identical={known == unknown}")
    assert known == unknown
    assert known[:3] == (302, "/login", 200)
    assert "already associated" not in known[3]


def test_registration_with_bad_input_answers_alike_too(app):
    UserFactory(email=KNOWN)
    form = {"password": "password", "password_confirm": "password"}
    known, unknown = _answers(app, "/register", lambda email: {**form, "email": email})
    assert known == unknown
    assert known[0] == 200
