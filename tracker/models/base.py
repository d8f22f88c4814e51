"""Declarative base, timestamps and the ownership mixin shared by every user-owned table."""

from datetime import datetime

from sqlalchemy import Column
from sqlalchemy import Computed
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import ForeignKeyConstraint
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import MetaData
from sqlalchemy import Table
from sqlalchemy import UniqueConstraint
from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import declared_attr
from sqlalchemy.orm import foreign
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

# Stable constraint names, so Alembic migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with the project's constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    """created_at / updated_at, set by the database."""

    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    )


def owned_link(column, target_table, ondelete="CASCADE"):
    """Composite foreign key (column, user_id) → target(id, user_id): no cross-user links."""
    return ForeignKeyConstraint(
        [column, "user_id"],
        [f"{target_table}.id", f"{target_table}.user_id"],
        ondelete=ondelete,
    )


def owned_link_table(name, left, left_table, right, right_table):
    """A many-to-many table between two owned tables, keyed on (x_id, user_id) both ways."""
    return Table(
        name,
        Base.metadata,
        Column(left, Integer, primary_key=True),
        Column(right, Integer, primary_key=True),
        Column("user_id", Integer, nullable=False, index=True),
        Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
        Column("updated_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
        # The key covers lookups from the left; "what links to this right-hand row" (filters,
        # breakdowns) reads this index alone.
        Index(f"ix_{name}_{right}_{left}", right, left, postgresql_include=["user_id"]),
        owned_link(left, left_table),
        owned_link(right, right_table),
        ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        info={"link": (left, right)},
    )


def _model(name):
    return Base.registry._class_registry[name]


def owned_many_to_many(owner, target, table, **kwargs):
    """relationship() from owner to target through an owned link table.

    Both joins include user_id, so the link row's user_id is written from both sides
    and the composite keys refuse a pair that belongs to two different users.
    """
    left, right = table.info["link"]
    return relationship(
        target,
        secondary=table,
        primaryjoin=lambda: and_(
            _model(owner).id == table.c[left], _model(owner).user_id == table.c.user_id
        ),
        secondaryjoin=lambda: and_(
            _model(target).id == table.c[right], _model(target).user_id == table.c.user_id
        ),
        **kwargs,
    )


def owned_many_to_one(owner, target, column, **kwargs):
    """relationship() to one owned row through (column, user_id); only column is written."""
    return relationship(
        target,
        primaryjoin=lambda: and_(
            foreign(getattr(_model(owner), column)) == _model(target).id,
            _model(owner).user_id == _model(target).user_id,
        ),
        **kwargs,
    )


def owned_one_to_many(owner, target, column, **kwargs):
    """relationship() to the owned rows whose (column, user_id) point at this row."""
    return relationship(
        target,
        primaryjoin=lambda: and_(
            _model(owner).id == foreign(getattr(_model(target), column)),
            _model(owner).user_id == _model(target).user_id,
        ),
        **kwargs,
    )


class OwnedMixin(TimestampMixin):
    """A row that belongs to exactly one user.

    Subclasses may set ``__owned_constraints__`` (checks, composite links); they are
    added next to the unique (id, user_id) pair that composite foreign keys point at.
    """

    __owned_constraints__: tuple = ()

    id: Mapped[int] = mapped_column(primary_key=True)

    @declared_attr
    def user_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)

    @declared_attr
    def user(cls):
        return relationship("User")

    @declared_attr.directive
    def __table_args__(cls):
        return (UniqueConstraint("id", "user_id"), *cls.__owned_constraints__)

    def __repr__(self):
        return f"<{type(self).__name__} {self.id} user={self.user_id}>"


def search_column(title, *body):
    """A stored, generated tsvector of a row's words: `title` weighted A, `body` columns B.

    `title` may be None for rows that have only a body (a session's notes).
    The 'simple' configuration keeps every word as written (lower-cased, no stemming), since
    musicians write in any language. Deferred: only search reads it (tracker/search.py).
    """
    parts = [f"setweight(to_tsvector('simple', coalesce({title}, '')), 'A')"] if title else []
    if body:
        text = " || ' ' || ".join(f"coalesce({column}, '')" for column in body)
        parts.append(f"setweight(to_tsvector('simple', {text}), 'B')")
    return mapped_column(TSVECTOR, Computed(" || ".join(parts), persisted=True), deferred=True)


def search_index(model):
    """The GIN index that serves full-text search on model's search_vector.

    The trigram indexes on titles and names (the typo fallback) need pg_trgm, which not every
    PostgreSQL has (the embedded one does not): migration 0015 adds them where it can, and
    migrations/env.py leaves them out of the comparison with these models.
    """
    table = model.__table__
    Index(f"ix_{table.name}_search_vector", table.c.search_vector, postgresql_using="gin")
