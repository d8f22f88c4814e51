"""What the API tests discover from the app: its /api/v1 rules, their ids, request schemas."""

import re

from tracker.access_tokens import create_token
from tracker.api.base import PREFIX
from tracker.extensions import db

# The spec and its Swagger UI page: served by flask-smorest, not resources of the API.
DOCS_BLUEPRINT = "api-docs"
# Methods Flask answers by itself for every rule.
AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}


def api_rules(app):
    """Every URL rule under /api/v1 except the spec and docs routes, in a stable order."""
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(PREFIX + "/") and not rule.endpoint.startswith(DOCS_BLUEPRINT + ".")
    ]
    return sorted(rules, key=lambda rule: rule.rule)


def methods(rule):
    """The methods a rule's views answer (not the HEAD and OPTIONS Flask adds)."""
    return sorted(rule.methods - AUTOMATIC_METHODS)


def path_arguments(rule):
    """The rule's path arguments, in the order they appear in the path."""
    return re.findall(r"<(?:[^:>]+:)?([^>]+)>", rule.rule)


def url(rule, ids):
    """The rule's path with each argument replaced by ids[argument]."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(ids[m.group(1)]), rule.rule)


def openapi_path(rule):
    """The rule's path as the OpenAPI document writes it: /pieces/{piece_id}."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)


def view_of(app, rule, method):
    """The function that answers method on rule (a MethodView's method, or the function)."""
    view = app.view_functions[rule.endpoint]
    view_class = getattr(view, "view_class", None)
    return getattr(view_class, method.lower()) if view_class else view


def model_of(app, rule):
    """The model a rule's view lists or shows (set by owned_resource), or None."""
    return getattr(getattr(app.view_functions[rule.endpoint], "view_class", None), "model", None)


def body_schema(app, rule, method):
    """The marshmallow schema (an instance) of method's JSON body on rule, or None."""
    arguments = getattr(view_of(app, rule, method), "_apidoc", {}).get("arguments", {})
    for parameter in arguments.get("parameters", ()):
        if parameter["in"] == "json":
            schema = parameter["schema"]
            return schema() if isinstance(schema, type) else schema
    return None


def query_example(app, rule, method="GET"):
    """The example of each required query argument of method on rule (?q= of the search)."""
    arguments = getattr(view_of(app, rule, method), "_apidoc", {}).get("arguments", {})
    for parameter in arguments.get("parameters", ()):
        if parameter["in"] == "query":
            schema = parameter["schema"]
            schema = schema() if isinstance(schema, type) else schema
            return {
                name: field.metadata["example"]
                for name, field in schema.fields.items()
                if field.required
            }
    return {}


def bearer(user):
    """Authorization headers with a new token of user."""
    _, secret = create_token(user.id, "tests")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}
