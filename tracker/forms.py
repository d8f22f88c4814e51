"""Account forms that differ from Flask-Security's defaults."""

from flask_security import RegisterFormV2
from wtforms import HiddenField
from wtforms import StringField
from wtforms import validators

from tracker.timezones import is_valid_timezone


class TrackerRegisterForm(RegisterFormV2):
    """Registration also takes a name (optional) and the browser's time zone."""

    name = StringField("Your name (optional)", [validators.Optional(), validators.Length(max=120)])
    # Filled in by register.js from the browser, so days match the musician's clock at once.
    timezone = HiddenField(default="UTC", id="register-timezone")

    def validate_timezone(self, field):
        if not field.data or not is_valid_timezone(field.data):
            field.data = "UTC"
