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


def recent_session_summaries(user_id):
    """The latest sessions as plain data: when, how long, on what, and the notes."""
    return [
        {
            "id": session.id,
            "started_at": session.started_at,
            "duration_minutes": session.duration_minutes,
            "instrument": str(session.instrument) if session.instrument else None,
            "focus_areas": [str(area) for area in session.focus_areas],
            "piece_links": [str(link) for link in session.piece_links],
            "goal_links": [str(link) for link in session.goal_links],
            "notes": session.notes,
        }
        for session in stats.recent_sessions(user_id)
    ]


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


class DashboardView(SecureIndexView):
    """Where did I leave off, how am I doing, and what should I practise next."""

    @expose("/")
    def index(self):
        now = local_now()
        today = now.date()
        user_id, zone = current_user.id, current_user.timezone or "UTC"
        month_ago = today - timedelta(days=TOP_RANGE_DAYS - 1)
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
            # Plain data, cached per user like the figures: a warm dashboard barely
            # touches the database.
            recent=cached(user_id, "recent_sessions", recent_session_summaries, user_id),
            goals=cached(user_id, "open_goals", open_goal_summaries, user_id),
            upcoming=cached(user_id, "upcoming_reminders", upcoming_reminders, user_id),
            today=today,
            month_ago=month_ago,
            now=now,
        )
