"""The dashboard: the app's home page at /app/."""

from flask_admin import expose
from flask_login import current_user

from tracker import stats
from tracker.admin.base import SecureIndexView
from tracker.progress import active_goals
from tracker.progress import goal_progress
from tracker.timezones import local_now


class DashboardView(SecureIndexView):
    """Where did I leave off: minutes today and this week, latest sessions, open goals."""

    @expose("/")
    def index(self):
        now = local_now()
        goals = active_goals(current_user.id)
        return self.render(
            "admin/dashboard.html",
            totals=stats.today_and_week_minutes(current_user.id, now),
            recent=stats.recent_sessions(current_user.id),
            goals=goals,
            progress=goal_progress(current_user.id, goals),
            today=now.date(),
            now=now,
        )
