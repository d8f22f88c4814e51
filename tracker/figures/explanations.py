"""The explanations kept for goals, pieces and sections, for their pages (one query a page)."""

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy import union_all

from tracker.extensions import db
from tracker.models import Resource
from tracker.models import resource_goals
from tracker.models import resource_pieces
from tracker.models import resource_sections
from tracker.models.choices import RESOURCE_KINDS
from tracker.models.choices import label_of


class Explanation(NamedTuple):
    """One kept explanation as an item's page lists it."""

    id: int
    title: str
    kind: str
    url: str | None


def _linked(user_id, links, column, ids, kind):
    """SELECT (kind, item id, resource columns) of user_id's resources linked through links."""
    return (
        select(
            db.literal(kind).label("item_kind"),
            links.c[column].label("item_id"),
            Resource.id,
            Resource.title,
            Resource.kind,
            Resource.url,
        )
        .join(links, (links.c.resource_id == Resource.id) & (links.c.user_id == Resource.user_id))
        .where(Resource.user_id == user_id, links.c[column].in_(ids))
    )


def _explanations(user_id, wanted):
    """{(item kind, item id): [Explanation]} for wanted = [(kind, links, column, ids)]."""
    parts = [_linked(user_id, *args[1:], args[0]) for args in wanted if args[3]]
    found = {}
    if not parts:
        return found
    query = union_all(*parts).subquery()
    rows = db.session.execute(select(query).order_by(query.c.title, query.c.id))
    for item_kind, item_id, rid, title, kind, url in rows:
        found.setdefault((item_kind, item_id), []).append(
            Explanation(rid, title, label_of(RESOURCE_KINDS, kind), url)
        )
    return found


def goal_explanations(user_id, goals):
    """goal id -> [Explanation] linked to it."""
    ids = [goal.id for goal in goals]
    found = _explanations(user_id, [("goal", resource_goals, "goal_id", ids)])
    return {goal_id: found.get(("goal", goal_id), []) for goal_id in ids}


def piece_explanations(user_id, pieces):
    """piece id -> {"piece": [Explanation], "sections": {section id: [Explanation]}}."""
    pieces = list(pieces)
    piece_ids = [piece.id for piece in pieces]
    section_ids = [section.id for piece in pieces for section in piece.sections]
    found = _explanations(
        user_id,
        [
            ("piece", resource_pieces, "piece_id", piece_ids),
            ("section", resource_sections, "section_id", section_ids),
        ],
    )
    return {
        piece.id: {
            "piece": found.get(("piece", piece.id), []),
            "sections": {s.id: found.get(("section", s.id), []) for s in piece.sections},
        }
        for piece in pieces
    }
