"""What a list page works out once and hands its template: bound helpers, row URLs, buttons.

A list draws twenty rows twice (a table line and a phone card); whatever is the same for
every row is done here once per page (UserScopedModelView.render), not once per cell.
"""

from functools import partial
from urllib.parse import quote as url_quote

from jinja2 import pass_context
from markupsafe import Markup


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
