"""Gear: equipment with its maintenance log, and how much it has been played."""

from flask_admin.contrib.sqla.filters import FilterEqual
from wtforms import SelectField
from wtforms import validators

from tracker.admin.base import ScopedInline
from tracker.admin.base import UserScopedModelView
from tracker.admin.filters import OwnedRelationFilter
from tracker.admin.formatters import choice_formatter
from tracker.admin.formatters import equipment_wear_formatter
from tracker.figures.history import equipment_maintenance
from tracker.figures.history import equipment_sessions
from tracker.figures.stats import equipment_wear
from tracker.models import Equipment
from tracker.models import MaintenanceLog
from tracker.models.choices import EQUIPMENT_KINDS
from tracker.models.choices import MAINTENANCE_KINDS
from tracker.timezones import user_zone_name

MAINTENANCE_FORM_ARGS = {
    "kind": {"label": "What was done", "choices": MAINTENANCE_KINDS},
    "performed_on": {
        "label": "Date",
        "validators": [validators.InputRequired("When was it done?")],
    },
    "cost": {
        "label": "Cost (optional)",
        "validators": [
            validators.Optional(),
            validators.NumberRange(min=0, message="A cost cannot be negative."),
        ],
    },
    "notes": {"label": "Notes"},
}


def wear_of(user_id, equipment):
    """Strings and playing time of each piece of gear, counted in the user's local days."""
    return equipment_wear(user_id, equipment, user_zone_name())


class EquipmentView(UserScopedModelView):
    model = Equipment
    name = "Equipment"
    endpoint = "equipment"
    list_template = "admin/model/add_list.html"
    add_label = "Add gear"
    row_nouns = ("piece of gear", "pieces of gear")
    category = "Gear"
    details_template = "admin/equipment_details.html"
    empty_list_message = "No gear yet. Add your instruments, bows, amps and pedals."

    column_list = ["name", "kind", "instrument", "purchase_date", "wear"]
    column_labels = {
        "name": "Name / model",
        "kind": "Kind",
        "instrument": "Instrument",
        "purchase_date": "Bought",
        "wear": "Strings and playing time",
        "notes": "Notes",
        "maintenance_logs": "Maintenance",
        "created_at": "Added",
    }
    column_default_sort = "name"
    column_sortable_list = ["name", "kind", "purchase_date"]
    column_searchable_list = ["name", "notes"]
    column_filters = [
        FilterEqual(Equipment.kind, "Kind", options=EQUIPMENT_KINDS),
        OwnedRelationFilter(Equipment.instrument, "Instrument"),
    ]
    column_formatters = {
        "kind": choice_formatter(EQUIPMENT_KINDS),
        "wear": equipment_wear_formatter,
    }
    column_formatters_detail = column_formatters
    column_formatters_export = {"kind": choice_formatter(EQUIPMENT_KINDS)}
    page_figures = {"wear": wear_of}
    details_figures = {"maintenance": equipment_maintenance, "sessions": equipment_sessions}
    column_details_list = ["name", "kind", "instrument", "purchase_date", "wear", "notes"]
    column_export_list = ["name", "kind", "instrument", "purchase_date", "notes"]
    card_fields = ["kind", "instrument", "wear"]

    form_columns = ["name", "kind", "instrument", "purchase_date", "notes", "maintenance_logs"]
    form_choices = {"kind": EQUIPMENT_KINDS}
    form_args = {
        "name": {
            "label": "Name / model",
            "validators": [validators.InputRequired("Name this gear."), validators.Length(max=200)],
        },
        "kind": {"label": "Kind"},
        "instrument": {"label": "Instrument", "allow_blank": True, "blank_text": "—"},
        "purchase_date": {"label": "Bought"},
        "notes": {"label": "Notes", "render_kw": {"rows": 3}},
    }
    inline_models = [
        ScopedInline(
            MaintenanceLog,
            form_label="Maintenance entry",
            form_columns=["id", "kind", "performed_on", "cost", "notes"],
            form_overrides={"kind": SelectField},
            form_args=MAINTENANCE_FORM_ARGS,
        )
    ]


class MaintenanceLogView(UserScopedModelView):
    model = MaintenanceLog
    name = "Maintenance log"
    endpoint = "maintenance_log"
    row_nouns = ("maintenance entry", "maintenance entries")
    category = "Gear"
    empty_list_message = "Nothing logged yet. Record string changes, setups and repairs here."

    column_list = ["performed_on", "equipment", "kind", "cost", "notes"]
    column_labels = {
        "performed_on": "Date",
        "equipment": "Gear",
        "kind": "What was done",
        "cost": "Cost",
        "notes": "Notes",
        "created_at": "Added",
    }
    column_default_sort = ("performed_on", True)
    column_sortable_list = ["performed_on", "kind", "cost"]
    column_searchable_list = ["notes"]
    column_filters = [
        FilterEqual(MaintenanceLog.kind, "What was done", options=MAINTENANCE_KINDS),
        OwnedRelationFilter(MaintenanceLog.equipment, "Gear"),
    ]
    column_formatters = {"kind": choice_formatter(MAINTENANCE_KINDS)}
    column_formatters_detail = column_formatters
    column_formatters_export = column_formatters
    # A phone's card: "2026-11-21 · Yamaha C40 · String change", then the cost.
    card_title = ["performed_on", "equipment", "kind"]

    form_columns = ["equipment", "kind", "performed_on", "cost", "notes"]
    form_choices = {"kind": MAINTENANCE_KINDS}
    form_args = {
        **MAINTENANCE_FORM_ARGS,
        "kind": {"label": "What was done"},
        "equipment": {"label": "Gear", "validators": [validators.InputRequired("Which gear?")]},
    }
