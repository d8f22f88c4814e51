"""One-time tokens of create forms: a replayed POST finds the row its first POST made."""

from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from tracker.models.base import Base
from tracker.models.base import OwnedMixin


class FormSubmission(OwnedMixin, Base):
    """A create form's token and the row it made, saved in the same transaction as the row.

    As the API's client_uuid does for sessions, the unique (user_id, token) pair makes a
    second save with the same token fail, so a retried or replayed POST never makes a
    second row: it is sent to the first one.
    """

    __tablename__ = "form_submissions"
    __owned_constraints__ = (UniqueConstraint("user_id", "token"),)

    token: Mapped[str] = mapped_column(String(64))
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[int]

    def __str__(self):
        return f"{self.table_name} {self.row_id}"
