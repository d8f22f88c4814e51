"""The dashboard: the app's home page at /app/."""

from datetime import timedelta

from flask import render_template
from flask_admin import expose
from flask_login import current_user
from markupsafe import Markup

from tracker import stats
from tracker.admin.base import SecureIndexView
from tracker.progress import active_goals
from tracker.progress import goal_progress
from tracker.reminders_query import upcoming_reminders
from tracker.stats_cache import cached
from tracker.timezones import local_now

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


def render_panels(user_id, zone, today):
    """The dashboard's cards and panels as HTML, from the user's (cached) figures.

    Everything in it depends only on the user's rows, their zone and the local date, so the
    HTML is cached under the same per-user version as the figures it shows.
    """
    month_ago = today - timedelta(days=TOP_RANGE_DAYS - 1)
    return render_template(
        "admin/_dashboard_panels.html",
        totals=cached(user_id, "period_totals", stats.period_totals, user_id, zone, today),
        streak=cached(user_id, "streaks", stats.streaks, user_id, zone, today),
        month=cached(
            user_id, "range_summary", stats.range_summary, user_id, zone, month_ago, today
        ),
        top_focus=cached(
            user_id, "by_focus_area", stats.minutes_by_focus_area, user_id, zone, month_ago, today
        )[:3],
        top_pieces=cached(
            user_id, "by_piece", stats.minutes_by_piece, user_id, zone, month_ago, today
        )[:3],
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
        user_id, zone = current_user.id, current_user.timezone or "UTC"
        panels = cached(user_id, "dashboard_panels", render_panels, user_id, zone, now.date())
        return self.render("admin/dashboard.html", panels=Markup(panels), now=now)
