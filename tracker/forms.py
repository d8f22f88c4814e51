"""Account forms that differ from Flask-Security's defaults."""

from flask import request
from flask_security import LoginForm
from flask_security import RegisterFormV2
from wtforms import HiddenField
from wtforms import StringField
from wtforms import validators

from tracker.security_log import record_unknown_account
from tracker.timezones import is_valid_timezone


class TrackerLoginForm(LoginForm):
    """Flask-Security's login form; an attempt on an unknown address is logged too.

    Generic responses replace every error on the e-mail and password fields with one
    message. Once the password was right, though, "confirm your address first" tells the
    account's owner only what they know, so it is kept (as a form error, which survives).
    """

    def validate(self, **kwargs):
        valid = super().validate(**kwargs)
        # A wrong password for a known account is logged through Flask-Security's signal.
        if not valid and self.user is None and request.method == "POST" and self.email.data:
            record_unknown_account()
        if not valid and self.user_authenticated and self.ifield is not None:
            self.form_errors.extend(self.ifield.errors)
            self.ifield.errors = []
        return valid


class TrackerRegisterForm(RegisterFormV2):
    """Registration also takes a name (optional) and the browser's time zone."""

    name = StringField("Your name (optional)", [validators.Optional(), validators.Length(max=120)])
    # Filled in by register.js from the browser, so days match the musician's clock at once.
    timezone = HiddenField(default="UTC", id="register-timezone")

    def validate_timezone(self, field):
        if not field.data or not is_valid_timezone(field.data):
            field.data = "UTC"
