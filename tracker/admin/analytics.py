"""Analytics: Chart.js charts over a chosen range, fed by the /api/v1/stats endpoints."""

from flask import url_for
from flask_admin import expose

from tracker.admin.base import SecureView
from tracker.timezones import local_now


class AnalyticsView(SecureView):
    """Practice over time, where the time went, consistency and how it felt."""

    @expose("/")
    def index(self):
        return self.render(
            "admin/analytics.html",
            log_url=url_for("practice_session.create_view"),
            today=local_now().date().isoformat(),
        )
