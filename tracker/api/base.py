"""What every /api/v1 resource shares: sign-in, CSRF for cookie writes, paging, owned ids."""

import json
import re

import marshmallow as ma
from flask import current_app
from flask import request
from flask_login import current_user
from flask_smorest import Blueprint
from flask_smorest import abort
from flask_smorest.pagination import PaginationMetadataSchema

from tracker.api.auth import signed_in_by_token
from tracker.api.fields import Day
from tracker.extensions import csrf
from tracker.ownership import owned_one
from tracker.ownership import owned_query
from tracker.timezones import local_now

PREFIX = "/api/v1"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000
# The header is JSON text: documented as JSON content, not as a bare object (which
# OpenAPI would read as "key,value,key,value").
PAGE_HEADERS = {
    "X-Pagination": {
        "description": "Pagination metadata",
        "content": {"application/json": {"schema": PaginationMetadataSchema}},
    }
}


class ApiBlueprint(Blueprint):
    """A group of /api/v1 endpoints; every request needs a signed-in user."""

    def __init__(self, name, import_name, url_prefix, **kwargs):
        super().__init__(name, import_name, url_prefix=PREFIX + url_prefix, **kwargs)
        self.before_request(require_user)
        # Cookie writes are checked in require_user; token writes carry no CSRF token.
        csrf.exempt(self)


def require_user():
    """401 without a user; a write signed only by the session cookie needs its CSRF token."""
    if not current_user.is_authenticated:
        abort(401, message="Sign in, or send a token: Authorization: Bearer <token>.")
    if (
        request.method not in SAFE_METHODS
        and not signed_in_by_token()
        and current_app.config["WTF_CSRF_ENABLED"]
    ):
        csrf.protect()


class PageArgs(ma.Schema):
    """?page= and ?per_page= of a list (at most 100 a page)."""

    # Capped so the offset stays a number PostgreSQL takes (a bigger page is empty anyway).
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE))
    per_page = ma.fields.Integer(
        load_default=20, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE)
    )


def page_of(query, page, per_page):
    """(rows of page `page`, the X-Pagination header): two queries, whatever the page size."""
    total = query.order_by(None).count()
    rows = query.limit(per_page).offset((page - 1) * per_page).all()
    metadata = Blueprint._make_pagination_metadata(page, per_page, total)
    return rows, {"X-Pagination": json.dumps(metadata)}


def owned_or_404(model, pk):
    """The user's row of model with id pk; 404 for anyone else's (its existence never leaks)."""
    row = owned_one(model, pk)
    if row is None:
        abort(404, message=f"No such {model_noun(model)}.")
    return row


class RangeArgs(ma.Schema):
    """?start= and ?end=, local days (start omitted: from the first session; end: today)."""

    start = Day(load_default=None)
    end = Day(load_default=None)

    @ma.post_load
    def fill_end(self, data, **kwargs):
        """End defaults to today in the user's zone; a start after the end is refused."""
        data["end"] = data["end"] or local_now().date()
        if data["start"] is not None and data["start"] > data["end"]:
            raise ma.ValidationError("The start date is after the end date.", "start")
        return data


class OwnedId(ma.fields.Integer):
    """The id of one of the user's rows of `model`; someone else's or a missing one is refused."""

    def __init__(self, model, **kwargs):
        self.model = model
        kwargs.setdefault("allow_none", True)
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        pk = super()._deserialize(value, attr, data, **kwargs)
        if owned_query(self.model, self.model.id).filter(self.model.id == pk).first() is None:
            raise ma.ValidationError(f"You have no {model_noun(self.model)} with id {pk}.")
        return pk


class OwnedRows(ma.fields.List):
    """Ids of the user's rows of `model` in JSON, the rows themselves once loaded."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(ma.fields.Integer(strict=True), **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else [row.id for row in value]

    def _deserialize(self, value, attr, data, **kwargs):
        ids = list(dict.fromkeys(super()._deserialize(value, attr, data, **kwargs)))
        rows = owned_query(self.model).filter(self.model.id.in_(ids)).all() if ids else []
        missing = sorted(set(ids) - {row.id for row in rows})
        if missing:
            listed = ", ".join(map(str, missing))
            raise ma.ValidationError(f"You have no {model_noun(self.model)} with id {listed}.")
        by_id = {row.id: row for row in rows}
        return [by_id[pk] for pk in ids]


def model_words(model):
    """["focus", "area"] for FocusArea: how paths and messages name a model."""
    return re.findall(r"[A-Z][a-z]*", model.__name__)


def model_noun(model):
    """'focus area' for FocusArea."""
    return " ".join(word.lower() for word in model_words(model))
