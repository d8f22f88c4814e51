"""Column formatters shared by the model views: `(view, context, model, name)` functions."""

from markupsafe import Markup
from markupsafe import escape


def duration_text(minutes):
    """Render minutes as '1 h 15 min' / '45 min'."""
    if minutes is None:
        return ""
    hours, mins = divmod(int(minutes), 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    return f"{hours} h" if hours else f"{mins} min"


def duration_formatter(view, context, model, name):
    """Duration column as hours and minutes."""
    return duration_text(getattr(model, name))


def rating_formatter(view, context, model, name):
    """A 1–5 rating as filled and empty dots, with the number for screen readers."""
    value = getattr(model, name)
    if value is None:
        return ""
    dots = "●" * value + "○" * (5 - value)
    return Markup('<span title="{v} of 5" aria-label="{v} of 5">{d}</span>').format(v=value, d=dots)


def notes_formatter(view, context, model, name):
    """Notes shortened for the list; the full text is on the details page."""
    text = getattr(model, name) or ""
    short = text if len(text) <= 80 else text[:77].rstrip() + "…"
    return escape(short)


def tags_formatter(view, context, model, name):
    """A list of related rows as small badges."""
    items = getattr(model, name) or []
    return Markup(" ").join(
        Markup('<span class="badge badge-info">{}</span>').format(item) for item in items
    )
