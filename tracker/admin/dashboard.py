"""The dashboard: the app's home page at /app/."""

from datetime import timedelta

from flask_admin import expose
from flask_login import current_user

from tracker import stats
from tracker.admin.base import SecureIndexView
from tracker.progress import active_goals
from tracker.progress import goal_progress
from tracker.reminders_query import upcoming_reminders
from tracker.stats_cache import cached
from tracker.timezones import local_now

TOP_RANGE_DAYS = 30


class DashboardView(SecureIndexView):
    """Where did I leave off, how am I doing, and what should I practise next."""

    @expose("/")
    def index(self):
        now = local_now()
        today = now.date()
        user_id, zone = current_user.id, current_user.timezone or "UTC"
        month_ago = today - timedelta(days=TOP_RANGE_DAYS - 1)
        goals = active_goals(user_id)
        return self.render(
            "admin/dashboard.html",
            totals=cached(user_id, "period_totals", stats.period_totals, user_id, zone, today),
            streak=cached(user_id, "streaks", stats.streaks, user_id, zone, today),
            month=cached(
                user_id, "range_summary", stats.range_summary, user_id, zone, month_ago, today
            ),
            top_focus=cached(
                user_id,
                "by_focus_area",
                stats.minutes_by_focus_area,
                user_id,
                zone,
                month_ago,
                today,
            )[:3],
            top_pieces=cached(
                user_id, "by_piece", stats.minutes_by_piece, user_id, zone, month_ago, today
            )[:3],
            recent=stats.recent_sessions(user_id),
            goals=goals,
            progress=goal_progress(user_id, goals),
            upcoming=upcoming_reminders(user_id),
            today=today,
            month_ago=month_ago,
            now=now,
        )
