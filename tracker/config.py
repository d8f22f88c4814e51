"""Configuration from the environment; TestConfig for the test suite."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

# The default cache without Redis: one per process, bounded, no cliff when full.
IN_PROCESS_CACHE = "tracker.figures.bounded_cache.BoundedCache"


def _env_flag(name, default=False):
    """Read a boolean environment variable ("1", "true", "yes" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def instance_secret(instance_path, name):
    """Return a development secret stored in instance/, generating it once if missing."""
    path = Path(instance_path) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Settings read from the environment. See README.md for the full table."""

    ENV_NAME = os.environ.get("TRACKER_ENV", "development")
    DEBUG = False
    # postgresql://user:password@host:5432/dbname; unset in development → embedded PostgreSQL.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Generate with: python -c "import secrets; print(secrets.token_urlsafe(48))"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # Generate with: python -c "import secrets; print(secrets.SystemRandom().getrandbits(128))"
    SECURITY_PASSWORD_SALT = os.environ.get("SECURITY_PASSWORD_SALT")

    SECURITY_PASSWORD_HASH = "bcrypt"
    SECURITY_REGISTERABLE = True
    SECURITY_CHANGEABLE = True
    SECURITY_TRACKABLE = True
    # Login and registration answer alike whether or not an address has an account: a new
    # address gets a link to confirm it, a known one an e-mail saying it is already signed up.
    SECURITY_RETURN_GENERIC_RESPONSES = True
    SECURITY_CONFIRMABLE = True
    SECURITY_SEND_REGISTER_EMAIL = True
    SECURITY_AUTO_LOGIN_AFTER_CONFIRM = True
    SECURITY_EMAIL_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Practice Tracker <noreply@localhost>"
    )
    SECURITY_SEND_PASSWORD_CHANGE_EMAIL = False
    SECURITY_EMAIL_VALIDATOR_ARGS = {"check_deliverability": False}
    # 12 to 128 characters (Flask-Security's fixed maximum), and not easy to guess.
    SECURITY_PASSWORD_LENGTH_MIN = 12
    SECURITY_PASSWORD_COMPLEXITY_CHECKER = "zxcvbn"
    SECURITY_ZXCVBN_MINIMUM_SCORE = 3
    SECURITY_MSG_PASSWORD_INVALID_LENGTH = (
        "Use 12 to 128 characters: a few unrelated words are easy to remember and hard to guess.",
        "error",
    )
    SECURITY_MSG_PASSWORD_TOO_SIMPLE = (
        "Too easy to guess: try three or four unrelated words, e.g. “cello lantern river toast”.",
        "error",
    )
    SECURITY_MSG_GENERIC_AUTHN_FAILED = (
        "That e-mail address and password don't match. Check both and try again.",
        "error",
    )
    SECURITY_MSG_CONFIRM_REGISTRATION = (
        "Thanks! We sent a message to %(email)s: open its link to finish signing up.",
        "success",
    )
    SECURITY_MSG_CONFIRMATION_REQUIRED = (
        "Open the link we e-mailed you to confirm your address, then log in.",
        "error",
    )
    SECURITY_POST_LOGIN_VIEW = "/app/"
    # Registration never signs in (the address is confirmed first): back to the login page.
    SECURITY_POST_REGISTER_VIEW = "/login"
    SECURITY_POST_CONFIRM_VIEW = "/app/settings/?welcome=1"
    SECURITY_POST_LOGOUT_VIEW = "/"
    SECURITY_POST_CHANGE_VIEW = "/app/settings/"
    SECURITY_LOGOUT_METHODS = ["POST"]
    SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS = False

    # "https" when the app is served over HTTPS: cookies become Secure and HSTS is sent, as
    # in production (tracker/headers.py).
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Unset: Secure in production or with PREFERRED_URL_SCHEME=https (tracker/headers.py).
    SESSION_COOKIE_SECURE = (
        _env_flag("SESSION_COOKIE_SECURE") if "SESSION_COOKIE_SECURE" in os.environ else None
    )
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Signed-in sessions (tracker/login_sessions.py): unused this long, or this old, they end.
    SESSION_IDLE_DAYS = int(os.environ.get("SESSION_IDLE_DAYS", "14"))
    SESSION_ABSOLUTE_DAYS = int(os.environ.get("SESSION_ABSOLUTE_DAYS", "90"))
    # The remember cookie outlives no session: the server ends it sooner when idle.
    REMEMBER_COOKIE_DURATION = timedelta(days=SESSION_ABSOLUTE_DAYS)
    # Flask-Security's own Cache-Control on its pages is written as "private=True,
    # no-store=True"; tracker/headers.py sends a well-formed no-store on every page instead.
    SECURITY_CACHE_CONTROL = {}

    # Practice figures are cached per user: in Redis whenever CACHE_REDIS_URL is set (shared
    # by every process; docker-compose.yml sets it), else in each process, bounded.
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL")
    CACHE_TYPE = os.environ.get("CACHE_TYPE", "RedisCache" if CACHE_REDIS_URL else IN_PROCESS_CACHE)
    # Keys of this app in a shared Redis (several apps, or test runs, may share one server).
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "tracker:")
    # The in-process cache keeps this many entries, dropping the least recently used (stale
    # versions are never read again, so they go first); O(1) a write however full it is.
    CACHE_THRESHOLD = int(os.environ.get("CACHE_THRESHOLD", "20000"))
    # ...and at most this many bytes of cached values (pickled), whichever comes first.
    CACHE_MAX_BYTES = int(os.environ.get("CACHE_MAX_BYTES", str(128 * 2**20)))
    STATS_CACHE_SECONDS = int(os.environ.get("STATS_CACHE_SECONDS", "600"))

    # Reminders: the scheduler ticks this often; later than the grace period, a missed
    # reminder is skipped (and moved on) rather than sent late.
    SCHEDULER_TICK_SECONDS = int(os.environ.get("SCHEDULER_TICK_SECONDS", "60"))
    REMINDER_GRACE_MINUTES = int(os.environ.get("REMINDER_GRACE_MINUTES", "60"))
    # Due reminders claimed (and committed) per transaction.
    SCHEDULER_CLAIM_BATCH = int(os.environ.get("SCHEDULER_CLAIM_BATCH", "200"))
    # Links in e-mails point here.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")
    # E-mail through SMTP when MAIL_SERVER is set; otherwise messages go to the log.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_flag("MAIL_USE_TLS", False)
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Practice Tracker <noreply@localhost>"
    )
    MAIL_BACKEND = "smtp" if MAIL_SERVER else "tracker.reminders.mail.LogEmailBackend"

    # Shared by every process (Redis in compose); production refuses memory://, which counts
    # per process. Each form is limited per (account, address) and per address alone, so
    # guessing from one address never locks the account's owner out elsewhere.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "tracker")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "5 per minute;20 per hour")
    LOGIN_ADDRESS_RATE_LIMIT = os.environ.get("LOGIN_ADDRESS_RATE_LIMIT", "30 per minute")
    REGISTER_RATE_LIMIT = os.environ.get("REGISTER_RATE_LIMIT", "3 per hour")
    REGISTER_ADDRESS_RATE_LIMIT = os.environ.get("REGISTER_ADDRESS_RATE_LIMIT", "10 per hour")
    PASSWORD_CHANGE_RATE_LIMIT = os.environ.get("PASSWORD_CHANGE_RATE_LIMIT", "5 per minute")
    PASSWORD_CHANGE_ADDRESS_RATE_LIMIT = os.environ.get(
        "PASSWORD_CHANGE_ADDRESS_RATE_LIMIT", "20 per minute"
    )

    # The hashed, compressed copy of the static files that `flask build-static` writes
    # (make install/run/test and the Dockerfile run it); without one, files keep their names.
    STATIC_BUILD_DIR = os.environ.get("STATIC_BUILD_DIR") or str(
        Path(__file__).resolve().parent.parent / "build" / "static"
    )

    # A theme whose CSS loads no web fonts from other hosts.
    FLASK_ADMIN_SWATCH = "default"

    # The JSON API (flask-smorest): its OpenAPI 3.1 document and reference, served locally.
    API_TITLE = "Practice Tracker API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "/static/vendor/swagger-ui-dist/"
    # Swagger UI would otherwise send the document to validator.swagger.io for a badge.
    OPENAPI_SWAGGER_UI_CONFIG = {"validatorUrl": None}
    API_SPEC_OPTIONS = {
        "info": {
            "description": "Your practice data for your own scripts. Send a personal access "
            "token (Settings → API tokens) as `Authorization: Bearer <token>`."
        },
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}
        },
        "security": [{"bearerAuth": []}],
    }

    # Files attached to pieces: unset → instance/uploads (a volume in docker-compose.yml).
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER")
    MAX_ATTACHMENT_BYTES = int(os.environ.get("MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024))
    # Cut off bodies far beyond any allowed file early; the slack covers the other form fields,
    # so a file just over the limit still gets the friendly message beside the field.
    MAX_CONTENT_LENGTH = MAX_ATTACHMENT_BYTES + 1024 * 1024
    # Caps of one CSV import of sessions (Practice log → Import from a CSV file).
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 5 * 1024 * 1024))
    IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 50_000))


class TestConfig(Config):
    """Settings for the test suite: fast hashing, CSRF off unless a test turns it on."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SECURITY_PASSWORD_SALT = "test-password-salt"
    SQLALCHEMY_DATABASE_URI = None  # set by the test fixtures
    # bcrypt's minimum cost keeps the suite fast while still hashing with bcrypt.
    SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS = {"bcrypt__rounds": 4}
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    UPLOAD_FOLDER = None  # tests that upload point it at a temporary directory
    # Plain static names, whether or not `flask build-static` has run in this checkout;
    # tests/test_static_files.py starts an app on the build.
    STATIC_BUILD_DIR = None
