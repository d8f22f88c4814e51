"""The dashboard: the app's home page at /app/."""

from datetime import timedelta

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_admin import expose
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from tracker.admin.base import SecureIndexView
from tracker.admin.cached_html import csrf_marker
from tracker.admin.fields import whole_number
from tracker.admin.prefill import item_key
from tracker.extensions import db
from tracker.figures import stats
from tracker.figures.cache import per_user_cached
from tracker.figures.explanations import explanation_counts
from tracker.figures.progress import active_goals
from tracker.figures.progress import goal_progress
from tracker.guidance.lists import SNOOZE_DAYS
from tracker.guidance.lists import left_off_and_up_next
from tracker.guidance.lists import plan_for
from tracker.guidance.lists import set_aside
from tracker.guidance.lists import snooze
from tracker.models.practice import MAX_SESSION_MINUTES
from tracker.phrases import days_text
from tracker.reminders.queries import upcoming_reminders
from tracker.timezones import local_now
from tracker.timezones import user_zone_name

TOP_RANGE_DAYS = 30
PLAN_MINUTES = 30  # what "I have [30] minutes" offers before the user types their own
PLAN_MINUTES_MESSAGE = f"Type the minutes you have, from 1 to {MAX_SESSION_MINUTES}."


def open_goal_summaries(user_id):
    """The open goals, most urgent first, as plain data with their progress."""
    goals = active_goals(user_id)
    progress = goal_progress(user_id, goals)
    return [
        {
            "id": goal.id,
            "name": goal.name,
            "priority": goal.priority,
            "target_date": goal.target_date,
            "progress": progress[goal.id],
        }
        for goal in goals
    ]


@per_user_cached("dashboard_panels")
def render_panels(user_id, zone, today):
    """The dashboard's cards and panels as HTML, from the user's (cached) figures.

    Everything in it depends only on the user's rows, their zone and the local date, so the
    HTML is cached under the same per-user version as the figures it shows.
    """
    month_ago = today - timedelta(days=TOP_RANGE_DAYS - 1)
    return render_template(
        "admin/_dashboard_panels.html",
        totals=stats.period_totals(user_id, today),
        streak=stats.streaks(user_id, today),
        month=stats.range_summary(user_id, month_ago, today),
        top_focus=stats.minutes_by_focus_area(user_id, zone, month_ago, today)[:3],
        top_pieces=stats.minutes_by_piece(user_id, zone, month_ago, today)[:3],
        recent=stats.recent_sessions(user_id),
        # The welcome checklist ticks "Set your instruments" once there are some.
        instruments=stats.instrument_names(user_id),
        goals=open_goal_summaries(user_id),
        upcoming=upcoming_reminders(user_id),
        today=today,
        month_ago=month_ago,
        # Reminder times read "Today 18:00": only the local date of now matters.
        now=local_now(),
    )


def plan_minutes(args):
    """(minutes, message) from the dashboard's "I have [30] minutes" field.

    minutes is None when no plan was asked for or the field is refused; message says why.
    """
    if "minutes" not in args:
        return None, None
    minutes = whole_number(args["minutes"], 1, MAX_SESSION_MINUTES)
    return minutes, None if minutes else PLAN_MINUTES_MESSAGE


def guidance_panels(user_id, now, args):
    """What the left-off, "Up next" and plan panels show, as plain data."""
    cards, entries = left_off_and_up_next(user_id, now)
    minutes, message = plan_minutes(args)
    plan = plan_for(user_id, now.date(), minutes) if minutes else None
    return {
        "cards": cards,
        "entries": entries,
        "plan": plan,
        "kept": explanation_counts(user_id, shown_items(cards, entries, plan)),
        "plan_minutes": minutes or args.get("minutes") or PLAN_MINUTES,
        "plan_message": message,
        "snooze_days": SNOOZE_DAYS,
    }


@per_user_cached("guidance_html")
def render_guidance(user_id, day_start, minutes):
    """The left-off, "Up next" and plan panels as HTML, with csrf_marker() for the tokens.

    They depend only on the user's rows (a snooze or "not now" included: both move the data
    version), the local day and the minutes asked for; their snooze and "not now" forms
    carry the asking browser's own CSRF token, which index() puts in place of the marker.
    """
    args = {} if minutes is None else {"minutes": minutes}
    return render_template(
        "admin/_dashboard_guidance.html",
        now=day_start,
        csrf_token=csrf_marker,
        **guidance_panels(user_id, day_start, args),
    )


def shown_items(cards, entries, plan):
    """The (kind, id) of every item the left-off cards, "Up next" and the plan show."""
    keys = {(item["kind"], item["id"]) for card in cards for item in card["items"]}
    keys.update(entry.item.key for entry in entries)
    keys.update(step.entry.item.key for step in plan or ())
    return keys


def refused(message):
    """A 400 page saying in plain words what was wrong with the request."""
    return render_template("error.html", code=400, message=message), 400


class DashboardView(SecureIndexView):
    """Where did I leave off, how am I doing, and what should I practise next."""

    @expose("/")
    def index(self):
        now = local_now()
        panels = render_panels(current_user.id, user_zone_name(), now.date())
        day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        guidance = render_guidance(current_user.id, day_start, request.args.get("minutes"))
        return self.render(
            "admin/dashboard.html",
            panels=Markup(panels),
            guidance=Markup(guidance.replace(csrf_marker(), generate_csrf())),
            now=now,
        )

    @expose("/up-next/snooze", methods=("POST",))
    def snooze_view(self):
        """Keep an "Up next" item out of the list for 1, 3 or 7 days."""
        item = item_key(request.form.get("kind"), request.form.get("id"))
        if item is None:
            return refused("There is no such item in your list.")
        days = whole_number(request.form.get("days"), 1, max(SNOOZE_DAYS))
        if days not in SNOOZE_DAYS:
            return refused("Snooze for 1, 3 or 7 days.")
        if not snooze(current_user.id, *item, days, local_now().date()):
            abort(404)
        db.session.commit()
        flash(f"Snoozed for {days_text(days)}.", "success")
        return redirect(url_for(".index"))

    @expose("/up-next/not-now", methods=("POST",))
    def not_now_view(self):
        """Lower an "Up next" item for the rest of today."""
        item = item_key(request.form.get("kind"), request.form.get("id"))
        if item is None:
            return refused("There is no such item in your list.")
        if not set_aside(current_user.id, *item, local_now().date()):
            abort(404)
        db.session.commit()
        flash("Set aside for today: it is back tomorrow.", "success")
        return redirect(url_for(".index"))
