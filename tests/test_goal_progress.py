"""Goal progress: every measure side by side, the bar's chosen measure, and "Mark completed?"."""

import re
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from tests.conftest import csrf_token_from
from tests.conftest import list_table
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

LIST = "/app/goal/"
COMPLETE = "/app/goal/complete/"
START = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)


def day(n, hour=18):
    """A session start n days after START, at hour (UTC)."""
    return START + timedelta(days=n, hours=hour - 18)


def piece_with_sections(user, statuses):
    """A piece with one section per status, in order."""
    piece = PieceFactory(user=user)
    for status in statuses:
        PieceSectionFactory(user=user, piece=piece, status=status)
    return piece


def played(user, started_at, length=30, **link):
    """A session of length minutes with one link: to a goal (goal=) or a piece (piece=, ...)."""
    session = PracticeSessionFactory(user=user, started_at=started_at, duration_minutes=length)
    factory = SessionGoalFactory if "goal" in link else SessionPieceFactory
    return factory(user=user, session=session, **link)


def progress_cells(html):
    """The text of every progress cell of a page's table, tags stripped, spaces collapsed."""
    cells = re.findall(r'<div class="goal-progress".*?</small></div>', list_table(html), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def progress_of(goal):
    """The goal's Progress, computed as a page would."""
    return goal_progress(goal.user_id, [goal])[goal.id]


def test_every_measure_that_applies_is_shown_side_by_side():
    user = UserFactory()
    piece = piece_with_sections(user, ["performance_ready", "learning", "learning"])
    goal = GoalFactory(user=user, pieces=[piece], target_minutes=1200, target_bpm=120)
    played(user, day(0), length=60, goal=goal)
    played(user, day(1), length=40, piece=piece, tempo_bpm=96, clean=True)
    progress = progress_of(goal)
    assert [(m.name, m.percent, m.summary) for m in progress.measures] == [
        ("sections", 33, "1 of 3 sections ready"),
        ("minutes", 8, "1 h 40 min of 20 h practised"),
        ("tempo", 80, "96 of 120 BPM"),
    ]
    assert (progress.rule, progress.percent) == ("sections", 33)
    assert (
        progress.summary == "1 of 3 sections ready · 1 h 40 min of 20 h practised · 96 of 120 BPM"
    )


def test_minutes_and_tempo_are_shown_without_targets():
    user = UserFactory()
    goal = GoalFactory(user=user, status="in_progress")
    played(user, day(0), length=75, goal=goal, tempo_bpm=72, clean=True)
    progress = progress_of(goal)
    assert (progress.rule, progress.percent) == ("status", 50)
    assert progress.summary == "In progress · 1 h 15 min practised · clean at 72 BPM"


def test_the_bar_follows_the_measure_chosen():
    user = UserFactory()
    piece = piece_with_sections(user, ["learning", "learning"])
    goal = GoalFactory(
        user=user, pieces=[piece], target_minutes=600, target_bpm=120, progress_measure="tempo"
    )
    played(user, day(0), piece=piece, tempo_bpm=90, clean=True)
    progress = progress_of(goal)
    assert (progress.rule, progress.percent) == ("tempo", 75)
    assert progress.summary.startswith("90 of 120 BPM · 0 of 2 sections ready")
    assert progress.explanation == (
        "You chose to measure it by tempo: progress is the last clean tempo, 90 BPM, "
        "against the target of 120 BPM."
    )
    goal.progress_measure = "minutes"
    db.session.commit()
    assert (progress_of(goal).rule, progress_of(goal).percent) == ("minutes", 5)


def test_without_a_choice_the_bar_takes_sections_then_minutes_then_tempo_then_status():
    user = UserFactory()
    piece = piece_with_sections(user, ["performance_ready", "learning"])
    everything = GoalFactory(user=user, pieces=[piece], target_minutes=60, target_bpm=100)
    minutes_and_tempo = GoalFactory(user=user, target_minutes=60, target_bpm=100)
    tempo_only = GoalFactory(user=user, target_bpm=100)
    nothing = GoalFactory(user=user, status="not_started")
    for goal in (everything, minutes_and_tempo, tempo_only, nothing):
        played(user, day(0), length=15, goal=goal, tempo_bpm=80, clean=True)
    progress = goal_progress(user.id, [everything, minutes_and_tempo, tempo_only, nothing])
    assert [(progress[g.id].rule, progress[g.id].percent) for g in progress_order(user)] == [
        ("sections", 50),
        ("minutes", 25),
        ("tempo", 80),
        ("status", 0),
    ]
    assert progress[tempo_only.id].explanation == (
        "No piece sections are linked and there is no target in minutes, so progress is the "
        "last clean tempo, 80 BPM, against the target of 100 BPM."
    )
    assert progress[nothing.id].explanation == (
        "No piece sections are linked and there is no target in minutes or tempo, so progress "
        "follows the goal's status: not started."
    )


def progress_order(user):
    """The user's goals in the order they were made."""
    return db.session.query(Goal).filter(Goal.user_id == user.id).order_by(Goal.id).all()


def test_a_choice_that_no_longer_applies_falls_back_and_says_so():
    user = UserFactory()
    goal = GoalFactory(user=user, target_minutes=60, progress_measure="tempo")
    progress = progress_of(goal)
    assert progress.rule == "minutes"
    assert progress.explanation.startswith("You chose tempo, but there is no target tempo now.")


def test_thirteen_hours_on_a_piece_with_no_section_ready_show_next_to_the_sections(client, auth):
    user = UserFactory()
    piece = piece_with_sections(user, ["learning", "learning", "not_started"])
    goal = GoalFactory(user=user, name="Ballade No. 1", pieces=[piece])
    for n in range(8):
        played(user, day(n), length=100, piece=piece)
    auth.login(user)
    listed = progress_cells(client.get(LIST).get_data(as_text=True))
    assert listed == ["0% · 0 of 3 sections ready · 13 h 20 min practised"]
    details = client.get(f"{LIST}details/?id={goal.id}").get_data(as_text=True)
    assert progress_cells(details) == ["0% · 0 of 3 sections ready · 13 h 20 min practised"]


def test_the_last_clean_tempo_comes_from_the_plays_that_count_for_the_goal():
    user = UserFactory()
    piece = piece_with_sections(user, ["learning"])
    other_piece = PieceFactory(user=user)
    named_section = PieceSectionFactory(user=user, piece=other_piece)
    goal = GoalFactory(user=user, pieces=[piece], sections=[named_section], target_bpm=140)
    section_of_piece = piece.sections[0]
    played(user, day(0), goal=goal, tempo_bpm=80, clean=True)
    assert goal_practice.uncached(user.id, [goal.id])[goal.id].last_clean_bpm == 80
    # Made later but played earlier: the order is the session's start, not the row's id.
    played(user, day(-1), piece=piece, tempo_bpm=130, clean=True)
    played(user, day(1), piece=piece, section=section_of_piece, tempo_bpm=88, clean=True)
    assert goal_practice.uncached(user.id, [goal.id])[goal.id].last_clean_bpm == 88
    played(user, day(2), piece=other_piece, section=named_section, tempo_bpm=92, clean=True)
    assert goal_practice.uncached(user.id, [goal.id])[goal.id].last_clean_bpm == 92
    # Not counted: a later clean play of a piece the goal does not name, another user's
    # play, and a play that was not clean.
    played(user, day(3), piece=other_piece, tempo_bpm=120, clean=True)
    stranger = UserFactory()
    played(stranger, day(3), piece=PieceFactory(user=stranger), tempo_bpm=120, clean=True)
    played(user, day(4), goal=goal, tempo_bpm=100, clean=False)
    assert goal_practice.uncached(user.id, [goal.id])[goal.id].last_clean_bpm == 92


def test_a_session_reaching_a_goal_twice_counts_once_as_its_best_rated_play():
    user = UserFactory()
    piece = piece_with_sections(user, ["learning"])
    goal = GoalFactory(user=user, pieces=[piece], target_bpm=140)
    played(user, day(0), goal=goal, tempo_bpm=80, clean=True)
    link = played(user, day(1), length=60, goal=goal, rating=2, tempo_bpm=96, clean=True)
    SessionPieceFactory(
        user=user, session=link.session, piece=piece, rating=4, tempo_bpm=100, clean=False
    )
    # The session's better-rated play of the goal was not clean: 80 stays the last clean tempo.
    assert goal_practice.uncached(user.id, [goal.id])[goal.id] == (90, 80)


def test_a_session_gives_a_goal_its_minutes_once_and_never_more_than_its_length():
    user = UserFactory()
    piece = piece_with_sections(user, ["learning", "learning"])
    first, second = piece.sections
    goal = GoalFactory(user=user, pieces=[piece], sections=[first])
    # Linked to the goal itself (the whole hour) and to one of its sections: 60.
    both = played(user, day(0), length=60, goal=goal)
    SessionPieceFactory(user=user, session=both.session, piece=piece, section=first, minutes=20)
    # 30 + 30 minutes on its piece in a 45-minute session: 45.
    over = played(user, day(1), length=45, piece=piece, section=first, minutes=30)
    SessionPieceFactory(user=user, session=over.session, piece=piece, minutes=30)
    # Two sections of its piece: 10 + 15.
    parts = played(user, day(2), length=50, piece=piece, minutes=10)
    SessionPieceFactory(user=user, session=parts.session, piece=piece, section=second, minutes=15)
    # A section the goal names and whose piece it names too: 10, counted once.
    played(user, day(3), length=40, piece=piece, section=first, minutes=10)
    assert goal_practice.uncached(user.id, [goal.id])[goal.id].minutes == 60 + 45 + 25 + 10


def test_mark_completed_is_offered_at_100_percent_until_completed(client, auth):
    user = UserFactory()
    piece = piece_with_sections(user, ["performance_ready", "performance_ready"])
    ready = GoalFactory(user=user, name="Ready", pieces=[piece], status="in_progress")
    GoalFactory(user=user, name="Done", pieces=[piece], status="completed")
    GoalFactory(user=user, name="Halfway", status="in_progress")
    auth.login(user)
    page = client.get(LIST).get_data(as_text=True)
    body = list_table(page)
    assert body.count("Mark completed?") == 1
    form = re.search(r'<form class="mark-completed.*?</form>', body, re.S).group(0)
    assert f'action="{COMPLETE}"' in form and f'name="id" value="{ready.id}"' in form
    assert 'name="csrf_token"' in form
    offering = [row for row in body.split("<tr") if "Mark completed?" in row]
    assert len(offering) == 1 and "Ready" in offering[0] and "Done" not in offering[0]
    # The phone's card of that goal offers it too.
    assert page.count("Mark completed?") == 2
    details = client.get(f"{LIST}details/?id={ready.id}").get_data(as_text=True)
    assert "Mark completed?" in details
    done = db.session.query(Goal).filter_by(name="Done").one()
    assert "Mark completed?" not in client.get(f"{LIST}details/?id={done.id}").get_data(
        as_text=True
    )


def test_mark_completed_completes_the_goal_and_returns_where_the_user_was(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user, status="in_progress", target_minutes=30)
    played(user, day(0), length=30, goal=goal)
    auth.login(user)
    back = f"{LIST}details/?id={goal.id}"
    response = client.post(COMPLETE, data={"id": goal.id, "url": back})
    assert response.status_code == 302
    assert response.headers["Location"] == back
    db.session.refresh(goal)
    assert goal.status == "completed" and goal.completed_at is not None
    page = client.get(back).get_data(as_text=True)
    assert "is completed. Well done!" in page and "Mark completed?" not in page


def test_mark_completed_never_sends_the_user_off_the_site(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user)
    auth.login(user)
    for elsewhere in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.post(COMPLETE, data={"id": goal.id, "url": elsewhere})
        assert response.status_code == 302
        assert response.headers["Location"] == LIST


def test_mark_completed_without_a_csrf_token_is_refused(csrf_client, csrf_auth):
    user = UserFactory()
    goal = GoalFactory(user=user, status="in_progress")
    csrf_auth.login(user)
    response = csrf_client.post(COMPLETE, data={"id": goal.id})
    assert response.status_code == 400
    db.session.refresh(goal)
    assert goal.status == "in_progress" and goal.completed_at is None
    token = csrf_token_from(csrf_client.get(LIST).get_data(as_text=True))
    response = csrf_client.post(COMPLETE, data={"id": goal.id, "csrf_token": token})
    assert response.status_code == 302
    db.session.refresh(goal)
    assert goal.status == "completed"


def test_mark_completed_of_another_users_goal_is_not_found(client, auth):
    theirs = GoalFactory(status="in_progress")
    auth.login(UserFactory())
    for goal_id in (theirs.id, "nonsense", ""):
        assert client.post(COMPLETE, data={"id": goal_id}).status_code == 404
    db.session.refresh(theirs)
    assert theirs.status == "in_progress" and theirs.completed_at is None


def goal_form(**fields):
    """A goal form's fields, filled in as a musician would."""
    base = {"name": "Nocturne", "goal_type": "piece", "priority": "2", "status": "in_progress"}
    return base | fields


def test_the_form_refuses_a_measure_that_does_not_apply_next_to_the_field(client, auth):
    user = UserFactory()
    bare_piece = PieceFactory(user=user)
    auth.login(user)
    refusals = {
        "tempo": "Set a target tempo to measure progress by tempo.",
        "minutes": "Set a target in minutes to measure progress by minutes practised.",
        "sections": "Link a piece with sections, or some sections, to measure progress by them.",
    }
    for measure, message in refusals.items():
        data = goal_form(progress_measure=measure, pieces=[str(bare_piece.id)])
        body = client.post(LIST + "new/", data=data).get_data(as_text=True)
        field = body[body.index('name="progress_measure"') :]
        assert message in field[: field.index("</div>", field.index(message))], measure
    assert db.session.query(Goal).count() == 0


def test_the_form_saves_a_measure_that_applies(client, auth):
    user = UserFactory()
    piece = piece_with_sections(user, ["learning"])
    auth.login(user)
    data = goal_form(progress_measure="sections", pieces=[str(piece.id)], target_bpm="120")
    assert client.post(LIST + "new/", data=data).status_code == 302
    goal = db.session.query(Goal).one()
    assert goal.progress_measure == "sections"
    edit = client.get(f"{LIST}edit/?id={goal.id}").get_data(as_text=True)
    assert re.search(r'<option selected value="sections">Sections ready</option>', edit)
    data = goal_form(progress_measure="__None", pieces=[str(piece.id)])
    assert client.post(f"{LIST}edit/?id={goal.id}", data=data).status_code == 302
    db.session.refresh(goal)
    assert goal.progress_measure is None
    details = client.get(f"{LIST}details/?id={goal.id}").get_data(as_text=True)
    assert "The first that applies" in details


def test_the_api_round_trips_the_measure_and_refuses_one_that_does_not_apply(client, auth):
    user = UserFactory()
    auth.login(user)
    headers = {"Accept": "application/json"}
    created = client.post(
        "/api/v1/goals",
        json={"name": "Scales", "target_minutes": 600, "progress_measure": "minutes"},
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    goal_id = created.get_json()["id"]
    assert created.get_json()["progress_measure"] == "minutes"
    assert client.get(f"/api/v1/goals/{goal_id}").get_json()["progress_measure"] == "minutes"

    refused = client.patch(f"/api/v1/goals/{goal_id}", json={"progress_measure": "tempo"})
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["json"] == {
        "progress_measure": ["Set a target tempo to measure progress by tempo."]
    }
    cleared = client.patch(f"/api/v1/goals/{goal_id}", json={"target_minutes": None})
    assert cleared.status_code == 422
    assert db.session.get(Goal, goal_id).target_minutes == 600

    changed = client.patch(
        f"/api/v1/goals/{goal_id}", json={"progress_measure": "tempo", "target_bpm": 120}
    )
    assert changed.status_code == 200
    assert changed.get_json()["progress_measure"] == "tempo"
    automatic = client.patch(f"/api/v1/goals/{goal_id}", json={"progress_measure": None})
    assert automatic.get_json()["progress_measure"] is None
    unknown = client.patch(f"/api/v1/goals/{goal_id}", json={"progress_measure": "feelings"})
    assert unknown.status_code == 422
    assert db.session.get(Goal, goal_id).progress_measure is None


def goals_with_history(user, count):
    """count goals, each with a piece of two sections, played through every kind of link."""
    for _ in range(count):
        piece = piece_with_sections(user, ["performance_ready", "learning"])
        goal = GoalFactory(user=user, pieces=[piece], target_minutes=600, target_bpm=120)
        played(user, day(0), goal=goal, tempo_bpm=80, clean=True)
        played(user, day(1), piece=piece, tempo_bpm=84, clean=True)
        played(user, day(2), piece=piece, section=piece.sections[0], tempo_bpm=88, clean=True)


def test_the_goal_list_costs_the_same_queries_for_1_goal_and_for_20(client, auth, count_queries):
    one, twenty = UserFactory(), UserFactory()
    goals_with_history(one, 1)
    goals_with_history(twenty, 20)
    auth.login(one)
    few = count_queries(lambda: client.get(LIST))
    auth.logout()
    auth.login(twenty)
    body = []
    many = count_queries(lambda: body.append(client.get(LIST).get_data(as_text=True)))
    assert many == few
    assert (
        progress_cells(body[0]).count(
            "50% · 1 of 2 sections ready · 1 h 30 min of 10 h practised · 88 of 120 BPM"
        )
        == 20
    )
