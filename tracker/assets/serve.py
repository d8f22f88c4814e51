"""Serve static files through WhiteNoise, in front of Flask, and link them by hashed name.

WhiteNoise answers every static URL before Flask sees the request: no session, no user
load, no database. A hashed name (from the build, tracker/assets/build.py) is cached for a
year as immutable, in its brotli or gzip variant when the browser accepts one; the plain
names keep working with a short cache. url_for('static', ...) and Flask-Admin's
admin_static.url(...) both build hashed URLs from the manifest.
"""

import os

from flask import current_app
from whitenoise import WhiteNoise

from tracker.assets.build import read_manifest
from tracker.assets.folders import static_folders
from tracker.headers import static_file_headers

IMMUTABLE = "public, max-age=31536000, immutable"
# Plain names (a bookmark, the API docs' own files): re-checked after a minute.
SHORT_MAX_AGE = 60


def hashed_url_defaults(endpoint, values):
    """Swap a static file's name for its hashed name; the hash replaces the ?v= version."""
    names = current_app.extensions["static_manifest"].get(endpoint)
    if names and values.get("filename") in names:
        values["filename"] = names[values["filename"]]
        values.pop("v", None)


def static_headers(build_dir):
    """WhiteNoise's add_headers_function: a year, immutable, for the built (hashed) files."""
    built = build_dir.rstrip("/") + "/" if build_dir else None
    every_file = static_file_headers()  # the same for each of the thousands of files

    def add_headers(headers, path, url):
        if built and path.startswith(built):
            headers["Cache-Control"] = IMMUTABLE
        for name, value in every_file.items():
            headers[name] = value

    return add_headers


def init_app(app):
    """Wrap the app in WhiteNoise for every static folder and build hashed static URLs."""
    build_dir = app.config.get("STATIC_BUILD_DIR")
    build_dir = os.path.abspath(build_dir) if build_dir else None
    app.extensions["static_manifest"] = read_manifest(build_dir) if build_dir else {}
    server = WhiteNoise(
        app.wsgi_app,
        max_age=SHORT_MAX_AGE,
        add_headers_function=static_headers(build_dir),
    )
    for static in static_folders(app):
        server.add_files(static.folder, static.prefix)
        if static.endpoint in app.extensions["static_manifest"]:
            server.add_files(f"{build_dir}/{static.endpoint}", static.prefix)
    app.wsgi_app = server
    app.url_defaults(hashed_url_defaults)
