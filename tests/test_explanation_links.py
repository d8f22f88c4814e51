"""The dashboard's items link to their explanations, counted in one query for all of them."""

import re
from html import unescape

from tests.conftest import panel_html
from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import ResourceFactory
from tests.factories import SessionGoalFactory
from tests.factories import SessionPieceFactory
from tests.factories import UserFactory
from tracker.figures.explanations import KeptCount
from tracker.figures.explanations import explanation_counts


def _kept_links(html):
    """[(href, text)] of the "N explanations" links in html, unescaped."""
    return [
        (unescape(href), re.sub(r"<[^>]+>", "", text).strip())
        for href, text in re.findall(
            r'<a class="explanations-link[^"]*" href="([^"]+)">(.*?)</a>', html, re.S
        )
    ]


def _played_today(user, instrument=None, goals=(), sections=(), pieces=()):
    """One session today touching goals, sections and whole pieces."""
    session = PracticeSessionFactory(user=user, instrument=instrument)
    for goal in goals:
        SessionGoalFactory(user=user, session=session, goal=goal, next_time="Slowly")
    for section in sections:
        SessionPieceFactory(user=user, session=session, piece=section.piece, section=section)
    for piece in pieces:
        SessionPieceFactory(user=user, session=session, piece=piece)
    return session


def test_up_next_and_left_off_items_link_to_their_explanations(client, auth):
    user = UserFactory()
    guitar = InstrumentFactory(user=user, name="Guitar")
    barre = GoalFactory(user=user, name="Barre chords", instrument=guitar)
    romanza = PieceFactory(user=user, title="Romanza", instrument=guitar)
    coda = PieceSectionFactory(user=user, piece=romanza, section_name="Coda")
    bare = PieceFactory(user=user, title="Nothing kept", instrument=guitar)
    ResourceFactory(user=user, title="Thumb", goals=[barre])
    ResourceFactory(user=user, title="Index", goals=[barre])
    _played_today(user, guitar, goals=[barre], sections=[coda], pieces=[bare])
    # The section's own, and one for its piece: two for the section.
    ResourceFactory(user=user, title="Coda fingering", sections=[coda])
    ResourceFactory(user=user, title="Romanza's form", pieces=[romanza])
    auth.login(user)

    response = client.get("/app/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    goal_link = (f"/app/goal/details/?id={barre.id}#goal-explanations", "2 explanations")
    section_link = (
        f"/app/piece/details/?id={romanza.id}#section-{coda.id}-explanations",
        "2 explanations",
    )
    up_next = panel_html(body, "up-next")
    assert sorted(_kept_links(up_next)) == sorted([goal_link, section_link])
    left_off = panel_html(body, "left-off")
    assert sorted(_kept_links(left_off)) == sorted([goal_link, section_link])
    # The piece without explanations has no link at all.
    bare_entry = up_next[up_next.index(f'data-item="piece:{bare.id}"') :]
    bare_entry = bare_entry[: bare_entry.index("</li>")]
    assert "explanations-link" not in bare_entry and "Nothing kept" in bare_entry

    # The link lands on the page that lists them.
    page = client.get(goal_link[0]).get_data(as_text=True)
    assert 'id="goal-explanations"' in page and "Thumb" in page and "Index" in page
    page = client.get(section_link[0]).get_data(as_text=True)
    assert f'id="section-{coda.id}-explanations"' in page
    assert "Coda fingering" in page and "Romanza&#39;s form" in page


def test_a_section_with_only_its_pieces_explanations_links_to_the_pieces_card(client, auth):
    user = UserFactory()
    piece = PieceFactory(user=user, title="Gymnopédie")
    section = PieceSectionFactory(user=user, piece=piece, section_name="Bars 9-12")
    ResourceFactory(user=user, title="How to voice it", pieces=[piece])
    auth.login(user)
    up_next = panel_html(client.get("/app/").get_data(as_text=True), "up-next")
    assert _kept_links(up_next) == [
        (f"/app/piece/details/?id={piece.id}#piece-explanations", "1 explanation")
    ]
    assert section.id  # the section is the item; the piece itself is not listed
    assert f'data-item="section:{section.id}"' in up_next


def test_the_plan_links_each_step_to_its_explanations(client, auth):
    user = UserFactory()
    scales = GoalFactory(user=user, name="Scales")
    GoalFactory(user=user, name="Etude")
    ResourceFactory(user=user, title="Fingering chart", goals=[scales])
    auth.login(user)
    plan = panel_html(client.get("/app/?minutes=20").get_data(as_text=True), "plan")
    assert _kept_links(plan) == [
        (f"/app/goal/details/?id={scales.id}#goal-explanations", "1 explanation")
    ]


def test_an_explanation_linked_to_a_section_and_its_piece_counts_once():
    user = UserFactory()
    section = PieceSectionFactory(user=user)
    ResourceFactory(user=user, pieces=[section.piece], sections=[section])
    ResourceFactory(user=user, sections=[section])
    counts = explanation_counts(user.id, {("section", section.id)})
    assert counts == {("section", section.id): KeptCount(2, 2, section.piece_id)}


def test_counts_never_reach_another_users_items():
    theirs = UserFactory()
    goal = GoalFactory(user=theirs)
    section = PieceSectionFactory(user=theirs)
    ResourceFactory(user=theirs, goals=[goal], pieces=[section.piece], sections=[section])
    keys = {("goal", goal.id), ("section", section.id), ("piece", section.piece_id)}
    assert len(explanation_counts(theirs.id, keys)) == 3
    assert explanation_counts(UserFactory().id, keys) == {}


def test_items_without_explanations_ask_no_count_query(count_queries):
    user_id = UserFactory().id
    assert count_queries(lambda: explanation_counts(user_id, set())) == 0


def _goals_played(user, count):
    """count goals, each with an explanation, played today five to an instrument."""
    goals = []
    for first in range(0, count, 5):
        instrument = InstrumentFactory(user=user)
        played = [
            GoalFactory(user=user, instrument=instrument) for _ in range(min(5, count - first))
        ]
        _played_today(user, instrument, goals=played)
        goals.extend(played)
    for goal in goals:
        ResourceFactory(user=user, goals=[goal])
    return goals


def _dashboard_queries(client, auth, count_queries, items):
    """(queries, body) of a dashboard whose user has items goals, each with an explanation."""
    user = UserFactory()
    _goals_played(user, items)
    auth.login(user)

    def dashboard():
        response = client.get("/app/?minutes=60")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    dashboard()  # the cached panels filled
    queries = count_queries(dashboard)
    body = dashboard()
    auth.logout()
    return queries, body


def test_the_dashboard_makes_the_same_queries_for_1_and_20_items_with_explanations(
    client, auth, count_queries
):
    one, body = _dashboard_queries(client, auth, count_queries, 1)
    assert len(_kept_links(panel_html(body, "up-next"))) == 1
    twenty, body = _dashboard_queries(client, auth, count_queries, 20)
    # Every left-off item (four cards of five) and every "Up next" entry carries its link.
    assert len(_kept_links(panel_html(body, "left-off"))) == 20
    assert len(_kept_links(panel_html(body, "up-next"))) == 10
    assert len(_kept_links(panel_html(body, "plan"))) >= 2
    assert twenty == one
