"""Search: ranked, scoped, web-search syntax, typos, safe highlights, a constant cost, the index."""

import json
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import text

from tests.api_routes import bearer
from tests.factories import FocusAreaFactory
from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import ResourceFactory
from tests.factories import SessionGoalFactory
from tests.factories import SessionPieceFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.search import HEADLINE_OPTIONS
from tracker.search import WORDS_SQL
from tracker.search import has_trigrams

API = "/api/v1/search"
PAGE = "/app/search/"
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def musician():
    return UserFactory()


@pytest.fixture
def headers(musician):
    return bearer(musician)


def found(client, headers, q, **args):
    """The API's answer for q, asserting a 200."""
    response = client.get(API, query_string={"q": q, **args}, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def titles(body):
    return [result["title"] for result in body["results"]]


def test_a_title_hit_ranks_above_a_body_hit(client, musician, headers):
    ResourceFactory(user=musician, title="Left hand", notes="Barre " * 5 + "with the thumb low.")
    ResourceFactory(user=musician, title="Barre chords", notes="Thumb behind the neck.")
    GoalFactory(user=musician, name="Clean F major", notes="Practise the barre daily.")
    body = found(client, headers, "barre")
    assert titles(body)[0] == "Barre chords"
    assert set(titles(body)[1:]) == {"Left hand", "Clean F major"}
    ranks = [result["rank"] for result in body["results"]]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] >= 1 > ranks[1]


def test_every_kind_is_found_and_linked(client, musician, headers):
    resource = ResourceFactory(user=musician, title="Glissando explained")
    session = PracticeSessionFactory(user=musician, notes="glissando on the D string")
    goal = GoalFactory(user=musician, name="Glissando goal")
    piece = PieceFactory(user=musician, title="Glissando waltz")
    section = PieceSectionFactory(user=musician, piece=piece, section_name="Glissando bars")
    FocusAreaFactory(user=musician, name="Glissando")
    InstrumentFactory(user=musician, name="Glissando harp")
    SessionGoalFactory(user=musician, session=session, goal=goal, next_time="glissando slower")
    SessionPieceFactory(user=musician, session=session, piece=piece, next_time="glissando lighter")
    body = found(client, headers, "glissando", limit=50)
    kinds = sorted(result["kind"] for result in body["results"])
    assert kinds == sorted(
        ["resource", "session", "goal", "piece", "section", "focus_area", "instrument"]
        + ["next_time"] * 2
    )
    urls = {result["kind"]: result["url"] for result in body["results"]}
    assert urls["resource"] == f"/app/resource/details/?id={resource.id}"
    assert urls["session"] == urls["next_time"] == f"/app/practice_session/details/?id={session.id}"
    assert urls["section"] == f"/app/piece/details/?id={piece.id}#section-{section.id}"
    assert body["did_you_mean"] is None
    assert set(body["results"][0]) == {"kind", "id", "title", "snippet_html", "url", "rank"}


def test_another_users_words_are_never_found_nor_counted(client, musician, headers, auth):
    alice = UserFactory()
    ResourceFactory(user=alice, title="Zyxwords", notes="zyxwords secret " * 3)
    GoalFactory(user=alice, name="Zyxwords goal")
    ResourceFactory(user=musician, title="Mine", notes="nothing alike")
    only_alice = client.get(API, query_string={"q": "zyxwords"}, headers=headers)
    nobody = client.get(API, query_string={"q": "qqqqqqqq"}, headers=headers)
    assert only_alice.get_json() == nobody.get_json() == {"results": [], "did_you_mean": None}
    assert len(only_alice.data) == len(nobody.data)
    # Nor by a typo of her words.
    assert found(client, headers, "zyxword") == {"results": [], "did_you_mean": None}

    auth.login(musician)
    page = client.get(PAGE, query_string={"q": "zyxwords"}).get_data(as_text=True)
    other = client.get(PAGE, query_string={"q": "qqqqqqqq"}).get_data(as_text=True)
    assert "secret" not in page and "Zyxwords goal" not in page
    assert len(page.replace("zyxwords", "qqqqqqqq")) == len(other)


def test_web_search_syntax(client, musician, headers):
    ResourceFactory(user=musician, title="Thumb position", notes="thumb behind the neck")
    ResourceFactory(user=musician, title="Neck tension", notes="the neck of the guitar")
    ResourceFactory(user=musician, title="Scales", notes="two octaves")
    assert titles(found(client, headers, '"behind the neck"')) == ["Thumb position"]
    assert titles(found(client, headers, "neck -thumb")) == ["Neck tension"]
    assert sorted(titles(found(client, headers, "octaves OR tension"))) == [
        "Neck tension",
        "Scales",
    ]
    assert titles(found(client, headers, "thumb neck")) == ["Thumb position"]


@pytest.mark.parametrize(
    "garbage",
    ["!!(&:*", "'", '"', "a & | !", "-", "OR", "<->", ":*", "\\", "é" * 200, "(((", "' OR 1=1 --"],
)
def test_garbage_never_errors(client, musician, headers, garbage):
    ResourceFactory(user=musician, title="Barre")
    body = found(client, headers, garbage)
    assert isinstance(body["results"], list)


def _need_trigrams():
    if not has_trigrams():
        pytest.skip("this PostgreSQL has no pg_trgm (the embedded one): no typo fallback")


def test_a_typo_falls_back_to_titles_spelt_alike(client, musician, headers):
    _need_trigrams()
    ResourceFactory(user=musician, title="Arpeggio fingering", notes="Thumb under on the 4th.")
    GoalFactory(user=musician, name="Scales in thirds")
    body = found(client, headers, "arpegio")
    assert titles(body) == ["Arpeggio fingering"]
    assert body["did_you_mean"] == "Arpeggio fingering"
    # A word that matches needs no fallback.
    assert found(client, headers, "arpeggio")["did_you_mean"] is None


def test_the_page_says_did_you_mean(client, musician, auth):
    _need_trigrams()
    ResourceFactory(user=musician, title="Arpeggio fingering")
    auth.login(musician)
    page = client.get(PAGE, query_string={"q": "arpegio"}).get_data(as_text=True)
    assert "Did you mean" in page and "Arpeggio fingering" in page
    assert "/app/search/?q=Arpeggio+fingering" in page


def test_highlights_escape_stored_html(client, musician, headers, auth):
    ResourceFactory(user=musician, title="Danger", notes=f"before {XSS} tremolo after")
    body = found(client, headers, "tremolo")
    snippet = body["results"][0]["snippet_html"]
    assert "<mark>tremolo</mark>" in snippet
    assert "&lt;img src=x onerror=alert(1)&gt;" in snippet and "<img" not in snippet
    # Searching for the tag's own words highlights them inside the escaped text.
    snippet = found(client, headers, "onerror")["results"][0]["snippet_html"]
    assert "<mark>" in snippet and "<img" not in snippet

    auth.login(musician)
    page = client.get(PAGE, query_string={"q": "tremolo"}).get_data(as_text=True)
    assert "<mark>tremolo</mark>" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_markers_typed_into_a_note_do_not_become_marks(client, musician, headers):
    ResourceFactory(user=musician, title="Odd", notes="\x02tremolo\x03 and \x02 stray")
    snippet = found(client, headers, "stray")["results"][0]["snippet_html"]
    assert snippet.count("<mark>") == snippet.count("</mark>") == 1


def _add_sessions(user, count, word_every=100):
    """count sessions of user in one statement; every word_every-th one mentions "vibrato"."""
    db.session.execute(
        text(
            "INSERT INTO practice_sessions (user_id, started_at, duration_minutes, notes) "
            "SELECT :u, now() - make_interval(hours => n), 30, "
            "CASE WHEN n % :every = 0 THEN 'slow vibrato ' || n ELSE 'scales ' || n END "
            "FROM generate_series(1, :count) AS n"
        ),
        {"u": user.id, "count": count, "every": word_every},
    )
    db.session.commit()


def test_the_queries_do_not_grow_with_the_log(client, musician, headers, count_queries):
    _add_sessions(musician, 10)
    ResourceFactory(user=musician, title="Vibrato")
    client.get(API, query_string={"q": "x"}, headers=headers)  # the token's first use

    def both():
        found(client, headers, "vibrato")
        found(client, headers, "vibratto")  # the typo path: one more statement

    few = count_queries(both)
    _add_sessions(musician, 1000)
    assert count_queries(both) == few


def test_the_best_come_first_though_one_table_holds_most_matches(client, musician, headers):
    _add_sessions(musician, 60, word_every=1)
    PracticeSessionFactory(user=musician, notes="vibrato, vibrato and more vibrato")
    GoalFactory(user=musician, name="Even vibrato")
    body = found(client, headers, "vibrato", limit=2)
    assert [result["kind"] for result in body["results"]] == ["goal", "session"]
    assert "and more" in body["results"][1]["snippet_html"]


def test_of_matches_ranked_alike_the_latest_session_comes_first(client, musician, headers):
    now = datetime.now(UTC)
    # Logged in this order, played in another: the order played is the one shown.
    for days_ago in (3, 40, 1, 400):
        PracticeSessionFactory(
            user=musician, notes="legato scales", started_at=now - timedelta(days=days_ago)
        )
    body = found(client, headers, "legato")
    days = [
        (now - datetime.fromisoformat(session["started_at"])).days
        for session in (
            client.get(f"/api/v1/sessions/{result['id']}", headers=headers).get_json()
            for result in body["results"]
        )
    ]
    assert days == [1, 3, 40, 400]


def test_the_search_uses_a_gin_index(musician):
    _add_sessions(musician, 2000)
    db.session.execute(text("ANALYZE practice_sessions"))
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = db.session.execute(
        text(f"EXPLAIN {WORDS_SQL}"),
        {"q": "vibrato", "user_id": musician.id, "limit": 20, "options": HEADLINE_OPTIONS},
    ).scalars()
    plan = "\n".join(plan)
    db.session.rollback()
    # The per-user index (migration 0022) where PostgreSQL has btree_gin, else the plain one.
    indexes = ("ix_practice_sessions_user_search", "ix_practice_sessions_search_vector")
    assert any(index in plan for index in indexes)


@pytest.mark.parametrize(
    "args",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 201},
        {"q": "a", "limit": 0},
        {"q": "a", "limit": 51},
    ],
)
def test_bad_arguments_are_a_422(client, headers, args):
    response = client.get(API, query_string=args, headers=headers)
    assert response.status_code == 422
    assert "errors" in response.get_json()


def test_limit_caps_the_results(client, musician, headers):
    for n in range(5):
        ResourceFactory(user=musician, title=f"Etude {n}", notes="etude")
    assert len(found(client, headers, "etude", limit=3)["results"]) == 3


def test_every_signed_in_page_has_the_search_box(client, musician, auth):
    auth.login(musician)
    for path in ("/app/", "/app/goal/", "/app/resource/", "/app/settings/"):
        body = client.get(path).get_data(as_text=True)
        assert 'id="navbar-search"' in body, path
        assert "js/search_box.js" in body


def test_the_page_groups_results_by_kind(client, musician, auth):
    ResourceFactory(user=musician, title="Pizzicato", notes="right hand")
    PracticeSessionFactory(user=musician, notes="pizzicato passage")
    GoalFactory(user=musician, name="Pizzicato clean")
    auth.login(musician)
    page = client.get(PAGE, query_string={"q": "pizzicato"}).get_data(as_text=True)
    headings = [h for h in ("Explanations", "Sessions", "Goals") if f">{h} <span" in page]
    assert headings == ["Explanations", "Sessions", "Goals"]
    assert (
        page.index(">Explanations <span")
        < page.index(">Sessions <span")
        < page.index(">Goals <span")
    )


def test_the_page_has_helpful_empty_states(client, musician, auth):
    auth.login(musician)
    empty = client.get(PAGE).get_data(as_text=True)
    assert "Type a word from any note" in empty
    nothing = client.get(PAGE, query_string={"q": "nothingatall"}).get_data(as_text=True)
    assert "Nothing of yours matches “nothingatall”." in nothing
    assert client.get(PAGE, query_string={"q": "a\x00b"}).status_code == 200


def test_the_api_documents_search(client, headers):
    spec = json.loads(client.get("/api/v1/openapi.json").data)
    operation = spec["paths"]["/api/v1/search"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["q"]["required"] is True
    assert parameters["q"]["schema"]["maxLength"] == 200
    assert parameters["limit"]["schema"]["maximum"] == 50


def test_search_words_never_show_on_pages(client, musician, auth):
    instrument = InstrumentFactory(user=musician, name="Viola")
    auth.login(musician)
    for path in (f"/app/instrument/details/?id={instrument.id}", "/app/instrument/export/csv/"):
        body = client.get(path).get_data(as_text=True)
        assert "Viola" in body
        assert "Search Vector" not in body and "'viola'" not in body, path
