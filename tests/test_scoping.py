"""The scoping matrix: user B against user A's rows, through every registered view and endpoint.

Views and endpoints are discovered from the app, so a new view is covered without editing
this file (it only needs a factory in tests/factories.py).
"""

import io
import json
import re
import zipfile
from html.parser import HTMLParser

import pytest
from sqlalchemy import CheckConstraint
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import inspect as sa_inspect

from tests.factories import BaseFactory
from tests.factories import GoalFactory
from tests.factories import LoginSessionFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import UserFactory
from tests.factories import factory_for
from tracker.admin.base import UserScopedModelView
from tracker.admin.schedule import ItemScheduleMixin
from tracker.extensions import db
from tracker.guidance.states import item_row
from tracker.models import FocusArea
from tracker.models import Goal
from tracker.models import Instrument
from tracker.models import Piece
from tracker.models import PracticeSession
from tracker.models import ReviewState
from tracker.ownership import is_owned
from tracker.ownership import owned_relationships

SECRET = "ALICE-SECRET"


def scoped_views(app):
    """Every UserScopedModelView registered on the app."""
    return [v for v in app.extensions["tracker_admin"]._views if isinstance(v, UserScopedModelView)]


def other_views(app):
    """Every other page of the signed-in app (dashboard, settings, ...)."""
    return [
        v for v in app.extensions["tracker_admin"]._views if not isinstance(v, UserScopedModelView)
    ]


def own_post_urls(view, row_id):
    """The URLs of the POST endpoints a view adds to Flask-Admin's own ("Mark completed?", ...).

    Each names the row by id: in its path when it has an argument, else in the form.
    """
    standard = set(UserScopedModelView._urls)
    urls = []
    for url_rule in view._urls:
        path, _name, methods = url_rule
        if url_rule in standard or "POST" not in (methods or ()):
            continue
        urls.append(view.url + re.sub(r"<(?:\w+:)?\w+>", str(row_id), path))
    return urls


def bulk_edit_values(edit, owner):
    """Values a bulk edit would accept from owner: one of owner's rows, each choice, or a date."""
    if edit.target is not None:
        return [str(factory_for(edit.target)(user=owner).id)]
    if edit.choices is not None:
        return [str(value) for value, _label in edit.choices]
    return ["2027-06-30"]


def _mark_secret(row):
    """Put the secret marker into every free-text column of row (not coded choices)."""
    table = type(row).__table__
    checked = " ".join(
        str(ck.sqltext) for ck in table.constraints if isinstance(ck, CheckConstraint)
    )
    for column in sa_inspect(type(row)).columns:
        if not isinstance(column.type, String | Text) or column.key in checked:
            continue
        if column.key not in ("email", "password"):
            setattr(row, column.key, f"{SECRET}-{column.key}-{row.id or ''}"[:80])


def build_secret_row(model, owner):
    """A row of model owned by owner, linked to owner's related rows, all marked secret."""
    row = factory_for(model)(user=owner)
    related = {}
    for name, target in owned_relationships(model):
        other = factory_for(target)(user=owner)
        _mark_secret(other)
        prop = getattr(model, name).property
        if prop.uselist:
            getattr(row, name).append(other)
        else:
            setattr(row, name, other)
        related[name] = other
    _mark_secret(row)
    db.session.commit()
    return row, related


def snapshot(row):
    """Every column and relationship id of row, read fresh from the database."""
    db.session.expire_all()
    fresh = db.session.get(type(row), row.id)
    if fresh is None:
        return None
    state = {c.key: getattr(fresh, c.key) for c in sa_inspect(type(row)).columns}
    for name, _ in owned_relationships(type(row)):
        value = getattr(fresh, name)
        if isinstance(value, list):
            state[name] = sorted(item.id for item in value)
        else:
            state[name] = value.id if value is not None else None
    return state


class FormParser(HTMLParser):
    """Collect the fields of the main model form on a page."""

    def __init__(self):
        super().__init__()
        self.fields = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "checkbox"):
            self.fields[name] = attrs.get("value") or ""
        elif tag == "input" and name and "checked" in attrs:
            self.fields[name] = attrs.get("value") or "y"
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html):
    parser = FormParser()
    parser.feed(html)
    return {k: v for k, v in parser.fields.items() if k not in ("search", "page_size")}


@pytest.fixture
def alice_and_bob(client, auth):
    alice = UserFactory(email="alice@example.com")
    bob = UserFactory(email="bob@example.com")
    auth.login(bob)
    return alice, bob


def response_text(response):
    """The body as text; a zip (Download all my data) is read member by member."""
    if response.mimetype == "application/zip":
        # Compressed, a leaked secret would not show in the raw bytes.
        archive = zipfile.ZipFile(io.BytesIO(response.data))
        return "\n".join(
            archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
        )
    return response.get_data(as_text=True)


def _assert_no_secret(response, where):
    body = response_text(response)
    assert SECRET not in body, f"{where} leaked another user's data"
    return body


def test_bob_cannot_read_or_change_alices_rows(app, client, alice_and_bob, subtests):
    for view in scoped_views(app):
        with subtests.test(view=view.endpoint):
            _check_read_and_change(client, view, *alice_and_bob)


def _check_read_and_change(client, view, alice, bob):
    """Bob reads nothing and changes nothing of Alice's rows through one view."""
    row, related = build_secret_row(view.model, alice)
    before = snapshot(row)
    related_before = {name: snapshot(item) for name, item in related.items()}
    base = view.url

    # Reading: list (with count), search, every filter, details, edit form, export.
    body = _assert_no_secret(client.get(f"{base}/"), "list")
    assert f'value="{row.id}"' not in body
    searched = client.get(f"{base}/?search={SECRET}").get_data(as_text=True)
    assert 'name="rowid"' not in searched, "search found another user's rows"
    for arg in view._filter_args or {}:
        for value in [row.id, *[item.id for item in related.values()]]:
            _assert_no_secret(client.get(f"{base}/?flt1_{arg}={value}"), f"filter {arg}")
    for action in ("details", "edit"):
        response = client.get(f"{base}/{action}/?id={row.id}")
        _assert_no_secret(response, action)
        assert response.status_code in (302, 404)
    if view.can_export:
        for export_type in view.export_types:
            response = client.get(f"{base}/export/{export_type}/")
            _assert_no_secret(response, "export")
    for name in view._form_ajax_refs or {}:
        response = client.get(f"{base}/ajax/lookup/?name={name}&query=")
        assert SECRET not in response.get_data(as_text=True)
        assert json.loads(response.get_data(as_text=True) or "[]") == []

    # Writing: edit POST, delete, every bulk action, inline edits.
    client.post(f"{base}/edit/?id={row.id}", data={"notes": "bob was here", "name": "bob"})
    client.post(f"{base}/delete/", data={"id": row.id})
    for action_name, _ in view._actions:
        client.post(f"{base}/action/", data={"action": action_name, "rowid": [row.id]})
    # Bulk edits, confirmed with a value Bob may choose: Alice's ticked row is not found.
    for edit in view.bulk_edits:
        for value in bulk_edit_values(edit, bob):
            data = {"action": edit.name, "rowid": [row.id], "value": value, "confirmed": "yes"}
            _assert_no_secret(client.post(f"{base}/action/", data=data), f"bulk edit {edit.name}")
    for own_url in own_post_urls(view, row.id):
        response = client.post(own_url, data={"id": row.id, "url": "/"})
        assert response.status_code == 404, f"POST {own_url} found another user's row"
    for column in view.column_editable_list or ():
        response = client.post(f"{base}/ajax/update/", data={"list_form_pk": row.id, column: "1"})
        assert response.status_code != 200 or "does not exist" in response.get_data(as_text=True)
    assert snapshot(row) == before, "Alice's row was changed by Bob"
    assert {name: snapshot(item) for name, item in related.items()} == related_before


def test_bob_cannot_link_to_alices_related_rows(app, client, alice_and_bob, subtests):
    for view in scoped_views(app):
        with subtests.test(view=view.endpoint):
            _check_links(client, view, *alice_and_bob)


def _check_links(client, view, alice, bob):
    """Bob's forms offer none of Alice's rows and refuse her ids."""
    _, related = build_secret_row(view.model, alice)
    bobs_row = factory_for(view.model)(user=bob)
    model = view.model

    inline_targets = _alices_inline_targets(view, alice)

    # The forms offer none of Alice's rows.
    if view.can_create:
        _assert_no_secret(client.get(f"{view.url}/new/"), "create form")
    edit_page = client.get(f"{view.url}/edit/?id={bobs_row.id}")
    fields = form_fields(_assert_no_secret(edit_page, "edit form"))
    if not related and not inline_targets:
        return

    # Posting Alice's ids into Bob's forms (and their inline rows) links nothing.
    hostile = dict(fields)
    for name, item in related.items():
        hostile[name] = [str(item.id)] if getattr(model, name).property.uselist else str(item.id)
    for (relation, sub), item in inline_targets.items():
        hostile[f"{relation}-0-{sub}"] = str(item.id)
    client.post(f"{view.url}/edit/?id={bobs_row.id}", data=hostile)
    if view.can_create:
        client.post(f"{view.url}/new/", data=hostile)
    db.session.expire_all()
    # A foreign id is never linked: it is refused or dropped as "not one of your choices".
    for name, item in related.items():
        for bob_row in db.session.query(model).filter(model.user_id == bob.id):
            value = getattr(bob_row, name)
            linked = value if isinstance(value, list) else [value]
            assert item not in linked, f"Bob's {model.__name__} links Alice's {name}"
    for (relation, sub), item in inline_targets.items():
        for bob_row in db.session.query(model).filter(model.user_id == bob.id):
            for child in getattr(bob_row, relation):
                assert getattr(child, sub) != item, f"Bob's {relation} row links Alice's {sub}"


def _alices_inline_targets(view, alice):
    """(inline relationship, its field) -> one of Alice's rows that field could point at."""
    targets = {}
    for inline in view.inline_models or ():
        relation = next(
            name for name, target in owned_relationships(view.model) if target is inline.model
        )
        for sub, target in owned_relationships(inline.model):
            if target is view.model:
                continue  # the link back to the parent row itself
            item = factory_for(target)(user=alice)
            _mark_secret(item)
            targets[(relation, sub)] = item
    db.session.commit()
    return targets


def test_bob_cannot_bulk_edit_his_rows_with_alices_choices(app, client, alice_and_bob, subtests):
    """Every bulk edit that offers rows refuses Alice's row as the value, on Bob's own rows."""
    alice, bob = alice_and_bob
    for view in scoped_views(app):
        for edit in view.bulk_edits:
            if edit.target is None:
                continue
            with subtests.test(view=view.endpoint, edit=edit.name):
                bobs_row = factory_for(view.model)(user=bob)
                factory_for(edit.target)(user=bob)  # so the form has a choice to offer
                alices = factory_for(edit.target)(user=alice)
                _mark_secret(alices)
                db.session.commit()
                before = snapshot(bobs_row)
                data = {
                    "action": edit.name,
                    "rowid": [bobs_row.id],
                    "value": alices.id,
                    "confirmed": "yes",
                }
                response = client.post(f"{view.url}/action/", data=data)
                assert response.status_code == 200, "the value was not refused"
                _assert_no_secret(response, f"bulk edit {edit.name}")
                assert snapshot(bobs_row) == before, f"{edit.name} used Alice's row"


def test_matrix_finds_the_registered_views(app):
    endpoints = {view.endpoint for view in scoped_views(app)}
    assert {"practice_session", "instrument", "focus_area"} <= endpoints
    assert {"profile", "download_data", "delete_account"} <= {v.endpoint for v in other_views(app)}
    goal_view = next(view for view in scoped_views(app) if view.endpoint == "goal")
    assert sorted(own_post_urls(goal_view, 7)) == ["/app/goal/complete/", "/app/goal/interval/"]
    # Bulk edits are actions: the walk above posts each of them, with and without a value.
    edits = {view.endpoint: [e.name for e in view.bulk_edits] for view in scoped_views(app)}
    assert edits["practice_session"] == [
        "set_instrument",
        "add_focus_area",
        "remove_focus_area",
        "link_goal",
    ]
    assert {"piece_section", "piece", "goal"} <= {name for name, found in edits.items() if found}
    session_view = next(view for view in scoped_views(app) if view.endpoint == "practice_session")
    assert {name for name, _ in session_view._actions} >= set(edits["practice_session"])


def owned_models_shown(app):
    """The models of every scoped view, and the owned models that stand alone (tokens, sessions)."""
    models = {view.model for view in scoped_views(app)}
    for factory_cls in BaseFactory.__subclasses__():
        model = factory_cls._meta.model
        if is_owned(model) and not owned_relationships(model):
            models.add(model)
    return sorted(models, key=lambda model: model.__name__)


def _alices_rows(app, alice):
    """A secret row of each model for Alice, and a live sign-in from a secret browser."""
    rows = [build_secret_row(model, alice)[0] for model in owned_models_shown(app)]
    rows.append(LoginSessionFactory(user=alice, user_agent=f"{SECRET}-browser", ip="192.0.2.99"))
    return rows


def test_bob_sees_nothing_of_alice_on_other_pages(app, client, alice_and_bob):
    alice, _ = alice_and_bob
    _alices_rows(app, alice)
    for view in other_views(app):
        response = client.get(view.url + "/")
        assert response.status_code in (200, 302), view.endpoint
        body = _assert_no_secret(response, view.endpoint)
        assert "192.0.2.99" not in body, view.endpoint


def test_bob_cannot_change_alices_rows_through_other_pages(app, client, alice_and_bob):
    """Every POST of a custom page that names a row by id leaves all of Alice's rows alone."""
    alice, _ = alice_and_bob
    rows = _alices_rows(app, alice)
    before = [snapshot(row) for row in rows]
    prefixes = tuple(view.url + "/" for view in other_views(app))
    posts = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(prefixes) and "POST" in rule.methods and rule.arguments
    ]
    assert {"/app/security/<int:session_id>/sign-out"} <= {rule.rule for rule in posts}
    for rule in posts:
        for row in rows:
            path = re.sub(r"<(?:\w+:)?\w+>", str(row.id), rule.rule)
            response = client.post(path, data={"id": row.id})
            assert response.status_code in (302, 404), path
    assert [snapshot(row) for row in rows] == before, "Bob changed Alice's rows"


def test_bob_sees_nothing_of_alice_through_the_api(app, client, alice_and_bob):
    alice, _ = alice_and_bob
    for view in scoped_views(app):
        build_secret_row(view.model, alice)
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.arguments or "GET" not in rule.methods:
            continue
        _assert_no_secret(client.get(rule.rule), rule.rule)


def test_bob_cannot_set_the_interval_of_alices_items(app, client, alice_and_bob):
    """Every view with the "Practise every N days" form answers 404 for another user's item."""
    alice, _ = alice_and_bob
    views = [view for view in scoped_views(app) if isinstance(view, ItemScheduleMixin)]
    assert {view.endpoint for view in views} == {"goal", "piece"}
    for view in views:
        row = factory_for(view.model)(user=alice)
        section = PieceSectionFactory(user=alice, piece=row) if view.endpoint == "piece" else None
        for data in ({"days": "3"}, {"days": "3", "section": section.id if section else ""}):
            response = client.post(f"{view.url}/interval/?id={row.id}", data=data)
            assert response.status_code == 404, view.endpoint
    db.session.expire_all()
    assert db.session.query(ReviewState).filter(ReviewState.interval_days.isnot(None)).count() == 0


def test_bob_cannot_snooze_or_set_aside_alices_items(app, client, alice_and_bob):
    """Every POST of the dashboard (snooze, not now) answers 404 for Alice's items."""
    alice, _ = alice_and_bob
    section = PieceSectionFactory(user=alice)
    items = {
        "goal": GoalFactory(user=alice).id,
        "piece": PieceFactory(user=alice).id,
        "section": section.id,
    }
    posts = [
        rule.rule
        for rule in app.url_map.iter_rules()
        # The dashboard's own posts: they all take an item (the import page takes a file).
        if rule.endpoint.startswith("admin.")
        and rule.rule.startswith("/app/up-next/")
        and "POST" in rule.methods
    ]
    assert {"/app/up-next/snooze", "/app/up-next/not-now"} <= set(posts)
    for path in posts:
        for kind, item_id in items.items():
            response = client.post(path, data={"kind": kind, "id": item_id, "days": "1"})
            assert response.status_code == 404, (path, kind)
    db.session.expire_all()
    for kind, item_id in items.items():
        row = item_row(alice.id, kind, item_id)
        assert (row.snoozed_until, row.not_now_on) == (None, None), kind


def test_bobs_import_never_matches_alices_names(client, alice_and_bob):
    alice, bob = alice_and_bob
    theirs = {
        model: factory_for(model)(user=alice, **{column: name})
        for model, column, name in (
            (Instrument, "name", "Piano"),
            (FocusArea, "name", "Scales"),
            (Goal, "name", "Grade 5"),
            (Piece, "title", "Clair de lune"),
        )
    }
    header = "Date,Time,Minutes,Instrument,Focus areas,Goals,Pieces\n"
    named = header + "2026-03-02,18:30,30,piano,Scales,Grade 5,Clair de lune\n"
    page = client.post(
        "/app/import/",
        data={"step": "check", "file": (io.BytesIO(named.encode()), "log.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "you have no goal called “Grade 5”" in page
    assert "you have no piece called “Clair de lune”" in page
    plain = header + "2026-03-02,18:30,30,piano,Scales,,\n"
    response = client.post(
        "/app/import/",
        data={"step": "import", "file": (io.BytesIO(plain.encode()), "log.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.session.expire_all()
    (session,) = db.session.query(PracticeSession).filter_by(user_id=bob.id)
    assert (session.instrument.user_id, session.instrument.name) == (bob.id, "piano")
    assert [(f.user_id, f.name) for f in session.focus_areas] == [(bob.id, "Scales")]
    for model, row in theirs.items():
        assert db.session.query(model).filter_by(user_id=alice.id).one() == row
