"""Public pages: the landing page and the icon."""

from flask import Blueprint
from flask import current_app
from flask import redirect
from flask import render_template
from flask import url_for
from flask_login import current_user

bp = Blueprint("public", __name__)


@bp.get("/")
def landing():
    """Say what the app does; a signed-in musician goes straight to the app."""
    if current_user.is_authenticated:
        return redirect(url_for("admin.index"))
    return render_template("landing.html")


@bp.get("/favicon.ico")
def favicon():
    """Browsers that ask for /favicon.ico get the app's icon."""
    # Its plain name, not url_for's hashed one: browsers keep a 301 for good, and a later
    # build of the static files (tracker/assets/) no longer has the old hashed copy.
    return redirect(f"{current_app.static_url_path}/favicon.svg", code=301)
