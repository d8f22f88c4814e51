"""Account forms that differ from Flask-Security's defaults."""

from flask_security import RegisterFormV2
from wtforms import StringField
from wtforms import validators


class TrackerRegisterForm(RegisterFormV2):
    """Registration asks for a name too (optional) and keeps the rest of Flask-Security's rules."""

    name = StringField("Your name (optional)", [validators.Optional(), validators.Length(max=120)])
