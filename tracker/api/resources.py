"""List, create, read, change and delete one owned model: the routes most resources share."""

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import abort
from sqlalchemy import UniqueConstraint
from sqlalchemy.exc import IntegrityError
from wtforms.validators import ValidationError

from tracker.api.base import PAGE_HEADERS
from tracker.api.base import PageArgs
from tracker.api.base import model_noun
from tracker.api.base import model_words
from tracker.api.base import owned_or_404
from tracker.api.base import page_of
from tracker.extensions import db
from tracker.ownership import check_owner
from tracker.ownership import owned_query


def apply_changes(row, data):
    """Set the loaded fields on row, then make sure it and everything it links are the user's.

    Nothing is flushed here: the owner check's queries would otherwise write the row before
    the resource's own `check` had its say (a start tempo above the target would reach the
    database's CHECK as a 500 instead of a 422).
    """
    with db.session.no_autoflush:
        for name, value in data.items():
            setattr(row, name, value)
        try:
            check_owner(row, created=row.id is None)
        except ValidationError as refused:
            abort(422, message=str(refused))


def save(row, data):
    """Commit row; a clash with one of the user's rows is a 422 naming the field, not a 500."""
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        fields = _clashing_fields(error, type(row)) or ["json"]
        abort(
            422,
            errors={
                "json": {
                    field: [f"You already have one with {field} “{data.get(field, '')}”."]
                    for field in fields
                }
            },
        )
    return row


def _clashing_fields(error, model):
    """The user's own columns of the unique constraint an insert or update broke."""
    constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
    for candidate in model.__table__.constraints:
        if isinstance(candidate, UniqueConstraint) and candidate.name == constraint:
            return [column.name for column in candidate.columns if column.name != "user_id"]
    return []


def id_argument(model):
    """The path argument naming one row of model: piece_section_id for PieceSection.

    Every /api/v1 path names its ids this way, so tests can tell whose row a path points at.
    """
    return "_".join(word.lower() for word in model_words(model)) + "_id"


def owned_resource(
    blp,
    model,
    schema,
    *,
    order_by,
    options=(),
    parent=None,
    path="",
    list_args=PageArgs,
    narrow=None,
    check=None,
    annotate=None,
    singular=None,
    plural=None,
):
    """Register list + create at `path` and get + patch + delete at `path/<id>` on blp.

    `schema` loads and dumps the model; `options` are loader options for its relationships
    (so a page costs the same queries whatever its size). With `parent` (a model, and the
    column of model pointing at it), `path` holds the parent's id too: rows are listed,
    made and found only under one of the user's parent rows.

    Optional hooks: `list_args` (PageArgs plus a list's filters) with `narrow(query, **filters)`
    applying them; `check(row)` runs on a created or changed row before it is saved (rules
    across fields, derived columns; it may abort); `annotate(rows)` gets the rows of every
    reply at once, to attach figures computed per page rather than per row. `singular` and
    `plural` name the rows in the reference ("focus area(s)" by default for FocusArea).
    """
    noun = model.__name__
    words = model_noun(model)
    singular = singular or words
    plural = plural or f"{words}s"
    item_arg = id_argument(model)
    parent_model, parent_column = parent or (None, None)
    parent_arg = id_argument(parent_model) if parent_model else None
    path_args = {parent_arg, item_arg}

    def scope(ids):
        """The user's rows of model, under the parent named in the path (404 if not theirs)."""
        query = owned_query(model)
        if parent_model is not None:
            owned_or_404(parent_model, ids[parent_arg])
            query = query.filter(getattr(model, parent_column) == ids[parent_arg])
        return query

    def shown(rows):
        """Rows as replied: with their per-page figures attached."""
        if annotate is not None:
            annotate(rows)
        return rows

    def saved(row, data):
        """Check, save and show a created or changed row."""
        if check is not None:
            check(row)
        save(row, data)
        return shown([row])[0]

    def found(ids):
        row = scope(ids).filter(model.id == ids[item_arg]).one_or_none()
        if row is None:
            abort(404, message=f"No such {words}.")
        return row

    @blp.route(path, endpoint=f"{noun}List")
    class Collection(MethodView):
        @blp.arguments(list_args, location="query", as_kwargs=True)
        @blp.response(200, schema(many=True), headers=PAGE_HEADERS)
        @blp.doc(summary=f"A page of your {plural}")
        def get(self, page, per_page, **ids):
            """A page of your rows."""
            filters = {name: ids.pop(name) for name in list(ids) if name not in path_args}
            query = scope(ids).options(*options).order_by(*order_by)
            if narrow is not None:
                query = narrow(query, **filters)
            rows, headers = page_of(query, page, per_page)
            return shown(rows), headers

        @blp.arguments(schema)
        @blp.response(201, schema)
        @blp.doc(summary=f"Add one {singular}")
        def post(self, data, **ids):
            """Add one."""
            scope(ids)  # the parent is one of the user's rows
            row = model(user_id=current_user.id)
            if parent_model is not None:
                setattr(row, parent_column, ids[parent_arg])
            apply_changes(row, data)
            return saved(row, data)

    @blp.route(f"{path}/<int:{item_arg}>", endpoint=f"{noun}Item")
    class Item(MethodView):
        @blp.response(200, schema)
        @blp.doc(summary=f"Read one {singular}")
        def get(self, **ids):
            """One of your rows."""
            return shown([found(ids)])[0]

        @blp.arguments(schema(partial=True))
        @blp.response(200, schema)
        @blp.doc(summary=f"Change one {singular}: only the fields sent")
        def patch(self, data, **ids):
            """Change some fields of one of your rows."""
            row = found(ids)
            apply_changes(row, data)
            return saved(row, data)

        @blp.response(204)
        @blp.doc(summary=f"Delete one {singular}")
        def delete(self, **ids):
            """Delete one of your rows."""
            db.session.delete(found(ids))
            db.session.commit()

    Collection.model = Item.model = model
    return Collection, Item
