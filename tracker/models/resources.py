"""Resources: the explanations a musician keeps (videos, articles, book pages, sheets, notes)."""

from urllib.parse import urlsplit

from sqlalchemy import CheckConstraint
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from tracker.models.base import Base
from tracker.models.base import OwnedMixin
from tracker.models.base import owned_link_table
from tracker.models.base import owned_many_to_many
from tracker.models.base import owned_one_to_many
from tracker.models.base import search_column
from tracker.models.base import search_index
from tracker.models.choices import RESOURCE_KINDS
from tracker.models.choices import values_check

MAX_URL_LENGTH = 2000
URL_REFUSED = "Enter a web address starting with http:// or https://."

resource_focus_areas = owned_link_table(
    "resource_focus_areas", "resource_id", "resources", "focus_area_id", "focus_areas"
)
resource_goals = owned_link_table("resource_goals", "resource_id", "resources", "goal_id", "goals")
resource_pieces = owned_link_table(
    "resource_pieces", "resource_id", "resources", "piece_id", "pieces"
)
resource_sections = owned_link_table(
    "resource_sections", "resource_id", "resources", "section_id", "piece_sections"
)


def url_refusal(url):
    """Why url cannot be kept as a link (a plain sentence), or None if it is a web address.

    Only http and https: a `javascript:` or `data:` address would run in the page.
    """
    if not url:
        return None
    if len(url) > MAX_URL_LENGTH:
        return f"A web address of at most {MAX_URL_LENGTH} characters."
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return URL_REFUSED
    try:
        parts = urlsplit(url)
    except ValueError:
        return URL_REFUSED
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return URL_REFUSED
    return None


class Resource(OwnedMixin, Base):
    """An explanation kept for later: a video, article, book page, sheet or the user's own note."""

    __tablename__ = "resources"
    __owned_constraints__ = (
        CheckConstraint(values_check("kind", RESOURCE_KINDS), name="kind_known"),
        # The last line of defence behind url_refusal(): never a script address.
        CheckConstraint("url IS NULL OR url ~* '^https?://'", name="url_is_web_address"),
    )

    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="note", server_default="note")
    url: Mapped[str | None] = mapped_column(String(MAX_URL_LENGTH))
    notes: Mapped[str | None] = mapped_column(Text)
    search_vector = search_column("title", "notes")

    focus_areas = owned_many_to_many("Resource", "FocusArea", resource_focus_areas)
    goals = owned_many_to_many("Resource", "Goal", resource_goals)
    pieces = owned_many_to_many("Resource", "Piece", resource_pieces)
    sections = owned_many_to_many("Resource", "PieceSection", resource_sections)
    # At most one file in the app's forms; a new one replaces the old (tracker.uploads keeps
    # the files on disk in step with these rows).
    attachments = owned_one_to_many(
        "Resource",
        "Attachment",
        "resource_id",
        cascade="all, delete-orphan",
        order_by="Attachment.created_at",
    )

    @property
    def attachment(self):
        """The attached file, or None."""
        return self.attachments[-1] if self.attachments else None

    def __str__(self):
        return self.title


search_index(Resource)
