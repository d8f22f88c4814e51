"""The dashboard: the app's home page at /app/."""

from datetime import timedelta

from flask import render_template
from flask_admin import expose
from flask_login import current_user
from markupsafe import Markup

from tracker.admin.base import SecureIndexView
from tracker.figures import stats
from tracker.figures.cache import per_user_cached
from tracker.figures.progress import active_goals
from tracker.figures.progress import goal_progress
from tracker.reminders.queries import upcoming_reminders
from tracker.timezones import local_now
from tracker.timezones import user_zone_name

TOP_RANGE_DAYS = 30


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
        goals=open_goal_summaries(user_id),
        upcoming=upcoming_reminders(user_id),
        today=today,
        month_ago=month_ago,
        # Reminder times read "Today 18:00": only the local date of now matters.
        now=local_now(),
    )


class DashboardView(SecureIndexView):
    """Where did I leave off, how am I doing, and what should I practise next."""

    @expose("/")
    def index(self):
        now = local_now()
        panels = render_panels(current_user.id, user_zone_name(), now.date())
        return self.render("admin/dashboard.html", panels=Markup(panels), now=now)
