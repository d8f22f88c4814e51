"""A goal's page lists its sessions, a piece of gear's page its maintenance log and sessions."""

from datetime import UTC
from datetime import date
from datetime import datetime

from tests.factories import EquipmentFactory
from tests.factories import GoalFactory
from tests.factories import MaintenanceLogFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionGoalFactory
from tests.factories import UserFactory

GOAL = "/app/goal/details/?id={}"
GEAR = "/app/equipment/details/?id={}"


def _linked_session(user, goal, day, **link):
    """A session on day at 17:30 UTC that worked on goal."""
    session = PracticeSessionFactory(
        user=user, started_at=datetime(*day, 17, 30, tzinfo=UTC), duration_minutes=45
    )
    return SessionGoalFactory(user=user, session=session, goal=goal, **link)


def test_goal_page_lists_its_sessions_in_the_users_zone(client, auth):
    user = UserFactory(timezone="Europe/Berlin")
    goal = GoalFactory(user=user, name="Travis picking")
    _linked_session(
        user,
        goal,
        (2026, 12, 1),
        minutes=20,
        rating=4,
        tempo_bpm=96,
        clean=True,
        next_time="Start at 100 BPM",
    )
    _linked_session(user, goal, (2026, 11, 28))
    auth.login(user)
    response = client.get(GOAL.format(goal.id))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    table = body[body.index('id="goal-sessions"') :]
    # 17:30 UTC is 18:30 in Berlin; the latest first.
    assert table.index("Tue 1 Dec 2026, 18:30") < table.index("Sat 28 Nov 2026, 18:30")
    assert "20 min · <span class=\"session-result\">rated 4 · 96 BPM, clean</span>" in table
    assert "Next time: Start at 100 BPM" in table
    # The second link has no minutes or rating of its own: the session's are shown.
    assert "45 min · <span class=\"session-result\">rated 3 (as the session)</span>" in table


def test_goal_page_without_sessions_says_how_to_add_one(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user)
    auth.login(user)
    body = client.get(GOAL.format(goal.id)).get_data(as_text=True)
    assert "No sessions yet. When you log a session, add this goal to it" in body


def test_goal_page_lists_only_the_users_own_links(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user)
    _linked_session(user, goal, (2026, 11, 30), next_time="mine")
    stranger = UserFactory()
    _linked_session(stranger, GoalFactory(user=stranger), (2026, 11, 30), next_time="not mine")
    auth.login(user)
    body = client.get(GOAL.format(goal.id)).get_data(as_text=True)
    assert body.count('goal-session"') == 1
    assert "mine" in body and "not mine" not in body


def test_goal_page_queries_do_not_grow_with_its_sessions(client, auth, count_queries):
    user = UserFactory()
    goal = GoalFactory(user=user)
    _linked_session(user, goal, (2026, 11, 1))
    auth.login(user)
    few = count_queries(lambda: client.get(GOAL.format(goal.id)))
    for day in range(2, 22):
        _linked_session(user, goal, (2026, 11, day), rating=3, tempo_bpm=80 + day)
    assert count_queries(lambda: client.get(GOAL.format(goal.id))) == few
    body = client.get(GOAL.format(goal.id)).get_data(as_text=True)
    assert body.count('goal-session"') == 21


def test_gear_page_lists_its_maintenance_and_sessions(client, auth):
    user = UserFactory(timezone="Europe/Berlin")
    guitar = EquipmentFactory(user=user, name="Yamaha C40")
    MaintenanceLogFactory(
        user=user,
        equipment=guitar,
        kind="string_change",
        performed_on=date(2026, 11, 3),
        notes="D'Addario EJ45",
    )
    MaintenanceLogFactory(
        user=user, equipment=guitar, kind="repair", performed_on=date(2026, 11, 20)
    )
    PracticeSessionFactory(
        user=user,
        started_at=datetime(2026, 11, 30, 7, 0, tzinfo=UTC),
        equipment=[guitar],
        notes="Barre chords",
    )
    PracticeSessionFactory(user=user, notes="Without the guitar")
    auth.login(user)
    response = client.get(GEAR.format(guitar.id))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    log = body[body.index('id="equipment-maintenance"') : body.index('id="equipment-sessions"')]
    assert log.index("Fri 20 Nov 2026") < log.index("Tue 3 Nov 2026")
    assert "String change" in log and "D&#39;Addario EJ45" in log
    used = body[body.index('id="equipment-sessions"') :]
    assert "Mon 30 Nov 2026, 08:00" in used and "Barre chords" in used
    assert "Without the guitar" not in used


def test_gear_page_queries_do_not_grow_with_its_history(client, auth, count_queries):
    user = UserFactory()
    guitar = EquipmentFactory(user=user)
    MaintenanceLogFactory(user=user, equipment=guitar)
    PracticeSessionFactory(user=user, equipment=[guitar])
    auth.login(user)
    few = count_queries(lambda: client.get(GEAR.format(guitar.id)))
    MaintenanceLogFactory.create_batch(10, user=user, equipment=guitar)
    PracticeSessionFactory.create_batch(10, user=user, equipment=[guitar])
    assert count_queries(lambda: client.get(GEAR.format(guitar.id))) == few


def test_gear_page_without_history_explains_both_lists(client, auth):
    user = UserFactory()
    guitar = EquipmentFactory(user=user)
    auth.login(user)
    body = client.get(GEAR.format(guitar.id)).get_data(as_text=True)
    assert "Nothing logged yet. Record string changes" in body
    assert "Not used in a session yet." in body
