"""Goals: CRUD, validation, completion and archive actions, inline edits and progress rules."""

from datetime import timedelta

from sqlalchemy import text

from tests.conftest import list_filter
from tests.factories import GoalFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionGoalFactory
from tests.factories import SessionPieceFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.figures.progress import goal_practice
from tracker.figures.progress import goal_progress
from tracker.models import Goal
from tracker.timezones import local_now

LIST = "/app/goal/"


def test_create_goal(client, auth):
    user = UserFactory()
    piece = PieceFactory(user=user)
    auth.login(user)
    response = client.post(
        LIST + "new/",
        data={
            "name": "Learn Chopin Nocturne Op. 9 No. 2",
            "goal_type": "piece",
            "priority": "3",
            "status": "not_started",
            "target_date": "2027-03-01",
            "target_minutes": "600",
            "pieces": [str(piece.id)],
            "notes": "Left hand first.",
        },
    )
    assert response.status_code == 302
    goal = db.session.query(Goal).one()
    assert (goal.user_id, goal.priority, goal.goal_type) == (user.id, 3, "piece")
    assert goal.pieces == [piece]
    assert str(goal.target_date) == "2027-03-01"


def test_goal_validation_errors_beside_fields(client, auth):
    auth.login(UserFactory())
    response = client.post(
        LIST + "new/",
        data={
            "name": "",
            "goal_type": "cooking",
            "priority": "2",
            "status": "in_progress",
            "target_minutes": "-5",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Name the goal." in body
    assert "Not a valid choice" in body
    assert "Enter a positive number of minutes." in body
    assert db.session.query(Goal).count() == 0


def test_mark_completed_action_sets_completed_at(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user, status="in_progress")
    auth.login(user)
    response = client.post(LIST + "action/", data={"action": "complete", "rowid": [goal.id]})
    assert response.status_code == 302
    db.session.refresh(goal)
    assert goal.status == "completed" and goal.completed_at is not None


def test_reopening_clears_completed_at(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user, status="completed")
    assert goal.completed_at is not None
    auth.login(user)
    response = client.post(
        LIST + "ajax/update/", data={"list_form_pk": goal.id, "status": "in_progress"}
    )
    assert response.status_code == 200
    db.session.refresh(goal)
    assert goal.status == "in_progress" and goal.completed_at is None


def test_inline_edit_priority_and_target_date(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user, priority=1)
    auth.login(user)
    assert (
        client.post(
            LIST + "ajax/update/", data={"list_form_pk": goal.id, "priority": "3"}
        ).status_code
        == 200
    )
    assert (
        client.post(
            LIST + "ajax/update/", data={"list_form_pk": goal.id, "target_date": "2027-01-31"}
        ).status_code
        == 200
    )
    bad = client.post(LIST + "ajax/update/", data={"list_form_pk": goal.id, "priority": "9"})
    assert bad.status_code == 400
    db.session.refresh(goal)
    assert goal.priority == 3 and str(goal.target_date) == "2027-01-31"


def test_archive_hides_goal_until_filter_asks(client, auth):
    user = UserFactory()
    kept = GoalFactory(user=user, name="Scales in thirds")
    gone = GoalFactory(user=user, name="Old etude")
    auth.login(user)
    response = client.post(LIST + "action/", data={"action": "archive", "rowid": [gone.id]})
    assert response.status_code == 302
    db.session.refresh(gone)
    assert gone.archived
    body = client.get(LIST).get_data(as_text=True)
    assert kept.name in body and gone.name not in body
    arg, _ = list_filter(body, "Archived")
    archived = client.get(f"{LIST}?flt1_{arg}=1").get_data(as_text=True)
    assert gone.name in archived and kept.name not in archived


def test_row_actions_are_post_forms_with_csrf(client, auth):
    user = UserFactory()
    GoalFactory(user=user)
    auth.login(user)
    body = client.get(LIST).get_data(as_text=True)
    assert 'name="action" value="complete"' in body
    assert 'name="action" value="archive"' in body
    # Each is in the table's row and in the phone's card for it.
    assert body.count('class="row-action-form" method="post"') == 4


def test_progress_from_performance_ready_sections():
    user = UserFactory()
    piece = PieceFactory(user=user)
    ready = PieceSectionFactory(user=user, piece=piece, status="performance_ready")
    PieceSectionFactory(user=user, piece=piece, status="learning")
    other = PieceSectionFactory(user=user, status="performance_ready")
    goal = GoalFactory(user=user, target_minutes=100)
    goal.pieces.append(piece)
    goal.sections.extend([ready, other])  # a section of a linked piece counts once
    db.session.commit()
    progress = goal_progress(user.id, [goal])[goal.id]
    assert (progress.rule, progress.percent) == ("sections", 67)
    assert "2 of the 3 piece sections" in progress.explanation


def test_progress_from_minutes_against_target():
    user = UserFactory()
    goal = GoalFactory(user=user, target_minutes=120)
    SessionGoalFactory(user=user, goal=goal, minutes=30)
    SessionGoalFactory(
        user=user,
        goal=goal,
        minutes=None,
        session=PracticeSessionFactory(user=user, duration_minutes=60),
    )
    progress = goal_progress(user.id, [goal])[goal.id]
    assert (progress.rule, progress.percent) == ("minutes", 75)
    assert "90 minutes" in progress.explanation


def test_goal_minutes_follow_links_and_session_durations():
    user = UserFactory()
    goal = GoalFactory(user=user, target_minutes=600)
    session = PracticeSessionFactory(user=user, duration_minutes=40)
    link = SessionGoalFactory(user=user, goal=goal, session=session, minutes=None)
    SessionGoalFactory(user=user, goal=goal, minutes=15)
    assert goal_practice.uncached(user.id, [goal.id])[goal.id].minutes == 55

    session.duration_minutes = 50  # an unsplit link follows its session
    db.session.commit()
    assert goal_practice.uncached(user.id, [goal.id])[goal.id].minutes == 65

    link.minutes = 10  # a link's own minutes win
    db.session.commit()
    assert goal_practice.uncached(user.id, [goal.id])[goal.id].minutes == 25
    db.session.execute(
        text("UPDATE practice_sessions SET duration_minutes = 90 WHERE id = :id"),
        {"id": session.id},
    )
    assert goal_practice.uncached(user.id, [goal.id])[goal.id].minutes == 25

    db.session.execute(
        text("UPDATE session_goals SET minutes = NULL WHERE id = :id"), {"id": link.id}
    )
    assert goal_practice.uncached(user.id, [goal.id])[goal.id].minutes == 105
    db.session.execute(text("DELETE FROM practice_sessions WHERE id = :id"), {"id": session.id})
    assert goal_practice.uncached(user.id, [goal.id])[goal.id].minutes == 15


def test_progress_minutes_caps_at_100():
    user = UserFactory()
    goal = GoalFactory(user=user, target_minutes=10)
    SessionGoalFactory(user=user, goal=goal, minutes=45)
    assert goal_progress(user.id, [goal])[goal.id].percent == 100


def test_progress_from_status():
    user = UserFactory()
    goals = [GoalFactory(user=user, status=s) for s in ("not_started", "in_progress", "completed")]
    progress = goal_progress(user.id, goals)
    assert [progress[g.id].percent for g in goals] == [0, 50, 100]
    assert {progress[g.id].rule for g in goals} == {"status"}


def test_goal_details_explain_progress_rule(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user, target_minutes=60)
    SessionGoalFactory(user=user, goal=goal, minutes=15)
    auth.login(user)
    body = client.get(f"{LIST}details/?id={goal.id}").get_data(as_text=True)
    assert 'id="goal-progress"' in body
    assert "15 minutes practised on it against the target of 60 minutes" in body
    assert 'aria-valuenow="25"' in body


def test_goal_list_progress_costs_the_same_queries_for_more_goals(client, auth, count_queries):
    user = UserFactory()
    auth.login(user)
    GoalFactory(user=user)
    few = count_queries(lambda: client.get(LIST))
    for _ in range(15):
        goal = GoalFactory(user=user, target_minutes=60)
        SessionGoalFactory(user=user, goal=goal, minutes=5)
    assert count_queries(lambda: client.get(LIST)) == few


def test_dashboard_lists_active_goals_by_priority_with_near_deadlines_highlighted(client, auth):
    user = UserFactory()
    today = local_now(user).date()
    GoalFactory(user=user, name="Low someday", priority=1)
    GoalFactory(user=user, name="High soon", priority=3, target_date=today + timedelta(days=5))
    GoalFactory(user=user, name="High later", priority=3, target_date=today + timedelta(days=60))
    GoalFactory(user=user, name="Done one", status="completed")
    GoalFactory(user=user, name="Archived one", archived=True)
    auth.login(user)
    body = client.get("/app/").get_data(as_text=True)
    assert "Done one" not in body and "Archived one" not in body
    body = body[body.index('id="active-goals"') :]  # "Up next" above lists them too
    assert body.index("High soon") < body.index("High later") < body.index("Low someday")
    soon = body[body.rfind("<li", 0, body.index("High soon")) : body.index("High later")]
    assert "deadline-near" in soon and "in 5 days" in soon


def test_dashboard_drops_a_completed_goal_at_once(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user, name="Memorise the nocturne")
    auth.login(user)
    assert "Memorise the nocturne" in client.get("/app/").get_data(as_text=True)
    client.post(LIST + "action/", data={"action": "complete", "rowid": [goal.id]})
    assert "Memorise the nocturne" not in client.get("/app/").get_data(as_text=True)


def test_goal_minutes_through_a_piece_follow_its_links_and_session_lengths():
    user = UserFactory()
    piece = PieceFactory(user=user)
    goal = GoalFactory(user=user, pieces=[piece])
    session = PracticeSessionFactory(user=user, duration_minutes=40)
    link = SessionPieceFactory(user=user, session=session, piece=piece, minutes=None)
    assert goal_practice.uncached(user.id, [goal.id])[goal.id].minutes == 40
    db.session.execute(
        text("UPDATE practice_sessions SET duration_minutes = 50 WHERE id = :id"),
        {"id": session.id},
    )
    assert goal_practice.uncached(user.id, [goal.id])[goal.id].minutes == 50
    db.session.execute(
        text("UPDATE session_pieces SET minutes = 20 WHERE id = :id"), {"id": link.id}
    )
    assert goal_practice.uncached(user.id, [goal.id])[goal.id].minutes == 20


def test_goal_figures_are_kept_in_its_review_row_until_a_play_changes():
    user = UserFactory()
    goal = GoalFactory(user=user)
    SessionGoalFactory(user=user, goal=goal, minutes=15, tempo_bpm=90, clean=True)
    db.session.commit()
    assert goal_practice.uncached(user.id, [goal.id])[goal.id] == (15, 90)
    stored = db.session.execute(
        text(
            "SELECT practised_version = version, practised_minutes, practised_bpm "
            "FROM review_states WHERE goal_id = :id"
        ),
        {"id": goal.id},
    ).one()
    assert tuple(stored) == (True, 15, 90)
    SessionGoalFactory(user=user, goal=goal, minutes=10)
    db.session.commit()
    assert goal_practice.uncached(user.id, [goal.id])[goal.id] == (25, 90)
