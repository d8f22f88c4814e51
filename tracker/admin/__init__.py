"""The signed-in app: Flask-Admin at /app/ with the dashboard, the model views and settings."""

from flask import current_app
from flask import request
from flask import url_for
from flask_admin import Admin
from flask_admin import helpers as admin_helpers
from flask_admin.menu import MenuLink
from flask_admin.theme import Bootstrap4Theme

from tracker.admin.analytics import AnalyticsView
from tracker.admin.attachments import AttachmentView
from tracker.admin.dashboard import DashboardView
from tracker.admin.gear import EquipmentView
from tracker.admin.gear import MaintenanceLogView
from tracker.admin.goals import GoalView
from tracker.admin.imports import ImportSessionsView
from tracker.admin.notifications import NotificationView
from tracker.admin.practice import FocusAreaView
from tracker.admin.practice import InstrumentView
from tracker.admin.practice import PracticeSessionView
from tracker.admin.reminders import ReminderView
from tracker.admin.repertoire import PieceSectionView
from tracker.admin.repertoire import PieceView
from tracker.admin.resources import ResourceView
from tracker.admin.search import SearchView
from tracker.admin.security import SecurityView
from tracker.admin.settings import ProfileView
from tracker.admin.timer import TimerView
from tracker.admin.tokens import ApiTokenView
from tracker.admin.your_data import DeleteAccountView
from tracker.admin.your_data import DownloadDataView

BASE_TEMPLATE = "admin/tracker_base.html"


def init_admin(app):
    """Create the Admin for this app (never module-level: each app gets its own views)."""
    from tracker.extensions import security
    from tracker.headers import csp_nonce

    theme = Bootstrap4Theme(swatch=app.config["FLASK_ADMIN_SWATCH"], base_template=BASE_TEMPLATE)
    admin = Admin(
        app,
        name="Practice Tracker",
        url="/app",
        index_view=DashboardView(name="Dashboard", url="/app", endpoint="admin"),
        theme=theme,
        # Flask-Admin's inline scripts carry the nonce the Content-Security-Policy names.
        csp_nonce_generator=csp_nonce,
    )
    admin.add_view(PracticeSessionView())
    admin.add_view(TimerView(name="Timer", endpoint="timer", url="/app/timer"))
    admin.add_view(AnalyticsView(name="Analytics", endpoint="analytics", url="/app/analytics"))
    admin.add_view(GoalView())
    admin.add_view(PieceView())
    admin.add_view(PieceSectionView())
    admin.add_view(ResourceView())
    admin.add_view(SearchView(name="Search", endpoint="search", url="/app/search"))
    admin.add_view(EquipmentView())
    admin.add_view(MaintenanceLogView())
    admin.add_view(
        ProfileView(name="Profile", endpoint="profile", url="/app/settings", category="Settings")
    )
    # E-mails link to /app/reminders/.
    admin.add_view(ReminderView(url="/app/reminders"))
    admin.add_view(NotificationView())
    admin.add_view(InstrumentView())
    admin.add_view(FocusAreaView())
    admin.add_view(AttachmentView())
    admin.add_view(
        ImportSessionsView(
            name="Import sessions",
            endpoint="import_sessions",
            url="/app/import",
            category="Settings",
        )
    )
    admin.add_view(
        ApiTokenView(
            name="API tokens", endpoint="api_tokens", url="/app/api-tokens", category="Settings"
        )
    )
    admin.add_view(
        SecurityView(
            name="Security", endpoint="account_security", url="/app/security", category="Settings"
        )
    )
    # Settings → Profile → "Your data" links to these two; they have no menu entry.
    admin.add_view(
        DownloadDataView(
            name="Download all my data", endpoint="download_data", url="/app/settings/download"
        )
    )
    admin.add_view(
        DeleteAccountView(
            name="Delete my account", endpoint="delete_account", url="/app/settings/delete-account"
        )
    )
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

    register_template_helpers(app)
    app.extensions["tracker_admin"] = admin
    return admin


def admin_static_url(**kwargs):
    """URL of one of Flask-Admin's assets (templates/admin/static.html), worked out once."""
    key = (request.script_root, admin_static_endpoint(), tuple(sorted(kwargs.items())))
    # Per app: each app's build of the static files (tracker/assets/) has its own hashed names.
    urls = current_app.extensions.setdefault("admin_static_urls", {})
    url = urls.get(key)
    if url is None:
        url = urls[key] = url_for(key[1], **kwargs)
    return url


def admin_static_endpoint():
    """The static endpoint of the Admin serving this app."""
    return f"{current_app.extensions['tracker_admin'].endpoint}.static"


def register_template_helpers(app):
    """Functions the app's templates call to shape what their view handed them."""
    from tracker.admin.explanation_links import explanations_text
    from tracker.admin.explanation_links import item_explanations_url
    from tracker.admin.formatters import mark_completed_form
    from tracker.admin.formatters import progress_bar
    from tracker.admin.menu import menu_active
    from tracker.admin.menu import menu_drawn_once
    from tracker.admin.prefill import continue_url
    from tracker.admin.prefill import practise_url
    from tracker.admin.prefill import start_url
    from tracker.admin.prefill import time_card_url
    from tracker.admin.prefill import time_entry_url
    from tracker.admin.prefill import time_plan_url
    from tracker.admin.wording import plain_words
    from tracker.guidance.item_page import PHASES
    from tracker.models.choices import MAINTENANCE_KINDS
    from tracker.models.choices import SECTION_STATUSES
    from tracker.models.choices import label_of
    from tracker.phrases import days_text
    from tracker.phrases import deadline_text
    from tracker.phrases import item_result
    from tracker.phrases import local_day_time
    from tracker.phrases import tempo_text

    app.jinja_env.globals.update(
        admin_static_url=admin_static_url,
        menu_active=menu_active,
        menu_drawn_once=menu_drawn_once,
        plain_words=plain_words,
        progress_bar=progress_bar,
        mark_completed_form=mark_completed_form,
        deadline_text=deadline_text,
        local_day_time=local_day_time,
        days_text=days_text,
        tempo_text=tempo_text,
        item_result=item_result,
        # The session form's pre-filled links (admin/prefill.py).
        practise_url=practise_url,
        continue_url=continue_url,
        start_url=start_url,
        # The same items, opened in the practice timer.
        time_entry_url=time_entry_url,
        time_card_url=time_card_url,
        time_plan_url=time_plan_url,
        # "2 explanations" beside an item, linking to where they are listed.
        item_explanations_url=item_explanations_url,
        explanations_text=explanations_text,
        section_status_label=lambda value: label_of(SECTION_STATUSES, value),
        maintenance_label=lambda value: label_of(MAINTENANCE_KINDS, value),
        # "Learning" / "Maintenance": one name for a phase on every page.
        phase_label=lambda phase: PHASES[phase][0],
    )
