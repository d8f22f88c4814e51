"""The practice log, and the instruments and focus areas it is tagged with."""

from wtforms import SelectField
from wtforms import validators

from tracker.admin.base import ScopedInline
from tracker.admin.base import UserScopedModelView
from tracker.admin.fields import HoursMinutesField
from tracker.admin.fields import LocalDateTimeField
from tracker.admin.fields import NewTagsField
from tracker.admin.fields import SectionSelectField
from tracker.admin.fields import optional_int
from tracker.admin.filters import OwnedRelationFilter
from tracker.admin.filters import local_date_filters
from tracker.admin.formatters import duration_formatter
from tracker.admin.formatters import names_formatter
from tracker.admin.formatters import notes_formatter
from tracker.admin.formatters import rating_formatter
from tracker.admin.formatters import tags_formatter
from tracker.admin.validators import SectionOfPiece
from tracker.admin.validators import UniqueForUser
from tracker.models import FocusArea
from tracker.models import Instrument
from tracker.models import Piece
from tracker.models import PracticeSession
from tracker.models import SessionGoal
from tracker.models import SessionPiece
from tracker.models.practice import MAX_SESSION_MINUTES

LINK_MINUTES = [
    validators.Optional(),
    validators.NumberRange(min=1, max=MAX_SESSION_MINUTES, message="Between 1 and 1440 minutes."),
]
RATING_CHOICES = [("", "—"), *[(str(n), str(n)) for n in range(1, 6)]]


def _rating_validators(what):
    """Optional, and 1–5 when given."""
    return [
        validators.Optional(),
        validators.NumberRange(min=1, max=5, message=f"{what} is a number from 1 to 5."),
    ]


class PracticeSessionView(UserScopedModelView):
    model = PracticeSession
    name = "Practice log"
    endpoint = "practice_session"
    list_template = "admin/practice_session_list.html"
    create_template = "admin/practice_session_create.html"
    edit_template = "admin/practice_session_edit.html"

    can_create = True
    can_edit = True
    can_delete = True

    column_list = [
        "started_at",
        "duration_minutes",
        "instrument",
        "focus_areas",
        "mood_rating",
        "quality_rating",
        "notes",
    ]
    column_labels = {
        "started_at": "When",
        "duration_minutes": "Minutes",
        "instrument": "Instrument",
        "focus_areas": "Focus areas",
        "new_focus_areas": "Add focus areas",
        "mood_rating": "Mood",
        "quality_rating": "Quality",
        "notes": "Notes",
        "equipment": "Gear used",
        "goal_links": "Goals worked on",
        "piece_links": "Pieces worked on",
        "goals": "Goals",
        "pieces": "Pieces",
        "created_at": "Logged",
        "updated_at": "Last changed",
    }
    column_default_sort = ("started_at", True)
    column_sortable_list = [
        "started_at",
        "duration_minutes",
        ("instrument", "instrument.name"),
        "mood_rating",
        "quality_rating",
    ]
    column_searchable_list = ["notes"]
    column_editable_list = ["duration_minutes", "mood_rating", "quality_rating", "notes"]
    column_filters = [
        *local_date_filters(PracticeSession.started_at, "Date"),
        OwnedRelationFilter(PracticeSession.focus_areas, "Focus area"),
        OwnedRelationFilter(PracticeSession.instrument, "Instrument"),
        OwnedRelationFilter(PracticeSession.goals, "Goal"),
        OwnedRelationFilter(PracticeSession.pieces, "Piece", label_column=Piece.title),
        OwnedRelationFilter(PracticeSession.equipment, "Gear"),
    ]
    column_formatters = {
        "focus_areas": tags_formatter,
        "mood_rating": rating_formatter,
        "quality_rating": rating_formatter,
        "notes": notes_formatter,
    }
    column_labels_detail = {"duration_minutes": "Duration"}
    column_formatters_detail = {
        "duration_minutes": duration_formatter,
        "focus_areas": tags_formatter,
        "goal_links": tags_formatter,
        "piece_links": tags_formatter,
        "equipment": tags_formatter,
        "mood_rating": rating_formatter,
        "quality_rating": rating_formatter,
    }
    column_formatters_export = {
        "focus_areas": names_formatter,
        "goal_links": names_formatter,
        "piece_links": names_formatter,
        "equipment": names_formatter,
        "instrument": names_formatter,
    }
    column_details_list = [
        *column_list,
        "goal_links",
        "piece_links",
        "equipment",
        "created_at",
        "updated_at",
    ]
    column_export_list = [*column_list, "goal_links", "piece_links", "equipment"]
    column_descriptions = {"duration_minutes": "Click a value in the list to change it."}

    form_columns = [
        "started_at",
        "duration_minutes",
        "instrument",
        "focus_areas",
        "new_focus_areas",
        "equipment",
        "notes",
        "mood_rating",
        "quality_rating",
    ]
    inline_models = [
        ScopedInline(
            SessionGoal,
            form_label="Goal worked on",
            form_columns=["id", "goal", "minutes"],
            form_args={
                "goal": {
                    "label": "Goal",
                    "validators": [validators.InputRequired("Choose a goal.")],
                },
                "minutes": {"label": "Minutes on it (optional)", "validators": LINK_MINUTES},
            },
        ),
        ScopedInline(
            SessionPiece,
            form_label="Piece worked on",
            form_columns=["id", "piece", "section", "minutes"],
            # The form's script shows only the chosen piece's sections (js/session_form.js).
            form_overrides={"section": SectionSelectField},
            form_args={
                "piece": {
                    "label": "Piece",
                    "validators": [validators.InputRequired("Choose a piece.")],
                },
                "section": {
                    "label": "Section (optional)",
                    "allow_blank": True,
                    "blank_text": "— whole piece —",
                    "validators": [SectionOfPiece()],
                },
                "minutes": {"label": "Minutes on it (optional)", "validators": LINK_MINUTES},
            },
        ),
    ]
    form_overrides = {
        "started_at": LocalDateTimeField,
        "duration_minutes": HoursMinutesField,
        # A 1–5 select in the full form; inline edits keep a plain number input.
        "mood_rating": SelectField,
        "quality_rating": SelectField,
    }
    form_extra_fields = {
        "new_focus_areas": NewTagsField(
            "Add focus areas",
            target="focus_areas",
            description="New ones, comma-separated, e.g. “Scales, Sight-reading”.",
        ),
    }
    form_args = {
        "started_at": {
            "label": "Date and time",
            "validators": [validators.InputRequired("When did you practise?")],
        },
        "duration_minutes": {
            "label": "Duration",
            "description": "Hours and minutes.",
            "validators": [
                validators.InputRequired("How long did you practise?"),
                validators.NumberRange(
                    min=1,
                    max=MAX_SESSION_MINUTES,
                    message="A session lasts between 1 minute and 24 hours.",
                ),
            ],
        },
        "mood_rating": {
            "label": "Mood (1–5)",
            "validators": _rating_validators("Mood"),
            "choices": RATING_CHOICES,
            "coerce": optional_int,
        },
        "quality_rating": {
            "label": "Quality (1–5)",
            "validators": _rating_validators("Quality"),
            "choices": RATING_CHOICES,
            "coerce": optional_int,
        },
        "notes": {
            "label": "Notes",
            "description": "What you worked on, what to do next time.",
            "render_kw": {"rows": 4},
        },
        "instrument": {"label": "Instrument", "allow_blank": True, "blank_text": "—"},
        "focus_areas": {"label": "Focus areas"},
        "equipment": {"label": "Gear used"},
    }


class OwnNamesView(UserScopedModelView):
    """A Settings list of names the user keeps (instruments, focus areas), unique per user.

    Subclasses declare model, name, endpoint, noun and empty_list_message.
    """

    category = "Settings"
    noun = None

    column_list = ["name"]
    column_default_sort = "name"
    column_searchable_list = ["name"]
    column_editable_list = ["name"]
    form_columns = ["name"]

    def __init__(self, **kwargs):
        """Label the one column with the noun, and refuse a name the user already has."""
        self.column_labels = {"name": self.noun}
        self.form_args = {
            "name": {
                "label": self.noun,
                "validators": [validators.InputRequired(), UniqueForUser(self.model.name)],
            }
        }
        super().__init__(**kwargs)


class InstrumentView(OwnNamesView):
    model = Instrument
    name = "Instruments"
    endpoint = "instrument"
    noun = "Instrument"
    empty_list_message = "No instruments yet: add the ones you play."


class FocusAreaView(OwnNamesView):
    model = FocusArea
    name = "Focus areas"
    endpoint = "focus_area"
    noun = "Focus area"
    empty_list_message = "No focus areas yet: add scales, sight-reading, a tricky passage..."
