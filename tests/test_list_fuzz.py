"""Hypothesis against every list of every registered view: hostile page, sort, search, filters.

Views and their filters are discovered from the admin, so a new view or filter is fuzzed
without editing this file. A server error is any 5xx, or an exception (the test app lets
them through).
"""

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from tests.factories import UserFactory
from tests.factories import factory_for
from tests.test_scoping import scoped_views
from tracker.extensions import db

EXAMPLES_PER_VIEW = 20
# What a careless user or an attacker types into a link: out-of-range numbers, NUL, dates far
# off, numbers that are no numbers, ranges the wrong way round.
HOSTILE = [
    "-1",
    "0",
    "2147483648",
    "32768",
    "99999999999999999999",
    "-99999999999999999999",
    "1.5",
    "1e400",
    "NaN",
    "inf",
    "-inf",
    "sNaN",
    "\x00",
    "a\x00b",
    "abc",
    "",
    " ",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "2026-01-01 to 9999-12-31",
    "0001-01-01 to 2026-01-01",
    "2026-12-31 to 2026-01-01",
    "' OR 1=1 --",
    "%",
    "\\",
    "<script>alert(1)</script>",
    "\u202e🎻",
]
VALUES = st.one_of(
    st.sampled_from(HOSTILE), st.text(max_size=24), st.integers().map(str)
)


def list_arguments(view):
    """A strategy of query strings for view's list: any of its arguments, each hostile."""
    names = ["page", "page_size", "sort", "desc", "search"]
    for position, arg in enumerate(view._filter_args or {}):
        names.append(f"flt{position}_{arg}")
    return st.fixed_dictionaries({}, optional={name: VALUES for name in names})


def test_hostile_list_arguments_never_cause_a_server_error(app, client, auth, report_figure):
    musician = UserFactory()
    auth.login(musician)
    views = scoped_views(app)
    for view in views:
        factory_for(view.model)(user=musician)
    db.session.commit()
    requests = []

    for view in views:
        paths = [f"{view.url}/"]
        if view.can_export:
            paths += [f"{view.url}/export/{kind}/" for kind in view.export_types]

        @settings(
            max_examples=EXAMPLES_PER_VIEW,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(path=st.sampled_from(paths), args=list_arguments(view))
        def fuzz(path, args):
            response = client.get(path, query_string=args)
            requests.append((path, args))
            assert response.status_code < 500, (path, args, response.status_code)
            body = response.get_data(as_text=True)
            assert "psycopg2" not in body and "Traceback" not in body, (path, args)

        fuzz()

    report_figure(f"list fuzz: {len(requests)} requests over {len(views)} views, 0 server errors")
    assert len(requests) >= len(views) * EXAMPLES_PER_VIEW
