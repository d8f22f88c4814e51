"""Every list's streamed export writes what Flask-Admin's own export would, byte for byte.

The reference reads the same rows through the ORM and writes each cell with Flask-Admin's
stock get_export_value, then the same formula-safe writer: whatever the streamed export
does to be fast, its bytes must not change. Views are discovered from the admin.
"""

import io
from itertools import cycle

from flask_admin.contrib.sqla import ModelView
from flask_login import login_user

from tests.factories import UserFactory
from tests.test_export_escaping import build_armed_row
from tests.test_list_exports import add_linked_rows
from tests.test_list_exports import csv_rows_of
from tests.test_list_exports import exporting_views
from tracker.extensions import db
from tracker.ownership import FORMULA_PREFIXES
from tracker.ownership import FormulaSafeWriter


def stock_export(app, view, user, path):
    """The CSV Flask-Admin's own get_export_value writes for view's export at path."""
    with app.test_request_context(path):
        login_user(user)
        rows = view._export_query().order_by(view.model.id).all()
        buffer = io.StringIO()
        writer = FormulaSafeWriter(buffer)
        writer.writerow([label for _, label in view._export_columns])
        for row in rows:
            writer.writerow(
                [ModelView.get_export_value(view, row, name) for name, _ in view._export_columns]
            )
        db.session.rollback()
        return buffer.getvalue().encode()


def test_every_export_writes_the_bytes_flask_admins_export_would(app, client, auth):
    prefixes, counter = cycle(FORMULA_PREFIXES), iter(range(1, 1_000_000))
    for view in exporting_views(app):
        # A musician per view: another view's rows link to rows this one lists.
        musician = UserFactory()
        auth.logout()
        auth.login(musician)
        for _ in range(3):
            build_armed_row(view.model, musician, prefixes, counter)
        add_linked_rows(view.model, musician, 3)
        db.session.add(factory_row(view.model, musician))
        db.session.commit()
        path = f"{view.url}/export/csv/"
        expected = stock_export(app, view, musician, path)
        response = client.get(path)
        assert response.status_code == 200, view.endpoint
        assert len(csv_rows_of(expected)) >= 8, view.endpoint
        assert response.get_data() == expected, view.endpoint


def factory_row(model, owner):
    """A row of model with none of its links set."""
    from tests.factories import factory_for

    return factory_for(model).build(user=owner)
