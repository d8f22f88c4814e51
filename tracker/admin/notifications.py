"""Settings → Notifications: what reminders, goal deadlines and milestones told the musician."""

from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import BooleanEqualFilter
from flask_admin.contrib.sqla.filters import FilterEqual
from markupsafe import Markup

from tracker.admin.base import PostRowAction
from tracker.admin.base import UserScopedModelView
from tracker.admin.formatters import choice_formatter
from tracker.admin.formatters import yes_no_formatter
from tracker.models import Notification
from tracker.models.reminders import NOTIFICATION_KINDS
from tracker.phrases import app_link
from tracker.phrases import local_day_time

SHOWN_IN_APP = "Shown in the app"


def when_formatter(view, context, model, name):
    """When the notification arrived, in the user's time."""
    return local_day_time(getattr(model, name))


def message_formatter(view, context, model, name):
    """The message, linking to what it is about."""
    link = app_link(model.link)
    if link is None:
        return model.message
    return Markup('<a href="{}">{}</a>').format(link, model.message)


class NotificationView(UserScopedModelView):
    model = Notification
    name = "Notifications"
    endpoint = "notification"
    row_nouns = ("notification", "notifications")
    category = "Settings"
    empty_list_message = (
        "No notifications. Practice reminders, goal deadlines and milestones show up here "
        "and under the bell at the top."
    )

    can_create = False
    can_edit = False
    can_delete = True
    can_view_details = False
    can_export = False

    column_list = ["created_at", "kind", "message", "is_read"]
    column_labels = {
        "created_at": "When",
        "kind": "About",
        "message": "Message",
        "is_read": "Read",
    }
    column_default_sort = [("created_at", True), ("id", True)]
    column_sortable_list = ["created_at", "kind", "is_read"]
    column_searchable_list = ["message"]
    column_filters = [
        FilterEqual(Notification.kind, "About", options=NOTIFICATION_KINDS),
        BooleanEqualFilter(Notification.is_read, "Read"),
        BooleanEqualFilter(Notification.in_app, SHOWN_IN_APP),
    ]
    # E-mail-only notifications stay out of the list unless that filter asks for them.
    default_list_filters = ((SHOWN_IN_APP, "1"),)
    column_formatters = {
        "created_at": when_formatter,
        "kind": choice_formatter(NOTIFICATION_KINDS),
        "message": message_formatter,
        "is_read": yes_no_formatter,
    }
    column_extra_row_actions = [PostRowAction("mark_read", "Mark read", "fa-check")]

    @action("mark_read", "Mark read")
    def action_mark_read(self, ids):
        """Mark the chosen notifications read."""
        self.update_rows(ids, "{count} notification(s) marked read.", is_read=True)

    @action("mark_unread", "Mark unread")
    def action_mark_unread(self, ids):
        """Mark the chosen notifications unread again."""
        self.update_rows(ids, "{count} notification(s) marked unread.", is_read=False)
