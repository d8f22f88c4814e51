"""Full-text search across one user's rows: explanations, notes, goals, pieces, names.

Every searchable table keeps a stored `search_vector` ('simple' configuration, the title or
name weighted A, the body B) with a GIN index (migration 0015). A search is one statement:
`websearch_to_tsquery` reads what was typed (quotes, -word and OR work; anything else is just
words, never an error), one `UNION ALL` branch per table finds the user's matching rows
(`user_id` first), and the best `limit` of them get a highlighted snippet. A hit in the title
always ranks above a hit in the body only; of matches ranked alike, the latest come first.
When nothing matches, a second statement looks for titles and names that are spelt alike
(pg_trgm, where this PostgreSQL has it), and says "did you mean".

Snippets are safe by construction: `ts_headline` returns the row's own text unescaped, so it
marks the matched words with control characters (removed from the text first), the whole
fragment is escaped, and only then do the markers become <mark> and </mark>.
"""

from dataclasses import dataclass

from flask import url_for
from markupsafe import Markup
from markupsafe import escape
from sqlalchemy import text

from tracker.extensions import db
from tracker.phrases import duration_text
from tracker.phrases import local_date_text
from tracker.phrases import local_date_time_text
from tracker.timezones import user_zone
from tracker.timezones import zone_fixed

MAX_QUERY_LENGTH = 200
DEFAULT_LIMIT = 20
MAX_LIMIT = 50
START, STOP = "\x02", "\x03"
HEADLINE_OPTIONS = (
    f'StartSel="{START}", StopSel="{STOP}", MaxWords=25, MinWords=8, MaxFragments=2, '
    'FragmentDelimiter=" … "'
)
# (kind, heading on the results page), in the page's order.
KINDS = [
    ("resource", "Explanations"),
    ("session", "Sessions"),
    ("next_time", "Next-time notes"),
    ("goal", "Goals"),
    ("piece", "Pieces"),
    ("section", "Sections"),
    ("focus_area", "Focus areas"),
    ("instrument", "Instruments"),
]


@dataclass(frozen=True)
class Branch:
    """One table searched: how its rows read as results.

    `table` is searched (as t); `title` and `body` are the texts a snippet is cut from;
    `session_id` and `piece_id` what the result links to when it is not the row itself; `at`
    and `minutes` name a session that has no title of its own; `played` is when a session
    was played, for putting the latest first (ORDER).
    """

    kind: str
    table: str
    title: str
    body: str = "NULL"
    at: str = "NULL"
    minutes: str = "NULL"
    session_id: str = "NULL"
    piece_id: str = "NULL"
    played: str = "NULL"
    # The title or name column itself, for the typo fallback (None: not looked at).
    name: str | None = None


def _of(table, column, key):
    """The named column of the same user's row of table that t.key points at.

    A scalar subquery, so it is read for the rows found only, never joined to all of them.
    """
    return f"(SELECT x.{column} FROM {table} x WHERE x.id = t.{key} AND x.user_id = t.user_id)"


SESSION_START = _of("practice_sessions", "started_at", "session_id")
BRANCHES = [
    Branch("resource", "resources", "t.title", "t.notes", name="t.title"),
    Branch(
        "session",
        "practice_sessions",
        "NULL",
        "t.notes",
        at="t.started_at",
        minutes="t.duration_minutes",
        session_id="t.id",
        played="t.started_at",
    ),
    Branch(
        "next_time",
        "session_goals",
        _of("goals", "name", "goal_id"),
        "t.next_time",
        at=SESSION_START,
        session_id="t.session_id",
    ),
    Branch(
        "next_time",
        "session_pieces",
        f"{_of('pieces', 'title', 'piece_id')} "
        f"|| coalesce(' — ' || {_of('piece_sections', 'section_name', 'section_id')}, '')",
        "t.next_time",
        at=SESSION_START,
        session_id="t.session_id",
    ),
    Branch("goal", "goals", "t.name", "t.notes", name="t.name"),
    Branch(
        "piece",
        "pieces",
        "t.title",
        "concat_ws(' ', t.composer, t.notes)",
        name="t.title",
    ),
    Branch(
        "section",
        "piece_sections",
        f"{_of('pieces', 'title', 'piece_id')} || ' — ' || t.section_name",
        "t.notes",
        piece_id="t.piece_id",
        name="t.section_name",
    ),
    Branch("focus_area", "focus_areas", "t.name", name="t.name"),
    Branch("instrument", "instruments", "t.name", name="t.name"),
]


def _columns(branch, rank):
    """The SELECT list every branch shares, so the UNION ALL lines up."""
    return (
        f"SELECT '{branch.kind}' AS kind, t.id, {branch.title} AS title, {branch.body} AS body, "
        f"{branch.at}::timestamptz AS at, {branch.minutes}::int AS minutes, "
        f"{branch.session_id}::int AS session_id, {branch.piece_id}::int AS piece_id, "
        f"{branch.played}::timestamptz AS played, {rank} AS rank"
    )


# Best first; of matches ranked alike, the latest: a session by when it was played, a note
# for next time by its session (the one logged last), anything else the newest row. Within a
# table this is the same order, so each table's best `limit` hold the overall best.
LATEST_FIRST = "played DESC NULLS LAST, session_id DESC NULLS LAST, id DESC"
ORDER = f"rank DESC, kind, {LATEST_FIRST}"


# The title-only part of a vector matching means a title hit: 1 + the body's share, so a
# title hit always ranks above a hit in the body only (normalisation 32 keeps ts_rank below
# 1); a table without a title has no title part to look at. The query is spelt out in every
# branch, not taken from a CTE: as a constant the planner can weigh it against each table's
# statistics.
QUERY = "websearch_to_tsquery('simple', :q)"
TITLE_HIT = f"(ts_filter(t.search_vector, '{{a}}') @@ {QUERY})::int + "
BODY_RANK = f"ts_rank(t.search_vector, {QUERY}, 32)"


def _best_of(branch):
    """One table's best `limit` matches: ranked where they are found, named only when kept.

    Each table keeps its own best rows before the union, so a word in 5,000 sessions carries
    20 rows upward, not 5,000 (the overall best `limit` are always among them). PostgreSQL
    works out the costly columns (the scalar subqueries of _of) after the LIMIT, so they are
    read for the kept rows only.
    """
    rank = (TITLE_HIT if branch.name else "") + BODY_RANK
    return (
        f"({_columns(branch, rank)} FROM {branch.table} t "
        f"WHERE t.user_id = :user_id AND t.search_vector @@ {QUERY} "
        f"ORDER BY rank DESC, {LATEST_FIRST} LIMIT :limit)"
    )


WORDS_SQL = (
    "WITH hits AS ("
    + " UNION ALL ".join(_best_of(b) for b in BRANCHES)
    + f"), best AS (SELECT * FROM hits ORDER BY {ORDER} LIMIT :limit) "
    "SELECT best.*, ts_headline('simple', "
    f"  translate(CASE WHEN to_tsvector('simple', coalesce(body, '')) @@ {QUERY} "
    "  THEN body ELSE coalesce(title, body) END, chr(2) || chr(3), ''), "
    f"  {QUERY}, :options) AS snippet "
    f"FROM best ORDER BY {ORDER}"
)
# Typos: titles and names holding a word spelt like the query (word_similarity, its <% operator
# served by the trigram GIN indexes).
SPELLING_SQL = (
    "WITH hits AS ("
    + " UNION ALL ".join(
        f"{_columns(b, f'word_similarity(:q, {b.name})')} FROM {b.table} t "
        f"WHERE t.user_id = :user_id AND :q <% {b.name}"
        for b in BRANCHES
        if b.name
    )
    + f") SELECT *, NULL AS snippet FROM hits ORDER BY {ORDER} LIMIT :limit"
)

# Parsed for bind parameters once, not on every search.
WORDS = text(WORDS_SQL)
SPELLING = text(SPELLING_SQL)

@dataclass(frozen=True)
class Result:
    """One row found: what it is, its title, a safe highlighted snippet, where it lives."""

    kind: str
    id: int
    title: str
    snippet_html: Markup
    url: str
    rank: float


@dataclass(frozen=True)
class Found:
    """What a search found: results best first, and a spelling to suggest when typos led."""

    results: list
    did_you_mean: str | None = None


def highlight(fragment):
    """ts_headline's fragment as HTML: the text escaped, only the markers turned into <mark>."""
    escaped = str(escape(fragment or ""))
    return Markup(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))


def search(user_id, query, limit=DEFAULT_LIMIT):
    """The user's rows matching query, best first (at most limit): one statement, two on typos."""
    # PostgreSQL text cannot hold NUL; everything else is the query parser's to read.
    query = (query or "").replace("\x00", " ").strip()[:MAX_QUERY_LENGTH]
    if not query:
        return Found([])
    params = {"q": query, "user_id": user_id, "limit": limit, "options": HEADLINE_OPTIONS}
    rows = db.session.execute(WORDS, params).mappings().all()
    if rows:
        return Found(_results(rows))
    if not has_trigrams():
        return Found([])
    del params["options"]
    rows = db.session.execute(SPELLING, params).mappings().all()
    return Found(_results(rows), rows[0]["title"] if rows else None)


# Database URL -> whether it has pg_trgm: asked once per process and database.
_TRIGRAMS = {}


def has_trigrams():
    """Tell whether the database offers pg_trgm (migration 0015 installs it where it can)."""
    key = db.engine.url.render_as_string(hide_password=True)
    if key not in _TRIGRAMS:
        _TRIGRAMS[key] = db.session.execute(
            text("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')")
        ).scalar()
    return _TRIGRAMS[key]


def _results(rows):
    """The found rows as Results: the user's zone looked up once, each kind's page once."""
    pages = {}
    with zone_fixed(user_zone()):
        return [_result(row, pages) for row in rows]


def _result(row, pages):
    """A found row as a Result, titled and linked for its kind."""
    kind, row_id = row["kind"], row["id"]
    title = row["title"]
    if kind == "session":
        title = f"Session on {local_date_time_text(row['at'])} · {duration_text(row['minutes'])}"
    elif kind == "next_time":
        title = f"{title}, next time (session on {local_date_text(row['at'])})"
    snippet = highlight(row["snippet"]) if row["snippet"] is not None else escape(title)
    return Result(kind, row_id, title, snippet, _url(kind, row, pages), float(row["rank"]))


def _url(kind, row, pages):
    """The page of the found row (a note's session, a section's piece).

    A details page is its view's URL with ?id=: built once per view (pages), since url_for
    for every one of 50 results costs more than the rest of a result together.
    """
    if kind in ("session", "next_time"):
        return _details(pages, "practice_session", row["session_id"])
    if kind == "section":
        return _details(pages, "piece", row["piece_id"]) + f"#section-{row['id']}"
    return _details(pages, kind, row["id"])


def _details(pages, view, row_id):
    """url_for(f"{view}.details_view", id=row_id), the view's part from pages when known."""
    if view not in pages:
        pages[view] = url_for(f"{view}.details_view")
    return f"{pages[view]}?id={int(row_id)}"


def grouped(results):
    """[(heading, [Result])] in the page's order of kinds, kinds without results left out."""
    by_kind = {}
    for result in results:
        by_kind.setdefault(result.kind, []).append(result)
    return [(heading, by_kind[kind]) for kind, heading in KINDS if kind in by_kind]
