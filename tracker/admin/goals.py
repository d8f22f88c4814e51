"""Goals: what the musician works towards, with progress, deadlines and priorities."""

from flask import abort
from flask import flash
from flask import redirect
from flask import request
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import BooleanEqualFilter
from flask_admin.contrib.sqla.filters import FilterEqual
from wtforms import validators

from tracker.admin.base import PostRowAction
from tracker.admin.base import UserScopedModelView
from tracker.admin.bulk import BulkEdit
from tracker.admin.bulk import set_to
from tracker.admin.fields import ConfirmableDateField
from tracker.admin.filters import OwnedRelationFilter
from tracker.admin.formatters import choice_formatter
from tracker.admin.formatters import deadline_formatter
from tracker.admin.formatters import goal_progress_formatter
from tracker.admin.formatters import yes_no_formatter
from tracker.admin.schedule import ItemScheduleMixin
from tracker.admin.schedule import goal_pages
from tracker.admin.tempo import TEMPO_ARGS
from tracker.admin.tempo import TEMPO_COLUMNS
from tracker.admin.validators import ConfirmedTargetDate
from tracker.admin.validators import MeasureApplies
from tracker.extensions import db
from tracker.figures.explanations import goal_explanations
from tracker.figures.history import goal_sessions
from tracker.figures.progress import goal_progress
from tracker.models import Goal
from tracker.models.choices import GOAL_STATUSES
from tracker.models.choices import GOAL_TYPES
from tracker.models.choices import PRIORITIES
from tracker.models.choices import PROGRESS_MEASURES
from tracker.phrases import app_link

# The bar's measure left open: the first that applies.
AUTOMATIC = "The first that applies"
PRIORITY_CHOICES = [(str(value), label) for value, label in PRIORITIES]
# What the musician fills in, in form order; the details page shows it in the same order.
GOAL_FIELDS = [
    "name",
    "goal_type",
    "instrument",
    "priority",
    "status",
    "target_date",
    "target_minutes",
    *TEMPO_COLUMNS,
    "pieces",
    "sections",
    "progress_measure",
    "notes",
]

GOAL_BULK_EDITS = [
    BulkEdit(
        "set_status",
        "Set status…",
        label="Status",
        choices=GOAL_STATUSES,
        question="Set the status of {count} to {value}?",
        done="The status of {count} is now {value}.",
        apply=set_to("status"),
    ),
    BulkEdit(
        "set_priority",
        "Set priority…",
        label="Priority",
        choices=PRIORITY_CHOICES,
        coerce=int,
        question="Set the priority of {count} to {value}?",
        done="The priority of {count} is now {value}.",
        apply=set_to("priority"),
    ),
    BulkEdit(
        "set_target_date",
        "Set target date…",
        label="Target date",
        question="Set the target date of {count} to {value}?",
        done="The target date of {count} is now {value}.",
        apply=set_to("target_date"),
    ),
]


class GoalView(ItemScheduleMixin, UserScopedModelView):
    model = Goal
    name = "Goals"
    endpoint = "goal"
    list_template = "admin/model/add_list.html"
    add_label = "Add a goal"
    row_nouns = ("goal", "goals")
    details_template = "admin/goal_details.html"
    empty_list_message = (
        "No goals yet. Add one: a piece to learn, a scale to master, a tempo to reach."
    )
    bulk_edits = GOAL_BULK_EDITS

    column_list = [
        "name",
        "progress",
        "priority",
        "target_date",
        "status",
        "goal_type",
        "instrument",
    ]
    column_labels = {
        "name": "Goal",
        "goal_type": "Type",
        "instrument": "Instrument",
        "priority": "Priority",
        "target_date": "Target date",
        "status": "Status",
        "progress": "Progress",
        "notes": "Notes",
        "target_minutes": "Target minutes",
        "target_bpm": "Target tempo (BPM)",
        "start_bpm": "Start tempo (BPM)",
        "progress_measure": "Progress bar shows",
        "pieces": "Pieces",
        "sections": "Piece sections",
        "archived": "Archived",
        "completed_at": "Completed",
        "created_at": "Added",
        "updated_at": "Last changed",
    }
    column_default_sort = [("priority", True), ("target_date", False)]
    column_sortable_list = ["name", "goal_type", "priority", "target_date", "status"]
    column_searchable_list = ["name", "notes"]
    column_editable_list = ["status", "priority", "target_date"]
    column_filters = [
        FilterEqual(Goal.goal_type, "Type", options=GOAL_TYPES),
        FilterEqual(Goal.status, "Status", options=GOAL_STATUSES),
        FilterEqual(Goal.priority, "Priority", options=PRIORITY_CHOICES),
        OwnedRelationFilter(Goal.instrument, "Instrument"),
        BooleanEqualFilter(Goal.archived, "Archived"),
    ]
    page_figures = {"progress": goal_progress}
    details_figures = {
        "item": goal_pages,
        "explanations": goal_explanations,
        "sessions": goal_sessions,
    }
    # Archived goals stay out of the list until the "Archived" filter asks for them.
    default_list_filters = (("Archived", "0"),)
    column_formatters = {
        "goal_type": choice_formatter(GOAL_TYPES),
        "status": choice_formatter(GOAL_STATUSES),
        "priority": choice_formatter(PRIORITIES),
        "target_date": deadline_formatter,
        "progress": goal_progress_formatter,
        "progress_measure": choice_formatter(PROGRESS_MEASURES, AUTOMATIC),
        "archived": yes_no_formatter,
    }
    column_formatters_detail = column_formatters
    column_formatters_export = {
        "goal_type": choice_formatter(GOAL_TYPES),
        "status": choice_formatter(GOAL_STATUSES),
        "priority": choice_formatter(PRIORITIES),
        "progress_measure": choice_formatter(PROGRESS_MEASURES, AUTOMATIC),
    }
    column_details_list = [*GOAL_FIELDS, "archived", "completed_at", "created_at"]
    # A spreadsheet row per goal: its links to pieces and sections stay on the page.
    column_export_list = [
        *(name for name in GOAL_FIELDS if name not in ("pieces", "sections")),
        "archived",
        "completed_at",
    ]
    column_extra_row_actions = [
        PostRowAction("complete", "Mark completed", "fa-check"),
        PostRowAction("archive", "Archive", "fa-archive"),
    ]

    form_columns = GOAL_FIELDS
    # A far-off date is questioned, with a tick box to keep it (admin/fields.py).
    form_overrides = {"target_date": ConfirmableDateField}
    form_choices = {
        "goal_type": GOAL_TYPES,
        "status": GOAL_STATUSES,
        "priority": PRIORITY_CHOICES,
        "progress_measure": PROGRESS_MEASURES,
    }
    form_args = {
        "name": {
            "label": "Goal",
            "validators": [validators.InputRequired("Name the goal."), validators.Length(max=200)],
            "description": "For example “Learn Chopin Nocturne Op. 9 No. 2”.",
        },
        "goal_type": {"label": "Type"},
        "priority": {"label": "Priority", "coerce": int},
        "target_date": {"label": "Target date", "validators": [ConfirmedTargetDate()]},
        "target_minutes": {
            "label": "Target minutes (optional)",
            "validators": [
                validators.Optional(),
                validators.NumberRange(min=1, message="Enter a positive number of minutes."),
            ],
            "description": "Time on the goal, its pieces and their sections counts towards it.",
        },
        **TEMPO_ARGS,
        "progress_measure": {
            "label": "Progress bar shows",
            "blank_text": AUTOMATIC,
            "validators": [MeasureApplies()],
            "description": (
                "Every measure that applies is shown; the bar follows this one. "
                "Left open: sections ready, else minutes against the target, else tempo."
            ),
        },
        "pieces": {"label": "Pieces", "description": "All their sections count towards progress."},
        "sections": {"label": "Piece sections"},
        "instrument": {"label": "Instrument", "allow_blank": True, "blank_text": "—"},
        "notes": {"label": "Notes", "render_kw": {"rows": 3}},
    }

    @expose("/complete/", methods=("POST",))
    def complete_view(self):
        """Mark one goal completed from its progress ("Mark completed?"), then go back.

        A row action would skip another user's id silently; this one answers 404.
        """
        goal = self.get_one(request.form.get("id"))
        if goal is None:
            abort(404)
        goal.status = "completed"  # the model stamps completed_at
        db.session.commit()
        flash(f"“{goal.name}” is completed. Well done!", "success")
        return redirect(app_link(request.form.get("url")) or self.get_url(".index_view"))

    @action("complete", "Mark completed", "Mark the selected goals completed?")
    def action_complete(self, ids):
        """Complete the chosen goals (stamps completed_at)."""
        self.update_rows(ids, "{count} goal(s) marked completed.", status="completed")

    @action("archive", "Archive", "Archive the selected goals?")
    def action_archive(self, ids):
        """Hide the chosen goals from the list (the Archived filter shows them)."""
        self.update_rows(ids, "{count} goal(s) archived.", archived=True)

    @action("unarchive", "Restore from archive")
    def action_unarchive(self, ids):
        """Bring archived goals back into the list."""
        self.update_rows(ids, "{count} goal(s) restored.", archived=False)

    def scheduled_item(self, row, form):
        """The goal itself is the item its page schedules."""
        return ("goal", row.id, row.name)
