"""Rate limits on the forms that check a password, per (account, address) and per address.

An attacker guessing one account's password from one address runs into the first limit; one
spraying many accounts from an address, into the second. Neither touches the account's
owner on another address. A limited request is answered 429 before its password is checked.
"""

import click
from flask import current_app
from flask import request
from flask_login import current_user

from tracker.extensions import limiter

# (endpoint, config key of the per-(account, address) limit, of the per-address limit).
LIMITED_FORMS = (
    ("security.login", "LOGIN_RATE_LIMIT", "LOGIN_ADDRESS_RATE_LIMIT"),
    ("security.register", "REGISTER_RATE_LIMIT", "REGISTER_ADDRESS_RATE_LIMIT"),
    (
        "security.change_password",
        "PASSWORD_CHANGE_RATE_LIMIT",
        "PASSWORD_CHANGE_ADDRESS_RATE_LIMIT",
    ),
    # It checks the password too, so it is limited like a password change.
    (
        "delete_account.index",
        "PASSWORD_CHANGE_RATE_LIMIT",
        "PASSWORD_CHANGE_ADDRESS_RATE_LIMIT",
    ),
)
# Longest account name a key keeps: an e-mail address has at most 254 characters.
ACCOUNT_LENGTH = 254


def address_key():
    """The client's address (the proxy's, unless a trusted proxy rewrote remote_addr)."""
    return request.remote_addr or "unknown"


def account_address_key():
    """The account a request is about, with its address: the signed-in user, else the e-mail."""
    if current_user.is_authenticated:
        account = f"user:{current_user.id}"
    else:
        account = (request.form.get("email") or "").strip().lower()[:ACCOUNT_LENGTH]
    return f"{address_key()}|{account}"


def _config_limit(name):
    # Module-level functions keep the limits equal across apps built in one process, so
    # Flask-Limiter counts each request once however many apps registered them.
    def limit():
        return current_app.config[name]

    limit.__qualname__ = limit.__name__ = f"limit_{name.lower()}"
    return limit


_LIMIT_VALUES = {
    name: _config_limit(name) for _endpoint, *names in LIMITED_FORMS for name in names
}


def check_storage(app):
    """Refuse production with per-process counters: N workers would allow N times the limit."""
    uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if app.config["ENV_NAME"] == "production" and uri.startswith("memory://"):
        raise RuntimeError(
            "RATELIMIT_STORAGE_URI must name shared storage in production, e.g. "
            "redis://redis:6379/0: memory:// counts per process, so every worker would "
            "allow the whole limit again."
        )


def init_app(app):
    """Limit POSTs to login, registration, password change and account deletion on this app.

    Called once every view is registered, the signed-in app's included.
    """
    # Command-line tasks (migrations, the scheduler) build the app but serve no request, so
    # only an app built outside a command (gunicorn's) must have shared storage.
    if click.get_current_context(silent=True) is None:
        check_storage(app)
    for endpoint, per_account, per_address in LIMITED_FORMS:
        view = app.view_functions[endpoint]
        view = limiter.limit(
            _LIMIT_VALUES[per_address], key_func=address_key, methods=["POST"]
        )(view)
        view = limiter.limit(
            _LIMIT_VALUES[per_account], key_func=account_address_key, methods=["POST"]
        )(view)
        app.view_functions[endpoint] = view
