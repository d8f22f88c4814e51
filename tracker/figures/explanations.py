"""The explanations kept for goals, pieces and sections: for their pages, and how many there are
for the items a page lists (one query a page either way)."""

from typing import NamedTuple

from sqlalchemy import Integer
from sqlalchemy import cast
from sqlalchemy import false
from sqlalchemy import func
from sqlalchemy import null
from sqlalchemy import select
from sqlalchemy import true
from sqlalchemy import union_all

from tracker.extensions import db
from tracker.models import PieceSection
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


class KeptCount(NamedTuple):
    """How many explanations an item has, and where a section's are listed."""

    count: int  # distinct explanations, a section's own and its piece's together
    own: int  # those linked to the item itself
    piece_id: int | None  # a section's piece, whose page lists them; None for goals and pieces


def _links_of(user_id, kind, links, column, ids):
    """SELECT (kind, item id, piece id, resource id, own) of the item links among ids."""
    return select(
        db.literal(kind).label("item_kind"),
        links.c[column].label("item_id"),
        cast(null(), Integer).label("piece_id"),
        links.c.resource_id,
        true().label("own"),
    ).where(links.c.user_id == user_id, links.c[column].in_(ids))


def _section_links(user_id, ids):
    """The same for sections among ids: their own links, then the links of their pieces.

    A piece split into sections is practised (and shown in "Up next") only through its
    sections, so an explanation kept for the whole piece would otherwise never be reached
    from the dashboard: a section's count takes in its piece's too, each explanation once.
    """
    section = PieceSection.__table__
    own = (
        select(
            db.literal("section").label("item_kind"),
            section.c.id.label("item_id"),
            section.c.piece_id,
            resource_sections.c.resource_id,
            true().label("own"),
        )
        .join(
            resource_sections,
            (resource_sections.c.section_id == section.c.id)
            & (resource_sections.c.user_id == section.c.user_id),
        )
        .where(section.c.user_id == user_id, section.c.id.in_(ids))
    )
    of_piece = (
        select(
            db.literal("section"),
            section.c.id,
            section.c.piece_id,
            resource_pieces.c.resource_id,
            false(),
        )
        .join(
            resource_pieces,
            (resource_pieces.c.piece_id == section.c.piece_id)
            & (resource_pieces.c.user_id == section.c.user_id),
        )
        .where(section.c.user_id == user_id, section.c.id.in_(ids))
    )
    return [own, of_piece]


def explanation_counts(user_id, keys):
    """{(kind, id): KeptCount} for the items among keys ((kind, id) pairs) with explanations.

    One query whatever the number of items; items with none are left out.
    """
    ids = {kind: sorted({i for k, i in keys if k == kind}) for kind in ("goal", "piece", "section")}
    parts = []
    if ids["goal"]:
        parts.append(_links_of(user_id, "goal", resource_goals, "goal_id", ids["goal"]))
    if ids["piece"]:
        parts.append(_links_of(user_id, "piece", resource_pieces, "piece_id", ids["piece"]))
    if ids["section"]:
        parts.extend(_section_links(user_id, ids["section"]))
    if not parts:
        return {}
    links = union_all(*parts).subquery()
    rows = db.session.execute(
        select(
            links.c.item_kind,
            links.c.item_id,
            func.count(links.c.resource_id.distinct()),
            func.count(links.c.resource_id.distinct()).filter(links.c.own),
            func.max(links.c.piece_id),
        ).group_by(links.c.item_kind, links.c.item_id)
    )
    return {
        (kind, item_id): KeptCount(count, own, piece_id)
        for kind, item_id, count, own, piece_id in rows
    }
