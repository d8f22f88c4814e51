"""What a list page works out once and hands its template: helpers, row URLs, its rows' HTML.

A list draws twenty rows twice (a table line and a phone card); whatever is the same for
every row is done here once per page (UserScopedModelView.render), not once per cell.
"""

from functools import partial
from urllib.parse import quote as url_quote

from flask import request
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from tracker.admin.cached_html import with_csrf_marker
from tracker.admin.cached_html import with_csrf_token
from tracker.figures.cache import cached_for_user
from tracker.timezones import user_zone_name


@pass_context
def bound_to_page(context, function):
    """function (one taking the template's context first) with the page's context given now.

    Jinja hands a loop's call of such a function a fresh copy of the whole context, every
    time; a list calls them for every cell, so it binds them once before its loops.
    """
    return partial(function, context)


# Stands for a row's id while a list builds the URL it shares with every other row.
ROW_ID_MARK = "__row_id__"


def row_urls(view, return_url):
    """A function giving a row's URL to one of view's pages (details, edit) on a list.

    Each endpoint's URL is built once per page and the row's id put in: a list links two
    pages per row, and building every URL from the route map was a tenth of its time.
    """
    halves = {}

    def row_url(endpoint, row_id):
        if endpoint not in halves:
            url = view.get_url(endpoint, id=ROW_ID_MARK, url=return_url)
            halves[endpoint] = url.split(ROW_ID_MARK, 1)
        head, tail = halves[endpoint]
        return f"{head}{url_quote(str(row_id), safe='')}{tail}"

    return row_url


def row_actions_drawn_once():
    """A template function drawing a row's action buttons once per page.

    The table line and the phone card of a row show the same buttons: the second asks
    for what the first drew.
    """
    drawn = {}

    @pass_context
    def row_actions_html(context, row_id, row):
        if row_id not in drawn:
            actions = context.resolve("list_row_actions")
            drawn[row_id] = Markup("\n").join(a.render(context, row_id, row) for a in actions)
        return drawn[row_id]

    return row_actions_html


def list_html_cached(view):
    """A call-block function: the list's table, cards and pager, drawn once per data version.

    For views with cache_list_html set (rows that show nothing that changes with the clock),
    the list as it opens (no page, sort, filter or search asked for: the one most seen) is
    cached per user and time zone until the user's data changes, with each request's own
    CSRF token put in; one entry per user keeps the cache small. Other pages and views draw
    it every time.
    """

    def drawn(caller):
        if not view.cache_list_html or request.args:
            return caller()
        arguments = (view.endpoint, request.script_root, request.full_path, user_zone_name())
        html = cached_for_user(
            "list_html", current_user.id, arguments, lambda: with_csrf_marker(caller())
        )
        return Markup(with_csrf_token(html))

    return drawn


class FormDrawnOnUse:
    """A row's inline-edit form on a list, built only when the page draws one of its cells.

    A list whose rows come from the cache (list_html_cached) draws none of them.
    """

    def __init__(self, build):
        self._build = build
        self._form = None

    def _built(self):
        if self._form is None:
            self._form = self._build()
        return self._form

    def __getattr__(self, name):
        return getattr(self._built(), name)

    def __getitem__(self, name):
        return self._built()[name]
