"""JSON error replies for everything under /api/: what went wrong, never an HTML page."""

from flask import current_app
from flask_smorest import Api


class JsonApi(Api):
    """flask-smorest's Api; its error replies always say why, and a 405 keeps its Allow header."""

    def handle_http_exception(self, error):
        """The JSON error reply; a 405 still says which methods the path allows."""
        payload, code, headers = super().handle_http_exception(error)
        # Say what went wrong ("The CSRF token is missing.") when the code raised no message.
        payload.setdefault("message", error.description)
        valid_methods = getattr(error, "valid_methods", None)
        if valid_methods:
            headers = {**headers, "Allow": ", ".join(valid_methods)}
        return payload, code, headers


def schema_name(schema):
    """A schema's name in the OpenAPI document: "Name", and "NameChanges" for a PATCH body."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    return f"{name}Changes" if getattr(schema, "partial", False) else name


def json_error(error):
    """The reply of this app's JSON API to an HTTP error raised under /api/."""
    return current_app.extensions["tracker_api"].handle_http_exception(error)
