"""Fixed choice lists: (stored value, label a musician reads)."""

GOAL_TYPES = [
    ("piece", "Piece"),
    ("technique", "Technique"),
    ("scale", "Scale"),
    ("theory", "Theory"),
    ("ear_training", "Ear training"),
    ("repertoire", "Repertoire"),
    ("other", "Other"),
]
GOAL_STATUSES = [
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("completed", "Completed"),
]
# What a goal's progress bar measures, when the musician chooses (none: the first that applies).
PROGRESS_MEASURES = [
    ("sections", "Sections ready"),
    ("minutes", "Minutes practised"),
    ("tempo", "Tempo"),
]
PRIORITIES = [(3, "High"), (2, "Medium"), (1, "Low")]
PIECE_STATUSES = [
    ("learning", "Learning"),
    ("polishing", "Polishing"),
    ("performance_ready", "Performance-ready"),
    ("archived", "Archived"),
]
SECTION_STATUSES = [
    ("not_started", "Not started"),
    ("learning", "Learning"),
    ("polishing", "Polishing"),
    ("performance_ready", "Performance-ready"),
]
EQUIPMENT_KINDS = [
    ("instrument", "Instrument"),
    ("amplifier", "Amplifier"),
    ("bow", "Bow"),
    ("strings", "Strings"),
    ("pedal", "Effects pedal"),
    ("microphone", "Microphone"),
    ("accessory", "Accessory"),
    ("other", "Other"),
]
# What a kept explanation is.
RESOURCE_KINDS = [
    ("video", "Video"),
    ("article", "Article"),
    ("book", "Book page"),
    ("sheet", "Sheet"),
    ("note", "Own note"),
]
MAINTENANCE_KINDS = [
    ("string_change", "String change"),
    ("tuning_adjustment", "Tuning adjustment"),
    ("repair", "Repair"),
    ("setup", "Setup"),
    ("other", "Other"),
]


def label_of(choices, value):
    """The label for a stored value ('' when unknown or empty)."""
    return dict(choices).get(value, "") if value is not None else ""


def values_check(column, choices):
    """SQL CHECK text: column is one of the stored values."""
    values = ", ".join(f"'{value}'" for value, _ in choices)
    return f"{column} IN ({values})"
