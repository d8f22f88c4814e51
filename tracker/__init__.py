"""Practice Tracker: create_app builds the Flask application."""

import logging
import os

from flask import Flask

from tracker.config import Config

__version__ = "0.1.0"

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(config_object=None):
    """Create and configure the app; `config_object` defaults to Config (the environment)."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("INSTANCE_PATH") or os.path.join(ROOT, "instance"),
        template_folder=os.path.join(ROOT, "templates"),
    )
    app.config.from_object(config_object or Config)
    configure_secrets(app)
    configure_database(app)
    # LOG_LEVEL=DEBUG in development (compose.dev.yml); INFO otherwise.
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO").upper())

    register_extensions(app)
    register_blueprints(app)
    register_admin(app)
    register_rate_limits(app)
    register_static_files(app)
    register_template_filters(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_commands(app)
    return app


def configure_secrets(app):
    """Fill missing development secrets from instance/; refuse to run production without them."""
    from tracker.config import instance_secret

    for key in ("SECRET_KEY", "SECURITY_PASSWORD_SALT"):
        if app.config.get(key):
            continue
        if app.config["ENV_NAME"] == "production":
            raise RuntimeError(f"{key} must be set in the environment in production.")
        app.config[key] = instance_secret(app.instance_path, key.lower())


def configure_database(app):
    """Use DATABASE_URL, or start the embedded PostgreSQL when none is given."""
    from tracker.embedded_db import default_pgdata
    from tracker.embedded_db import embedded_database_url
    from tracker.embedded_db import psycopg2_url

    url = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        if app.config["ENV_NAME"] == "production":
            raise RuntimeError("DATABASE_URL must be set in production.")
        url = embedded_database_url(default_pgdata(app.instance_path))
    app.config["SQLALCHEMY_DATABASE_URI"] = psycopg2_url(url)


def register_extensions(app):
    """Bind db, migrations, CSRF (before Security), Security, its sessions and the limiter."""
    from flask_security import SQLAlchemyUserDatastore

    from tracker import models
    from tracker.extensions import cache
    from tracker.extensions import csrf
    from tracker.extensions import db
    from tracker.extensions import limiter
    from tracker.extensions import mail
    from tracker.extensions import migrate
    from tracker.extensions import security
    from tracker.figures.cache import check_cache_setup
    from tracker.forms import TrackerLoginForm
    from tracker.forms import TrackerRegisterForm
    from tracker.login_sessions import init_app as init_login_sessions
    from tracker.security_log import init_app as init_security_log
    from tracker.uploads import init_app as init_uploads

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(ROOT, "migrations"))
    csrf.init_app(app)
    datastore = SQLAlchemyUserDatastore(db, models.User, models.Role)
    security.init_app(
        app,
        datastore,
        register_form=TrackerRegisterForm,
        login_form=TrackerLoginForm,
    )
    init_login_sessions(app)
    init_security_log(app)
    limiter.init_app(app)
    cache.init_app(app)
    mail.init_app(app)
    init_uploads(app)
    check_cache_setup(app)


def register_blueprints(app):
    """Public pages and the JSON API."""
    from tracker.api import init_app as init_api
    from tracker.public import bp as public_bp

    app.register_blueprint(public_bp)
    init_api(app)


def register_admin(app):
    """Build the signed-in app (Flask-Admin) for this app instance."""
    from tracker.admin import init_admin

    init_admin(app)


def register_rate_limits(app):
    """Rate limits on the forms that check a password (every view is registered by now)."""
    from tracker.throttling import init_app as init_throttling

    init_throttling(app)


def register_static_files(app):
    """Serve static files through WhiteNoise with hashed, precompressed copies (tracker/assets/)."""
    from tracker.assets.serve import init_app

    init_app(app)


def register_template_filters(app):
    """Jinja filters for local times, days and durations, all written as tracker/phrases.py does."""
    from tracker.phrases import date_text
    from tracker.phrases import duration_text
    from tracker.phrases import local_date_text
    from tracker.phrases import local_date_time_text

    app.add_template_filter(local_date_time_text, "localtime")
    app.add_template_filter(local_date_text, "localdate")
    app.add_template_filter(date_text, "day")
    app.add_template_filter(duration_text, "duration")


def register_errorhandlers(app):
    """Plain error pages that reveal nothing about the server."""
    from flask import render_template
    from flask import request

    from tracker.api.errors import json_error
    from tracker.security_log import record_server_error

    def render_error(error):
        if getattr(error, "code", 500) == 500:
            record_server_error(error)
        if request.path.startswith("/api/"):
            return json_error(error)  # scripts get JSON, whatever went wrong
        code = getattr(error, "code", 500)
        return render_template("error.html", code=code), code

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, render_error)


def register_security_headers(app):
    """CSP with a per-request nonce, Cache-Control, HSTS and Secure cookies (tracker/headers.py)."""
    from tracker.headers import init_app

    init_app(app)


def register_commands(app):
    """manage.py / flask commands."""
    from tracker.cli import init_app

    init_app(app)
