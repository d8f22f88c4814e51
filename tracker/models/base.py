"""Declarative base, timestamps and the ownership mixin shared by every user-owned table."""

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import ForeignKeyConstraint
from sqlalchemy import MetaData
from sqlalchemy import UniqueConstraint
from sqlalchemy import func
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import declared_attr
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
