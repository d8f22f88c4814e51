"""The practice log, and the instruments and focus areas it is tagged with."""

from flask import request
from flask_login import current_user
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import validators

from tracker.admin.base import ScopedInline
from tracker.admin.base import UserScopedModelView
from tracker.admin.bulk import BulkEdit
from tracker.admin.bulk import add_to
from tracker.admin.bulk import remove_from
from tracker.admin.bulk import set_to
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
from tracker.admin.formatters import session_items_formatter
from tracker.admin.formatters import tags_formatter
from tracker.admin.prefill import prefilled_session
from tracker.admin.validators import NotInFuture
from tracker.admin.validators import SectionOfPiece
from tracker.admin.validators import UniqueForUser
from tracker.figures.stats import usual_instrument_id
from tracker.models import FocusArea
from tracker.models import Goal
from tracker.models import Instrument
from tracker.models import Piece
from tracker.models import PracticeSession
from tracker.models import SessionGoal
from tracker.models import SessionPiece
from tracker.models.practice import MAX_BPM
from tracker.models.practice import MAX_NEXT_TIME
from tracker.models.practice import MAX_SESSION_MINUTES
from tracker.models.practice import MIN_BPM
from tracker.ownership import owned_one
from tracker.timezones import format_local

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


# How an item of the session went: the same four fields on a goal row and a piece row,
# laid out on one line by app.css (wrapping on a phone).
ITEM_RESULT_COLUMNS = ["minutes", "rating", "tempo_bpm", "clean", "next_time"]
ITEM_RESULT_ARGS = {
    "minutes": {"label": "Minutes", "validators": LINK_MINUTES},
    "rating": {
        "label": "Rating",
        "choices": RATING_CHOICES,
        "coerce": optional_int,
        "validators": _rating_validators("Rating"),
    },
    "tempo_bpm": {
        "label": "BPM",
        "validators": [
            validators.Optional(),
            validators.NumberRange(
                min=MIN_BPM, max=MAX_BPM, message=f"A tempo from {MIN_BPM} to {MAX_BPM} BPM."
            ),
        ],
        "render_kw": {"min": MIN_BPM, "max": MAX_BPM, "inputmode": "numeric"},
    },
    "clean": {"label": "Clean"},
    "next_time": {
        "label": "Next time",
        "validators": [
            validators.Length(
                max=MAX_NEXT_TIME,
                message=f"Keep the note for next time to {MAX_NEXT_TIME} characters.",
            )
        ],
        "render_kw": {"placeholder": "e.g. bars 9–12: start at 80", "maxlength": MAX_NEXT_TIME},
    },
}
ITEM_RESULT_OVERRIDES = {"rating": SelectField, "tempo_bpm": IntegerField}
ITEMS_DESCRIPTION = (
    "Rating: how the item went, 1–5 (left blank, it counts as the session's quality). "
    "BPM: the tempo you played. Clean: played cleanly at that tempo."
)


def link_goal(session, goal):
    """Link the session to the goal, unless it already is (its own result stays as it was)."""
    if all(link.goal_id != goal.id for link in session.goal_links):
        session.goal_links.append(SessionGoal(goal=goal, user_id=session.user_id))


SESSION_BULK_EDITS = [
    BulkEdit(
        "set_instrument",
        "Set instrument…",
        label="Instrument",
        target=Instrument,
        question="Set the instrument of {count} to {value}?",
        done="The instrument of {count} is now {value}.",
        apply=set_to("instrument"),
        refusal="Choose one of your instruments.",
        empty="You have no instruments yet: add them under Settings → Instruments.",
    ),
    BulkEdit(
        "add_focus_area",
        "Add a focus area…",
        label="Focus area",
        target=FocusArea,
        question="Add the focus area “{value}” to {count}?",
        done="“{value}” added to {count}.",
        apply=add_to("focus_areas"),
        yes="Yes, add it",
        refusal="Choose one of your focus areas.",
        empty="You have no focus areas yet: add them under Settings → Focus areas.",
    ),
    BulkEdit(
        "remove_focus_area",
        "Remove a focus area…",
        label="Focus area",
        target=FocusArea,
        question="Remove the focus area “{value}” from {count}?",
        done="“{value}” removed from {count}.",
        apply=remove_from("focus_areas"),
        yes="Yes, remove it",
        refusal="Choose one of your focus areas.",
        empty="You have no focus areas yet.",
    ),
    BulkEdit(
        "link_goal",
        "Link a goal…",
        label="Goal",
        target=Goal,
        question="Link {count} to the goal “{value}”?",
        done="{count} linked to the goal “{value}”.",
        apply=link_goal,
        yes="Yes, link them",
        refusal="Choose one of your goals.",
        empty="You have no goals yet: add one under Goals.",
    ),
]


class SessionItemInline(ScopedInline):
    """A goal or piece row of the session form, with how that item went.

    `item` names the row's goal or piece field: a new row starts on none of them (the
    first one listed is rarely the one meant), and saving without one is refused beside it.
    """

    item = None

    def postprocess_form(self, form_class):
        """Give the item's select a blank first choice.

        Flask-Admin turns allow_blank off for a required many-to-one, whatever form_args say.
        """
        getattr(form_class, self.item).kwargs.update(allow_blank=True, blank_text="—")
        return form_class

    def on_model_change(self, form, model, is_created):
        """An unticked "Clean" says "not clean" only when a tempo was given, else nothing.

        A checkbox cannot say "don't know"; without a tempo there is nothing to be clean at.
        """
        if not model.clean and model.tempo_bpm is None:
            model.clean = None
        super().on_model_change(form, model, is_created)


class PracticeSessionView(UserScopedModelView):
    model = PracticeSession
    name = "Practice log"
    endpoint = "practice_session"
    row_nouns = ("session", "sessions")
    list_template = "admin/practice_session_list.html"
    create_template = "admin/practice_session_create.html"
    edit_template = "admin/practice_session_edit.html"

    def row_checkbox_label(self, row):
        """A session's tick box names it by when it began, in the user's zone."""
        return f"Select session of {format_local(row.started_at, '%-d %b, %H:%M')}"

    can_create = True
    can_edit = True
    can_delete = True
    bulk_edits = SESSION_BULK_EDITS
    # A session's row shows only its own fields, in the user's zone: nothing ages.
    cache_list_html = True

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
    # Notes are read and changed on the session's own page: the list shows their first words.
    column_editable_list = ["duration_minutes", "mood_rating", "quality_rating"]
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
        "goal_links": session_items_formatter,
        "piece_links": session_items_formatter,
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
    # A phone's card: "Mon 30 Nov 2026, 17:01 · 1 h 25 min · Piano", then how it went.
    card_title = ["started_at", "duration_minutes", "instrument"]
    card_fields = ["focus_areas", "mood_rating", "quality_rating"]
    card_formatters = {"duration_minutes": duration_formatter}

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
        SessionItemInline(
            SessionGoal,
            item="goal",
            form_label="Goal worked on",
            form_columns=["id", "goal", *ITEM_RESULT_COLUMNS],
            form_overrides=ITEM_RESULT_OVERRIDES,
            form_args={
                # DataRequired: the blank choice sends "__None", which InputRequired lets by.
                "goal": {
                    "label": "Goal",
                    "validators": [validators.DataRequired("Choose a goal.")],
                },
                **ITEM_RESULT_ARGS,
            },
        ),
        SessionItemInline(
            SessionPiece,
            item="piece",
            form_label="Piece worked on",
            form_columns=["id", "piece", "section", *ITEM_RESULT_COLUMNS],
            # The form's script shows only the chosen piece's sections (js/session_form.js).
            form_overrides={"section": SectionSelectField, **ITEM_RESULT_OVERRIDES},
            form_args={
                "piece": {
                    "label": "Piece",
                    "validators": [validators.DataRequired("Choose a piece.")],
                },
                "section": {
                    "label": "Section (optional)",
                    "allow_blank": True,
                    "blank_text": "— whole piece —",
                    "validators": [SectionOfPiece()],
                },
                **ITEM_RESULT_ARGS,
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
            # Tomorrow is allowed: a late session logged from another zone.
            "validators": [
                validators.InputRequired("When did you practise?"),
                NotInFuture(days_ahead=1),
            ],
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
        "goal_links": {"description": ITEMS_DESCRIPTION},
        "piece_links": {"description": ITEMS_DESCRIPTION},
    }

    def create_form(self, obj=None):
        """A new session starts on what its link asks for (admin/prefill.py), else empty.

        Its instrument is the link's, else the one last played, or the only one there is.
        """
        if request.method == "GET" and obj is None:
            obj = prefilled_session(request.args)
        form = super().create_form(obj)
        if request.method == "GET" and form.instrument.data is None:
            instrument_id = usual_instrument_id(current_user.id)
            if instrument_id is not None:
                form.instrument.data = owned_one(Instrument, instrument_id)
        return form


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
    row_nouns = ("instrument", "instruments")
    noun = "Instrument"
    empty_list_message = "No instruments yet: add the ones you play."


class FocusAreaView(OwnNamesView):
    model = FocusArea
    name = "Focus areas"
    endpoint = "focus_area"
    row_nouns = ("focus area", "focus areas")
    noun = "Focus area"
    empty_list_message = "No focus areas yet: add scales, sight-reading, a tricky passage..."
