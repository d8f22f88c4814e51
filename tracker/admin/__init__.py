"""The signed-in app: Flask-Admin at /app/ with the dashboard, the model views and settings."""

from flask import url_for
from flask_admin import Admin
from flask_admin import helpers as admin_helpers
from flask_admin.menu import MenuLink
from flask_admin.theme import Bootstrap4Theme

from tracker.admin.dashboard import DashboardView
from tracker.admin.settings import ProfileView
from tracker.admin.views import FocusAreaView
from tracker.admin.views import InstrumentView
from tracker.admin.views import PracticeSessionView

BASE_TEMPLATE = "admin/tracker_base.html"


def init_admin(app):
    """Create the Admin for this app (never module-level: each app gets its own views)."""
    from tracker.extensions import security

    theme = Bootstrap4Theme(swatch=app.config["FLASK_ADMIN_SWATCH"], base_template=BASE_TEMPLATE)
    admin = Admin(
        app,
        name="Practice Tracker",
        url="/app",
        index_view=DashboardView(name="Dashboard", url="/app", endpoint="admin"),
        theme=theme,
    )
    admin.add_view(PracticeSessionView())
    admin.add_view(
        ProfileView(name="Profile", endpoint="profile", url="/app/settings", category="Settings")
    )
    admin.add_view(InstrumentView())
    admin.add_view(FocusAreaView())
    admin.add_link(
        MenuLink(name="Change password", category="Settings", endpoint="security.change_password")
    )

    @security.context_processor
    def security_context():
        """Let Flask-Security's pages render inside the app's layout."""
        return {
            "admin_base_template": admin.theme.base_template,
            "admin_view": admin.index_view,
            "theme": admin.theme,
            "h": admin_helpers,
            "get_url": url_for,
        }

    app.extensions["tracker_admin"] = admin
    return admin
