"""Settings → Your data: download everything as a zip, or delete the account for good."""

from flask import flash
from flask import redirect
from flask import send_file
from flask import url_for
from flask_admin import expose
from flask_login import current_user
from flask_security import logout_user
from flask_security import verify_and_update_password
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms import StringField
from wtforms import validators

from tracker.account_deletion import delete_account
from tracker.admin.base import SecureView
from tracker.data_export import user_export_file
from tracker.timezones import local_now

CONFIRMATION_WORD = "DELETE"


class DownloadDataView(SecureView):
    """The zip of everything the signed-in musician has here (Settings → Profile links it)."""

    def is_visible(self):
        """Reached from the profile's "Your data" section, not from the menu."""
        return False

    @expose("/")
    def index(self):
        """Send the zip; reading changes nothing, so a plain link (GET) is enough."""
        archive = user_export_file(current_user.id)
        # Like every signed-in page, it is sent with Cache-Control: no-store (tracker/headers.py).
        return send_file(
            archive,
            mimetype="application/zip",
            as_attachment=True,
            download_name=f"practice-tracker-{local_now():%Y-%m-%d}.zip",
        )


class DeleteAccountForm(FlaskForm):
    """The password and a typed word: two deliberate steps before nothing can be undone."""

    password = PasswordField(
        "Your password", [validators.InputRequired("Enter your password to confirm.")]
    )
    confirmation = StringField(
        f"Type {CONFIRMATION_WORD} to confirm",
        [validators.InputRequired(f"Type {CONFIRMATION_WORD} to confirm.")],
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )

    def validate_confirmation(self, field):
        if field.data.strip().upper() != CONFIRMATION_WORD:
            raise validators.ValidationError(
                f"Type the word {CONFIRMATION_WORD} to confirm (you typed “{field.data[:20]}”)."
            )


class DeleteAccountView(SecureView):
    """Ask for the password and a typed word, then delete the account and sign out."""

    def is_visible(self):
        """Reached from the profile's "Your data" section, not from the menu."""
        return False

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = DeleteAccountForm()
        if form.validate_on_submit():
            user = current_user._get_current_object()
            if verify_and_update_password(form.password.data, user):
                # Signed out first: afterwards there is no user row left to sign out.
                logout_user()
                delete_account(user)
                flash(
                    "Your account and everything in it are deleted. Thank you for practising "
                    "with us.",
                    "info",
                )
                return redirect(url_for("security.login"))
            form.password.errors.append("That is not your password.")
        return self.render("admin/delete_account.html", form=form)
