"""Settings → Profile: name, instruments, skill level, goals, time zone and notifications."""

from flask import flash
from flask import redirect
from flask import request
from flask import url_for
from flask_admin import expose
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import validators

from tracker.admin.base import SecureView
from tracker.admin.fields import NulFree
from tracker.admin.fields import split_names
from tracker.extensions import db
from tracker.models import Instrument
from tracker.models import PracticeSession
from tracker.models import Reminder
from tracker.models.user import SKILL_LEVELS
from tracker.ownership import owned_query
from tracker.reminders.jobs import schedule_reminder
from tracker.timezones import is_valid_timezone
from tracker.timezones import timezone_names


class InstrumentNamesField(StringField):
    """The user's instruments as one comma-separated line of names."""

    def process_data(self, value):
        """Rows (from the user) become their names; a form sent without the field keeps them."""
        if isinstance(value, list | tuple):
            value = ", ".join(instrument.name for instrument in value)
        super().process_data(value)


class ProfileForm(NulFree, FlaskForm):
    """The musician's profile."""

    name = StringField("Your name", [validators.Optional(), validators.Length(max=120)])
    instruments = InstrumentNamesField(
        "Instruments you play",
        description="Comma-separated, e.g. “Piano, Classical guitar, Violin”.",
    )
    skill_level = SelectField("Skill level", choices=[("", "—"), *SKILL_LEVELS])
    practice_goals = TextAreaField(
        "Practice goals",
        description="In your own words: what are you working towards?",
        render_kw={"rows": 3},
    )
    timezone = SelectField("Time zone", validate_choice=False)
    notifications_enabled = BooleanField(
        "Notifications", description="Switch off to pause everything below."
    )
    notify_reminders = BooleanField("Practice reminders")
    notify_deadlines = BooleanField(
        "Goal deadlines", description="3 days before and the day before a goal's target date."
    )
    notify_milestones = BooleanField(
        "Milestones", description="Your first session, hours practised, streaks."
    )
    email_enabled = BooleanField(
        "E-mail me", description="Reminders you set to go by e-mail reach your inbox."
    )

    def validate_timezone(self, field):
        if not is_valid_timezone(field.data):
            raise validators.ValidationError("Choose a time zone from the list.")

    def validate_instruments(self, field):
        for name in split_names(field.data):
            if len(name) > 80:
                raise validators.ValidationError(f"“{name[:20]}…” is too long (80 at most).")
        kept = {n.lower() for n in split_names(field.data)}
        in_use = (
            owned_query(Instrument, Instrument.name)
            .join(
                PracticeSession,
                (PracticeSession.instrument_id == Instrument.id)
                & (PracticeSession.user_id == Instrument.user_id),
            )
            .distinct()
        )
        removed_in_use = sorted(name for (name,) in in_use if name.lower() not in kept)
        if removed_in_use:
            raise validators.ValidationError(
                f"{', '.join(removed_in_use)} has logged sessions, so it stays in the list "
                "(rename it under Settings → Instruments instead)."
            )


def sync_instruments(names):
    """Make the user's instrument list match names: add the new, drop unused missing ones."""
    current = {inst.name.lower(): inst for inst in owned_query(Instrument)}
    wanted = {name.lower(): name for name in names}
    for key, name in wanted.items():
        if key in current:
            current[key].name = name
        else:
            db.session.add(Instrument(name=name, user_id=current_user.id))
    for key, inst in current.items():
        if key not in wanted:
            db.session.delete(inst)


NOTIFICATION_SWITCHES = (
    "notifications_enabled",
    "notify_reminders",
    "notify_deadlines",
    "notify_milestones",
    "email_enabled",
)


def move_reminders_to_zone(zone):
    """Read every reminder of the user in zone from now on, and reschedule it."""
    for reminder in owned_query(Reminder):
        reminder.timezone = zone
        schedule_reminder(reminder)


class ProfileView(SecureView):
    """Edit the profile; a new user lands here first to set instruments and time zone."""

    @expose("/", methods=("GET", "POST"))
    def index(self):
        user = current_user._get_current_object()
        form = ProfileForm(obj=user)
        form.timezone.choices = [(name, name) for name in timezone_names()]
        if form.validate_on_submit():
            user.name = form.name.data or None
            user.skill_level = form.skill_level.data or None
            user.practice_goals = form.practice_goals.data or None
            if user.timezone != form.timezone.data:
                move_reminders_to_zone(form.timezone.data)
            user.timezone = form.timezone.data
            for switch in NOTIFICATION_SWITCHES:
                setattr(user, switch, getattr(form, switch).data)
            sync_instruments(split_names(form.instruments.data))
            db.session.commit()
            flash("Your profile is saved.", "success")
            return redirect(url_for(".index"))
        instrument_count = owned_query(Instrument).count()
        return self.render(
            "admin/profile.html",
            form=form,
            welcome=request.args.get("welcome") == "1",
            instrument_count=instrument_count,
        )
