"""The JSON face under /api/v1 (flask-smorest, OpenAPI 3.1); it imports nothing from admin/."""

from flask import request

RESOURCES = (
    "tokens",
    "names",
    "notifications",
    "stats",
    "export",
    "imports",
    "sessions",
    "goals",
    "pieces",
    "library",
    "equipment",
    "reminders",
    "guidance",
    "search",
)


def init_app(app):
    """Build this app's API (one per app, like the Admin) and register every resource."""
    from importlib import import_module

    from apispec.ext.marshmallow import MarshmallowPlugin
    from flask_security.decorators import default_unauthn_handler

    from tracker.api.auth import user_from_token
    from tracker.api.errors import JsonApi
    from tracker.api.errors import schema_name
    from tracker.extensions import security

    api = JsonApi(
        app, spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name)}
    )
    app.extensions["tracker_api"] = api
    for name in RESOURCES:
        for blueprint in import_module(f"tracker.api.{name}").BLUEPRINTS:
            api.register_blueprint(blueprint)
    # Scripts sign in with personal access tokens (this replaces Flask-Security's own
    # token loader, which the app does not use).
    app.login_manager.request_loader(user_from_token)

    def unauthenticated(mechanisms=None, headers=None):
        """Under /api/ a JSON 401, never a redirect to the login page."""
        if request.path.startswith("/api/"):
            return {"code": 401, "status": "Unauthorized", "message": "Please sign in."}, 401
        return default_unauthn_handler(mechanisms, headers)

    security.unauthn_handler(unauthenticated)
    return api
