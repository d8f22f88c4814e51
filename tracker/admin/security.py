"""Settings → Security: where the musician is signed in, and signing out there or everywhere."""

from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import url_for
from flask_admin import expose
from flask_login import current_user
from flask_security import logout_user
from flask_wtf import FlaskForm

from tracker.admin.base import SecureView
from tracker.login_sessions import current_session_id
from tracker.login_sessions import end_sessions
from tracker.login_sessions import live_sessions
from tracker.models import LoginSession
from tracker.ownership import owned_one
from tracker.ownership import owned_query
from tracker.phrases import device_text


class SignOutForm(FlaskForm):
    """The CSRF token of a sign-out button."""


class SecurityView(SecureView):
    """The user's live sessions, each with "Sign out", and "Sign out everywhere"."""

    @expose("/")
    def index(self):
        sessions = live_sessions(owned_query(LoginSession)).all()
        return self.render(
            "admin/security.html",
            sessions=sessions,
            current_id=current_session_id(),
            device_text=device_text,
            sign_out_form=SignOutForm(),
            user=current_user,
            idle_days=current_app.config["SESSION_IDLE_DAYS"],
            absolute_days=current_app.config["SESSION_ABSOLUTE_DAYS"],
        )

    @expose("/<int:session_id>/sign-out", methods=("POST",))
    def sign_out(self, session_id):
        """End one of the user's sessions; ending this browser's own signs it out here too."""
        row = owned_one(LoginSession, session_id)
        if row is None:
            abort(404)
        if not SignOutForm().validate_on_submit():
            return redirect(url_for(".index"))
        end_sessions(current_user.id, row.id)
        if row.id == current_session_id():
            logout_user()
            flash("You are signed out.", "success")
            return redirect(url_for("security.login"))
        flash(f"{device_text(row.user_agent)} is signed out.", "success")
        return redirect(url_for(".index"))

    @expose("/sign-out-everywhere", methods=("POST",))
    def sign_out_everywhere(self):
        """End every session of the user, this browser's too."""
        if not SignOutForm().validate_on_submit():
            return redirect(url_for(".index"))
        end_sessions(current_user.id)
        logout_user()
        flash("You are signed out everywhere, on this browser too.", "success")
        return redirect(url_for("security.login"))
