"""Repertoire: pieces with their sections edited inline."""

from flask_admin.contrib.sqla.filters import FilterEqual
from wtforms import SelectField
from wtforms import validators

from tracker.admin.base import ScopedInline
from tracker.admin.base import UserScopedModelView
from tracker.admin.bulk import BulkEdit
from tracker.admin.bulk import set_to
from tracker.admin.fields import optional_int
from tracker.admin.filters import OwnedRelationFilter
from tracker.admin.formatters import choice_formatter
from tracker.admin.formatters import notes_formatter
from tracker.admin.formatters import pieces_tempo_formatter
from tracker.admin.formatters import sections_export_formatter
from tracker.admin.schedule import ItemScheduleMixin
from tracker.admin.schedule import piece_pages
from tracker.admin.tempo import TEMPO_ARGS
from tracker.admin.tempo import TEMPO_COLUMNS
from tracker.admin.validators import NotInFuture
from tracker.figures.explanations import piece_explanations
from tracker.figures.stats import pieces_practice
from tracker.figures.tempo import pieces_tempo
from tracker.models import Piece
from tracker.models import PieceSection
from tracker.models.choices import PIECE_STATUSES
from tracker.models.choices import SECTION_STATUSES

DIFFICULTY_CHOICES = [("", "—"), *[(str(n), str(n)) for n in range(1, 6)]]
# A piece's own fields, in form order; the details page shows them in the same order.
PIECE_FIELDS = [
    "title",
    "composer",
    "instrument",
    "difficulty",
    "status",
    "date_started",
    "notes",
]


def status_edit(statuses):
    """The "Set status…" bulk edit over the given choices."""
    return BulkEdit(
        "set_status",
        "Set status…",
        label="Status",
        choices=statuses,
        question="Set the status of {count} to {value}?",
        done="The status of {count} is now {value}.",
        apply=set_to("status"),
    )


class PieceView(ItemScheduleMixin, UserScopedModelView):
    model = Piece
    name = "Pieces"
    endpoint = "piece"
    list_template = "admin/model/add_list.html"
    add_label = "Add a piece"
    row_nouns = ("piece", "pieces")
    category = "Repertoire"
    details_template = "admin/piece_details.html"
    empty_list_message = "No pieces yet. Add what you are learning, then split it into sections."
    bulk_edits = [status_edit(PIECE_STATUSES)]

    column_list = [
        "title",
        "composer",
        "instrument",
        "difficulty",
        "status",
        "tempo",
        "date_started",
    ]
    column_labels = {
        "title": "Title",
        "composer": "Composer",
        "instrument": "Instrument",
        "difficulty": "Difficulty (1–5)",
        "status": "Status",
        "date_started": "Started",
        "tempo": "Last clean tempo",
        "notes": "Notes and reflections",
        "sections": "Sections",
        "created_at": "Added",
    }
    column_default_sort = "title"
    column_sortable_list = ["title", "composer", "difficulty", "status", "date_started"]
    column_searchable_list = ["title", "composer", "notes"]
    column_editable_list = ["status"]
    column_filters = [
        FilterEqual(Piece.status, "Status", options=PIECE_STATUSES),
        OwnedRelationFilter(Piece.instrument, "Instrument"),
    ]
    column_formatters = {
        "status": choice_formatter(PIECE_STATUSES),
        "tempo": pieces_tempo_formatter,
    }
    column_formatters_export = {
        "status": choice_formatter(PIECE_STATUSES),
        "sections": sections_export_formatter(SECTION_STATUSES),
    }
    # A spreadsheet row per piece, its sections (status and notes) in one cell.
    column_export_list = [
        "title",
        "composer",
        "instrument",
        "difficulty",
        "status",
        "date_started",
        "sections",
        "notes",
    ]
    column_details_list = PIECE_FIELDS
    column_formatters_detail = column_formatters
    page_figures = {"tempo": pieces_tempo}
    card_fields = ["composer", "instrument", "status", "tempo"]
    details_figures = {
        "practice": pieces_practice,
        "items": piece_pages,
        "explanations": piece_explanations,
    }

    form_columns = [*PIECE_FIELDS, "sections"]
    form_choices = {"status": PIECE_STATUSES}
    form_overrides = {"difficulty": SelectField}
    form_args = {
        "title": {
            "label": "Title",
            "validators": [
                validators.InputRequired("Give the piece a title."),
                validators.Length(max=200),
            ],
        },
        "composer": {"label": "Composer", "validators": [validators.Length(max=120)]},
        "difficulty": {
            "label": "Difficulty (1–5)",
            "choices": DIFFICULTY_CHOICES,
            "coerce": optional_int,
            "validators": [validators.Optional(), validators.NumberRange(min=1, max=5)],
        },
        "date_started": {"label": "Started", "validators": [NotInFuture()]},
        "instrument": {"label": "Instrument", "allow_blank": True, "blank_text": "—"},
        "notes": {"label": "Notes and reflections", "render_kw": {"rows": 4}},
    }
    inline_models = [
        ScopedInline(
            PieceSection,
            form_label="Section",
            form_columns=["id", "section_name", "status", *TEMPO_COLUMNS, "notes"],
            form_overrides={"status": SelectField},
            form_args={
                "section_name": {
                    "label": "Section",
                    "validators": [
                        validators.InputRequired("Name the section."),
                        validators.Length(max=120),
                    ],
                    "description": "Intro, verse, chorus, bars 1–16, ...",
                },
                "status": {"label": "Status", "choices": SECTION_STATUSES},
                **TEMPO_ARGS,
                "notes": {"label": "Notes"},
            },
        )
    ]

    def scheduled_item(self, row, form):
        """The section the form names, or the piece itself when it has no sections."""
        if not row.sections:
            return None if form.get("section") else ("piece", row.id, row.title)
        for section in row.sections:
            if str(section.id) == form.get("section"):
                return ("section", section.id, section.section_name)
        return None


class PieceSectionView(UserScopedModelView):
    """Every section of every piece in one list, to tick several and set their status.

    Sections are added and renamed in their piece's form, so this list neither creates
    nor edits them.
    """

    model = PieceSection
    name = "Sections"
    endpoint = "piece_section"
    category = "Repertoire"
    empty_list_message = "No sections yet. Split a piece into sections in its form (Edit a piece)."
    bulk_edits = [status_edit(SECTION_STATUSES)]
    row_nouns = ("section", "sections")

    can_create = False
    can_edit = False
    can_delete = False

    column_list = ["piece", "section_name", "status", "notes"]
    column_labels = {
        "piece": "Piece",
        "section_name": "Section",
        "status": "Status",
        "notes": "Notes",
        "target_bpm": "Target tempo (BPM)",
        "start_bpm": "Start tempo (BPM)",
        "created_at": "Added",
        "updated_at": "Last changed",
    }
    column_default_sort = [("piece.title", False), ("position", False)]
    column_sortable_list = [("piece", "piece.title"), "section_name", "status"]
    column_searchable_list = ["section_name", "notes"]
    column_filters = [
        FilterEqual(PieceSection.status, "Status", options=SECTION_STATUSES),
        OwnedRelationFilter(PieceSection.piece, "Piece", label_column=Piece.title),
    ]
    column_formatters = {
        "status": choice_formatter(SECTION_STATUSES),
        "notes": notes_formatter,
    }
    column_formatters_detail = {"status": choice_formatter(SECTION_STATUSES)}
    column_formatters_export = {"status": choice_formatter(SECTION_STATUSES)}
    column_details_list = ["piece", "section_name", "status", *TEMPO_COLUMNS, "notes"]
    column_export_list = ["piece", "section_name", "status", *TEMPO_COLUMNS, "notes"]
