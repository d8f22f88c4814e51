"""Explanations: videos, articles, book pages, sheets and own notes, kept for later."""

from flask import request
from flask import url_for
from flask_admin.contrib.sqla.filters import FilterEqual
from markupsafe import Markup
from wtforms import BooleanField
from wtforms import validators

from tracker.admin.attachments import ACCEPT
from tracker.admin.base import UserScopedModelView
from tracker.admin.fields import OptionalAttachmentField
from tracker.admin.filters import OwnedRelationFilter
from tracker.admin.formatters import choice_formatter
from tracker.admin.formatters import link_formatter
from tracker.admin.formatters import names_formatter
from tracker.admin.formatters import notes_formatter
from tracker.admin.formatters import tags_formatter
from tracker.admin.validators import WebAddress
from tracker.models import FocusArea
from tracker.models import Goal
from tracker.models import Piece
from tracker.models import PieceSection
from tracker.models import Resource
from tracker.models.choices import RESOURCE_KINDS
from tracker.ownership import owned_one
from tracker.phrases import first_words

# ?goal_id=, ?piece_id=, ... on the new-explanation page: the form field each pre-links.
PRE_LINKS = {
    "goal_id": ("goals", Goal),
    "piece_id": ("pieces", Piece),
    "section_id": ("sections", PieceSection),
    "focus_area_id": ("focus_areas", FocusArea),
}
# A title made from the notes' first words (pre_fill) is at most this long.
TITLE_WORDS_CHARS = 60
RESOURCE_FIELDS = [
    "title",
    "kind",
    "url",
    "notes",
    "focus_areas",
    "goals",
    "pieces",
    "sections",
]


def file_formatter(view, context, model, name):
    """The attached file's name, linking to the file."""
    attachment = model.attachment
    if attachment is None:
        return ""
    return link_to_file(attachment)


def link_to_file(attachment):
    """A link to one of the user's attachment files."""
    return Markup('<a href="{}">{}</a>').format(
        url_for("attachment.download", attachment_id=attachment.id), attachment.original_name
    )


def pre_fill(form, args):
    """Fill the title, notes and kind that ?title=, ?notes= and ?kind= name.

    A "next time" note saved as an explanation (admin/explanation_links.py) comes with its
    notes only: their first words make the title. A kind not offered is ignored.
    """
    notes = (args.get("notes") or "").strip()
    if notes:
        form.notes.data = notes
    title = (args.get("title") or "").strip() or first_words(notes, TITLE_WORDS_CHARS)
    if title:
        form.title.data = title[: Resource.title.type.length]
    if args.get("kind") in dict(RESOURCE_KINDS):
        form.kind.data = args["kind"]


class ResourceView(UserScopedModelView):
    model = Resource
    name = "Explanations"
    endpoint = "resource"
    row_nouns = ("explanation", "explanations")
    details_template = "admin/resource_details.html"
    empty_list_message = (
        "No explanations yet. Save a video, an article, a book page or your own note on "
        "how something works, and link it to the goals and pieces it helps with."
    )

    column_list = ["title", "kind", "url", "goals", "pieces", "focus_areas"]
    column_labels = {
        "title": "Title",
        "kind": "Kind",
        "url": "Link",
        "notes": "Notes",
        "focus_areas": "Focus areas",
        "goals": "Goals",
        "pieces": "Pieces",
        "sections": "Piece sections",
        "file": "File",
        "created_at": "Added",
        "updated_at": "Last changed",
    }
    column_default_sort = ("updated_at", True)
    column_sortable_list = ["title", "kind", "updated_at"]
    column_searchable_list = ["title", "notes", "url"]
    column_filters = [
        FilterEqual(Resource.kind, "Kind", options=RESOURCE_KINDS),
        OwnedRelationFilter(Resource.goals, "Goal"),
        OwnedRelationFilter(Resource.pieces, "Piece", label_column=Piece.title),
        OwnedRelationFilter(Resource.focus_areas, "Focus area"),
    ]
    column_formatters = {
        "kind": choice_formatter(RESOURCE_KINDS),
        "url": link_formatter,
        "notes": notes_formatter,
        "goals": tags_formatter,
        "pieces": tags_formatter,
        "sections": tags_formatter,
        "focus_areas": tags_formatter,
        "file": file_formatter,
    }
    column_formatters_detail = column_formatters
    column_formatters_export = {
        "kind": choice_formatter(RESOURCE_KINDS),
        "goals": names_formatter,
        "pieces": names_formatter,
        "sections": names_formatter,
        "focus_areas": names_formatter,
    }
    # The notes stand above the table, whole (admin/resource_details.html).
    column_details_list = [
        *(name for name in RESOURCE_FIELDS if name != "notes"),
        "file",
        "created_at",
        "updated_at",
    ]
    column_export_list = RESOURCE_FIELDS

    form_columns = [*RESOURCE_FIELDS, "file", "remove_file"]
    form_choices = {"kind": RESOURCE_KINDS}
    form_extra_fields = {
        "file": OptionalAttachmentField(
            "File (optional)",
            description="A PDF, an image or a recording kept with it. A new file replaces "
            "the one it has.",
            render_kw={"accept": ACCEPT},
        ),
        "remove_file": BooleanField("Remove the file it has"),
    }
    form_args = {
        "title": {
            "label": "Title",
            "validators": [
                validators.InputRequired("Give it a title."),
                validators.Length(max=200),
            ],
            "description": "For example “How a barre works”.",
        },
        "kind": {"label": "Kind"},
        "url": {
            "label": "Link (optional)",
            "validators": [WebAddress()],
            "description": "A web address starting with https:// (a video, an article).",
            "render_kw": {"type": "url", "placeholder": "https://"},
        },
        "notes": {
            "label": "Notes",
            "description": "The explanation in your own words; search finds every word.",
            "render_kw": {"rows": 8},
        },
        "focus_areas": {"label": "Focus areas"},
        "goals": {"label": "Goals"},
        "pieces": {"label": "Pieces"},
        "sections": {"label": "Piece sections"},
    }

    def create_form(self, obj=None):
        """The new-explanation page pre-links the goal, piece, section or focus area it came from.

        Ids come from the query string (?goal_id=3); one that is not the user's is ignored.
        The query string may fill the title, notes and kind too (pre_fill).
        """
        form = super().create_form(obj)
        if request.method == "GET":
            for arg, (field, model) in PRE_LINKS.items():
                row = owned_one(model, request.args.get(arg))
                if row is not None and row not in (form[field].data or []):
                    form[field].data = [*(form[field].data or []), row]
            pre_fill(form, request.args)
        del form.remove_file
        return form

    def on_model_change(self, form, model, is_created):
        """Drop the file when asked (and no new one came), then check ownership as always."""
        remove = getattr(form, "remove_file", None)
        if remove is not None and remove.data and form.file.stored is None:
            model.attachments[:] = []
        super().on_model_change(form, model, is_created)
