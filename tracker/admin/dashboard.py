"""The dashboard: the app's home page at /app/."""

from flask_admin import expose
from flask_login import current_user

from tracker import stats
from tracker.admin.base import SecureIndexView
from tracker.timezones import local_now


class DashboardView(SecureIndexView):
    """Where did I leave off: this week's minutes, today's, and the latest sessions."""

    @expose("/")
    def index(self):
        now = local_now()
        return self.render(
            "admin/dashboard.html",
            totals=stats.today_and_week_minutes(current_user.id, now),
            recent=stats.recent_sessions(current_user.id),
            now=now,
        )
