"""Column formatters shared by the model views: `(view, context, model, name)` functions."""

from flask import g
from flask_login import current_user
from markupsafe import Markup
from markupsafe import escape

from tracker.progress import goal_progress
from tracker.stats import equipment_wear
from tracker.timezones import local_now


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


def yes_no_formatter(view, context, model, name):
    """A boolean as "Yes" / "No"."""
    return "Yes" if getattr(model, name) else "No"


def names_formatter(view, context, model, name):
    """Related rows as plain comma-separated names (for CSV export)."""
    value = getattr(model, name)
    if value is None:
        return ""
    items = value if isinstance(value, list) else [value]
    return ", ".join(str(item) for item in items)


def tags_formatter(view, context, model, name):
    """A list of related rows as small badges."""
    items = getattr(model, name) or []
    return Markup(" ").join(
        Markup('<span class="badge badge-info">{}</span>').format(item) for item in items
    )


def choice_formatter(choices):
    """A formatter that shows a stored code as its label (performance_ready → Performance-ready)."""
    labels = {str(value): label for value, label in choices}

    def formatter(view, context, model, name):
        value = getattr(model, name)
        return labels.get(str(value), "") if value is not None else ""

    return formatter


def progress_bar(progress):
    """A Bootstrap progress bar with its summary, for one goal's Progress."""
    if progress is None:
        return ""
    return Markup(
        '<div class="goal-progress" title="{explanation}">'
        '<div class="progress" role="progressbar" aria-valuenow="{p}" aria-valuemin="0" '
        'aria-valuemax="100" aria-label="{p}% done">'
        '<div class="progress-bar{done}" style="width: {p}%"></div></div>'
        '<small class="text-muted">{p}% · {summary}</small></div>'
    ).format(
        p=progress.percent,
        done=" bg-success" if progress.percent >= 100 else "",
        summary=progress.summary,
        explanation=progress.explanation,
    )


def _page_rows(context, model):
    """The rows of the list page being rendered (just model on a details page)."""
    rows = context.resolve("data") if context is not None else None
    return rows if isinstance(rows, list) else [model]


def goal_progress_formatter(view, context, model, name):
    """Progress bar of a goal in the list; one computation for the whole page of goals."""
    page = _page_rows(context, model)
    key = ("goal_progress", tuple(goal.id for goal in page))
    if getattr(g, "_progress_key", None) != key:
        g._progress_key = key
        g._progress = goal_progress(current_user.id, page)
    return progress_bar(g._progress.get(model.id))


def deadline_text(target_date, today):
    """'in 3 days', 'today', '2 days late' for a deadline, or '' when there is none."""
    if target_date is None:
        return ""
    days = (target_date - today).days
    if days == 0:
        return "today"
    if days > 0:
        return f"in {days} day{'s' if days != 1 else ''}"
    return f"{-days} day{'s' if days != -1 else ''} late"


def deadline_formatter(view, context, model, name):
    """Target date, highlighted when it is within 14 days (or past) and the goal is open."""
    target = getattr(model, name)
    if target is None:
        return ""
    days = (target - local_now().date()).days
    text = f"{target:%d %b %Y}"
    if model.status == "completed" or days > 14:
        return text
    badge = "badge-danger" if days < 0 else "badge-warning"
    return Markup('{} <span class="badge {}">{}</span>').format(
        text, badge, deadline_text(target, local_now().date())
    )


def wear_text(wear):
    """'Strings changed 12 days ago · played 7.5 h since' for one piece of gear."""
    if wear is None:
        return ""
    hours = wear["minutes_since"] / 60
    played = f"{hours:.1f}".rstrip("0").rstrip(".") + " h"
    if wear["strings_changed"]:
        days = (local_now().date() - wear["strings_changed"]).days
        ago = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
        return f"Strings last changed {ago} · played {played} since"
    if wear["since"] == "purchase":
        return f"Played {played} since you bought it"
    return f"Played {played} in all"


def equipment_wear_formatter(view, context, model, name):
    """Wear of a piece of gear; one computation for the whole page of gear."""
    page = _page_rows(context, model)
    key = ("wear", tuple(item.id for item in page))
    if getattr(g, "_wear_key", None) != key:
        g._wear_key = key
        g._wear = equipment_wear(current_user.id, page, current_user.timezone or "UTC")
    return wear_text(g._wear.get(model.id))
