"""The navbar bell: /api/notifications, and marking them read."""

from flask import jsonify
from flask_login import current_user

from tracker.api.base import bp
from tracker.extensions import db
from tracker.models import Notification
from tracker.ownership import owned_one
from tracker.ownership import owned_query
from tracker.phrases import app_link
from tracker.phrases import local_day_time
from tracker.reminders.queries import latest_notifications
from tracker.reminders.queries import unread_notification_count
from tracker.timezones import local_now

NOTIFICATIONS_SHOWN = 8


def _notification_json(item, now):
    """One notification for the bell."""
    return {
        "id": item["id"],
        "kind": item["kind"],
        "message": item["message"],
        "link": app_link(item["link"]),
        "is_read": item["is_read"],
        "created_at": item["created_at"].isoformat(),
        "when": local_day_time(item["created_at"], now),
    }


@bp.get("/notifications")
def notifications():
    """The bell: how many are unread, and the latest in-app notifications."""
    user_id, now = current_user.id, local_now()
    items = latest_notifications(user_id, NOTIFICATIONS_SHOWN)
    return jsonify(
        unread=unread_notification_count(user_id),
        items=[_notification_json(item, now) for item in items],
    )


@bp.post("/notifications/<int:notification_id>/read")
def notification_read(notification_id):
    """Mark one of the user's notifications read; another user's id is simply not found."""
    notification = owned_one(Notification, notification_id)
    if notification is None:
        return jsonify(error="No such notification."), 404
    notification.is_read = True
    db.session.commit()
    return jsonify(
        id=notification_id, is_read=True, unread=unread_notification_count(current_user.id)
    )


@bp.post("/notifications/read-all")
def notifications_read_all():
    """Mark every in-app notification of the user read."""
    marked = (
        owned_query(Notification)
        .filter(Notification.in_app.is_(True), Notification.is_read.is_(False))
        .update({Notification.is_read: True}, synchronize_session=False)
    )
    db.session.commit()
    return jsonify(marked=marked, unread=0)
