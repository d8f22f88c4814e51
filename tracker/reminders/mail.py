"""E-mail for notifications: an outbox drained by the scheduler, one message per notification."""

import logging
from datetime import UTC
from datetime import datetime

from flask import current_app
from flask import render_template
from flask_mailman import EmailMultiAlternatives
from flask_mailman.backends.base import BaseEmailBackend
from sqlalchemy import select

from tracker.extensions import db
from tracker.extensions import mail
from tracker.models import Notification
from tracker.models import User

log = logging.getLogger(__name__)
SEND_BATCH = 100


class LogEmailBackend(BaseEmailBackend):
    """Development without SMTP: write each message to the log instead of sending it."""

    def send_messages(self, email_messages):
        for message in email_messages:
            log.info("E-mail to %s: %s\n%s", ", ".join(message.to), message.subject, message.body)
        return len(email_messages)


def _connection():
    """A mail connection from the current settings (they may change after start-up)."""
    config = current_app.config
    if config["MAIL_BACKEND"] != "smtp":
        return mail.get_connection(backend=config["MAIL_BACKEND"])
    return mail.get_connection(
        backend="smtp",
        host=config["MAIL_SERVER"],
        port=config["MAIL_PORT"],
        username=config["MAIL_USERNAME"],
        password=config["MAIL_PASSWORD"],
        use_tls=config["MAIL_USE_TLS"],
        timeout=10,
    )


def notification_email(notification, user):
    """The plain-text and HTML message for one notification."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    context = {
        "notification": notification,
        "user": user,
        "open_url": base + (notification.link or "/app/"),
        "reminders_url": base + "/app/reminders/",
    }
    message = EmailMultiAlternatives(
        subject=notification.message,
        body=render_template("email/notification.txt", **context),
        to=[user.email],
        connection=_connection(),
    )
    message.attach_alternative(render_template("email/notification.html", **context), "text/html")
    return message


def job_send_emails(now=None):
    """Send pending notification e-mails; a failed send stays pending for the next tick."""
    now = now or datetime.now(UTC)
    sent = 0
    while True:
        batch = db.session.execute(
            select(Notification, User)
            .join(User, User.id == Notification.user_id)
            .where(Notification.email_pending.is_(True))
            .order_by(Notification.id)
            .limit(SEND_BATCH)
            .with_for_update(of=Notification, skip_locked=True)
        ).all()
        if not batch:
            return sent
        for notification, user in batch:
            if user.notifications_enabled and user.email_enabled:
                try:
                    notification_email(notification, user).send()
                except OSError:
                    log.exception("Could not send e-mail for notification %s", notification.id)
                    db.session.commit()
                    return sent
                notification.emailed_at = now
                sent += 1
            notification.email_pending = False
        db.session.commit()
