"""/api/v1/notifications: what reminders, deadlines and milestones said; the navbar bell."""

import marshmallow as ma
from flask_login import current_user

from tracker.api.base import PAGE_HEADERS
from tracker.api.base import ApiBlueprint
from tracker.api.base import PageArgs
from tracker.api.base import owned_or_404
from tracker.api.base import page_of
from tracker.extensions import db
from tracker.models import Notification
from tracker.ownership import owned_query
from tracker.phrases import app_link
from tracker.phrases import local_day_time
from tracker.reminders.queries import latest_notifications
from tracker.reminders.queries import unread_notification_count

blp = ApiBlueprint(
    "notifications",
    __name__,
    "/notifications",
    description="Reminders, goal deadlines and milestones shown in the app.",
)
BLUEPRINTS = [blp]
BELL_ITEMS = 8


class NotificationSchema(ma.Schema):
    """One notification; `when` is its time in words, in your zone ("Today 07:30")."""

    id = ma.fields.Integer()
    kind = ma.fields.String()
    message = ma.fields.String()
    link = ma.fields.Method("safe_link", allow_none=True)
    is_read = ma.fields.Boolean()
    created_at = ma.fields.AwareDateTime()
    when = ma.fields.Method("when_text")

    def safe_link(self, item):
        """The link when it stays inside the app, else null."""
        return app_link(self.get_attribute(item, "link", None))

    def when_text(self, item):
        """When it arrived, in words and the user's time."""
        return local_day_time(self.get_attribute(item, "created_at", None))


class BellSchema(ma.Schema):
    """How many are unread, and the latest few."""

    unread = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(NotificationSchema))


class ReadSchema(ma.Schema):
    """What marking read changed, and how many stay unread."""

    id = ma.fields.Integer()
    is_read = ma.fields.Boolean()
    marked = ma.fields.Integer()
    unread = ma.fields.Integer()


def _in_app():
    return owned_query(Notification).filter(Notification.in_app.is_(True))


@blp.get("")
@blp.arguments(PageArgs, location="query", as_kwargs=True)
@blp.response(200, NotificationSchema(many=True), headers=PAGE_HEADERS)
def notification_list(page, per_page):
    """Your in-app notifications, newest first."""
    query = _in_app().order_by(Notification.created_at.desc(), Notification.id.desc())
    return page_of(query, page, per_page)


@blp.get("/bell")
@blp.response(200, BellSchema)
def bell():
    """The navbar bell: how many are unread, and the latest eight."""
    return {
        "unread": unread_notification_count(current_user.id),
        "items": latest_notifications(current_user.id, BELL_ITEMS),
    }


@blp.post("/<int:notification_id>/read")
@blp.response(200, ReadSchema)
def mark_read(notification_id):
    """Mark one notification read."""
    notification = owned_or_404(Notification, notification_id)
    notification.is_read = True
    db.session.commit()
    unread = unread_notification_count(current_user.id)
    return {"id": notification_id, "is_read": True, "marked": 1, "unread": unread}


@blp.post("/read-all")
@blp.response(200, ReadSchema)
def mark_all_read():
    """Mark every in-app notification read."""
    marked = (
        _in_app()
        .filter(Notification.is_read.is_(False))
        .update({Notification.is_read: True}, synchronize_session=False)
    )
    db.session.commit()
    return {"marked": marked, "unread": 0}
