"""WSGI app for the throughput benchmark: the bench app plus /bench/bare (this module only)."""

import benchenv
import references
from sqlalchemy import text

from tracker.extensions import db

app = benchenv.make_app(benchenv.bench_database_url())


@app.get("/bench/bare")
def bare():
    """The floor: one SELECT 1 through the same app, session handling and connection pool."""
    db.session.execute(text("SELECT 1")).scalar()
    return "ok"


references.add_references(app)
