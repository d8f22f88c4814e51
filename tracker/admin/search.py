"""The search results page: the user's words found everywhere, grouped by kind."""

from flask import request
from flask_admin import expose
from flask_login import current_user

from tracker.admin.base import SecureView
from tracker.search import MAX_QUERY_LENGTH
from tracker.search import grouped
from tracker.search import search


class SearchView(SecureView):
    """Results for the navbar's search box (/app/search/?q=...)."""

    def is_visible(self):
        """Reached from the search box on every page, not from a menu entry."""
        return False

    @expose("/")
    def index(self):
        query = request.args.get("q", "").strip()[:MAX_QUERY_LENGTH]
        found = search(current_user.id, query)
        return self.render(
            "admin/search.html", query=query, groups=grouped(found.results), found=found
        )
