"""The API scoping matrix: user B, with B's token, against user A's rows on every /api/v1 rule.

Rules, their path ids, list models and request schemas are read from the app, so a new
endpoint is covered without editing this file. Its path ids must be named
`<snake_case model>_id` (id_argument) and its owned models need a factory. A body that names
one goal, piece or section by kind and id (tracker.api.guidance.ItemSchema) is walked with
each kind of Alice's items.
"""

import graphlib
import io
import itertools
import json
from datetime import UTC
from datetime import datetime

import marshmallow as ma
import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text

import tracker.models
from tests.api_routes import api_rules
from tests.api_routes import bearer
from tests.api_routes import body_schema
from tests.api_routes import methods
from tests.api_routes import model_of
from tests.api_routes import path_arguments
from tests.api_routes import query_example
from tests.api_routes import url
from tests.factories import UserFactory
from tests.factories import factory_for
from tests.test_scoping import SECRET
from tests.test_scoping import _mark_secret
from tracker.api.base import OwnedId
from tracker.api.base import OwnedRows
from tracker.api.base import model_noun
from tracker.api.guidance import ITEM_MODELS
from tracker.api.guidance import ItemSchema
from tracker.api.resources import id_argument
from tracker.extensions import db
from tracker.models import FocusArea
from tracker.models import Goal
from tracker.models import Instrument
from tracker.models import OwnedMixin
from tracker.models import Piece

# A token's last use is stamped by reading with it: not a change of anyone's data.
UNFINGERPRINTED_COLUMNS = {"last_used_at"}


def owned_models():
    """Every model in tracker.models whose rows belong to a user."""
    return [
        model
        for model in vars(tracker.models).values()
        if isinstance(model, type) and issubclass(model, OwnedMixin) and model is not OwnedMixin
    ]


def secret_row(model, owner):
    """A row of model built by its factory for owner; it and the rows it links marked secret.

    (build_secret_row links fresh rows, which composite links such as a session's piece
    and section refuse; the factories build consistent ones.)
    """
    row = factory_for(model)(user=owner)
    _mark_secret(row)
    for rel in sa_inspect(model).relationships:
        linked = getattr(row, rel.key)
        for item in linked if rel.uselist else [linked]:
            if isinstance(item, OwnedMixin):
                _mark_secret(item)
    db.session.commit()
    return row


def argument_models():
    """Path argument name -> the owned model it names (piece_section_id -> PieceSection)."""
    return {id_argument(model): model for model in owned_models()}


def fingerprint(user_id=None):
    """md5 of every table's rows (only user_id's rows and user where given), read with raw SQL.

    Tables without a user_id (the link tables) are taken whole.
    """
    prints = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            columns = ", ".join(
                f'"{c.name}"' for c in table.columns if c.name not in UNFINGERPRINTED_COLUMNS
            )
            where = ""
            if user_id is not None and "user_id" in table.c:
                where = "WHERE user_id = :user"
            elif user_id is not None and table.name == "users":
                where = "WHERE id = :user"
            prints[table.name] = conn.execute(
                text(
                    f"SELECT md5(coalesce(string_agg(r, '|' ORDER BY r), '')) "
                    f'FROM (SELECT ROW({columns})::text AS r FROM "{table.name}" {where}) AS rows'
                ),
                {"user": user_id},
            ).scalar()
    return prints


def path_rows(rule, owner, make):
    """Argument -> one of owner's rows: the last argument's row, and the rows it points at."""
    models = argument_models()
    rows = {}
    for argument in reversed(path_arguments(rule)):
        model = models[argument]
        linked = [
            getattr(row, rel.key)
            for row in rows.values()
            for rel in sa_inspect(type(row)).relationships
            if rel.mapper.class_ is model and not rel.uselist
        ]
        rows[argument] = next((row for row in linked if row is not None), None) or make(model)
    return rows


@pytest.fixture
def alice_bob(client):
    """Alice with secret-marked rows of every owned model, Bob with rows of his own."""
    alice = UserFactory(email="alice@example.com")
    bob = UserFactory(email="bob@example.com")
    alices = {model: secret_row(model, alice) for model in owned_models()}
    bobs = {model: factory_for(model)(user=bob) for model in owned_models()}
    db.session.commit()
    return alice, bob, alices, bobs


def test_every_path_argument_names_an_owned_model(app):
    models = argument_models()
    unknown = {
        rule.rule: sorted(set(path_arguments(rule)) - set(models))
        for rule in api_rules(app)
        if set(path_arguments(rule)) - set(models)
    }
    assert not unknown, (
        f"/api/v1 path arguments that name no owned model (use id_argument(Model)): {unknown}"
    )


def test_matrix_finds_the_api_rules(app):
    rules = {rule.rule for rule in api_rules(app)}
    assert {
        "/api/v1/tokens/<int:api_token_id>",
        "/api/v1/instruments/<int:instrument_id>",
        "/api/v1/focus-areas/<int:focus_area_id>",
        "/api/v1/notifications/<int:notification_id>/read",
    } <= rules
    assert all(factory_for(model) for model in owned_models())


def test_bob_gets_404_for_alices_ids_on_every_method(app, client, alice_bob, subtests):
    alice, bob, _, _ = alice_bob
    headers = bearer(bob)
    for rule in api_rules(app):
        if not path_arguments(rule):
            continue
        theirs = {
            "alice": path_rows(rule, alice, lambda model: secret_row(model, alice)),
            "bob": path_rows(rule, bob, lambda model: factory_for(model)(user=bob)),
        }
        db.session.commit()
        arguments = path_arguments(rule)
        owners = [
            combo
            for combo in itertools.product(("alice", "bob"), repeat=len(arguments))
            if "alice" in combo
        ]
        for combo, method in itertools.product(owners, methods(rule)):
            ids = {arg: theirs[owner][arg].id for arg, owner in zip(arguments, combo, strict=True)}
            with subtests.test(rule=rule.rule, method=method, owners=combo):
                before = fingerprint(alice.id)
                body = {} if method in ("POST", "PUT", "PATCH") else None
                response = client.open(url(rule, ids), method=method, json=body, headers=headers)
                allowed = {404, 422} if method in ("POST", "PUT") else {404}
                assert response.status_code in allowed, (
                    f"{method} {url(rule, ids)} as Bob: {response.status_code} "
                    f"{response.get_data(as_text=True)[:300]}"
                )
                assert SECRET not in response.get_data(as_text=True)
                assert fingerprint(alice.id) == before, f"{method} {rule.rule} changed Alice's rows"


def _ids_in(data):
    """Every "id" value anywhere in a JSON document."""
    if isinstance(data, dict):
        found = [data["id"]] if "id" in data else []
        return found + [i for value in data.values() for i in _ids_in(value)]
    if isinstance(data, list):
        return [i for item in data for i in _ids_in(item)]
    return []


def test_every_list_shows_only_bobs_rows(app, client, alice_bob, subtests):
    alice, bob, alices, bobs = alice_bob
    headers = bearer(bob)
    for rule in api_rules(app):
        if path_arguments(rule) or "GET" not in methods(rule):
            continue
        with subtests.test(rule=rule.rule):
            query = query_example(app, rule)
            response = client.get(rule.rule, query_string=query, headers=headers)
            assert response.status_code == 200, response.get_data(as_text=True)[:300]
            assert SECRET not in response.get_data(as_text=True), f"{rule.rule} leaked"
            model = model_of(app, rule)
            if model is None:
                continue
            ids = set(_ids_in(response.get_json()))
            theirs = {row.id for row in db.session.query(model).filter(model.user_id == alice.id)}
            assert not ids & theirs, f"{rule.rule} lists Alice's {model.__name__} rows"
            assert bobs[model].id in ids, f"{rule.rule} does not list Bob's own row"


def link_fields(schema, path=()):
    """(path in the body, model) of every OwnedId/OwnedRows field of schema, nested ones too."""
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        key = (field.data_key or name,)
        if isinstance(field, OwnedId | OwnedRows):
            yield path + key, field.model
        elif isinstance(field, ma.fields.Nested):
            yield from link_fields(field.schema, path + key + ((0,) if field.many else ()))
        elif isinstance(field, ma.fields.List) and isinstance(field.inner, ma.fields.Nested):
            yield from link_fields(field.inner.schema, path + key + (0,))


def example_body(schema, ids):
    """A valid body: each required field's example, each link to another row from ids[model]."""
    body = {}
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        key = field.data_key or name
        nested = field.inner if isinstance(field, ma.fields.List) else field
        if isinstance(field, OwnedRows):
            body[key] = [ids[field.model]]
        elif isinstance(field, OwnedId):
            body[key] = ids[field.model]
        elif isinstance(nested, ma.fields.Nested):
            if field.required or list(link_fields(nested.schema)):
                item = example_body(nested.schema, ids)
                many = nested is not field or field.many
                body[key] = [item] if many else item
        elif field.required:
            assert "example" in field.metadata, (
                f"{type(schema).__name__}.{name} is required in a create body but has no "
                f'example: add metadata={{"example": ...}}'
            )
            body[key] = field.metadata["example"]
    return body


def consistent_ids(rows, models):
    """Model -> id of one of rows' owner's rows, each the row the others point at if they do.

    Rows are chosen in link order (a section before its piece, the piece before its
    instrument), so a body's section_id is a section of its piece_id.
    """
    needed = set(models)

    def pointers(model):
        return [
            rel
            for rel in sa_inspect(model).relationships
            if not rel.uselist and rel.mapper.class_ in needed and rel.mapper.class_ is not model
        ]

    order = graphlib.TopologicalSorter()
    for model in needed:
        order.add(model)
        for rel in pointers(model):
            order.add(rel.mapper.class_, model)
    chosen = {}
    for model in order.static_order():
        row = chosen.setdefault(model, rows[model])
        for rel in pointers(model):
            target = getattr(row, rel.key)
            if target is not None:
                chosen.setdefault(rel.mapper.class_, target)
    return {model: row.id for model, row in chosen.items()}


def _set(body, path, value):
    """Put value at path (keys and list indexes) in body; a list field gets [value]."""
    *head, last = path
    for step in head:
        body = body[step]
    body[last] = [value] if isinstance(body.get(last), list) else value


def _errors_at(errors, path):
    """The error messages at path of a 422's errors, or None."""
    for step in path:
        if not isinstance(errors, dict):
            return None
        errors = errors.get(str(step), errors.get(step))
    return errors


def test_creating_with_alices_ids_is_refused_with_bobs_it_works(app, client, alice_bob, subtests):
    alice, bob, alices, bobs = alice_bob
    headers = bearer(bob)
    creates = [
        (rule, schema)
        for rule in api_rules(app)
        if "POST" in methods(rule)
        and (schema := body_schema(app, rule, "POST")) is not None
        and not isinstance(schema, ItemSchema)
    ]
    assert creates, "no create endpoint found"
    for rule, schema in creates:
        with subtests.test(rule=rule.rule):
            ids = {arg: row.id for arg, row in path_rows(rule, bob, bobs.get).items()}
            links = list(link_fields(schema))
            valid = consistent_ids(bobs, [model for _, model in links])
            for path, model in links:
                body = example_body(schema, valid)
                _set(body, path, alices[model].id)
                before = fingerprint()
                response = client.post(url(rule, ids), json=body, headers=headers)
                assert response.status_code == 422, (
                    f"POST {rule.rule} linking Alice's {model.__name__} at {path}: "
                    f"{response.status_code} {response.get_data(as_text=True)[:300]}"
                )
                errors = response.get_json().get("errors", {}).get("json", {})
                assert _errors_at(errors, path), f"the 422 does not name {path}: {errors}"
                assert fingerprint() == before, f"POST {rule.rule} refused, yet saved something"
            body = example_body(schema, valid)
            response = client.post(url(rule, ids), json=body, headers=headers)
            assert response.status_code == 201, (
                f"POST {rule.rule} with {json.dumps(body)}: {response.status_code} "
                f"{response.get_data(as_text=True)[:300]}"
            )


def item_writes(app):
    """(rule, body schema) of every POST whose body names one item by kind and id."""
    return [
        (rule, schema)
        for rule in api_rules(app)
        if "POST" in methods(rule)
        and isinstance(schema := body_schema(app, rule, "POST"), ItemSchema)
    ]


def test_naming_alices_items_in_a_body_is_404_and_changes_nothing(app, client, alice_bob, subtests):
    alice, bob, alices, bobs = alice_bob
    headers = bearer(bob)
    writes = item_writes(app)
    assert {"/api/v1/up-next/snooze", "/api/v1/up-next/not-now"} <= {r.rule for r, _ in writes}
    for (rule, schema), (kind, model) in itertools.product(writes, ITEM_MODELS.items()):
        with subtests.test(rule=rule.rule, kind=kind):
            body = {**example_body(schema, {}), "kind": kind}
            before = fingerprint()
            response = client.post(
                rule.rule, json={**body, "id": alices[model].id}, headers=headers
            )
            assert response.status_code == 404, (
                f"POST {rule.rule} naming Alice's {kind} as Bob: {response.status_code} "
                f"{response.get_data(as_text=True)[:300]}"
            )
            assert response.get_json()["message"] == f"No such {model_noun(model)}."
            assert SECRET not in response.get_data(as_text=True)
            assert fingerprint() == before, f"POST {rule.rule} changed rows for Alice's {kind}"
            bobs_before = fingerprint(bob.id)
            mine = client.post(rule.rule, json={**body, "id": bobs[model].id}, headers=headers)
            assert mine.status_code == 204, mine.get_data(as_text=True)[:300]
            assert fingerprint(bob.id) != bobs_before, f"POST {rule.rule} did nothing for Bob"


def test_bobs_api_import_never_matches_alices_names(client, alice_bob):
    alice, bob, alices, _ = alice_bob
    headers = bearer(bob)
    names = {
        "Instrument": alices[Instrument].name,
        "Focus areas": alices[FocusArea].name,
        "Goals": alices[Goal].name,
        "Pieces": alices[Piece].title,
    }
    header = "Date,Time,Minutes," + ",".join(names) + "\n"

    def post(row, dry_run):
        data = (header + row).encode()
        return client.post(
            f"/api/v1/import/sessions?dry_run={dry_run}",
            data={"file": (io.BytesIO(data), "log.csv")},
            content_type="multipart/form-data",
            headers=headers,
        )

    before = fingerprint(alice.id)
    everything = '2026-03-02,18:30,30,"{}","{}","{}","{}"\n'.format(*names.values())
    response = post(everything, 1)
    assert response.status_code == 422
    assert [e["column"] for e in response.get_json()["errors"]] == ["Goals", "Pieces"]
    no_items = '2026-03-02,18:30,30,"{}","{}",,\n'.format(names["Instrument"], names["Focus areas"])
    response = post(no_items, 0)
    assert response.status_code == 201
    assert response.get_json()["new_instruments"] == [names["Instrument"]]
    assert response.get_json()["new_focus_areas"] == [names["Focus areas"]]
    assert fingerprint(alice.id) == before, "Bob's import changed Alice's rows"
    db.session.expire_all()
    (session,) = db.session.query(tracker.models.PracticeSession).filter_by(
        user_id=bob.id, started_at=datetime(2026, 3, 2, 18, 30, tzinfo=UTC)
    )
    assert session.instrument.user_id == bob.id
    assert [f.user_id for f in session.focus_areas] == [bob.id]
