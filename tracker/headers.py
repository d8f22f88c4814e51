"""Security headers: a Content-Security-Policy with a per-request nonce, Cache-Control, HSTS.

Scripts run only from our own origin or from a <script> carrying this request's nonce
(Flask-Admin's inline scripts get it through Admin(csp_nonce_generator=csp_nonce), ours and
flask-smorest's Swagger UI page through `csp_nonce()` in the template); inline event handlers
never run, so the templates of Flask-Admin that use them are overridden (templates/admin/...)
and static/js/handlers.js binds the same actions. Styles may stay inline: Flask-Admin, select2
and Chart.js set style attributes.
"""

import secrets

from flask import current_app
from flask import g
from flask import request

HSTS = "max-age=31536000; includeSubDomains"


def csp_nonce():
    """This request's nonce (made on first use), for <script nonce="...">."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def content_security_policy(nonce):
    """The policy sent with every response: only our own origin, scripts by nonce (if any)."""
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'" if nonce else "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "media-src 'self' blob:",
            "connect-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def secure_transport(app):
    """Whether the app is served over HTTPS: in production, or PREFERRED_URL_SCHEME=https."""
    return app.config["ENV_NAME"] == "production" or app.config["PREFERRED_URL_SCHEME"] == "https"


def configure_cookies(app):
    """Secure session and remember cookies over HTTPS, unless the environment says otherwise."""
    secure = secure_transport(app)
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if app.config.get(key) is None:
            app.config[key] = secure


# Sent with every response, pages and static files alike.
EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def static_file_headers():
    """The headers a static file gets (WhiteNoise serves those, tracker/assets/serve.py).

    No nonce: a file is the same for every request; an HTML or SVG file opened on its own
    still runs no inline script.
    """
    return {**EVERY_RESPONSE, "Content-Security-Policy": content_security_policy(None)}


def set_headers(response):
    """Add the security headers; every response but a static file is never stored."""
    headers = response.headers
    for name, value in EVERY_RESPONSE.items():
        headers.setdefault(name, value)
    headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    if secure_transport(current_app):
        headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint != "static":
        # Signed-in pages, exports, JSON, the sign-in forms (their CSRF tokens): a shared
        # cache or the browser's history must not keep a copy.
        response.cache_control.no_store = True
    return response


def init_app(app):
    """Send the headers on every response and offer csp_nonce() to templates."""
    configure_cookies(app)
    app.add_template_global(csp_nonce, "csp_nonce")
    app.after_request(set_headers)
