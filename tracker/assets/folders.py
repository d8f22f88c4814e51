"""Every static folder the app serves: its own and each blueprint's (Flask-Admin's)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class StaticFolder:
    """A static endpoint, the folder it serves and the URL prefix it serves it under."""

    endpoint: str
    folder: str
    prefix: str


def static_folders(app):
    """The app's static endpoints, found in its URL map so a new blueprint is included."""
    folders = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static" and not rule.endpoint.endswith(".static"):
            continue
        owner = app
        if rule.endpoint != "static":
            owner = app.blueprints[rule.endpoint.rsplit(".", 1)[0]]
        if owner.static_folder:
            # "/app/static/admin/<path:filename>" -> "/app/static/admin/"
            prefix = rule.rule.split("<", 1)[0]
            folders.append(StaticFolder(rule.endpoint, owner.static_folder, prefix))
    return sorted(folders, key=lambda f: f.endpoint)
