"""Password rules with advice a musician can act on."""

from flask_security import PasswordUtil
from flask_security.utils import get_message


class TrackerPasswordUtil(PasswordUtil):
    """Flask-Security's checks (12 to 128 characters, zxcvbn score 3 or more), with advice.

    zxcvbn's own warning ("This is a top-10 common password.") says what is wrong; the line
    added after it says what to do instead.
    """

    def validate(self, password, is_register, **kwargs):
        errors, normalized = super().validate(password, is_register, **kwargs)
        advice = get_message("PASSWORD_TOO_SIMPLE")[0]
        too_short_or_long = get_message("PASSWORD_INVALID_LENGTH", length=0)[0]
        if errors and advice not in errors and too_short_or_long not in errors:
            errors = [*errors, advice]
        return errors, normalized
