"""Repertoire: pieces with their sections edited inline."""

from flask_admin.contrib.sqla.filters import FilterEqual
from wtforms import SelectField
from wtforms import validators

from tracker.admin.base import ScopedInline
from tracker.admin.base import UserScopedModelView
from tracker.admin.fields import optional_int
from tracker.admin.filters import OwnedRelationFilter
from tracker.admin.formatters import choice_formatter
from tracker.admin.formatters import pieces_tempo_formatter
from tracker.admin.formatters import sections_export_formatter
from tracker.admin.schedule import ItemScheduleMixin
from tracker.admin.schedule import piece_pages
from tracker.admin.tempo import TEMPO_ARGS
from tracker.admin.tempo import TEMPO_COLUMNS
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


class PieceView(ItemScheduleMixin, UserScopedModelView):
    model = Piece
    name = "Pieces"
    endpoint = "piece"
    row_nouns = ("piece", "pieces")
    category = "Repertoire"
    details_template = "admin/piece_details.html"
    empty_list_message = "No pieces yet. Add what you are learning, then split it into sections."

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
        "date_started": {"label": "Started"},
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
