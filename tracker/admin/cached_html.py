"""HTML drawn once and cached per user: the marker that stands for each page's CSRF token."""

import hashlib
import hmac

from flask import current_app
from flask_wtf.csrf import generate_csrf


def csrf_marker():
    """What cached HTML holds where each form's CSRF token goes.

    Derived from the secret key, so every worker sharing the cache agrees on it and no text
    a musician types can contain it (it is replaced before any page is sent).
    """
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return "csrf-" + hmac.new(secret, b"dashboard csrf marker", hashlib.sha256).hexdigest()


def with_csrf_marker(html):
    """html as drawn for this request, its CSRF token replaced by the marker, to cache."""
    return str(html).replace(generate_csrf(), csrf_marker())


def with_csrf_token(html):
    """Cached html with this request's CSRF token where the marker stands."""
    return html.replace(csrf_marker(), generate_csrf())
